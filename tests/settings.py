"""Settings for the test suite: the project's settings with a fast hasher and a throwaway
data folder (keys are generated into it like on a fresh laptop)."""

import os
import tempfile

os.environ.setdefault("LIFELINE_DATA_DIR", tempfile.mkdtemp(prefix="lifeline-test-"))

from lifeline.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LIFELINE_DEFAULT_PHONE_REGION = None

if DATABASES["default"]["ENGINE"] == "lifeline.core.sqlite":  # noqa: F405
    # In memory, as for Django's own SQLite backend (pytest-django recognises only that one).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# The public pages serve organisation A of tests/conftest.py.
LIFELINE_INTAKE_ORGANISATION = "mekong"
# Each test makes its organisations anew: read the row on every request.
LIFELINE_INTAKE_ORGANISATION_CACHE = 0
