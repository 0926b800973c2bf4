import hashlib

import pytest
from django.core.management import CommandError, call_command
from sklearn.preprocessing import StandardScaler
from skops.io import dumps

from lifeline.screening import model, scoring, signs
from tests.screening.fixtures import FRAUD
from tests.screening.lures import LURE_EN


def test_it_saves_the_training_data_hash_with_the_model(tiny_model, training_file):
    source = tiny_model.meta["training_data"]
    assert source["sha256"] == hashlib.sha256(training_file.read_bytes()).hexdigest()
    assert source["rows"] > source["fraudulent"] > 0
    assert tiny_model.meta["format"] == model.FORMAT


def test_it_explains_a_score_with_terms_of_the_text(tiny_model):
    probability, features = tiny_model.score(LURE_EN)
    assert 0 <= probability <= 1
    assert features
    assert all(f.term in LURE_EN.lower() for f in features)
    assert features == sorted(features, key=lambda f: -abs(f.weight))


def test_it_refuses_a_file_with_types_it_does_not_trust(tmp_path):
    path = tmp_path / "evil.skops"
    path.write_bytes(dumps({"pipeline": StandardScaler(), "meta": "{}"}))
    with pytest.raises(model.ModelUnavailable, match="untrusted"):
        model.load(path)


def test_it_refuses_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "junk.skops"
    path.write_bytes(b"not a zip file")
    with pytest.raises(model.ModelUnavailable):
        model.load(path)
    with pytest.raises(model.ModelUnavailable):
        model.load(tmp_path / "missing.skops")


def test_it_trains_from_the_command(training_file, tmp_path, capsys):
    out = tmp_path / "m.skops"
    call_command(
        "screening", "train", "--data", str(training_file), "--out", str(out), "--no-evaluate"
    )
    assert out.is_file()
    assert "sha256" in capsys.readouterr().out
    call_command("screening", "train", "--out", str(out), "--if-missing")
    assert "already" in capsys.readouterr().out


def test_it_says_when_the_training_data_is_missing_or_wrong(tmp_path):
    with pytest.raises(CommandError, match="no training data"):
        call_command("screening", "train", "--data", str(tmp_path / "none.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\n')
    with pytest.raises(CommandError, match="bad.jsonl:1"):
        call_command("screening", "train", "--data", str(bad), "--out", str(tmp_path / "m"))


def test_it_screens_with_the_signs_alone_without_a_model(no_model):
    result = scoring.screen(LURE_EN, model=model.load_or_none())
    assert result.model_score is None and result.features == []
    assert result.level == "high"


def test_it_raises_an_alarming_sign_to_at_least_medium():
    hits = signs.detect("Office in Myawaddy.")
    assert scoring.level_for(0.1, hits) == "medium"
    assert scoring.level_for(0.1, signs.detect("Typing job.")) == "low"


def test_it_combines_the_model_and_the_signs(tiny_model):
    result = scoring.screen(LURE_EN, model=tiny_model)
    assert result.score >= max(result.signs_score, result.model_score)
    assert scoring.screen("The library opens at nine.", model=tiny_model).level == "low"


def test_it_scores_one_offer_as_the_batch_pipeline_does(tiny_model):
    # score() vectorises one offer by hand for speed; it must agree with scikit-learn's path.
    texts = [LURE_EN, "The library opens at nine.", "Nurse wanted, licence required. " * 5]
    batch = tiny_model.probabilities(texts)
    for text, expected in zip(texts, batch, strict=True):
        assert tiny_model.score(text, top=0)[0] == pytest.approx(expected, abs=1e-9)


def test_it_stores_its_flag_threshold_and_keeps_only_trusted_types(tiny_model_path, tiny_model):
    assert 0 < tiny_model.threshold < 1
    assert tiny_model.meta["threshold"] == pytest.approx(tiny_model.threshold, abs=1e-4)
    assert model.types_in(tiny_model_path.read_bytes()) <= model.TRUSTED_TYPES


def test_a_near_copy_of_a_known_fraud_scores_above_a_genuine_offer(tiny_model):
    copy = FRAUD[0].replace("Cambodia", "Laos") + " Apply today."
    genuine = "Chef de partie in a hotel restaurant, three years in a professional kitchen."
    assert tiny_model.score(copy, top=0)[0] > tiny_model.score(genuine, top=0)[0]


def test_the_models_own_threshold_flags_an_offer():
    assert scoring.level_for(0.1, [], model_flagged=True) == "medium"
    assert scoring.level_for(0.1, [], model_flagged=False) == "low"


def test_it_trains_again_over_a_model_file_it_cannot_load(training_file, tmp_path, capsys):
    out = tmp_path / "old.skops"
    out.write_bytes(b"a model of an earlier format")
    call_command(
        "screening", "train", "--data", str(training_file), "--out", str(out),
        "--if-missing", "--no-evaluate",
    )  # fmt: skip
    assert "Training again" in capsys.readouterr().out
    assert model.load(out).meta["format"] == model.FORMAT
