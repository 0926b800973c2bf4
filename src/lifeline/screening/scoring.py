"""One screening: the warning signs and the model's score, combined into one risk level.

The two halves are combined as independent pieces of evidence: ``1 - (1 - signs)(1 - model)``.
The model was trained on English postings only, so for an offer in another language it adds
little and the signs carry the score; without a model file the signs alone decide (and the
result says so). A sign that is dangerous by itself (a compound destination, a passport to hand
over) makes the level at least "medium" whatever the scores.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lifeline.screening import model as learned
from lifeline.screening import signs as warning_signs
from lifeline.screening.signs import Hit
from lifeline.screening.text import clean_offer

# An offer at or above this combined score is flagged ("medium" or "high"); fixed in advance,
# never tuned on the figures it is measured by. The model also flags from its own threshold,
# chosen on its training data only.
FLAG_THRESHOLD = 0.3
HIGH_THRESHOLD = 0.6
ALARMING_SIGNS = frozenset({"compound_destination", "passport_handover"})

LEVELS: dict[str, Promise] = {
    "low": _("Few warning signs"),
    "medium": _("Some warning signs: check before you go"),
    "high": _("Many warning signs: this looks like a trap"),
}

ADVICE = _(
    "Check the company's registered name, address and phone number through someone you trust, "
    "never only through the recruiter. Keep your passport. Tell your family where you are going. "
    "If you or someone you know is already there, ask for help."
)


@dataclass(frozen=True)
class Screening:
    level: str
    score: float
    signs_score: float
    model_score: float | None
    hits: list[Hit]
    features: list[learned.Feature] = field(default_factory=list)

    @property
    def level_label(self) -> Promise:
        return LEVELS[self.level]

    @property
    def flagged(self) -> bool:
        return self.level != "low"


def combine(signs_score: float, model_score: float | None) -> float:
    return 1 - (1 - signs_score) * (1 - (model_score or 0.0))


def level_for(score: float, hits: list[Hit], *, model_flagged: bool = False) -> str:
    """``model_flagged``: the model's probability alone reached the threshold it chose in
    training (lifeline.screening.model), which may be below ``FLAG_THRESHOLD``."""
    if score >= HIGH_THRESHOLD:
        return "high"
    if score >= FLAG_THRESHOLD or model_flagged or any(hit.code in ALARMING_SIGNS for hit in hits):
        return "medium"
    return "low"


def screen(
    text: str, *, model: learned.LoadedModel | None = None, explain: bool = True
) -> Screening:
    """Screen one offer, already cleaned by ``text.clean_offer``. Stores nothing."""
    hits = warning_signs.detect(text)
    signs_score = warning_signs.signs_score(hits)
    model_score, features = model.score(text, top=6 if explain else 0) if model else (None, [])
    score = combine(signs_score, model_score)
    return Screening(
        level=level_for(
            score,
            hits,
            model_flagged=model is not None
            and model_score is not None
            and model_score >= model.threshold,
        ),
        score=round(score, 4),
        signs_score=round(signs_score, 4),
        model_score=None if model_score is None else round(model_score, 4),
        hits=hits,
        features=features,
    )


def screen_offer(raw: str) -> Screening:
    """Check, clean and screen the text a person pasted, with the installed model if there is
    one. Raises ``ValidationError`` (with a message for that person) for input that is not an
    offer. Stores nothing and logs nothing of the text."""
    return screen(clean_offer(raw), model=learned.load_or_none())
