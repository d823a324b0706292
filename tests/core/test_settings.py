"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_debug_value_that_is_not_a_boolean_is_refused():
    result = run_check({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {"DJANGO_PRODUCTION": "True", "SECRET_KEY": ""}
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_passes_the_deployment_checks():
    env = {
        "DJANGO_PRODUCTION": "True",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "treaties.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = run_check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
