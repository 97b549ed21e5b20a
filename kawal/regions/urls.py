from django.urls import path

from kawal.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("peta/", views.map_view, name="map"),
    path("<region:code>/", views.detail, name="detail"),
    path("<region:code>/batas.geojson", views.boundaries, name="boundaries"),
]
