"""Printable one-case summaries and site sheets, as an HTML page (print CSS) and as a PDF.

One ``Sheet`` (title, sections of label/value rows and paragraphs) is built from the scoped
objects and rendered twice: by a template for the browser's print, and by fpdf2 (pure Python,
no system libraries) for a PDF. Who sees what is decided here, not in the renderers:

- a case summary is printed by those who may see the case (``cases.selectors.case_get``); its
  personal data (names, contacts, documents, summary, timeline text) unless the member asks
  for a copy without it (``redacted``), which keeps codes, states and dates only;
- a site sheet is printed by those who see the registry; person operators and the sources'
  text (which may name an informant) only for members who may see persons.

Every print is audited (``reports.case.printed``, ``reports.site.printed``) with its format.

PDF fonts: the server's own TrueType fonts (``LIFELINE_PDF_FONTS``, default DejaVu Sans and
any Noto CJK or Thai fonts Debian installed). Text in a script none of them covers is printed
romanised, followed by a note; the HTML page, printed by the member's own browser, has no
such limit.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.cases.selectors import case_timeline
from lifeline.people.models import ContactHandle, Identifier, PersonName
from lifeline.sites import selectors as site_selectors
from lifeline.sites.models import OperatorKind, Site

TIMELINE_EVENTS = 30


@dataclass
class Section:
    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)  # first row: column titles


@dataclass
class Sheet:
    title: str
    subtitle: str
    sections: list[Section]
    footer: str


def _footer(actor: Membership, *, personal: bool) -> str:
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = _("Printed from Lifeline by %(user)s, %(org)s, on %(when)s.") % {
        "user": actor.user.get_username(),
        "org": actor.organisation.name,
        "when": when,
    }
    if personal:
        text += " " + _("Personal data: keep this paper safe, destroy it when done.")
    return text


def _country_name(code: str) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else ""


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def case_sheet(*, actor: Membership, case: Case, redacted: bool = False) -> Sheet:
    """``case`` must come from ``cases.selectors.case_get`` (so the actor may see it)."""
    person = case.person
    status = Section(
        _("Case"),
        rows=[
            (_("Reference"), case.reference),
            (_("Status"), str(case.get_status_display())),
            (_("Urgency"), str(case.get_urgency_display())),
            (_("Urgency reasons"), ", ".join(case.urgency_reasons)),
            (_("Opened"), _date(case.created_at)),
            (_("Status since"), _date(case.status_changed_at)),
            (_("Trafficking status"), str(case.get_trafficking_status_display())),
            (_("Types of exploitation"), ", ".join(case.exploitation_types)),
        ],
    )
    sections = [status]
    who = Section(
        _("Person"),
        rows=[
            (_("Gender"), str(person.get_gender_display())),
            (_("Age band"), person.age_band),
            (_("Citizenship"), _country_name(str(person.citizenship))),
        ],
    )
    sections.append(who)
    if not redacted:
        names = PersonName.objects.filter(organisation_id=case.organisation_id, person=person)
        contacts = ContactHandle.objects.filter(organisation_id=case.organisation_id, person=person)
        documents = Identifier.objects.filter(organisation_id=case.organisation_id, person=person)
        who.rows[:0] = [(_("Names"), " / ".join(str(n.value) for n in names))]
        who.rows += [
            (_("Age"), str(person.age)),
            (_("Date of birth"), _date(person.birth_date)),
            *((str(c.get_kind_display()), str(c.value)) for c in contacts),
            *((str(d.get_kind_display()), f"{d.value} {d.country}".strip()) for d in documents),
        ]
        sections.append(
            Section(
                _("Situation"),
                rows=[(_("Last known location"), str(case.last_known_location))],
                paragraphs=[str(case.summary)] if case.summary else [],
            )
        )
    events = list(case_timeline(case=case)[:TIMELINE_EVENTS])
    table = [[_("When"), _("What"), _("Details")]]
    for event in events:
        details = (
            "" if redacted else " ".join(p for p in (str(event.body), str(event.location)) if p)
        )
        if event.kind == "status":
            details = f"{event.data.get('from', '')} → {event.data.get('to', '')} " + details
        table.append([_date(event.occurred_at), str(event.get_kind_display()), details.strip()])
    sections.append(Section(_("Timeline (latest first)"), table=table))
    for section in sections:
        section.rows = [(label, value) for label, value in section.rows if value]
    return Sheet(
        title=_("Case summary %(ref)s") % {"ref": case.reference},
        subtitle=_("Without personal data") if redacted else _("Confidential: personal data"),
        sections=sections,
        footer=_footer(actor, personal=not redacted),
    )


def site_sheet(*, actor: Membership, site: Site) -> Sheet:
    """``site`` must come from ``sites.selectors.site_get``."""
    persons = actor.has("can_view_persons")
    place = ", ".join(p for p in (site.town, site.province, _country_name(str(site.country))) if p)
    grade = f"{site.status_reliability}{site.status_credibility or ''}"
    sections = [
        Section(
            _("Site"),
            rows=[
                (_("Name"), site.name),
                (_("Other names"), ", ".join(site.aliases)),
                (_("Kind"), str(site.get_kind_display())),
                (_("Place"), place),
                (
                    _("Point"),
                    f"{site.latitude:.5f}, {site.longitude:.5f}" if site.has_point else "",
                ),
                (_("Status"), str(site.get_status_display()) if site.status else _("unknown")),
                (_("Status since"), _date(site.status_since)),
                (_("Grade"), grade),
                (_("Indicators"), ", ".join(site.indicator_labels)),
            ],
        )
    ]
    history = [[_("As of"), _("Status"), _("Grade"), _("Source") if persons else ""]]
    for claim in site_selectors.site_history(site=site):
        history.append(
            [
                _date(claim.claimed_on),
                str(claim.get_status_display())
                + (f" → {claim.relocated_to.name}" if claim.relocated_to else ""),
                claim.grade,
                str(claim.source) if persons else "",
            ]
        )
    sections.append(Section(_("Status history"), table=history))
    operators = [[_("Operator"), _("Role"), _("Grade")]]
    for op in site_selectors.site_operators(actor=actor, site=site):
        name = op.company_name if op.kind == OperatorKind.COMPANY else str(op.person_name)
        operators.append([name, str(op.get_role_display()), f"{op.reliability}{op.credibility}"])
    hidden = site_selectors.hidden_operator_count(actor=actor, site=site)
    operators_section = Section(_("Operators"), table=operators)
    if hidden:
        operators_section.paragraphs.append(
            _("%(n)d person operators are not shown to your role.") % {"n": hidden}
        )
    sections.append(operators_section)
    for section in sections:
        section.rows = [(label, value) for label, value in section.rows if value]
        if section.table and not any(section.table[0][-1:]):  # an empty last column
            section.table = [row[:-1] for row in section.table]
    return Sheet(
        title=_("Site sheet: %(name)s") % {"name": site.name},
        subtitle=_("Confidential") if not persons else _("Confidential: includes persons"),
        sections=sections,
        footer=_footer(actor, personal=persons and bool(len(operators) > 1 or len(history) > 1)),
    )


def audit_print(
    *, actor: Membership, obj: Any, fmt: str, redacted: bool, request: HttpRequest | None
) -> None:
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action=f"reports.{obj._meta.model_name}.printed",
        obj=obj,
        payload={"format": fmt, "redacted": redacted},
        request=request,
    )


# PDF ----------------------------------------------------------------------------------------

DEFAULT_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
    "/usr/share/fonts/truetype/tlwg/Garuda.ttf",
)


def _font_paths() -> list[Path]:
    configured = getattr(settings, "LIFELINE_PDF_FONTS", None) or DEFAULT_FONTS
    return [Path(p) for p in configured if Path(p).is_file()]


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as an A4 PDF (fpdf2, imported lazily)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    fonts = _font_paths()
    families: list[str] = []
    for index, path in enumerate(fonts):
        family = f"f{index}"
        pdf.add_font(family, fname=str(path))
        families.append(family)
    covered = _coverage(tuple(fonts)) if families else frozenset(range(32, 127))
    romanised = [False]

    def text(value: str) -> str:
        """Characters no font can draw are romanised (anyascii), one by one."""
        if covered is None:
            return value
        out = []
        for ch in value:
            if ch.isspace() or ord(ch) in covered:
                out.append(ch)
            else:
                romanised[0] = True
                out.append(_romanise(ch))
        return "".join(out)

    def font(size: float, bold: bool = False) -> None:
        if families:
            pdf.set_font(families[0], size=size)
        else:
            pdf.set_font("helvetica", style="B" if bold else "", size=size)

    if len(families) > 1:
        pdf.set_fallback_fonts(families[1:])
    pdf.add_page()
    font(16, bold=True)
    pdf.multi_cell(0, 8, text(sheet.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    font(10)
    pdf.multi_cell(0, 6, text(sheet.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in sheet.sections:
        pdf.ln(3)
        font(12, bold=True)
        pdf.multi_cell(0, 7, text(section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        font(9)
        for label, value in section.rows:
            pdf.multi_cell(0, 5, text(f"{label}: {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, text(paragraph), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if len(section.table) > 1:
            headings = FontFace(emphasis="", fill_color=(225, 225, 225))
            with pdf.table(
                text_align="LEFT", first_row_as_headings=True, headings_style=headings
            ) as table:
                for cells in section.table:
                    row = table.row()
                    for cell in cells:
                        row.cell(text(cell))
    pdf.ln(4)
    font(8)
    pdf.multi_cell(0, 4, text(sheet.footer), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if romanised[0]:
        pdf.multi_cell(
            0,
            4,
            text(
                _(
                    "Some text is in a script this server has no font for: it is printed romanised. Print the page from the browser to see it as written."
                )
            ),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    return bytes(pdf.output())


@cache
def _coverage(fonts: tuple[Path, ...]) -> frozenset[int] | None:
    """The code points the fonts can draw (None: unknown, trust them)."""
    try:
        from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - fonttools comes with fpdf2
        return None
    points: set[int] = set()
    for path in fonts:
        faces = TTCollection(str(path)).fonts if path.suffix == ".ttc" else [TTFont(str(path))]
        for face in faces[:1]:
            points |= set(face.getBestCmap() or {})
    return frozenset(points)


def _romanise(ch: str) -> str:
    from anyascii import anyascii

    return anyascii(ch) or "?"
