from django.urls import path

from kawal.mentoring import views

app_name = "mentoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("saya/", views.my_home, name="my_home"),
    path("mentor/", views.mentor_list, name="mentor_list"),
    path("mentor/baru/", views.mentor_edit, name="mentor_create"),
    path("mentor/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentor/<int:pk>/ubah/", views.mentor_edit, name="mentor_edit"),
    path("penugasan/baru/", views.assignment_create, name="assignment_create"),
    path("penugasan/impor/", views.assignment_import, name="assignment_import"),
    path("penugasan/impor/templat.xlsx", views.assignment_template, name="assignment_template"),
    path("penugasan/<int:pk>/akhiri/", views.assignment_end, name="assignment_end"),
    path("daftar-periksa/", views.checklist, name="checklist"),
    path("daftar-periksa/<int:pk>/", views.checklist, name="checklist_edit"),
    path("kunjungan/", views.visit_list, name="visit_list"),
    path("kunjungan/ekspor.xlsx", views.visit_export, name="visit_export"),
    path("kunjungan/baru/", views.visit_create, name="visit_create"),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("kunjungan/<int:pk>/foto/<int:photo_pk>/", views.visit_photo, name="visit_photo"),
    path("konsultasi/", views.consultation_list, name="consultation_list"),
    path("konsultasi/ekspor.xlsx", views.consultation_export, name="consultation_export"),
    path("konsultasi/hari-ini/", views.consultation_queue, name="consultation_queue"),
    path("konsultasi/baru/", views.consultation_create, name="consultation_create"),
    path("konsultasi/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("koperasi/<int:pk>/", views.cooperative_detail, name="cooperative"),
    path("rekomendasi/<int:pk>/tanggapan/", views.recommendation_respond, name="respond"),
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/baru/", views.report_create, name="report_create"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/lampiran/", views.report_file, name="report_file"),
]
