import os
import subprocess
import sys


def test_it_refuses_to_start_in_production_without_keys_and_says_why(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIFELINE_", "DJANGO_"))}
    env.update(
        LIFELINE_MODE="production", LIFELINE_DATA_DIR=str(tmp_path), LIFELINE_SECRET_KEY="s" * 50
    )
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "lifeline.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "cannot start" in result.stderr and "LIFELINE_KEYS" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "keys.json").exists()


def test_serve_keeps_no_access_log_unless_asked(monkeypatch):
    from lifeline.cli import serve_arguments

    monkeypatch.delenv("LIFELINE_ACCESS_LOG", raising=False)
    assert serve_arguments([]).access_log is False
    assert serve_arguments(["--access-log"]).access_log is True
    monkeypatch.setenv("LIFELINE_ACCESS_LOG", "on")
    assert serve_arguments([]).access_log is True
    assert serve_arguments(["--no-access-log"]).access_log is False
