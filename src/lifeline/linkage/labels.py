"""What the comparison's codes mean, in the user's language."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "name": _("Names (any script, either order)"),
    "phone": _("Phones"),
    "handle": _("Messaging handles"),
    "passport": _("Passport and ID numbers"),
    "birth": _("Date of birth or age"),
    "citizenship": _("Citizenship"),
    "gender": _("Sex"),
}

LEVEL_LABELS = {
    ("name", "exact"): _("the same name"),
    ("name", "variant"): _("the same name in another spelling or order"),
    ("name", "similar"): _("similar names"),
    ("name", "partial"): _("one name part in common"),
    ("name", "different"): _("different names"),
    ("phone", "same"): _("a phone in common"),
    ("phone", "different"): _("no phone in common"),
    ("handle", "same"): _("a handle in common"),
    ("handle", "different"): _("different handles on one platform"),
    ("passport", "same"): _("the same passport or ID number"),
    ("passport", "typo"): _("document numbers one character apart"),
    ("passport", "conflict"): _("different documents of one kind and country"),
    ("passport", "other_country"): _("documents of different countries"),
    ("birth", "same_date"): _("the same date of birth"),
    ("birth", "overlap"): _("birth dates or ages that fit together"),
    ("birth", "near"): _("close birth dates (a typo?) or ages up to 3 years apart"),
    ("birth", "far"): _("birth dates that do not fit together"),
    ("citizenship", "same"): _("a citizenship in common"),
    ("citizenship", "different"): _("different citizenships"),
    ("gender", "same"): _("the same sex"),
    ("gender", "different"): _("different sexes"),
}

OUTCOME_LABELS = {
    "agree": _("agree"),
    "partial": _("partly agree"),
    "disagree": _("disagree"),
    "conflict": _("conflict"),
    "missing": _("missing on one side"),
}


def level_label(field: str, level: str) -> str:
    if level == "missing":
        return str(_("not recorded on both"))
    return str(LEVEL_LABELS[(field, level)])
