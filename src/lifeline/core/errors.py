"""Errors that services raise and views and the API turn into messages."""

from typing import Any

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """Someone else changed the object since the actor loaded it; nothing was written.

    ``changes`` maps each field that differs to (the value the actor saw, the current value),
    already rendered for display.
    """

    def __init__(
        self,
        message: str,
        *,
        changes: dict[str, tuple[Any, Any]] | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.changes = changes or {}
        self.current_version = current_version


class NotPermitted(Exception):
    """The actor may see the object but not do this to it (a 403, never for hidden objects)."""


__all__ = ["ConflictError", "NotPermitted", "ValidationError"]
