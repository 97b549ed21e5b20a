from django.urls import path

from kawal.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/tempat/baru/", views.venue_edit, name="venue_create"),
    path("<int:pk>/tempat/<int:venue_pk>/ubah/", views.venue_edit, name="venue_edit"),
    path("<int:pk>/peserta/", views.registrant_list, name="registrants"),
    path("<int:pk>/peserta/baru/", views.registrant_add, name="registrant_add"),
    path("<int:pk>/undang/", views.invite, name="invite"),
    path("<int:pk>/pintu/", views.door, name="door"),
    path("<int:pk>/langsung/", views.live, name="live"),
    path("<int:pk>/rencana/", views.plan, name="plan"),
    path("<int:pk>/rencana/biaya/", views.costs_edit, name="costs"),
    path("<int:pk>/rencana/platform/", views.tiers_edit, name="tiers"),
    path("<int:pk>/laporan/", views.report, name="report"),
    path("<int:pk>/laporan/kehadiran.xlsx", views.export, name="export"),
]
