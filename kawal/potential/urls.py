app_name = "potential"
urlpatterns: list = []
