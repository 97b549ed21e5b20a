from django.urls import path

from kawal.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.line_create, name="line_create"),
    path("refocusing/", views.refocusing_create, name="refocusing_create"),
    path("<int:pk>/", views.line_detail, name="line_detail"),
    path("<int:pk>/ubah/", views.line_edit, name="line_edit"),
]
