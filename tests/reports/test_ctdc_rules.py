"""The CTDC release rules on random data (hypothesis): no released combination under k, every
aggregate cell a multiple of k and at least k, nothing lost or invented."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline.reports import ctdc, ctdc_rules
from lifeline.reports.ctdc_rules import COLUMNS, WITHHELD

# Small value lists so that random data has both big and small groups.
VALUES = {
    "yearOfRegistration": ["2024", "2025", "2026"],
    "ageBroad": ["9--17", "18--20", "21--23", "30--38", ""],
    "prs_Gender": ["Feminine", "Masculine", "NonConforming", ""],
    "prs_Nationality": ["VN", "CN", "TH", "ID", "KE", ""],
    "CountryOfExploitation": ["KH", "MM", "LA", ""],
    "vic_TraffickingStatus": ["PossibleVictimOfTrafficking", "ActualVictimOfTrafficking"],
    "isForcedLabour": ["0", "1"],
    "isSexualExploit": ["0", "1"],
    "isOtherExploit": ["0", "1"],
    "isForcedCriminality": ["0", "1"],
    "vic_LabourIndustry": ["", "J_InformationAndCommunication"],
    "vic_RelationshipToTrafficker": ["Familial", "Acquainted", "Unaquainted", ""],
    "cas_Status": ["Active", "FollowUp", "Closed"],
}

combination = st.tuples(*(st.sampled_from(VALUES[name]) for name in COLUMNS))
counted = st.dictionaries(combination, st.integers(min_value=1, max_value=40), max_size=60)
ks = st.integers(min_value=2, max_value=25)


@settings(max_examples=300, deadline=None)
@given(counted, ks)
def test_it_never_releases_a_combination_under_k(counts, k):
    release = ctdc_rules.release_victims(Counter(counts), k)
    assert all(n >= k for n in release.released.values())
    rows = list(ctdc_rules.victim_rows(release))
    assert ctdc_rules.is_k_anonymous(rows, k)
    # Every subset of columns is k-anonymous too (here: each single column and each pair).
    for i in range(len(COLUMNS)):
        assert ctdc_rules.is_k_anonymous([(row[i],) for row in rows], k)
        for j in range(i + 1, len(COLUMNS)):
            assert ctdc_rules.is_k_anonymous([(row[i], row[j]) for row in rows], k)
    # Nothing lost or invented: released plus left out is everyone.
    assert release.records + release.suppressed == sum(counts.values())
    assert len(rows) == release.records


@settings(max_examples=200, deadline=None)
@given(counted, ks)
def test_it_only_withholds_values_never_changes_them(counts, k):
    release = ctdc_rules.release_victims(Counter(counts), k)
    for combo in release.released:
        for name, value in zip(COLUMNS, combo, strict=True):
            assert value == WITHHELD or value in VALUES[name]
    # Each released combination generalises at least one original combination.
    originals = list(counts)
    for combo in release.released:
        assert any(
            all(v in (WITHHELD, o) for v, o in zip(combo, original, strict=True))
            for original in originals
        )


@settings(max_examples=200, deadline=None)
@given(counted, ks)
def test_it_rounds_every_table_cell_down_to_a_multiple_of_k(counts, k):
    combos = Counter(counts)
    tables = ctdc.build_tables(
        combos,
        ctdc_rules.tally(combos, lambda c: [(c[0], c[5])]),
        ctdc_rules.tally(combos, lambda c: [(c[0], ctdc.victim_group(c[2], c[1]), "ForcedLabour")]),
        k,
    )
    for table in tables:
        for cell, count in table.cells.items():
            assert count >= k and count % k == 0
            assert cell not in table.suppressed
        # A suppressed cell is one whose true count is under k.
        assert all(cell not in table.cells for cell in table.suppressed)


@given(counted)
def test_it_releases_big_groups_unchanged(counts):
    big = {combo: n + 11 for combo, n in counts.items()}
    release = ctdc_rules.release_victims(Counter(big), 11)
    assert release.released == Counter(big) and release.suppressed == 0


def test_it_withholds_columns_in_order_and_leaves_out_what_stays_small():
    base = ("2025", "18--20", "Feminine", "VN", "KH", "ActualVictimOfTrafficking", "1", "0", "0", "1", "J_InformationAndCommunication", "Familial", "Active")  # fmt: skip
    other_relation = (*base[:11], "Acquainted", "Active")
    lonely = ("2024", "30--38", "Masculine", "KE", "MM", "PossibleVictimOfTrafficking", "0", "1", "1", "0", "", "Unaquainted", "Closed")  # fmt: skip
    release = ctdc_rules.release_victims(Counter({base: 6, other_relation: 5, lonely: 1}), 11)
    merged = (*base[:11], WITHHELD, "Active")
    assert release.released == Counter({merged: 11})
    assert release.steps[0].withheld == ("vic_RelationshipToTrafficker",)
    assert release.steps[0].records == 11
    assert release.suppressed == 1


def test_it_refuses_a_k_below_two_and_a_short_combination():
    with pytest.raises(ValueError):
        ctdc_rules.release_victims(Counter(), 1)
    with pytest.raises(ValueError):
        ctdc_rules.release_victims(Counter({("2025",): 20}), 11)
    with pytest.raises(ValueError):
        ctdc_rules.round_table("t", ("a",), Counter(), 1)


def test_it_groups_victims_as_unodc_does():
    assert ctdc.victim_group("Feminine", "9--17") == "girls"
    assert ctdc.victim_group("Feminine", "18--20") == "women"
    assert ctdc.victim_group("Masculine", "0--8") == "boys"
    assert ctdc.victim_group("Masculine", "48+") == "men"
    assert ctdc.victim_group("NonSpecifiedUnknown", "48+") == "unknown"
    assert ctdc.victim_group("Masculine", "") == "unknown"
