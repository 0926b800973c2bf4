import pytest

from lifeline.screening import signs
from tests.screening.lures import EXAMPLES, PLAIN

CASES = [(code, lang) for code, by_lang in EXAMPLES.items() for lang in by_lang]


def test_it_has_an_example_for_every_sign_in_every_language():
    assert set(EXAMPLES) == set(signs.SIGNS_BY_CODE)
    for code, by_lang in EXAMPLES.items():
        assert set(by_lang) == set(signs.LANGUAGES), code
        assert set(signs.SIGNS_BY_CODE[code].rules) == set(signs.LANGUAGES), code


@pytest.mark.parametrize(("code", "lang"), CASES)
def test_it_finds_each_sign_in_each_language(code, lang):
    hits = {hit.code: hit for hit in signs.detect(EXAMPLES[code][lang])}
    assert code in hits, (code, lang)
    assert lang in hits[code].languages
    assert hits[code].phrases


@pytest.mark.parametrize("lang", sorted(PLAIN))
def test_it_finds_nothing_in_an_ordinary_text(lang):
    assert signs.detect(PLAIN[lang]) == []


def test_it_needs_both_parts_of_a_two_part_sign():
    assert "high_pay_no_experience" not in {h.code for h in signs.detect("Earn $3,000 a month.")}
    assert "high_pay_no_experience" not in {h.code for h in signs.detect("No experience needed.")}


def test_it_reads_vietnamese_with_or_without_accents():
    for text in ("không cần kinh nghiệm, lương 30 triệu", "khong can kinh nghiem, luong 30 trieu"):
        assert "high_pay_no_experience" in {h.code for h in signs.detect(text)}


def test_it_reads_thai_digits():
    assert "high_pay_no_experience" in {
        h.code for h in signs.detect("เงินเดือน ๕๐,๐๐๐ บาท ไม่ต้องมีประสบการณ์")
    }


def test_it_does_not_take_an_email_address_for_a_handle():
    assert signs.detect("Write to jobs@example.org") == []


def test_it_explains_each_sign_in_the_readers_language():
    from django.utils import translation

    for sign in signs.SIGNS:
        with translation.override("en"):
            assert len(str(sign.why)) > 40
            assert str(sign.title)


def test_it_scores_more_signs_higher():
    one = signs.signs_score(signs.detect(EXAMPLES["scam_role"]["en"]))
    many = signs.signs_score(signs.detect(" ".join(EXAMPLES[c]["en"] for c in EXAMPLES)))
    assert 0 < one < many <= 1
