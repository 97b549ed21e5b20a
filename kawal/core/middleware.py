"""Response headers every page gets: a Content-Security-Policy, and `Cache-Control: no-store`
on everything served to a signed-in user (pages, exports, evidence files), so that personal
data never stays in a shared or back-button cache."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import patch_cache_control


def content_security_policy() -> str:
    tiles = urlsplit(getattr(settings, "KAWAL_TILE_URL", "") or "")
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if tiles.scheme and tiles.netloc else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",  # no inline script anywhere (a test keeps it so)
            # style attributes in templates and htmx's indicator style
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{tile_origin}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response
