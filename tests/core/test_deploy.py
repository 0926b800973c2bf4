"""Production mode passes Django's deployment checks with nothing to warn about."""

import os
import subprocess
import sys

from lifeline.core.crypto import Keyring


def _production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIFELINE_", "DJANGO_"))}
    env.update(
        LIFELINE_MODE="production",
        LIFELINE_DATA_DIR=str(tmp_path),
        LIFELINE_SECRET_KEY="a-production-secret-key-that-is-long-and-random-k7Q9xZ2m",
        LIFELINE_KEYS=Keyring.generate().to_json(),
        LIFELINE_ALLOWED_HOSTS="lifeline.example.org",
        DATABASE_URL="postgres://lifeline@db.invalid:5432/lifeline",  # never connected to
        **extra,
    )
    return env


def _check_deploy(env):
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "lifeline.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_in_production_mode(tmp_path):
    result = _check_deploy(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_passes_them_behind_a_proxy_that_redirects_to_https(tmp_path):
    env = _production_env(
        tmp_path,
        LIFELINE_BEHIND_PROXY="true",
        LIFELINE_SSL_REDIRECT="false",
        LIFELINE_CSRF_TRUSTED_ORIGINS="https://lifeline.example.org",
    )
    result = _check_deploy(env)
    # Django cannot see the proxy's redirect; the operator said it is there, so no W008.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_it_still_warns_about_a_missing_redirect_without_a_proxy(tmp_path):
    result = _check_deploy(_production_env(tmp_path, LIFELINE_SSL_REDIRECT="false"))
    assert result.returncode != 0 and "security.W008" in result.stdout + result.stderr
