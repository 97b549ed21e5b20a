from django.urls import path

from kawal.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.index, name="index"),
    path("koperasi/<int:pk>/", views.cooperative, name="cooperative"),
    path("koperasi/<int:pk>/baris/", views.cooperative_line, name="cooperative_line"),
    path("gerai/<int:pk>/", views.outlet, name="outlet"),
    path("tahap/<int:pk>/foto/", views.outlet_photo, name="outlet_photo"),
    path("tahap/<int:pk>/koreksi/", views.outlet_event_correct, name="outlet_event_correct"),
    path("mitra/", views.partners, name="partners"),
    path("mitra/<int:pk>/", views.partner_edit, name="partner_edit"),
    path("menunggu-mitra/", views.waits, name="waits"),
    path("kemitraan/", views.partnership_list, name="partnership_list"),
    path("koperasi/<int:pk>/kemitraan/baru/", views.partnership_new, name="partnership_new"),
    path("kemitraan/<int:pk>/", views.partnership, name="partnership"),
    path(
        "kemitraan/<int:pk>/dokumen/<int:step>/",
        views.partnership_document,
        name="partnership_document",
    ),
    path("portofolio/", views.portfolio, name="portfolio"),
    path("pinjaman/", views.loan_list, name="loan_list"),
    path("koperasi/<int:pk>/pinjaman/baru/", views.loan_new, name="loan_new"),
    path("pinjaman/<int:pk>/", views.loan, name="loan"),
    path("pinjaman/<int:pk>/<slug:action>/", views.loan, name="loan_action"),
    path("pinjaman/<int:pk>/berkas/<slug:field>/", views.loan_file, name="loan_file"),
    path("tindak-lanjut/<slug:kind>/<int:pk>/", views.followup_new, name="followup_new"),
    path("ekspor/<slug:kind>/", views.export, name="export"),
    path("impor/<slug:kind>/", views.import_page, name="import"),
    path("impor/<slug:kind>/templat/", views.import_template, name="import_template"),
]
