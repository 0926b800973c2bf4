"""Model fields whose values are encrypted at rest through lifeline.core.crypto."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from django.db import models

from lifeline.core import crypto

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable


class UnreadableValue(str):
    """Stands in for a value whose key is gone, so that pages can say so instead of crashing."""

    def __new__(cls) -> UnreadableValue:
        return super().__new__(cls, "[unreadable]")


UNREADABLE = UnreadableValue()


class EncryptedTextField(models.TextField[Any, Any]):
    """Text encrypted with AES-GCM; the purpose is ``app_label.Model.field``.

    Ciphertext is randomised, so only ``isnull`` means anything in SQL; every other lookup is
    refused and searching goes through blind indexes instead.
    """

    def __init__(self, *args: Any, max_chars: int | None = None, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.max_chars is not None:
            kwargs["max_chars"] = self.max_chars
        return name, path, args, kwargs

    @property
    def purpose(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableValue):
            # Writing the placeholder back would destroy a value that a restored key could read.
            raise ValueError(f"{self.purpose} is unreadable and cannot be saved")
        if value is None or value == "":
            return value
        return crypto.encrypt(self.serialise(value), purpose=self.purpose)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return self.deserialise(crypto.decrypt(value, purpose=self.purpose))
        except crypto.DecryptionError:
            return UNREADABLE

    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> Any:
        return text


class EncryptedJSONField(EncryptedTextField):
    """Lists and dicts encrypted like text (stored as JSON), for structured values that may
    hold personal data: an imported sheet's column titles, for one, can be a person's name."""

    if TYPE_CHECKING:  # what Python sees (django-stubs reads these), not the stored text
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def serialise(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def deserialise(self, text: str) -> Any:
        return json.loads(text)


class EncryptedDateField(EncryptedTextField):
    """A date stored as an encrypted ISO string; Python sees ``datetime.date``."""

    # What django-stubs reads for the model attribute and its arguments. TextField's stubs pin
    # both to str, which is right for the stored ciphertext but not for what Python sees.
    if TYPE_CHECKING:
        _pyi_private_set_type: datetime.date | str | Combinable  # type: ignore[assignment]
        _pyi_private_get_type: datetime.date  # type: ignore[assignment]

    def serialise(self, value: Any) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        text: str = value.isoformat()
        return text

    def deserialise(self, text: str) -> Any:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(value)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})
