"""Screening fixtures: a tiny model trained in a second from examples written for the tests."""

import json

import pytest

from lifeline.screening import model
from tests.screening.lures import EXAMPLES, PLAIN

# Written for the tests (see lures.py): enough for a model that trains in a second, not one
# that measures anything.
GENUINE = [
    "Senior accountant for our Bangkok office, five years of experience and a CPA required.",
    "Nurse for the district hospital; a licence and two years on a ward are required.",
    "Primary school teacher, degree in education, apply with your CV to the school office.",
    "Software engineer in Jakarta, Python and PostgreSQL, three years of experience.",
    "Electrician for building sites in Hanoi, certificate required, social insurance paid.",
    "Warehouse supervisor, forklift licence, shifts agreed with the union.",
    "Civil engineer for road projects, registered with the engineering council.",
    "Pharmacist for a chain of pharmacies, licence required, visit our stores to apply.",
    "Bus driver for the city transport company, licence category D and medical check.",
    "Chef de partie in a hotel restaurant, three years in a professional kitchen.",
    *PLAIN.values(),
]
FRAUD = [text for by_lang in EXAMPLES.values() for text in by_lang.values()][:20]


@pytest.fixture(scope="session")
def training_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("screening") / "training.jsonl"
    rows = [{"text": t, "label": 0} for t in GENUINE] + [{"text": t, "label": 1} for t in FRAUD]
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    return path


@pytest.fixture(scope="session")
def tiny_model_path(training_file):
    out = training_file.parent / "tiny.skops"
    model.train(data=training_file, out=out, evaluate=False)
    return out


@pytest.fixture
def tiny_model(tiny_model_path, settings):
    settings.LIFELINE_SCREENING_MODEL = tiny_model_path
    return model.load()


@pytest.fixture
def no_model(tmp_path, settings):
    settings.LIFELINE_SCREENING_MODEL = tmp_path / "missing.skops"
