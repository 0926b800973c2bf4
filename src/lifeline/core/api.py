"""API plumbing shared by every router.

It lives here rather than in ``lifeline.api`` because that module imports every router; a
router importing back from it would be a circular import.

- ``requires(capability)``: the one place an endpoint declares the capability it needs
  (STYLE.md rule 10). Missing capability is a 403 (``NotPermitted``). It is only for endpoints
  that are not about one object: objects the actor may not see are 404s raised by selectors.
- ``paginate``: the ``{items, count, page, page_size}`` shape of every list.
- The error schemas, so that the OpenAPI document shows what each endpoint may answer.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Field, Path, Schema
from pydantic import ConfigDict, field_validator

from lifeline.accounts.models import Membership
from lifeline.accounts.roles import CAPABILITIES
from lifeline.audit.services import audit_log
from lifeline.core.errors import NotPermitted
from lifeline.core.http import ApiRequest

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
MAX_PAGE = 1_000_000
# Integers from clients are bounded by their columns (BigAutoField ids, PositiveIntegerField
# versions): a larger one would overflow in the database and end as a 500, not a 422.
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1

F = TypeVar("F", bound=Callable[..., Any])

# A uid in a path stays a string: one that is not a UUID is simply not found (the same 404 as
# a missing object), rather than a 422 that would tell it apart.
Uid = Annotated[str, Path(..., description="The object's uid (a UUID).")]
UserId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="A user's id.")]


# Authorisation ----------------------------------------------------------------------------


def requires(capability: str) -> Callable[[F], F]:
    """Refuse the call with 403 unless the acting membership (``request.auth``) holds
    ``capability``. An unknown capability name fails at import time, not at request time."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def decorator(endpoint: F) -> F:
        @wraps(endpoint)
        def wrapper(request: ApiRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.auth.has(capability):
                raise NotPermitted
            return endpoint(request, *args, **kwargs)

        wrapper.capability = capability  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def require(membership: Membership, capability: str) -> None:
    """The same check inside an endpoint about one object, made after the selector found the
    object (so that an object the actor may not see stays a 404, rule 8)."""
    if not membership.has(capability):
        raise NotPermitted


# Request bodies ---------------------------------------------------------------------------


class InputSchema(Schema):
    """Base of every request body: an unknown field (a forged ``organisation``, a typo) is a 422,
    never silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold NUL, and no honest client sends one: refused as a 422
        # here rather than a 500 from the database (Django's forms refuse it the same way).
        if _holds_nul(value):
            raise ValueError("Null characters are not allowed.")
        return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    return False


def version_field() -> Any:
    """The optimistic-concurrency ``version`` every write on a versioned object carries."""
    return Field(..., ge=1, le=MAX_VERSION, description="The version the client last read.")


@contextmanager
def body_field_names(**renamed: str) -> Iterator[None]:
    """Report a service's ValidationError under the body's field names where they differ from
    the service's keyword names (``body_field_names(assignee="user_id")``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {renamed.get(name, name): errors for name, errors in exc.error_dict.items()}
        ) from None


# Audit --------------------------------------------------------------------------------------


def audit_listing(
    request: ApiRequest, *, action: str, filters: list[str], count: int, obj: Any = None
) -> None:
    """Record a list or search: which filters were used (names only, never the names or phones
    searched for) and how many rows were returned."""
    membership = request.auth
    audit_log(
        actor=membership.user,
        organisation=membership.organisation,
        action=action,
        obj=obj,
        payload={"filters": sorted(filters), "count": count},
        request=request,
    )


# Pagination -------------------------------------------------------------------------------


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100)."
    )


ItemT = TypeVar("ItemT")


class PageOut(Schema, Generic[ItemT]):
    """The envelope of every list: one page of ``items`` and where it stands in the whole.
    Subclass it per item type (``class CasePageOut(PageOut[CaseItemOut])``) so that the
    OpenAPI document names each list's schema."""

    items: list[ItemT]
    count: int
    page: int
    page_size: int


def paginate(qs: QuerySet[Any], paging: PageIn) -> dict[str, Any]:
    """One page of an ordered queryset. A page past the end is empty, not an error."""
    start = (paging.page - 1) * paging.page_size
    items = list(qs[start : start + paging.page_size])
    return {"items": items, "count": qs.count(), "page": paging.page, "page_size": paging.page_size}


# Errors, for the OpenAPI document (lifeline.api turns exceptions into these) ------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ChangeOut(Schema):
    yours: Any
    current: Any


class ConflictOut(Schema):
    detail: str
    current_version: int | None
    changes: dict[str, ChangeOut]


# Every authenticated endpoint may answer 401; these are merged into each ``response=``.
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# Writes take a JSON body: one that does not parse is ninja's 400 before any schema applies.
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **READ_ERRORS, 409: ConflictOut}
