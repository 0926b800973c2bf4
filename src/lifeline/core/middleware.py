from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lifeline.core.crypto import KeysDestroyed

# Everything comes from this server: no third-party script, style, font, image or frame.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


# Lifeline uses none of these browser features: deny them to the page and to anything it might
# embed, so that an injected script could not reach a camera, a location or a USB key.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Headers for every response, including static files (WhiteNoise answers those before
    Django's clickjacking middleware would run), HTTPS redirects and error pages. It is first in
    MIDDLEWARE; Django's SecurityMiddleware, just inside it, adds HSTS over HTTPS, nosniff,
    Referrer-Policy and Cross-Origin-Opener-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages with personal data must not linger in shared or browser caches.
            response.setdefault("Cache-Control", "no-store")
        return response


class KeysDestroyedMiddleware:
    """After `lifeline keys shred`, a page that must write or search personal data says why it
    cannot, instead of failing with a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, KeysDestroyed):
            return None
        return render(
            request, "keys_destroyed.html", {"shredded_at": exception.shredded_at}, status=503
        )
