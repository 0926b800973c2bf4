"""The data folder and the Django secret key.

Embedded mode writes generated secrets with mode 0600 so that other local users cannot read
them; production mode never generates a secret, it requires one.
"""

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from lifeline.core.env import env_required, env_str


def ensure_data_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private_file(path: Path, content: str) -> None:
    """Create ``path`` with mode 0600 atomically; never overwrite an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def load_secret_key(*, data_dir: Path, production: bool) -> str:
    value: str | None
    if production:
        value = env_required("LIFELINE_SECRET_KEY", why="production mode never generates secrets")
    else:
        value = env_str("LIFELINE_SECRET_KEY")
        if value is None:
            path = data_dir / "secret_key"
            if not path.exists():
                # Another process may create it first; then read what it wrote.
                with contextlib.suppress(FileExistsError):
                    write_private_file(path, secrets.token_urlsafe(50))
            value = path.read_text(encoding="utf-8").strip()
    if len(value) < 32:
        raise ImproperlyConfigured("LIFELINE_SECRET_KEY must be at least 32 characters long")
    return value
