from django.urls import path

from kawal.potential import views

app_name = "potential"
urlpatterns = [
    path("", views.index, name="index"),
    path("peta/", views.map_view, name="map"),
    path("peta/status.json", views.map_status, name="map_status"),
    path("sektor/", views.sectors, name="sectors"),
    path("sektor/<int:pk>/", views.sector_edit, name="sector_edit"),
    path("sektor/komoditas/<int:pk>/", views.commodity_type_edit, name="commodity_type_edit"),
    path("impor/", views.import_view, name="import"),
    path("ekspor/", views.export_view, name="export"),
    path("desa/<region:code>/", views.village, name="village"),
    path("desa/<region:code>/profil/", views.profile_edit, name="profile_edit"),
    path("desa/<region:code>/bumdes/", views.bumdes_edit, name="bumdes_edit"),
    path("desa/<region:code>/komoditas/", views.commodity_add, name="commodity_add"),
    path("desa/<region:code>/unit/", views.unit_add, name="unit_add"),
    path("komoditas/<int:pk>/hapus/", views.commodity_delete, name="commodity_delete"),
    path("unit/<int:pk>/hapus/", views.unit_delete, name="unit_delete"),
]
