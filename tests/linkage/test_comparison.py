"""The field comparisons and the score, on real-world spellings."""

import datetime

import pytest

from lifeline.linkage.comparison import (
    BirthRange,
    Document,
    Profile,
    birth_range_from_age,
    compare,
    compare_names,
    mrz_check_digit,
    passport_number,
)

D = datetime.date


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("张伟", "Zhang Wei", "exact"),
        ("张伟", "Wei Zhang", "exact"),  # family name last
        ("張偉", "Zhang Wei", "exact"),  # traditional characters
        ("Cheung Wai", "张伟", "exact"),  # Cantonese spelling of both parts
        ("Chang Wei", "张伟", "exact"),  # Wade-Giles surname
        ("สมชาย ใจดี", "Somchai Jaidee", "exact"),  # royin and the passport spelling
        ("Somchai Chaidi", "Somchai Jaidee", "variant"),  # both Latin: by phonetic key
        ("Nguyễn Văn An", "Nguyen Van An", "exact"),  # diacritics folded
        ("Nguyễn Văn An", "Nguyen An", "variant"),  # middle name left out
        ("Jon Smith", "John Smyth", "variant"),  # one part by phonetic key, one misspelt
        ("Jonathan Smith", "Jonathon Smyth", "similar"),  # typos in both parts
        ("Zhang Wei", "Zhang Li", "partial"),  # only the family name
        ("Zhang Wei", "Wang Wei", "partial"),  # only the given name
        ("Budi Santoso", "Lin Mei", "different"),
    ],
)
def test_it_compares_names_across_scripts_and_orders(a, b, level):
    assert compare_names(a, b) == level
    assert compare_names(b, a) == level


def test_it_computes_mrz_check_digits_as_icao_9303():
    # The specimen passport of ICAO Doc 9303: L898902C3, check digit 6.
    assert mrz_check_digit("L898902C3") == 6
    assert mrz_check_digit("740812") == 2
    with pytest.raises(ValueError, match="MRZ"):
        mrz_check_digit("ab-1")


def test_it_strips_a_valid_check_digit_and_keeps_anything_else():
    assert passport_number("L898902C36") == ("L898902C3", True)
    assert passport_number("l898902c3 6") == ("L898902C3", True)
    assert passport_number("L898902C37") == ("L898902C37", False)  # not a check digit
    assert passport_number("EG1234567") == ("EG1234567", False)
    assert passport_number("E1234567<0")[1] is (mrz_check_digit("E1234567<") == 0)


def test_it_turns_an_age_into_a_range_of_birth_dates():
    told = D(2023, 6, 1)
    exact = birth_range_from_age(25, told_on=told, about=0)
    assert exact == BirthRange(D(1997, 6, 2), D(1998, 6, 1))
    about = birth_range_from_age(25, told_on=told)
    assert about.earliest == D(1996, 6, 2) and about.latest == D(1999, 6, 1)
    born = BirthRange(D(1998, 1, 5), D(1998, 1, 5))
    assert born.gap_years(about) == 0
    assert round(BirthRange(D(1990, 1, 1), D(1990, 1, 1)).gap_years(about), 1) == 6.4


ZHANG = Profile(
    names=("张伟",),
    phones=frozenset({"+8613800138000"}),
    birth=BirthRange(D(1998, 3, 4), D(1998, 3, 4)),
    citizenships=frozenset({"CN"}),
    gender="Masculine",
)


def test_it_scores_three_reports_of_one_person_high():
    friend = Profile(names=("Zhang Wei",), phones=frozenset({"+66812345678"}))
    checkin = Profile(
        names=("Wei Zhang",),
        phones=frozenset({"+66812345678"}),
        birth=birth_range_from_age(25, told_on=D(2023, 5, 1)),
    )
    assert compare(ZHANG, checkin).probability > compare(ZHANG, friend).probability > 0.4
    assert compare(friend, checkin).probability > 0.99


def test_it_explains_each_field():
    other = Profile(names=("Zhang Wei",), citizenships=frozenset({"CN"}))
    result = compare(ZHANG, other)
    by_field = {f.field: f for f in result.fields}
    assert by_field["name"].outcome == "agree" and by_field["name"].weight > 8
    assert by_field["citizenship"].outcome == "agree"
    assert by_field["phone"].outcome == "missing" and by_field["phone"].weight == 0
    assert result.match_weight == pytest.approx(result.prior + sum(f.weight for f in result.fields))


@pytest.mark.parametrize(
    "conflict",
    [
        {"documents": (Document("passport", "CN", "E12345678"),)},
        {"birth": BirthRange(D(1975, 1, 1), D(1975, 1, 1))},
        {"gender": "Feminine"},
    ],
)
def test_it_pushes_a_pair_down_on_a_strong_conflict_even_when_names_agree(conflict):
    base = {"names": ("Zhang Wei",), "citizenships": frozenset({"CN"})}
    mine = Profile(**{**base, "documents": (Document("passport", "CN", "E98765432"),)})
    theirs = Profile(**base, **conflict)
    agreeing = compare(Profile(**base), Profile(**base))
    conflicting = compare(ZHANG if "documents" not in conflict else mine, theirs)
    assert conflicting.conflicts
    assert conflicting.probability < 0.1 < 0.5 < agreeing.probability


def test_it_reads_a_passport_typo_as_a_typo_unless_both_numbers_were_checked():
    a = Profile(documents=(Document("passport", "CN", "E12345678"),))
    b = Profile(documents=(Document("passport", "CN", "E12345679"),))
    assert compare(a, b).fields[3].level == "typo"
    checked_a = Profile(documents=(Document("passport", "CN", "E12345678", checked=True),))
    checked_b = Profile(documents=(Document("passport", "CN", "E12345679", checked=True),))
    assert compare(checked_a, checked_b).fields[3].level == "conflict"


def test_it_compares_handles_only_within_one_platform():
    a = Profile(handles=frozenset({"wechat:zw1998"}))
    assert compare(a, Profile(handles=frozenset({"line:zw1998x"}))).fields[2].level == "missing"
    assert compare(a, Profile(handles=frozenset({"wechat:other"}))).fields[2].level == "different"
    assert compare(a, Profile(handles=frozenset({"wechat:zw1998"}))).fields[2].level == "same"


def test_it_weighs_an_exact_agreement_on_a_common_name_less():
    from lifeline.linkage.comparison import name_frequencies

    crowd = [Profile(names=(f"Person{i} Rare{i}",)) for i in range(900)]
    crowd += [Profile(names=("Zhang Wei",))] * 100 + [Profile(names=("张伟",))] * 50
    crowd += [Profile(names=("Francis Bullock",))] * 2  # one person reported twice, perhaps
    frequencies = name_frequencies(crowd)
    assert frequencies["wei zhang"] == pytest.approx(150 / 1052)
    assert "bullock francis" not in frequencies
    a, b = Profile(names=("张伟",)), Profile(names=("Wei Zhang",))
    assert compare(a, b, frequencies=frequencies).probability < compare(a, b).probability
    assert name_frequencies(crowd[:999]) == {}  # too few persons to say
