"""Check the locked dependencies (requirements.lock) against known vulnerabilities.

Runs pip-audit on the exact pins, without resolving anything (``--no-deps --disable-pip``), so
it audits what ``make`` installs. It needs the network (the vulnerability service), which is
why CI runs it from ``.ci/run`` and ``make test`` does not.

- A known vulnerability in a pinned version fails (exit 1), naming the package, the advisory
  and the fixed versions.
- A package the service could not answer for, or pip-audit failing to run at all, is reported
  loudly; it does not fail the run unless ``LIFELINE_AUDIT_STRICT=1``, because a registry
  mirror without the per-version JSON (or no network) would otherwise block every change. The
  closing line always says how many pins were actually checked.
"""

import json
import os
import pathlib
import subprocess  # nosec B404 - runs pip-audit from this virtualenv, no shell
import sys
import tempfile


def main() -> int:
    pip_audit = pathlib.Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp) / "audit.json"
        command = [
            str(pip_audit),
            "--requirement",
            "requirements.lock",
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
        if not report.exists():
            print(run.stdout, run.stderr, sep="\n")
            print("WARNING: pip-audit could not run: the locked dependencies were NOT audited")
            return 1 if os.environ.get("LIFELINE_AUDIT_STRICT") == "1" else 0
        dependencies = json.loads(report.read_text())["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    if skipped:
        print(
            f"WARNING: {len(skipped)} of {len(dependencies)} locked dependencies could not be "
            f"audited (e.g. {skipped[0]['name']}: {skipped[0]['skip_reason']})"
        )
    checked = len(dependencies) - len(skipped)
    print(f"pip-audit: {checked} pins checked, {len(vulnerable)} with known vulnerabilities")
    if vulnerable:
        return 1
    if skipped and os.environ.get("LIFELINE_AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
