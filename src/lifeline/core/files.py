"""Writing files so that a crash leaves the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    target: Path, write: Callable[[BinaryIO], T], *, temp_prefix: str = ".tmp-"
) -> T:
    """Call ``write`` on a new private file (mode 0600) beside ``target``, flush it to disk,
    then rename it over ``target``. Returns what ``write`` returned."""
    temporary = target.parent / f"{temp_prefix}{secrets.token_hex(8)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    fsync_dir(target.parent)
    return result
