import io

import pytest
from django.core.management import CommandError, call_command

from lifeline.sharing import briefings
from tests.sharing.test_briefings import _past_window


def test_it_traces_a_leaked_text_file_from_the_command_line(
    tmp_path, coordinator_a, operation, partners
):
    briefing = briefings.briefing_create(
        actor=coordinator_a, level="site", partners=partners, operation=_past_window(operation)
    )
    leaked = tmp_path / "leak.txt"
    leaked.write_text(briefings.canary_set(briefing).text(2), encoding="utf-8")
    out = io.StringIO()
    call_command("sharing", "trace", str(leaked), "--as", "coord_a", stdout=out)
    assert out.getvalue().startswith(f"1. {partners[2].name} ")


def test_it_traces_a_page_image(tmp_path, coordinator_a, operation, partners):
    briefing = briefings.briefing_create(
        actor=coordinator_a, level="site", partners=partners, operation=_past_window(operation)
    )
    image = tmp_path / "photo.png"
    image.write_bytes(briefings.canary_set(briefing).page_png(1))
    out = io.StringIO()
    call_command("sharing", "trace", str(image), "--as", "coord_a", stdout=out)
    assert out.getvalue().startswith(f"1. {partners[1].name} ")


def test_it_refuses_a_member_who_may_not_trace(tmp_path, caseworker_a):
    leaked = tmp_path / "leak.txt"
    leaked.write_text("anything")
    with pytest.raises(CommandError, match="may not trace"):
        call_command("sharing", "trace", str(leaked), "--as", "worker_a")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("sharing", "trace", str(tmp_path / "missing"), "--as", "worker_a")
