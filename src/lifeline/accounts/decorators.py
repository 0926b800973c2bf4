"""Access to views: a member of the active organisation, holding the named capability."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from lifeline.core.errors import NotPermitted
from lifeline.core.http import LifelineRequest


def member_required(
    capability: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Log in, pick an organisation, and hold ``capability`` (403 if not: the page exists, the
    actor may not use it). Objects the actor may not see are 404s raised by the selectors."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: LifelineRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.membership is None:
                return redirect("accounts:choose_organisation")
            if capability is not None and not request.membership.has(capability):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotPermitted:
                raise PermissionDenied from None

        wrapper.capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
