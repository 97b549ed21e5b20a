app_name = "taskforce"
urlpatterns: list = []
