"""The dry run: every row parsed and checked as the import would, and nothing written.

Each problem names the row (as the spreadsheet numbers it), the column title, a code and a
message; never the cell's value, because the dry run is stored and shown again. Blocking
problems keep their row out of the import; warnings (a merged cell, a possible duplicate) let
it in, except that rows whose phone, handle or document already belongs to a person are left
out when the member asks to skip duplicates.

Duplicates are found with the same evidence as the intake-time matcher
(``people.selectors.persons_matching``): a shared contact or document is a duplicate, a name
shared in any script (either order) a possible one; here in bulk, one query per kind of
evidence for the whole file rather than per row.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from lifeline.accounts.models import Membership
from lifeline.core.crypto import blind_index
from lifeline.people import indexing, names
from lifeline.people.models import ContactHandle, Identifier, NameToken, Person
from lifeline.reports.importing.fields import (
    CONTACT_FIELDS,
    FIELDS,
    PARSERS,
    CellError,
    check_formula_text,
)
from lifeline.reports.importing.reader import Sheet

MAX_TEXT = 5_000
SPLIT = re.compile(r"\s*[/;,，、；\n]\s*")


@dataclass
class RowPlan:
    """One row's values, parsed and normalised, ready for the services."""

    row: int
    names: list[str] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (kind, normalised)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    blocked: bool = False
    duplicate_of: list[int] = field(default_factory=list)  # person ids, strong evidence
    similar_to: list[int] = field(default_factory=list)  # person ids, a shared name
    repeats_row: int | None = None  # an earlier row of the file with the same contact

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of) or self.repeats_row is not None


@dataclass
class DryRun:
    plans: list[RowPlan]
    problems: list[dict[str, Any]]

    @property
    def importable(self) -> int:
        return sum(1 for plan in self.plans if not plan.blocked)

    def counts(self) -> dict[str, int]:
        by_code: dict[str, int] = {}
        for problem in self.problems:
            by_code[problem["code"]] = by_code.get(problem["code"], 0) + 1
        return by_code


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _problem(row: int, column: str, field_code: str, error: CellError) -> dict[str, Any]:
    return {
        "row": row,
        "column": column,
        "field": field_code,
        "code": error.code,
        "message": error.message,
        "blocking": error.blocking,
    }


def _country(value: str) -> str:
    text = value.strip()
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    code = countries.by_name(text) or countries.by_name(text, language="zh-hans")
    if not code:
        raise CellError("unknown_country", _("Not a country: use its two-letter ISO code."))
    return str(code)


class NameDigests(dict[str, list[set[str]]]):
    """Each name's search digests (one set of alternatives per part), computed once per dry
    run: tokenising a name across scripts is the costly step, and sheets repeat names."""

    def __missing__(self, name: str) -> list[set[str]]:
        groups = indexing.query_name_digest_groups(name)
        self[name] = groups
        return groups


def _parse_row(
    number: int,
    cells: list[Any],
    sheet: Sheet,
    columns: list[tuple[int, str, str]],
    region: str,
    digests: NameDigests,
) -> tuple[RowPlan, list[dict[str, Any]]]:
    plan = RowPlan(row=number)
    problems: list[dict[str, Any]] = []
    for index, header, code in columns:
        raw = cells[index] if index < len(cells) else ""
        try:
            if (number, index) in sheet.formulas:
                raise CellError(
                    "formula", _("A formula, not a value: formulas are not run; type the value.")
                )
            if (number, index) in sheet.merged:
                problems.append(
                    _problem(
                        number,
                        header,
                        code,
                        CellError(
                            "merged",
                            _(
                                "Part of a merged cell: read as empty. Unmerge and fill each row if the value applies to it."
                            ),
                            blocking=False,
                        ),
                    )
                )
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if isinstance(raw, str):
                check_formula_text(raw)
            _apply(plan, code, raw, region, digests)
        except CellError as error:
            problems.append(_problem(number, header, code, error))
    if not plan.names and not any(p["field"] in ("name", "other_name") for p in problems):
        problems.append(
            _problem(
                number,
                "",
                "name",
                CellError("missing_name", _("No name: a row needs at least a nickname.")),
            )
        )
    plan.blocked = any(p["blocking"] for p in problems)
    return plan, problems


def _apply(plan: RowPlan, code: str, raw: Any, region: str, digests: NameDigests) -> None:
    if code in ("name", "other_name"):
        for part in SPLIT.split(_text(raw)):
            if not part:
                continue
            if len(part) > names.MAX_NAME_LENGTH:
                raise CellError("bad_name", _("A name is too long."))
            if not digests[part]:
                raise CellError("bad_name", _("Nothing in this name can be read as a name."))
            plan.names.append(part)
    elif code in CONTACT_FIELDS:
        for part in SPLIT.split(_text(raw)) if isinstance(raw, str) else [str(raw)]:
            if not part:
                continue
            try:
                plan.contacts.append(
                    (code, indexing.normalise_contact(code, part, default_region=region or None))
                )
            except ValueError as exc:
                raise CellError(
                    "bad_phone" if code in ("phone", "whatsapp") else "bad_handle", str(exc)
                ) from None
    elif code in ("passport", "national_id"):
        try:
            plan.identifiers.append((code, indexing.normalise_identifier(_text(raw))))
        except ValueError as exc:
            raise CellError("bad_document", str(exc)) from None
    elif code == "citizenship":
        plan.values[code] = _country(_text(raw))
    elif code in PARSERS:
        plan.values[code] = PARSERS[code](raw if not isinstance(raw, str) else raw.strip())
    else:  # location, summary: free text
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise CellError(
                "too_long", _("This text is too long: at most %(n)d characters.") % {"n": MAX_TEXT}
            )
        plan.values[code] = (plan.values.get(code, "") + "\n" + text).strip()


def dry_run(*, actor: Membership, sheet: Sheet, columns: dict[str, str]) -> DryRun:
    """Parse and check every row of ``sheet`` under the mapping ``columns`` (title -> field)
    against the actor's organisation. Reads only."""
    mapped = [
        (index, header, columns.get(header, ""))
        for index, header in enumerate(sheet.headers)
        if columns.get(header, "") in FIELDS
    ]
    region = actor.organisation.default_phone_region or ""
    plans: list[RowPlan] = []
    problems: list[dict[str, Any]] = []
    digests = NameDigests()
    for number, cells in sheet.rows:
        plan, row_problems = _parse_row(number, cells, sheet, mapped, region, digests)
        plans.append(plan)
        problems += row_problems
    problems += _duplicates(actor=actor, plans=plans, digests=digests)
    problems.sort(key=lambda p: (p["row"], p["column"]))
    return DryRun(plans=plans, problems=problems)


def _chunks(values: list[str], size: int = 2000) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _owners(model: Any, org_id: int, digests: Iterable[str], column: str) -> dict[str, set[int]]:
    owners: dict[str, set[int]] = {}
    for chunk in _chunks(sorted(set(digests))):
        for digest, person_id in model.objects.filter(
            organisation_id=org_id, **{f"{column}__in": chunk}
        ).values_list(column, "person_id"):
            owners.setdefault(digest, set()).add(person_id)
    return owners


def _duplicates(
    *, actor: Membership, plans: list[RowPlan], digests: NameDigests
) -> list[dict[str, Any]]:
    org_id = actor.organisation_id
    live = plans and [p for p in plans if not p.blocked]
    if not live:
        return []
    contact_digest = {
        (kind, value): indexing.contact_digest(kind, value)
        for plan in live
        for kind, value in plan.contacts
    }
    document_digest = {
        (kind, value): blind_index(f"{kind}:{value}", purpose=indexing.IDENTIFIER_PURPOSE)
        for plan in live
        for kind, value in plan.identifiers
    }
    name_groups = {name: digests[name] for plan in live for name in plan.names}
    contact_owners = _owners(ContactHandle, org_id, contact_digest.values(), "value_index")
    document_owners = _owners(Identifier, org_id, document_digest.values(), "value_index")
    name_owners = _owners(
        NameToken,
        org_id,
        (d for groups in name_groups.values() for g in groups for d in g),
        "digest",
    )
    candidates = set().union(
        *contact_owners.values(), *document_owners.values(), *name_owners.values()
    )
    alive: set[int] = set()
    for chunk in _chunks(sorted(candidates)):  # type: ignore[arg-type]
        alive |= set(
            Person.objects.filter(
                organisation_id=org_id,
                pk__in=chunk,
                merged_into__isnull=True,
                erased_at__isnull=True,
            ).values_list("pk", flat=True)
        )
    problems: list[dict[str, Any]] = []
    seen_in_file: dict[str, int] = {}
    for plan in live:
        strong: set[int] = set()
        for key in plan.contacts:
            strong |= contact_owners.get(contact_digest[key], set())
        for key in plan.identifiers:
            strong |= document_owners.get(document_digest[key], set())
        plan.duplicate_of = sorted(strong & alive)
        similar: set[int] = set()
        for name in plan.names:
            groups = name_groups[name]
            if not groups:
                continue
            matched: set[int] | None = None
            for group in groups:
                ids = set().union(*(name_owners.get(d, set()) for d in group))
                matched = ids if matched is None else matched & ids
            similar |= matched or set()
        plan.similar_to = sorted((similar & alive) - strong)
        if plan.duplicate_of:
            problems.append(
                _problem(
                    plan.row,
                    "",
                    "duplicate",
                    CellError(
                        "duplicate",
                        _(
                            "A person with the same phone, handle or document is already recorded (%(n)d)."
                        )
                        % {"n": len(plan.duplicate_of)},
                        blocking=False,
                    ),
                )
            )
        elif plan.similar_to:
            problems.append(
                _problem(
                    plan.row,
                    "",
                    "duplicate",
                    CellError(
                        "similar_name",
                        _(
                            "A person with the same name is already recorded (%(n)d): check after the import under Duplicates."
                        )
                        % {"n": len(plan.similar_to)},
                        blocking=False,
                    ),
                )
            )
        for digest in [
            *(contact_digest[k] for k in plan.contacts),
            *(document_digest[k] for k in plan.identifiers),
        ]:
            first = seen_in_file.setdefault(digest, plan.row)
            if first != plan.row:
                problems.append(
                    _problem(
                        plan.row,
                        "",
                        "duplicate",
                        CellError(
                            "duplicate_in_file",
                            _("The same phone, handle or document as row %(row)d of this file.")
                            % {"row": first},
                            blocking=False,
                        ),
                    )
                )
                plan.repeats_row = first
                break
    return problems
