"""Phone and handle normalisation (pure Python, no database)."""

import phonenumbers
import pytest

from lifeline.people.phones import (
    HANDLE_KINDS,
    InvalidPhone,
    format_phone,
    normalise_handle,
    normalise_phone,
    phone_query_variants,
)

KH = "+85512345678"


def _example(region: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("+855 12 345 678", None),
        ("+85512345678", None),
        ("0085512345678", None),
        ("00 855 12 345 678", None),
        ("+855-12-345-678", None),
        ("+855.12.345.678", None),
        ("(+855) 12 345 678", None),
        ("+855 (0)12 345 678", None),
        ("＋８５５ １２ ３４５ ６７８", None),
        ("012 345 678", "KH"),
        ("012-345-678", "kh"),
        ("12345678", "KH"),
        ("០១២ ៣៤៥ ៦៧៨", "KH"),
        ("+855 12 345 678", "TH"),
    ],
)
def test_it_normalises_phones_in_many_formats_to_e164(raw, region):
    assert normalise_phone(raw, default_region=region) == KH


def test_it_reads_thai_digits():
    assert normalise_phone("๐๘๑ ๒๓๔ ๕๖๗๘", default_region="TH") == "+66812345678"
    assert normalise_phone("+๖๖ ๘๑ ๒๓๔ ๕๖๗๘") == "+66812345678"


def test_it_reads_myanmar_digits():
    e164 = phonenumbers.format_number(_example("MM"), phonenumbers.PhoneNumberFormat.E164)
    myanmar_digits = e164.translate(str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉"))
    assert myanmar_digits != e164
    assert normalise_phone(myanmar_digits) == e164


def test_it_accepts_a_leading_00_in_a_regions_own_dialling_format():
    # Thailand dials abroad with 001: "001 855..." is Cambodia, not a +1 number.
    assert normalise_phone("001 855 12 345 678", default_region="TH") == KH


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", None),
        ("   ", None),
        ("abc", None),
        ("+855 12", None),
        ("+999 1234 5678", None),
        ("012 345 678", None),  # no country code and no default region
        ("+855 12 345 678 ext 9", None),
        ("1" * 41, None),
        ("+855 00 000 000", None),
        ("012 345 678", "TH"),  # valid in Cambodia, not in Thailand
    ],
)
def test_it_rejects_invalid_phones(raw, region):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw, default_region=region)


def test_it_explains_an_invalid_phone_in_plain_english():
    with pytest.raises(InvalidPhone) as excinfo:
        normalise_phone("12")
    assert isinstance(excinfo.value, ValueError)
    assert "country code" in str(excinfo.value)
    assert "+855 12 345 678" in str(excinfo.value)


def test_it_rejects_an_unknown_region():
    with pytest.raises(ValueError, match="region"):
        normalise_phone("012 345 678", default_region="XX")


def test_it_gives_the_one_number_for_a_query_with_a_country_code():
    assert phone_query_variants("+855 12 345 678") == [KH]
    assert phone_query_variants("0085512345678") == [KH]


def test_it_uses_the_default_region_for_a_query_without_country_code():
    assert phone_query_variants("081 234 5678", default_region="TH") == ["+66812345678"]


def test_it_tries_every_region_for_a_query_without_country_code_or_default():
    variants = phone_query_variants("081 234 5678")
    assert "+66812345678" in variants  # Thailand
    assert "+62812345678" not in variants or variants.index("+66812345678") < variants.index(
        "+62812345678"
    )
    assert len(variants) == len(set(variants))
    assert all(v.startswith("+") for v in variants)
    assert KH in phone_query_variants("012 345 678")


def test_it_finds_an_international_number_typed_without_the_plus():
    assert KH in phone_query_variants("855 12 345 678")


@pytest.mark.parametrize("raw", ["", "hello", "12", "+999 1234 5678", "1" * 41])
def test_it_gives_no_query_variants_for_garbage(raw):
    assert phone_query_variants(raw) == []


def test_it_formats_e164_for_display():
    assert format_phone(KH) == "+855 12 345 678"
    assert format_phone("+66812345678") == "+66 81 234 5678"


@pytest.mark.parametrize("bad", ["", "85512345678", "+", "not a phone"])
def test_it_refuses_to_format_something_that_is_not_e164(bad):
    with pytest.raises(InvalidPhone):
        format_phone(bad)


# --- Handles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("phone", "+855 12 345 678", KH),
        ("whatsapp", "00855 12 345 678", KH),
        ("telegram", "@Some_User", "some_user"),
        ("telegram", "  somchai99 ", "somchai99"),
        ("telegram", "https://t.me/Scam_Watch", "scam_watch"),
        ("wechat", "@WXID_Abc123", "wxid_abc123"),
        ("wechat", " zhang-wei.88 ", "zhang-wei.88"),
        ("line", "@Somchai.J", "somchai.j"),
        ("email", "  Somchai.Jaidee@Example.ORG ", "somchai.jaidee@example.org"),
        ("email", "mailto:a@b.co", "a@b.co"),
        ("facebook", "https://www.facebook.com/Somchai.Jaidee/", "somchai.jaidee"),
        ("facebook", "https://m.facebook.com/profile.php?id=1000123", "1000123"),
        ("facebook", "  Somchai   Jaidee ", "somchai jaidee"),
        ("other", "  Viber:  +855 12 ", "viber: +855 12"),
    ],
)
def test_it_normalises_handles(kind, raw, expected):
    assert normalise_handle(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("telegram", "@abc"),  # too short
        ("telegram", "a" * 33),  # too long
        ("telegram", "some user"),
        ("telegram", "ผู้ใช้"),
        ("wechat", "has space"),
        ("wechat", "@"),
        ("line", ""),
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("email", "a..b@example.org"),
        ("email", "a@-example.org"),
        ("phone", "012 345 678"),
        ("whatsapp", "call me"),
        ("other", "   "),
        ("other", "x" * 201),
        ("other", "bad\x00char"),
    ],
)
def test_it_rejects_invalid_handles_with_a_value_error(kind, raw):
    with pytest.raises(ValueError) as excinfo:
        normalise_handle(kind, raw)
    assert str(excinfo.value)


def test_it_rejects_an_unknown_handle_kind():
    with pytest.raises(ValueError, match="Unknown contact kind"):
        normalise_handle("myspace", "someone")


def test_it_accepts_every_declared_handle_kind():
    samples = {"phone": KH, "whatsapp": KH, "email": "a@example.org"}
    for kind in HANDLE_KINDS:
        assert normalise_handle(kind, samples.get(kind, "someone_123"))
