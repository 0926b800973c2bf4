"""The issue's accuracy requirements, measured over honest random trials (harness.py): for 20
recipients, a leaked variant is traced to the right recipient, alone in first place, in at least
95% of trials as sent, stripped of whitespace and invisible characters, and retyped with a third
of its lines missing, and in at least 90% of trials as a photo of the printed page.

Every trial draws a new briefing, a new set and a new recipient, and traces against that set
plus decoy sets of other briefings. The accuracy is printed (pytest -s) and asserted; it is not
a timing test."""

import pytest

from tests.sharing.canary import harness

TEXT_TRIALS = 120
PHOTO_TRIALS = 30
DECOYS = 5


@pytest.mark.parametrize("kind", ["sent", "stripped", "retyped"])
def test_it_traces_leaked_texts_to_the_right_recipient(kind):
    result = harness.run(kind, TEXT_TRIALS, recipients=20, seed=11, decoys=DECOYS)
    print(result)
    assert result.trials == TEXT_TRIALS
    assert result.accuracy >= 0.95, (str(result), result.failures[:5])


def test_it_traces_photos_of_the_printed_page_to_the_right_recipient():
    result = harness.run("photo", PHOTO_TRIALS, recipients=20, seed=11, decoys=DECOYS)
    print(result)
    assert result.trials == PHOTO_TRIALS
    assert result.accuracy >= 0.90, (str(result), result.failures[:5])
