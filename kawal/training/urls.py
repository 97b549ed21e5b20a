from django.urls import path

from kawal.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("program/baru/", views.programme_create, name="programme_create"),
    path("program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("program/<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("program/<int:pk>/angkatan/baru/", views.batch_create, name="batch_create"),
    path("angkatan/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("angkatan/<int:pk>/ubah/", views.batch_edit, name="batch_edit"),
    path("angkatan/<int:pk>/undang/", views.batch_invite, name="batch_invite"),
    path("angkatan/<int:pk>/aksi/", views.batch_action, name="batch_action"),
    path(
        "angkatan/<int:pk>/peserta/<int:participant_pk>/",
        views.participant_edit,
        name="participant_edit",
    ),
    path("angkatan/<int:pk>/hadir/", views.attendance, name="attendance"),
    path(
        "angkatan/<int:pk>/hadir/<int:participant_pk>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("angkatan/<int:pk>/sertifikat.pdf", views.certificates, name="certificates"),
    path("angkatan/<int:pk>/kehadiran.xlsx", views.attendance_export, name="attendance_export"),
    path("cakupan/", views.coverage, name="coverage"),
    path("kebutuhan/", views.needs, name="needs"),
    path(
        "koperasi/<int:pk>/kebutuhan-operasional/",
        views.cooperative_obstacle_needs,
        name="cooperative_obstacle_needs",
    ),
]
