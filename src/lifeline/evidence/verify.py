"""``lifeline evidence verify``: re-hash every stored file and compare with the database."""

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lifeline.core.filecrypt import FileDecryptionError
from lifeline.core.tenancy import scopes_disabled
from lifeline.evidence import storage
from lifeline.evidence.models import Evidence


@dataclass
class Problem:
    evidence_uid: str
    part: str  # "original" or "preview"
    kind: str  # "changed", "missing" or "unreadable"
    reason: str


@dataclass
class Report:
    checked: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)

    @property
    def mb_per_second(self) -> float:
        return self.bytes / (1024 * 1024) / self.seconds if self.seconds else 0.0

    def count(self, kind: str) -> int:
        return sum(1 for problem in self.problems if problem.kind == kind)


def _parts(evidence: Evidence) -> Iterator[tuple[str, str, str]]:
    yield "original", evidence.blob_name, evidence.sha256
    if evidence.preview_blob_name:
        yield "preview", evidence.preview_blob_name, evidence.preview_sha256


def verify_all() -> Report:
    """Decrypt and hash every original and preview that the database knows, across all
    organisations; list those that changed, are missing, or do not decrypt, and the blobs in
    the folder that no row names. Reads only; records nothing."""
    report = Report()
    started = time.monotonic()
    known: set[str] = set()
    with scopes_disabled():
        rows = Evidence.objects.filter(erased_at__isnull=True).order_by("pk").iterator()
        for evidence in rows:
            for part, name, expected in _parts(evidence):
                known.add(name)
                problem = _check(report, storage.blob_path(name), expected)
                if problem is not None:
                    kind, reason = problem
                    report.problems.append(Problem(str(evidence.uid), part, kind, reason))
    report.unreferenced = [p.name for p in storage.all_blob_paths() if p.name not in known]
    report.seconds = time.monotonic() - started
    return report


def _check(report: Report, path: Path, expected: str) -> tuple[str, str] | None:
    report.checked += 1
    digest = hashlib.sha256()
    try:
        for chunk in storage.open_plaintext(path):
            digest.update(chunk)
            report.bytes += len(chunk)
    except FileNotFoundError:
        return "missing", "the file is not in the evidence folder"
    except (FileDecryptionError, OSError) as exc:
        return "unreadable", str(exc)
    if digest.hexdigest() != expected:
        return "changed", "its SHA-256 differs from the one taken at upload"
    return None
