from django.urls import path

from kawal.formation import views

app_name = "formation"
urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("matriks.xlsx", views.matrix_export, name="matrix_export"),
    path("macet/", views.stuck, name="stuck"),
    path("koperasi/<int:pk>/tahap/<slug:step>/", views.step_edit, name="step"),
    path("koperasi/<int:pk>/tahap/<slug:step>/dokumen/", views.document_upload, name="upload"),
    path("dokumen/<int:pk>/berkas/", views.document_file, name="document_file"),
    path("dokumen/<int:pk>/periksa/", views.document_verify, name="document_verify"),
    path("verifikasi/", views.verify_queue, name="verify_queue"),
    path("target/", views.targets, name="targets"),
    path("notaris/", views.notary_list, name="notaries"),
    path("notaris/tambah/", views.notary_edit, name="notary_add"),
    path("notaris/<int:pk>/ubah/", views.notary_edit, name="notary_edit"),
    path("notaris/impor/", views.notary_import, name="notary_import"),
    path("notaris/cari/", views.notary_search, name="notary_search"),
    path("pengingat/", views.reminders, name="reminders"),
    path("impor/", views.step_import, name="import"),
    path("simkopdes/", views.simkopdes_reconciliation, name="simkopdes"),
    path("simkopdes.xlsx", views.simkopdes_export, name="simkopdes_export"),
]
