from django.urls import path

from kawal.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("peta/", views.map_view, name="map"),
    path("peta/data.json", views.map_data, name="map_data"),
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/<int:pk>/status/", views.report_status, name="report_status"),
    path("laporan/<int:pk>/<slug:fmt>/", views.report_file, name="report_file"),
]
