"""Leak trials for the canary engine, shared by its tests and bench/canary.py.

Each trial makes a fresh random briefing and a fresh set, picks a recipient at random, leaks that
recipient's variant in one of four ways and traces it. A trial succeeds only when the right
recipient is ranked first *alone* (a tie for first place counts as a failure).

  sent        the text file as sent (invisible marks and all)
  stripped    whitespace collapsed to single spaces (line breaks too), invisible characters gone
  retyped     invisible characters gone and a third of the lines (chosen at random) left out
  typos       retyped as above, and one word in ten (of three letters or more) mistyped
  photo       one printed page (chosen at random) as a phone photo: rotated, scaled, cropped,
              unevenly lit, blurred, noisy, JPEG-compressed
"""

from __future__ import annotations

import io
import random
import re
import unicodedata
from dataclasses import dataclass, field

from lifeline.sharing import canary
from lifeline.sharing.canary.imagemark import INK as canary_ink
from lifeline.sharing.canary.imagemark import PAPER as canary_paper

GIVEN = [
    "Chen Wei",
    "Li Na",
    "Wang Fang",
    "Zhang Min",
    "Liu Yang",
    "Huang Jie",
    "Zhao Lei",
    "Wu Xia",
    "Somchai Jaidee",
    "Niran Suksai",
    "Kanya Boonmee",
    "Ploy Srisuk",
    "Arthit Wongsa",
    "Nguyen Van An",
    "Tran Thi Mai",
    "Le Van Hung",
    "Pham Thi Lan",
    "Hoang Minh Duc",
    "Siti Rahma",
    "Budi Santoso",
    "Dewi Lestari",
    "Agus Salim",
    "Putri Ayu",
    "Rizky Pratama",
    "Sok Dara",
    "Chan Sophea",
    "Kim Srey Leak",
    "Aung Ko Ko",
    "Thida Win",
    "Zaw Min Htet",
    "Maria Santos",
    "Jose Reyes",
    "Ana Cruz",
    "Mark Dela Cruz",
    "Joy Bautista",
    "Ahmed Karim",
    "Fatima Begum",
    "Rahul Das",
    "Priya Nair",
    "Kofi Mensah",
]
COLOURS = ["blue", "green", "red", "white", "yellow", "black"]
FEATURES = ["the river", "the highway", "the casino strip", "the old market", "the bus depot"]
LANDMARKS = [
    "the petrol station",
    "the pharmacy",
    "the noodle shop",
    "the phone repair kiosk",
    "the 7-Eleven",
    "the car wash",
    "the school gate",
    "the temple steps",
]
SITE_LINES = [
    "The compound is located next to {feature}, behind a {colour} gate.",
    "A large {colour} building of {floors} floors stands opposite the main road.",
    "There are about {count} guards on shifts; several carry batons and radios.",
    "Workers are currently held on the upper floors, about {count2} of them in each room.",
    "CCTV cameras cover the entrance, the car park, and the loading bay.",
    "The perimeter wall is grey concrete topped with razor wire.",
    "Motorbikes are parked near the side door at all hours.",
    "Vans arrive before dawn with new workers from the border.",
    "The site appears to be guarded more heavily at night.",
    "Guards do not leave the gate unattended between shifts.",
    "A shop selling phone cards is opposite the gate; its owner cannot be trusted.",
    "{small} dogs are kept in the yard next to the canteen.",
    "The dormitory block is {storeys} storeys high with barred windows.",
    "At least {count3} workers were moved to another site last month.",
    "Several victims report beatings for missing daily targets.",
    "The manager is last seen driving a grey pickup towards the harbour.",
]
RENDEZVOUS_LINES = [
    "Meet at {landmark} near the bus stop at 21:30 on the night of the operation.",
    "Wait inside the white van; do not use phones within 200 metres of the gate.",
    "The team leader will carry a red umbrella.",
]
NOTES_LINES = [
    "Two victims are injured and will need a stretcher.",
    "One interpreter for Vietnamese and one for Thai will be present.",
    "The embassy desk is informed and will receive the rescued at the shelter.",
    "Police liaison joins at the second checkpoint, not before.",
    "Medical team waits at the clinic next to the market.",
]


def random_document(rng: random.Random, *, full: bool = False) -> canary.Document:
    """A briefing of one to two pages: the site, the people, the rendezvous, sometimes notes
    (`full`: a two-page briefing with all of them, long)."""
    fill = {
        "feature": rng.choice(FEATURES),
        "colour": rng.choice(COLOURS),
        "floors": rng.randint(3, 9),
        "count": rng.randint(12, 60),
        "count2": rng.randint(20, 45),
        "count3": rng.randint(10, 80),
        "small": rng.choice(["Three", "Four", "Five"]),
        "storeys": rng.randint(3, 7),
    }
    site_count = rng.randint(11, 14) if full else rng.randint(5, 9)
    site = [line.format(**fill) for line in rng.sample(SITE_LINES, site_count)]
    people = []
    for name in rng.sample(GIVEN, rng.randint(20, 26) if full else rng.randint(6, 16)):
        roll = rng.random()
        if roll < 0.5:
            people.append(f"{name}, {rng.randint(17, 45)}")
        elif roll < 0.8:
            people.append(
                f"{name}, {rng.randint(17, 45)}, last contact {rng.randint(1, 28)} days ago"
            )
        else:
            people.append(name)
    landmarks = rng.sample(LANDMARKS, rng.choice([0, 2, 3]))
    rendezvous = [
        line.format(landmark=landmarks[0] if landmarks else "the bridge")
        for line in RENDEZVOUS_LINES
    ]
    sections = [
        canary.Section(heading="Site", kind="text", lines=site),
        canary.Section(heading="People", kind="list", lines=people),
        canary.Section(
            heading="Rendezvous", kind="text", lines=rendezvous[: 3 if full else rng.randint(1, 3)]
        ),
    ]
    if full or rng.random() < 0.5:
        sections.append(
            canary.Section(heading="Notes", kind="text", lines=rng.sample(NOTES_LINES, 3))
        )
    return canary.Document(
        title=f"Briefing: {fill['colour']} gate compound",
        sections=sections,
        rendezvous_landmarks=landmarks,
    )


def strip_invisible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def leak_stripped(text: str, rng: random.Random) -> str:
    return " ".join(strip_invisible(text).split())


def leak_retyped(text: str, rng: random.Random) -> str:
    lines = [" ".join(line.split()) for line in strip_invisible(text).splitlines() if line.strip()]
    drop = set(rng.sample(range(len(lines)), len(lines) // 3))
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def leak_with_typos(text: str, rng: random.Random) -> str:
    def mistype(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 3 or rng.random() >= 0.1:
            return word
        i = rng.randrange(len(word))
        return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]

    return re.sub(r"[A-Za-z]+", mistype, leak_retyped(text, rng))


def photograph(png: bytes, rng: random.Random) -> bytes:
    """A phone photo of the printed page: exposed darker, turned a few degrees, scaled, cropped
    at the edges, lit unevenly, blurred, noisy and saved as JPEG."""
    import numpy as np
    from PIL import Image, ImageFilter

    page = Image.open(io.BytesIO(png)).convert("L")
    # Exposure: the paper comes out light grey, the ink dark grey (auto-exposure rarely blows
    # white paper out to pure white; a photo that did would lose the mark with the paper).
    paper, ink = rng.uniform(170, 235), rng.uniform(20, 70)
    page = page.point(
        lambda v: round(ink + (v - canary_ink) * (paper - ink) / (canary_paper - canary_ink))
    )
    angle = rng.uniform(-4.0, 4.0)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=90)
    scale = rng.uniform(0.65, 1.15)
    page = page.resize(
        (round(page.width * scale), round(page.height * scale)), Image.Resampling.BICUBIC
    )
    w, h = page.size
    left, top = rng.randint(0, w // 20), rng.randint(0, h // 20)
    page = page.crop((left, top, w - rng.randint(0, w // 20), h - rng.randint(0, h // 20)))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    a = np.asarray(page, dtype=np.float32)
    yy, xx = np.mgrid[0 : a.shape[0], 0 : a.shape[1]]
    light = (
        1.0
        + rng.uniform(-0.12, 0.12) * xx / a.shape[1]
        + rng.uniform(-0.12, 0.12) * yy / a.shape[0]
    )
    nprng = np.random.default_rng(rng.getrandbits(32))
    a = a * light + nprng.normal(0, rng.uniform(2.0, 6.0), a.shape)
    photo = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L").convert("RGB")
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=rng.randint(60, 90))
    return out.getvalue()


@dataclass
class Trials:
    kind: str
    trials: int = 0
    correct: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.trials if self.trials else 0.0

    def __str__(self) -> str:
        return f"{self.kind}: {self.correct}/{self.trials} = {self.accuracy:.1%} top-1"


def traced_alone(matches: list[canary.Match], set_id: str, index: int) -> bool:
    if not matches or (matches[0].set_id, matches[0].index) != (set_id, index):
        return False
    return len(matches) == 1 or matches[1].score < matches[0].score


def run(kind: str, trials: int, *, recipients: int = 20, seed: int = 0, decoys: int = 0) -> Trials:
    """`trials` leaks of `kind` ("sent", "stripped", "retyped", "typos", "photo"), each traced against
    its own set plus `decoys` sets of other random briefings."""
    rng = random.Random(f"{kind}:{seed}")
    secret = rng.randbytes(32)
    result = Trials(kind)
    decoy_sets = [
        canary.make_set(random_document(rng), recipients, secret, f"decoy-{d}")
        for d in range(decoys)
    ]
    for t in range(trials):
        cs = canary.make_set(random_document(rng), recipients, secret, f"set-{seed}-{t}")
        index = rng.randrange(recipients)
        sets = [cs, *decoy_sets]
        if kind == "photo":
            page = rng.randrange(cs.page_count(index))
            matches = canary.trace_image(photograph(cs.page_png(index, page), rng), sets)
        else:
            text = cs.text(index)
            if kind == "stripped":
                text = leak_stripped(text, rng)
            elif kind == "retyped":
                text = leak_retyped(text, rng)
            elif kind == "typos":
                text = leak_with_typos(text, rng)
            matches = canary.trace_text(text, sets)
        result.trials += 1
        if traced_alone(matches, cs.set_id, index):
            result.correct += 1
        else:
            top = [(m.set_id, m.index, m.score) for m in matches[:3]]
            result.failures.append(f"trial {t}: recipient {index}, got {top}")
    return result
