"""Login throttling: repeated wrong passwords lock a user name and an address out of the
admin, with a page in the reader's language, a line in the log, and a command to unlock."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from core.security import client_ip
from tests.helpers import in_language

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-correct-horse-battery-staple"


@pytest.fixture
def staff(db):
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def attempt(client, username, password, address="192.0.2.10", language="en"):
    return client.post(
        f"{in_language(language, LOGIN)}?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_a_right_password_after_a_few_wrong_ones_logs_in(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "wrong").status_code == 200
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_repeated_failures_lock_the_user_name_out_even_with_the_right_password(
    client, staff, settings
):
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "editor", "wrong", address=f"198.51.100.{number}")
    assert response.status_code == 429
    # From a new address, with the right password: the user name is locked out.
    response = attempt(Client(), "editor", PASSWORD, address="203.0.113.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    assert "Login paused" in response.content.decode()
    assert response["Retry-After"] == str(settings.AXES_COOLOFF_MINUTES * 60)


def test_repeated_failures_from_one_address_lock_the_address_out(client, staff, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong", address="192.0.2.99")
    # Another user name, the right password, the same address: refused.
    response = attempt(client, "editor", PASSWORD, address="192.0.2.99")
    assert response.status_code == 429
    # The same user from elsewhere is not affected.
    assert attempt(Client(), "editor", PASSWORD, address="192.0.2.100").status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Login paused", "15 minutes", "failed logins in a row"]),
        ("ja", ["ログインを一時停止しています", "15 分間", "続けて"]),
    ],
)
def test_the_lockout_page_speaks_the_readers_language(client, staff, settings, language, expected):
    settings.AXES_COOLOFF_MINUTES = 15
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "editor", "wrong", language=language)
    assert response.status_code == 429
    html = response.content.decode()
    assert f'lang="{language}"' in html
    for text in expected:
        assert text in html
    if language == "ja":
        assert "Login paused" not in html


def test_every_failure_is_logged_with_the_user_name_and_address(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        attempt(client, "editor", "wrong", address="192.0.2.55")
    failures = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any("editor" in line and "192.0.2.55" in line for line in failures), failures
    assert not any("wrong" in line for line in failures), "the password is never logged"


def test_an_administrator_unlocks_a_user_name_with_a_command(client, staff, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "wrong", address=f"198.51.100.{number}")
    assert attempt(client, "editor", PASSWORD, address="203.0.113.8").status_code == 429
    call_command("axes_reset_username", "editor", verbosity=0)
    assert attempt(client, "editor", PASSWORD, address="203.0.113.8").status_code == 302


def test_an_administrator_unlocks_an_address_with_a_command(client, staff, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong", address="192.0.2.77")
    assert attempt(client, "editor", PASSWORD, address="192.0.2.77").status_code == 429
    call_command("axes_reset_ip", "192.0.2.77", verbosity=0)
    assert attempt(client, "editor", PASSWORD, address="192.0.2.77").status_code == 302


# --- The reader's address behind a proxy -------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.1", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # what the client wrote is not believed
        (2, "6.6.6.6, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
        (2, "203.0.113.1", "10.0.0.1"),  # fewer hops than proxies: the direct address
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_readers_address_is_the_one_the_trusted_proxy_saw(rf, proxies, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_behind_a_proxy_the_lockout_counts_the_reader_not_the_proxy(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    # Another reader behind the same proxy logs in.
    other = Client().post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.67",
    )
    assert other.status_code == 302
