from django.urls import path

from kawal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login, name="login"),
    path("keluar/", views.logout, name="logout"),
    path("sandi/", views.password_change, name="password_change"),
    path("sandi/selesai/", views.password_change_done, name="password_change_done"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
]
