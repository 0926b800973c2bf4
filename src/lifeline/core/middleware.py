from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Everything comes from this server: no third-party script, style, font, image or frame.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages with personal data must not linger in shared or browser caches.
            response.setdefault("Cache-Control", "no-store")
        return response
