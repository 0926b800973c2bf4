"""The canary engine's contract: variants, their marks, the stored form, tracing."""

import json
import random
import re

import pytest

from lifeline.sharing import canary
from lifeline.sharing.canary import textmark
from tests.sharing.canary import harness

SECRET = b"0123456789abcdef0123456789abcdef"


def briefing() -> canary.Document:
    return canary.Document(
        title="Briefing: Blue gate compound",
        sections=[
            canary.Section(
                heading="Site",
                kind="text",
                lines=[
                    "Blue gate compound next to the river, about 37 guards, several motorbikes.",
                    "The main building is a large grey 6 storey block opposite the market.",
                    "Workers are held on floors 3 to 5; guards carry batons, radios, and knives.",
                    "Do not approach from the north road before 22:00 on 14 March 2027.",
                ],
            ),
            canary.Section(
                heading="People",
                kind="list",
                lines=[
                    "Chen Wei, 24",
                    "Somchai J.",
                    "Nguyen Van An, 31",
                    "Siti Rahma, 19",
                    "Li Na",
                ],
            ),
            canary.Section(
                heading="Rendezvous",
                kind="text",
                lines=["Meet at the petrol station near the bridge at 21:30."],
            ),
        ],
        rendezvous_landmarks=["the petrol station", "the pharmacy"],
    )


@pytest.fixture(scope="module")
def cs() -> canary.CanarySet:
    return canary.make_set(briefing(), recipients=8, secret=SECRET, set_id="set-a")


def test_it_gives_every_recipient_a_different_visible_variant(cs):
    visible = {harness.leak_stripped(cs.text(i), random.Random(0)) for i in range(cs.recipients)}
    assert len(visible) == cs.recipients


def test_it_never_changes_names_times_dates_or_the_site(cs):
    for i in range(cs.recipients):
        doc = cs.visible_document(i)
        text = doc.text()
        assert sorted(doc.sections[1].lines) == sorted(briefing().sections[1].lines)
        for fact in ("22:00", "14 March 2027", "21:30", "Blue gate compound", "floors 3 to 5"):
            assert fact in text
        assert doc.title == "Briefing: Blue gate compound"
        assert [s.heading for s in doc.sections] == ["Site", "People", "Rendezvous"]


def test_it_varies_only_between_equivalent_forms(cs):
    texts = [cs.visible_document(i).text() for i in range(cs.recipients)]
    assert {re.search(r"(next to|beside) the river", t).group(1) for t in texts} == {
        "next to",
        "beside",
    }
    assert {re.search(r"(the petrol station|the pharmacy)", t).group(1) for t in texts} == {
        "the petrol station",
        "the pharmacy",
    }
    assert {re.search(r"(\d+) guards", t).group(1) for t in texts} <= {"37", "35", "40"}


def test_it_depends_on_the_secret_and_the_set(cs):
    same = canary.make_set(briefing(), recipients=8, secret=SECRET, set_id="set-a")
    other_secret = canary.make_set(briefing(), recipients=8, secret=b"x" * 32, set_id="set-a")
    other_set = canary.make_set(briefing(), recipients=8, secret=SECRET, set_id="set-b")
    assert [same.text(i) for i in range(8)] == [cs.text(i) for i in range(8)]
    assert [other_secret.text(i) for i in range(8)] != [cs.text(i) for i in range(8)]
    assert [other_set.text(i) for i in range(8)] != [cs.text(i) for i in range(8)]


def test_it_hides_a_tag_in_every_line(cs):
    doc = cs.document(3)
    lines = [doc.title, *(line for s in doc.sections for line in s.lines)]
    assert all(textmark.extract(line) == [cs.tags[3]] for line in lines)
    assert textmark.strip(doc.sections[1].lines[0]) in briefing().sections[1].lines


def test_it_survives_a_json_round_trip(cs):
    stored = json.loads(json.dumps(cs.to_json()))
    loaded = canary.CanarySet.from_json(stored)
    assert [loaded.text(i) for i in range(8)] == [cs.text(i) for i in range(8)]
    assert loaded.marks(2) == cs.marks(2)


def test_it_describes_the_marks_of_a_variant(cs):
    marks = cs.marks(1)
    assert any(m.startswith("People: order") for m in marks)
    assert any("rendezvous landmark" in m for m in marks)
    assert any("Invisible text mark" in m for m in marks)


@pytest.mark.parametrize("leak", ["sent", "stripped", "retyped"])
def test_it_traces_a_leaked_text_to_its_recipient(cs, leak):
    rng = random.Random(leak)
    for index in range(cs.recipients):
        text = cs.text(index)
        if leak == "stripped":
            text = harness.leak_stripped(text, rng)
        elif leak == "retyped":
            text = harness.leak_retyped(text, rng)
        matches = canary.trace_text(text, [cs])
        assert (matches[0].set_id, matches[0].index) == ("set-a", index)
        assert matches[0].matched


def test_it_finds_nothing_in_an_unrelated_text(cs):
    assert canary.trace_text("The weather in Bangkok is hot and humid today.", [cs]) == []
    assert canary.trace_text("", [cs]) == []


def test_it_traces_the_page_image_to_its_recipient(cs):
    matches = canary.trace_image(cs.page_png(5), [cs])
    assert (matches[0].set_id, matches[0].index) == ("set-a", 5)


@pytest.mark.parametrize(
    "bad",
    [
        {"recipients": 0},
        {"recipients": 1001},
        {"secret": b"short"},
        {"set_id": ""},
    ],
)
def test_it_refuses_bad_arguments(bad):
    args = {"recipients": 3, "secret": SECRET, "set_id": "s"} | bad
    with pytest.raises(ValueError):
        canary.make_set(briefing(), **args)


def test_it_refuses_an_unknown_section_kind():
    with pytest.raises(ValueError):
        canary.Section(heading="x", kind="table", lines=[])


def synthetic_photo(seed: int, size=(1200, 900)) -> bytes:
    """A photo-like picture: lit gradients, soft shapes and sensor noise, saved as JPEG with EXIF."""
    import io

    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    base = 90 + 60 * np.sin(xx / 170) * np.cos(yy / 230) + 40 * yy / h
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), mode="L").convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.integers(0, w), rng.integers(0, h)
        r = int(rng.integers(20, 160))
        colour = tuple(int(c) for c in rng.integers(30, 230, 3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, 3, (h, w, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, exif=exif)
    return out.getvalue()


def test_it_marks_an_attached_photo_for_its_recipient_and_drops_its_metadata(cs):
    import io

    from PIL import Image

    photo = synthetic_photo(1)
    marked = cs.mark_image(photo, 6)
    image = Image.open(io.BytesIO(marked))
    assert image.format == "JPEG" and image.size == (1200, 900)
    assert not image.getexif()
    assert canary.trace_image(photo, [cs]) == []
    matches = canary.trace_image(marked, [cs])
    assert (matches[0].set_id, matches[0].index) == ("set-a", 6)


def test_it_traces_a_marked_photo_that_was_passed_around(cs):
    import io

    from PIL import Image

    marked = Image.open(io.BytesIO(cs.mark_image(synthetic_photo(2), 2)))
    # Forwarded through a chat app: turned a little, shrunk, recompressed.
    forwarded = marked.rotate(2.0, expand=True).resize((1000, 760))
    out = io.BytesIO()
    forwarded.save(out, format="JPEG", quality=75)
    matches = canary.trace_image(out.getvalue(), [cs])
    assert (matches[0].set_id, matches[0].index) == ("set-a", 2)


def test_it_names_no_one_for_an_unmarked_page_or_another_organisations_sets(cs):
    import io

    from lifeline.sharing.canary import imagemark

    blank = io.BytesIO()
    imagemark.render(cs.visible_document(0)).save(blank, format="PNG")
    assert canary.trace_image(blank.getvalue(), [cs]) == []
    other = canary.make_set(briefing(), recipients=8, secret=b"y" * 32, set_id="set-a")
    assert canary.trace_image(cs.page_png(1), [other]) == []


def test_it_refuses_what_is_not_an_image(cs):
    with pytest.raises(ValueError):
        canary.trace_image(b"not an image", [cs])
    with pytest.raises(ValueError):
        cs.mark_image(b"\x89PNG\r\n\x1a\n broken", 0)


def test_it_picks_the_right_set_among_several():
    rng = random.Random(7)
    sets = [
        canary.make_set(harness.random_document(rng), recipients=20, secret=SECRET, set_id=f"s{n}")
        for n in range(6)
    ]
    leaked = harness.leak_retyped(sets[4].text(13), rng)
    matches = canary.trace_text(leaked, sets)
    assert (matches[0].set_id, matches[0].index) == ("s4", 13)
    assert len(canary.trace_text(leaked, sets, limit=3)) == 3


def test_it_refuses_a_stored_form_it_does_not_know(cs):
    with pytest.raises(ValueError):
        canary.CanarySet.from_json({"v": 99})
    stored = cs.to_json()
    del stored["choices"]
    with pytest.raises(ValueError):
        canary.CanarySet.from_json(stored)


def test_its_stored_form_and_marks_name_no_recipient(cs):
    stored = json.dumps(cs.to_json())
    assert "recipient" not in stored.lower()
    assert SECRET.hex() not in stored


def test_it_renders_a_long_briefing_page_by_page_each_page_marked():
    import io

    from PIL import Image

    doc = harness.random_document(random.Random(3), full=True)
    cs = canary.make_set(doc, recipients=5, secret=SECRET, set_id="long")
    pages = cs.page_count(4)
    assert pages >= 2
    whole = Image.open(io.BytesIO(cs.page_png(4)))
    assert whole.size == (1240, 1754 * pages)
    last = cs.page_png(4, page=pages - 1)
    assert Image.open(io.BytesIO(last)).size == (1240, 1754)
    assert (canary.trace_image(last, [cs])[0].index) == 4
    with pytest.raises(IndexError):
        cs.page_png(4, page=pages)


def test_it_keeps_every_fact_that_matters_in_random_briefings():
    """Names, times, dates, ages, days and the site stay; only the forms of the slots change."""
    rng = random.Random(99)
    times = re.compile(r"\b\d{1,2}:\d{2}\b")
    for n in range(25):
        doc = harness.random_document(rng)
        cs = canary.make_set(doc, recipients=20, secret=SECRET, set_id=f"facts-{n}")
        for i in range(cs.recipients):
            variant = cs.visible_document(i)
            assert variant.title == doc.title
            assert [s.heading for s in variant.sections][: len(doc.sections)] == [
                s.heading for s in doc.sections
            ]
            for base, varied in zip(doc.sections, variant.sections, strict=False):
                if base.kind == "list":
                    assert sorted(varied.lines) == sorted(base.lines)
                else:
                    for before, after in zip(base.lines, varied.lines, strict=False):
                        assert times.findall(after) == times.findall(before)
                        if base.heading == "Site":  # the site's identity (not a landmark)
                            assert ("gate" in after) == ("gate" in before)
            assert harness.leak_stripped(cs.text(i), rng) == " ".join(variant.text().split())


def test_it_loads_a_set_stored_without_the_trace_index(cs):
    stored = cs.to_json()
    for key in ("signatures", "longest", "pair_bits"):
        del stored[key]
    loaded = canary.CanarySet.from_json(stored)
    leaked = harness.leak_retyped(cs.text(5), random.Random(1))
    assert canary.trace_text(leaked, [loaded])[0].index == 5
    assert loaded.to_json() == cs.to_json()


def test_it_traces_a_page_that_is_mostly_blank_paper():
    doc = canary.Document("T", [canary.Section("Site", "text", ["About 37 guards."])])
    cs = canary.make_set(doc, recipients=5, secret=SECRET, set_id="short")
    matches = canary.trace_image(cs.page_png(3), [cs])
    assert matches[0].index == 3
    assert matches[0].score > 0.8
