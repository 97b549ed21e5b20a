from django.urls import path

from kawal.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/cabut/", views.token_revoke, name="revoke"),
]
