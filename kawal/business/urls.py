from django.urls import path

from kawal.business import views

app_name = "business"
urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor.xlsx", views.export, name="export"),
    path("papan-nama/", views.signboard_list, name="signboards"),
    path("pendamping/", views.ba_page, name="ba"),
    path("belum-lapor/", views.missing, name="missing"),
    path("rat/", views.rat_list, name="rat_list"),
    path("impor/", views.import_plain, name="import"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("koperasi/<int:pk>/", views.cooperative, name="cooperative"),
    path("koperasi/<int:pk>/lapor/", views.report_create, name="report_create"),
    path("koperasi/<int:pk>/impor-buku/", views.import_book, name="import_book"),
    path("koperasi/<int:pk>/buku.xlsx", views.book_template, name="book_template"),
    path("koperasi/<int:pk>/tindak-lanjut/", views.signboard_followup, name="followup"),
    path("koperasi/<int:pk>/rat/<int:year>/", views.rat_edit, name="rat_edit"),
    path("koperasi/<int:pk>/rat/<int:year>/notulen/", views.rat_minutes, name="rat_minutes"),
    path(
        "koperasi/<int:pk>/rat/<int:year>/daftar-hadir/",
        views.rat_attendance_open,
        name="rat_attendance",
    ),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/<int:pk>/ubah/", views.report_edit, name="report_edit"),
]
