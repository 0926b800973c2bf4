from lifeline.screening.campaigns import cluster, shingles
from tests.screening.lures import EXAMPLES, LURE_EN

# Written for the tests: one template with its salary, city and handle changed.
VARIANTS = [
    LURE_EN,
    LURE_EN.replace("$2,500", "$3,200"),
    LURE_EN.replace("Sihanoukville", "Bavet").replace("$2,500", "$2,800"),
    LURE_EN.replace("@easyjob_hr", "@easyjob_hr2"),
]
THAI = "รับสมัครพนักงานพิมพ์ ทำงานที่ปอยเปต เงินเดือน 45,000 บาท ไม่ต้องมีประสบการณ์ บินฟรี"


def test_it_groups_a_template_with_changed_salary_city_or_handle():
    items = [(f"v{i}", text) for i, text in enumerate(VARIANTS)]
    items += [("plain", "The library opens at nine. Children's books are on the second floor.")]
    groups = cluster(items)
    assert sorted(groups[0]) == ["v0", "v1", "v2", "v3"]
    assert ["plain"] in groups


def test_it_groups_text_written_without_spaces():
    items = [
        ("a", THAI),
        ("b", THAI.replace("45,000", "60,000")),
        ("c", EXAMPLES["scam_role"]["zh"]),
    ]
    assert sorted(cluster(items)[0]) == ["a", "b"]


def test_it_masks_digits():
    assert shingles("Earn $2,500 a month in Bavet now") == shingles(
        "Earn $9,999 a month in Bavet now"
    )


def test_it_keeps_every_key_once():
    items = [(i, f"offer number {i} " * 3) for i in range(5)] + [(1, "again")]
    assert sorted(k for group in cluster(items) for k in group) == [0, 1, 2, 3, 4]
