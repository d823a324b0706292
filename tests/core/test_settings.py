"""Settings come from the environment and fail loudly on a bad value; production mode
refuses to start unsafe, and `make serve` is production mode."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import (
    PRODUCTION_KEY,
    fetch,
    free_port,
    production_env,
    wait_until_healthy,
)

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


PRODUCTION = {
    "DJANGO_PRODUCTION": "True",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "treaties.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("unsafe", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set in production mode"),
        (
            {"SECRET_KEY": "insecure-local-only-key-set-SECRET_KEY-in-production"},
            "not the development key",
        ),
        ({"SECRET_KEY": "short-but-not-empty"}, "SECRET_KEY is too short"),
        ({"DEBUG": "True"}, "DEBUG must be off in production mode"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the site's host names"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must name the site's host names"),
    ],
)
def test_production_mode_refuses_to_start_unsafe(unsafe, message):
    result = run_check({**PRODUCTION, **unsafe})
    assert result.returncode != 0
    assert message in result.stderr


def test_without_production_mode_the_same_values_start():
    result = run_check({"DEBUG": "True", "ALLOWED_HOSTS": ""})
    assert result.returncode == 0, result.stderr


def test_production_mode_passes_the_deployment_checks():
    result = run_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_mode_needs_a_shared_cache_for_its_pages():
    without = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = run_check(without, "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "core.E010" in result.stderr and "CACHE_URL=redis://" in result.stderr
    assert run_check({**without, "PAGE_CACHE": "False"}, "--deploy").returncode == 0


def production_settings(**env):
    """Settings as a production process with this environment reads them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'DATABASE_STATEMENT_GRACE']} | "
        "{'DB_OPTIONS': s.DATABASES['default']['OPTIONS'], "
        "'DB_KEPT': [s.DATABASES['default'][k] for k in "
        "('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'ATOMIC_REQUESTS')]}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(**{**PRODUCTION, **env}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hsts_is_off_until_the_operator_turns_it_on():
    values = production_settings()
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True

    values = production_settings(
        SECURE_HSTS_SECONDS="63072000", SECURE_HSTS_INCLUDE_SUBDOMAINS="True"
    )
    assert values["SECURE_HSTS_SECONDS"] == 63072000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    # With HSTS on, `check --deploy` is still clean.
    env = {**PRODUCTION, "SECURE_HSTS_SECONDS": "63072000"}
    result = run_check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_the_database_timeouts_reach_the_connection_options():
    values = production_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/treaty_tracker",
        DATABASE_CONNECT_TIMEOUT="3",
        DATABASE_STATEMENT_TIMEOUT="20",
    )
    options = values["DB_OPTIONS"]
    assert options["connect_timeout"] == 3
    assert "-c statement_timeout=20000" in options["options"]


def test_connections_are_kept_and_checked_unless_the_environment_says_otherwise():
    values = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/treaty_tracker")
    assert values["DB_KEPT"] == [60, True, True]
    assert values["DATABASE_STATEMENT_GRACE"] == 5
    values = production_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/treaty_tracker",
        CONN_MAX_AGE="0",
        CONN_HEALTH_CHECKS="False",
        DATABASE_STATEMENT_GRACE="2",
    )
    assert values["DB_KEPT"] == [0, False, True]
    assert values["DATABASE_STATEMENT_GRACE"] == 2


def test_a_bad_timeout_is_refused():
    result = run_check({"DATABASE_CONNECT_TIMEOUT": "soon"})
    assert result.returncode != 0
    assert "DATABASE_CONNECT_TIMEOUT must be a whole number" in result.stderr


# --- make serve ---------------------------------------------------------------------------


def make_serve(env):
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_make_serve_says_what_production_mode_needs():
    env = production_env()
    del env["SECRET_KEY"], env["ALLOWED_HOSTS"]
    result = make_serve(env)
    _out, err = result.communicate(timeout=120)
    assert result.returncode != 0
    assert "production mode" in err
    assert "SECRET_KEY=" in err and "ALLOWED_HOSTS=" in err


def test_make_serve_runs_the_site_in_production_mode(tmp_path):
    port = free_port()
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(port),
    )
    server = make_serve(env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server, seconds=180)
        # Plain HTTP is sent to HTTPS ...
        status, headers, _body, _seconds = fetch(f"{base}/treaties/")
        assert status == 301 and headers["Location"].startswith("https://")
        # ... and behind the HTTPS proxy the page is served in the address's language,
        # with no cookie; the login form's cookie is a secure one.
        https = {"X-Forwarded-Proto": "https"}
        status, headers, body, _seconds = fetch(f"{base}/en/treaties/", https)
        assert status == 200, body[:500]
        assert '<html lang="en">' in body
        assert "Set-Cookie" not in headers
        # The static files are collected and served with their hashed names.
        assert "/static/css/site." in body
        assert (tmp_path / "static" / "staticfiles.json").exists()
        status, headers, _body, _seconds = fetch(f"{base}/treaties/?lang=en", https)
        assert (status, headers["Location"]) == (301, "/en/treaties/")
        status, headers, body, _seconds = fetch(f"{base}/en/admin/login/", https)
        assert status == 200, body[:500]
        cookie = headers["Set-Cookie"]
        assert "csrftoken=" in cookie
        assert "Secure" in cookie and "SameSite=Lax" in cookie
    finally:
        server.terminate()
        try:
            server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
