from django.http import HttpRequest


def membership(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "membership", None)
    return {"membership": current, "organisation": getattr(request, "organisation", None)}
