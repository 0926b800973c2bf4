"""Round trip: a realistic network spreadsheet in, and out again through Lifeline's own reads
and exports: every field where it belongs, searchable as typed, and never in the export for
investigators (victims are not in it)."""

import datetime

import pytest

from lifeline.cases.models import Case, TimelineEvent
from lifeline.people.models import ContactHandle, Identifier
from lifeline.people.selectors import person_search
from lifeline.reports import ftm
from lifeline.reports.importing import services, tasks
from tests.api import api_client
from tests.factories import make_site
from tests.reports.sheets import COLUMNS, ROWS, xlsx_bytes

pytestmark = pytest.mark.usefixtures("evidence_dir")


def test_a_network_sheet_goes_in_and_comes_out_as_it_was(coordinator_a):
    make_site(coordinator_a, name="KK Park")
    batch = services.import_upload(actor=coordinator_a, data=xlsx_bytes(), filename="network.xlsx")
    services.import_check(actor=coordinator_a, batch=batch, columns=COLUMNS)
    services.import_start(actor=coordinator_a, batch=batch)
    tasks.run_import.enqueue(batch.pk)

    zhang = person_search(actor=coordinator_a, name="Zhang Wei").get()  # across scripts
    assert [str(n.value) for n in zhang.names.all()] == ["张伟", "Zhang Wei"]
    assert person_search(actor=coordinator_a, phone="012 345 678").get() == zhang  # KH local form
    contacts = {(c.kind, str(c.value)) for c in ContactHandle.objects.filter(person=zhang)}
    assert contacts == {("phone", "+85512345678"), ("wechat", "zhangwei_88")}
    assert str(Identifier.objects.get(person=zhang).value) == "EG1234567"
    assert (str(zhang.age), zhang.age_band) == ("24", "24--26")
    case = Case.objects.get(person=zhang)
    assert case.status == "rescued" and str(case.last_known_location) == "KK园区, Myawaddy"
    assert str(case.summary) == "Beaten, passport taken"
    assert case.created_at.date() == datetime.date(2025, 11, 2)
    opened = TimelineEvent.objects.get(case=case, kind="created")
    assert opened.data == {"import": str(batch.uid), "status": "rescued"}

    somchai = person_search(actor=coordinator_a, name="Somchai").get()
    assert Case.objects.get(person=somchai).created_at.date() == datetime.date(2025, 12, 3)
    api = api_client(coordinator_a).get(f"/api/v1/cases/{case.uid}").json()
    assert api["status"] == "rescued"

    export = ftm.ftm_export(actor=coordinator_a).body
    assert "KK Park" in export
    for row in ROWS:
        assert row[0] not in export and row[2] not in export
