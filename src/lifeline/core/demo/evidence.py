"""Demo evidence: a fictional job-advert screenshot and chat log on a few cases, attached through
the evidence service (so they are encrypted, hashed and in the custody trail like real ones)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from lifeline.accounts.models import Membership
from lifeline.accounts.roles import Role
from lifeline.cases.models import Case
from lifeline.evidence.services import evidence_attach

ADVERT = (
    "DATA ENTRY STAFF WANTED",
    "Salary 35,000 THB / month + bonus",
    "Flight, visa and hotel paid",
    "No experience needed, English OK",
    "Contact HR on Telegram today",
)
CHAT = (
    b"[03/02/2026, 21:14] Recruiter: Boss pays flight. You start Monday.\n"
    b"[03/02/2026, 21:15] Recruiter: Bring passport, we keep it safe for visa.\n"
    b"[11/02/2026, 02:40] Him: they took the passport, cannot leave building\n"
)


def _advert_png() -> bytes:
    image = Image.new("RGB", (560, 300), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 560, 48), fill=(214, 40, 40))
    for line_number, line in enumerate(ADVERT):
        draw.text(
            (24, 16 + 52 * line_number),
            line,
            fill=(255, 255, 255) if not line_number else (25, 25, 25),
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def attach_demo_evidence(*, members: dict[str, Membership], cases: int = 2) -> int:
    """Attach the advert and the chat log to ``cases`` cases of the organisation, preferring
    those assigned to its first caseworker so that the caseworker login sees them too.
    Returns the number of files attached."""
    coordinator = next(m for m in members.values() if m.role == Role.COORDINATOR)
    caseworker = next((m for m in members.values() if m.role == Role.CASEWORKER), None)
    qs = Case.objects.filter(organisation=coordinator.organisation).order_by("pk")
    chosen = list(qs.filter(assignments__user=caseworker.user)[:cases]) if caseworker else []
    chosen += list(qs.exclude(pk__in=[c.pk for c in chosen])[: cases - len(chosen)])
    attached = 0
    for case in chosen:
        for name, data, description in (
            ("job-advert.png", _advert_png(), "Screenshot of the advert he answered"),
            ("chat.txt", CHAT, "Chat with the recruiter, exported from Telegram"),
        ):
            evidence_attach(
                actor=coordinator,
                case=case,
                upload=SimpleUploadedFile(name, data),
                description=description,
            )
            attached += 1
    return attached
