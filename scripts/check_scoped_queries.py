"""Lint: personal data is read through selectors (STYLE.md rule 9).

Outside selectors, migrations, tests and benchmarks, `Case.objects.get`, `Person.objects.get`
and `.objects.all()` on tenant models are refused: such reads skip the role checks. A service
may re-read the row it was handed (`.get(pk=case.pk)`), which a selector already authorised.
"""

import pathlib
import re
import sys

TENANT_MODELS = (
    "Person",
    "PersonName",
    "ContactHandle",
    "Identifier",
    "Case",
    "Request",
    "TimelineEvent",
    "CaseAssignment",
    "Evidence",
    "CustodyEvent",
    "CandidatePair",
    "MergeRecord",
    "CrossMatch",
)
PATTERN = re.compile(rf"\b({'|'.join(TENANT_MODELS)})\.objects\.(get\(|all\(\))")
ALLOWED = ("selectors.py", "/migrations/")
REREAD = re.compile(r"\.get\(pk=\w+\.pk\)")

problems = []
for path in sorted(pathlib.Path("src").rglob("*.py")):
    if any(part in str(path) for part in ALLOWED):
        continue
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if PATTERN.search(line) and not REREAD.search(line):
            problems.append(f"{path}:{number}: read tenant data through a selector: {line.strip()}")
print("\n".join(problems) or "scoped queries: ok")
sys.exit(1 if problems else 0)
