"""Public pages under /hadir/: personal links (check-in), tickets, certificates, registration."""

from django.urls import path

from kawal.events import views

app_name = "events_public"
urlpatterns = [
    path("daftar/<slug:event_code>/", views.register, name="register"),
    path("<slug:code>/", views.personal_link, name="link"),
    path("<slug:code>/tiket/", views.ticket, name="ticket"),
    path("<slug:code>/tiket.pdf", views.ticket_pdf, name="ticket_pdf"),
    path("<slug:code>/sertifikat.pdf", views.certificate_pdf, name="certificate"),
]
