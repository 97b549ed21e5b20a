from django.urls import path

from kawal.cooperatives import exports, imports, views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("tambah/", views.cooperative_create, name="create"),
    path("ekspor.xlsx", exports.cooperative_export, name="export"),
    path("impor/", imports.import_view, name="import"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
    path("<int:pk>/ubah/", views.cooperative_edit, name="edit"),
    path("<int:pk>/desa-bersama/", views.cooperative_joint, name="joint"),
    path("<int:pk>/pengurus/tambah/", views.officer_add, name="officer_add"),
    path("pengurus/<int:pk>/ubah/", views.officer_edit, name="officer_edit"),
    path("<int:pk>/gerai/tambah/", views.outlet_add, name="outlet_add"),
    path("gerai/<int:pk>/ubah/", views.outlet_edit, name="outlet_edit"),
]
