"""``_Part``: one name part, with its best romanisation and every spelling to index."""

from __future__ import annotations

from collections.abc import Iterable


class _Part:
    """One name part.

    ``primary`` is the best romanisation; ``forms`` are romanisations in the script's own
    system (pinyin, royin...), ``variants`` are other spellings (Wade-Giles, Cantonese, Thai
    passport forms...). ``extra_*`` are index-only tokens (Chinese syllables, apostrophe pieces).
    ``latin`` marks a part written in Latin script by a person (not romanised by us).
    """

    __slots__ = ("extra_forms", "extra_variants", "forms", "latin", "primary", "variants")

    def __init__(
        self,
        primary: str,
        variants: Iterable[str] = (),
        *,
        forms: Iterable[str] = (),
        extra_forms: Iterable[str] = (),
        extra_variants: Iterable[str] = (),
        latin: bool = False,
    ) -> None:
        self.primary = primary
        self.forms = frozenset(f for f in forms if f) | {primary}
        self.variants = frozenset(v for v in variants if v) - self.forms
        self.extra_forms = frozenset(f for f in extra_forms if f)
        self.extra_variants = frozenset(v for v in extra_variants if v) - self.extra_forms
        self.latin = latin
