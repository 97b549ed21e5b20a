from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kawal.api.api import api
from kawal.core.scope import bearer_token, public

API_DOCS = {"openapi-json", "openapi-view"}  # the API's description is public, its data is not


def _declared(patterns):
    """The API authenticates each request by its bearer token (see kawal.api.api); its
    OpenAPI description and docs page are public."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _declared(pattern.url_patterns)
        elif pattern.name in API_DOCS:
            public(pattern.callback)
        else:
            bearer_token(pattern.callback)
    return patterns


api_urls = api.urls
_declared(api_urls[0])

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
    path("usaha/", include("kawal.business.urls")),
    path("anggaran/", include("kawal.budget.urls")),
    path("pelatihan/", include("kawal.training.urls")),
    path("acara/", include("kawal.events.urls")),
    path("dasbor/", include("kawal.reports.urls")),
    path("hadir/", include("kawal.events.public_urls")),
    path("api/", api_urls),
    path("integrasi/", include("kawal.api.urls")),
    path("bahasa/", public(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]
