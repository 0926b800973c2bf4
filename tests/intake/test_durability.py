"""Never lose an acknowledged request: SIGKILL `lifeline serve` (master and workers) in the
middle of a burst of SOS form posts and signed bot messages, start it again on the same
database, and find every submission that was acknowledged before the kill.

The burst, the kill and the count are bench/intake_load.py's `--kill` mode, run here against a
fresh SQLite data folder (and PostgreSQL when DATABASE_URL names one)."""

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "intake_load.py"


def test_it_stores_every_acknowledged_submission_across_a_sigkill():
    env = {**os.environ}
    url = env.get("DATABASE_URL", "")
    if url and not url.startswith("postgres"):
        env.pop("DATABASE_URL")
    result = subprocess.run(  # noqa: S603 - our own benchmark script
        [sys.executable, str(BENCH), "--kill", "--sos", "160", "--bot", "80", "--threads", "6"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "lost 0 " in output, output
