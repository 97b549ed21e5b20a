from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kawal.core.scope import public

admin.site.site_header = "Kawal Kopdes"
admin.site.site_title = "Kawal Kopdes"
# Django admin bypasses region scope, so only national superusers may use it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", include("kawal.core.urls")),
    path("akun/", include("kawal.accounts.urls")),
    path("wilayah/", include("kawal.regions.urls")),
    path("koperasi/", include("kawal.cooperatives.urls")),
    path("tindak-lanjut/", include("kawal.followups.urls")),
    path("pembentukan/", include("kawal.formation.urls")),
    path("kesiapan/", include("kawal.readiness.urls")),
    path("potensi/", include("kawal.potential.urls")),
    path("satgas/", include("kawal.taskforce.urls")),
    path("pendampingan/", include("kawal.mentoring.urls")),
    path("operasional/", include("kawal.operations.urls")),
    path("anggaran/", include("kawal.budget.urls")),
    path("pelatihan/", include("kawal.training.urls")),
    path("bahasa/", public(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]
