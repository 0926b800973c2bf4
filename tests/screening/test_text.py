import pytest
from django.core.exceptions import ValidationError

from lifeline.screening.text import MAX_OFFER_CHARS, clean_offer, decode


def _code(call, *args):
    with pytest.raises(ValidationError) as exc:
        call(*args)
    assert exc.value.messages[0]
    return exc.value.code


def test_it_refuses_empty_text():
    assert _code(clean_offer, "") == "empty"
    assert _code(clean_offer, " \n\t ") == "empty"
    assert _code(clean_offer, "<p> </p><script>alert(1)</script>") == "empty"


def test_it_refuses_a_megabyte():
    assert _code(clean_offer, "a" * 1_000_000) == "too_long"
    assert _code(decode, b"a" * 1_000_000) == "too_long"
    assert clean_offer("a" * MAX_OFFER_CHARS)


def test_it_refuses_emoji_only():
    assert _code(clean_offer, "💰💰✈️🏝️") == "no_words"


def test_it_refuses_what_is_not_text():
    assert _code(decode, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == "not_text"
    assert _code(decode, "café".encode("latin-1")) == "not_text"
    assert _code(clean_offer, "abc\x00def") == "not_text"


def test_it_keeps_the_words_of_html_and_drops_scripts():
    text = clean_offer('<div onclick="x()">Data &amp; entry<script>alert("x")</script></div>')
    assert text == "Data & entry"


def test_it_accepts_mixed_scripts_and_keeps_joiners():
    text = clean_offer("Job in 西港 ทำงาន ក្រុងព្រះសីហនុ 👨‍💻")
    assert "西港" in text and "ក្រុងព្រះសីហនុ" in text and "\u200d" in text


def test_it_decodes_utf8_with_a_bom():
    assert decode("việc làm".encode("utf-8-sig")) == "việc làm"
