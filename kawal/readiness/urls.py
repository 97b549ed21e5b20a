from django.urls import path

from kawal.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.index, name="index"),
    path("koperasi/<int:pk>/", views.cooperative, name="cooperative"),
    path("koperasi/<int:pk>/nilai/", views.assessment_new, name="assessment_new"),
    path("penilaian/<int:pk>/", views.assessment, name="assessment"),
    path("penilaian/<int:pk>/butir/<int:score_pk>/", views.item_score, name="item_score"),
    path("penilaian/<int:pk>/bukti/<int:score_pk>/", views.evidence, name="evidence"),
    path("penilaian/<int:pk>/perbarui/", views.assessment_refresh, name="assessment_refresh"),
    path("penilaian/<int:pk>/kirim/", views.assessment_submit, name="assessment_submit"),
    path("penilaian/<int:pk>/verifikasi/", views.assessment_verify, name="assessment_verify"),
    path("penilaian/<int:pk>/kembalikan/", views.assessment_return, name="assessment_return"),
    path("instrumen/", views.instrument_list, name="instruments"),
    path("instrumen/bawaan/", views.instrument_create_default, name="instrument_default"),
    path("instrumen/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instrumen/<int:pk>/ubah/", views.instrument_edit, name="instrument_edit"),
    path(
        "instrumen/<int:pk>/versi-baru/",
        views.instrument_new_version,
        name="instrument_new_version",
    ),
    path("instrumen/<int:pk>/terbitkan/", views.instrument_publish, name="instrument_publish"),
]
