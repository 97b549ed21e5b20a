from django.urls import path

from kawal.taskforce import views

app_name = "taskforce"
urlpatterns = [
    path("", views.index, name="index"),
    path("kop-surat/", views.letterhead_edit, name="letterhead"),
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/baru/", views.agency_create, name="agency_create"),
    path("instansi/<slug:code>/ubah/", views.agency_edit, name="agency_edit"),
    path("sk/", views.decree_list, name="decree_list"),
    path("sk/baru/", views.decree_create, name="decree_create"),
    path("sk/<int:pk>/", views.decree_detail, name="decree_detail"),
    path("sk/<int:pk>/berkas/", views.decree_file, name="decree_file"),
    path("rapat/", views.meeting_list, name="meeting_list"),
    path("rapat/baru/", views.meeting_create, name="meeting_create"),
    path("rapat/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("rapat/<int:pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<int:pk>/undangan.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("rapat/<int:pk>/notulen.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("rapat/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("kinerja/", views.scorecard, name="scorecard"),
    path("kinerja/ekspor.xlsx", views.scorecard_export, name="scorecard_export"),
    path("kinerja/<slug:code>/", views.scorecard_agency, name="scorecard_agency"),
]
