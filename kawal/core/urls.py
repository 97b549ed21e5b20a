from django.urls import path

from kawal.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit_list"),
    path("sehat/", views.health, name="health"),
    path("impor/status/<str:token>/", views.import_status, name="import_status"),
]
