"""A coordinator imports the network's spreadsheet in Chromium: upload, the mapping screen
(columns in another language, one column mapped by hand), the dry run listing every row's
problems with nothing written, the confirmation, the import, and its rollback."""

import pytest
from playwright.sync_api import expect

from lifeline.cases.models import Case
from lifeline.people.models import Person
from tests.browser import log_in
from tests.reports.sheets import HEADERS, ROWS, xlsx_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("evidence_dir"),
]


def test_it_imports_a_spreadsheet_after_a_mapping_and_a_dry_run(page, coordinator_a):
    headers = [*HEADERS[:-1], "Ghi chú riêng"]  # a title no word list knows: mapped by hand
    rows = [*ROWS, ["", "", "12", "", "", "", "", "on holiday", "", ""]]
    log_in(page, coordinator_a)
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import a spreadsheet")).to_be_visible()
    page.get_by_label("Spreadsheet").set_input_files(
        files=[
            {
                "name": "cases.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": xlsx_bytes(headers, rows),
            }
        ]  # fmt: skip
    )
    page.get_by_role("button", name="Upload and map the columns").click()

    expect(page.get_by_role("heading", name="Which column holds what")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value("name")  # proposed from the title
    expect(page.get_by_label("电话")).to_have_value("phone")
    expect(page.locator("table.mapping")).to_contain_text("张伟")  # the preview
    page.get_by_label("Ghi chú riêng").select_option("summary")
    page.get_by_role("button", name="Save the mapping and check every row (dry run)").click()

    dry_run = page.locator("#dry-run")
    expect(dry_run).to_contain_text("4 rows checked: 3 can be imported, 1 refused")
    problems = page.locator("table.problems")
    expect(problems).to_contain_text("Not a value Lifeline knows here")
    expect(problems).to_contain_text("No name")
    assert not Person.objects.exists()
    page.get_by_label("Import only the valid rows; leave out the refused ones").check()
    page.get_by_role("button", name="Import 3 rows").click()

    expect(page.get_by_role("status").first).to_contain_text("The import has started.")
    expect(page.locator("#result")).to_contain_text("3 rows were imported")
    assert Case.objects.count() == 3
    page.get_by_role("button", name="Roll back the whole import").click()
    expect(page.get_by_role("status").first).to_contain_text("The import was rolled back")
    assert not Case.objects.exists() and not Person.objects.exists()
