from django.urls import path

from kawal.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.followup_list, name="list"),
    path("instansi/", views.agency_owes, name="owes"),
    path("ekspor.xlsx", views.followup_export, name="export"),
    path("baru/", views.followup_create, name="create"),
    path("<int:pk>/", views.followup_detail, name="detail"),
    path("<int:pk>/ubah/", views.followup_edit, name="edit"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_file, name="evidence"),
]
