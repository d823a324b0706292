"""Every response carries the Content-Security-Policy, the Permissions-Policy and the other
security headers, and its HTML keeps to the policy; the cookies are HttpOnly and
SameSite=Lax, and Secure in production mode.

The policy allows no inline code ('unsafe-inline'), so each HTML page is read for what a
browser would block: a <script> or <style> element without a source of its own (unless it
carries the nonce this response's header names), a `style` attribute, an event-handler
attribute (`onclick=`…) and a `javascript:` address. The public pages are the site's own
list (tests/e2e/pages.py) and every URL pattern outside the admin (CSV, feed); the admin's
are each kind of page an editor opens.
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from core.middleware import permissions_policy
from tests.e2e.pages import expected_status, public_pages
from tests.helpers import admin_url, in_language
from tests.portal.test_public_methods import concrete_url, public_patterns
from treaties.models import Treaty

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction")
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


# --- Reading a response ------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    assert "Content-Security-Policy" in response, f"no CSP on {response.wsgi_request.path}"
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def nonce_of(response, directive: str) -> str | None:
    for source in policy(response).get(directive, []):
        match = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]+)'", source)
        if match:
            return match.group(1)
    return None


def header_problems(response) -> list[str]:
    """What is missing or unsafe in the response's security headers."""
    where = f"{response.wsgi_request.get_full_path()} ({response.status_code})"
    directives = policy(response)
    problems = []
    for name, sources in directives.items():
        for source in sources:
            if source in UNSAFE:
                problems.append(f"{where}: {name} allows {source}")
    expected = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    for name, sources in expected.items():
        if directives.get(name) != sources:
            problems.append(f"{where}: {name} is {directives.get(name)}, not {sources}")
    for name in ("script-src", "style-src"):
        if "'self'" not in directives.get(name, []):
            problems.append(f"{where}: {name} is {directives.get(name)}")
    features = response.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        if f"{feature}=()" not in features.split(", "):
            problems.append(f"{where}: Permissions-Policy does not deny {feature}: {features!r}")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"{where}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: no X-Content-Type-Options: nosniff")
    return problems


class InlineCode(HTMLParser):
    """Collects what the policy would block in a page: inline script and style without the
    response's nonce, style and event-handler attributes, javascript: addresses."""

    def __init__(self, script_nonce, style_nonce):
        super().__init__(convert_charrefs=True)
        self.script_nonce = script_nonce
        self.style_nonce = style_nonce
        self.found = []
        self.counts = {"script": 0, "style": 0, "link": 0}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        if tag in self.counts:
            self.counts[tag] += 1
        if tag == "script" and not attributes.get("src"):
            nonce = attributes.get("nonce")
            if not nonce or nonce != self.script_nonce:
                self.found.append(f"line {line}: inline <script> without this response's nonce")
        if tag == "style":
            nonce = attributes.get("nonce")
            if not nonce or nonce != self.style_nonce:
                self.found.append(f"line {line}: <style> without this response's nonce")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"line {line}: <{tag} style={value!r}>")
            elif name.startswith("on"):
                self.found.append(f"line {line}: <{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: <{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def inline_code(response) -> InlineCode:
    parser = InlineCode(nonce_of(response, "script-src"), nonce_of(response, "style-src"))
    parser.feed(response.content.decode())
    parser.close()
    return parser


def page_problems(response) -> list[str]:
    problems = header_problems(response)
    if response["Content-Type"].startswith("text/html"):
        where = response.wsgi_request.get_full_path()
        problems += [f"{where}: {found}" for found in inline_code(response).found]
    return problems


# --- The checks find what they look for ------------------------------------------------


def test_the_page_reader_finds_each_kind_of_inline_code():
    page = """<html><head><style>p {}</style><script>alert(1)</script>
    <script src="/static/a.js"></script><link rel="stylesheet" href="/static/a.css"></head>
    <body><p style="color: red" onclick="go()"><a href="javascript:go()">x</a>
    <svg><rect style="fill: red"/></svg><style nonce="abc">p {}</style></body></html>"""
    parser = InlineCode(script_nonce=None, style_nonce="abc")
    parser.feed(page)
    found = "\n".join(parser.found)
    assert found.count("without this response's nonce") == 2, found
    assert "style='color: red'" in found
    assert "onclick='go()'" in found
    assert "href='javascript:go()'" in found
    assert "<rect style='fill: red'>" in found
    assert len(parser.found) == 6
    assert parser.counts == {"script": 2, "style": 2, "link": 1}


def test_the_permissions_policy_header_lists_each_feature():
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


# --- Public pages --------------------------------------------------------------------------


def test_every_public_page_has_the_headers_and_no_inline_code(seeded, client):
    problems = []
    pages = public_pages()
    assert len(pages) > 100
    for path in pages:
        response = client.get(path)
        assert response.status_code == expected_status(path), path
        problems += page_problems(response)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50])


def test_every_public_address_has_the_headers_csv_and_feed_included(seeded, client):
    """Every URL pattern outside the admin, the CSV exports and the Atom feed among them."""
    problems = []
    kinds = set()
    for name, route, callback in public_patterns():
        response = client.get(concrete_url(name, route, callback))
        kinds.add(response["Content-Type"].split(";")[0])
        problems += page_problems(response)
    assert {"text/html", "text/csv"} <= kinds, kinds
    assert any("xml" in kind for kind in kinds), kinds
    assert not problems, "\n".join(problems)


def test_the_japanese_pages_are_as_clean_as_the_english(seeded, client):
    """The tests read English pages (tests/conftest.py); the site's default is Japanese."""
    problems = []
    for path in ("/", "/treaties/ctbt/", "/countries/jp/", "/search/?q=核兵器"):
        response = client.get(in_language("ja", path))
        assert response.status_code == 200, path
        assert '<html lang="ja">' in response.content.decode(), path
        problems += page_problems(response)
    assert not problems, "\n".join(problems)


def test_a_bad_request_and_a_missing_page_have_the_headers(client):
    not_found = client.get("/no-such-page/")
    bad_host = client.get("/", HTTP_HOST="attacker.example")
    assert (not_found.status_code, bad_host.status_code) == (404, 400)
    assert not page_problems(not_found) + page_problems(bad_host)


# --- The 500 page --------------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.core.failing_urls")
def test_the_500_page_has_the_headers_and_its_style_carries_the_nonce():
    client = Client(raise_request_exception=False)
    first, second = client.get("/fails/"), client.get("/fails/")
    assert first.status_code == 500
    assert "Server error" in first.content.decode()
    nonce = nonce_of(first, "style-src")
    assert nonce and len(nonce) >= 16
    # The nonce allows the page's one <style>, and nothing else inline.
    assert f'<style nonce="{nonce}">' in first.content.decode()
    assert inline_code(first).counts["style"] == 1
    assert not page_problems(first)
    assert inline_code(first).counts["script"] == 0
    assert nonce_of(second, "style-src") not in (None, nonce), "a nonce is used once"


def test_a_page_that_needs_no_nonce_names_none(client):
    response = client.get("/no-such-page/")
    assert nonce_of(response, "style-src") is None
    assert nonce_of(response, "script-src") is None


# --- The admin -----------------------------------------------------------------------------


def admin_pages(npt: Treaty, participation) -> list[str]:
    version = npt.history.order_by("-history_id").first()
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["treaties"]),
        admin_url(Treaty, "changelist"),
        admin_url(Treaty, "changelist") + "?q=NPT&status__exact=in_force",
        admin_url(Treaty, "add"),
        admin_url(Treaty, "change", npt.pk),
        admin_url(Treaty, "history", npt.pk),
        reverse("admin:treaties_treaty_simple_history", args=[npt.pk, version.history_id]),
        admin_url(Treaty, "delete", npt.pk),
        admin_url(Treaty, "deleted"),
        admin_url(type(participation), "change", participation.pk),
        admin_url(type(participation), "add") + "?_popup=1&_to_field=id",
        reverse("admin:treaties_importbatch_add"),
        reverse("admin:autocomplete")
        + "?app_label=treaties&model_name=participation&field_name=treaty",
        reverse("admin:jsi18n"),
        reverse("admin:password_change"),
        reverse("admin:auth_user_changelist"),
    ]


def test_every_kind_of_admin_page_has_the_headers_and_no_inline_code(admin_client, one_of_each):
    problems, scripts = [], 0
    for path in admin_pages(one_of_each["npt"], one_of_each["participation"]):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        problems += page_problems(response)
        if response["Content-Type"].startswith("text/html"):
            scripts += inline_code(response).counts["script"]
    # The admin's own scripts are there, each from a file.
    assert scripts > 20
    assert not problems, "\n".join(problems)


def test_the_admin_login_page_and_a_logout_have_the_headers(client, admin_user):
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert not page_problems(login)
    client.force_login(admin_user)
    logout = client.post(reverse("admin:logout"))
    assert logout.status_code == 200
    assert not page_problems(logout)


def test_the_popup_that_closes_after_adding_a_record_uses_no_inline_script(admin_client):
    response = admin_client.post(
        admin_url(Treaty, "add") + "?_popup=1",
        {
            "_popup": "1",
            "slug": "test-treaty",
            "short_name_en": "Test",
            "short_name_ja": "テスト",
            "name_en": "Test treaty",
            "name_ja": "テスト条約",
            "kind": Treaty.Kind.MULTILATERAL,
            "status": Treaty.Status.PROPOSED,
            "display_order": "0",
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200, body[:2000]
    assert 'id="django-admin-popup-response-constants"' in body, body[:2000]
    assert not page_problems(response)


# --- Cookies -------------------------------------------------------------------------------


def test_the_admin_login_sets_httponly_samesite_lax_csrf_and_session_cookies(db):
    User.objects.create_user("editor-login", password="a-long-passphrase-1", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("admin:login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor-login",
            "password": "a-long-passphrase-1",
            "csrfmiddlewaretoken": page.context["csrf_token"],
            "next": reverse("admin:index"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert not page_problems(response)


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_with_the_production_cookie_settings_every_cookie_is_secure(db):
    User.objects.create_user("editor-login", password="a-long-passphrase-1", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("admin:login"), secure=True)
    # The login form's CSRF cookie is the only one: the language is in the address.
    assert list(page.cookies) == [settings.CSRF_COOKIE_NAME]
    cookie = page.cookies[settings.CSRF_COOKIE_NAME]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor-login",
            "password": "a-long-passphrase-1",
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
        secure=True,
        # Over HTTPS, Django's CSRF check also wants the page the form came from.
        HTTP_REFERER="https://testserver" + reverse("admin:login"),
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


# Run in production mode; the static files are not collected there, so their names are
# taken as they are rather than from collectstatic's manifest.
PRODUCTION_COOKIES = """
from django.conf import settings
from django.test import Client, override_settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get(
        "/en/admin/login/", secure=True, HTTP_HOST="treaties.example.org")
print(response.status_code)
print(response["Content-Security-Policy"])
for name in response.cookies:
    cookie = response.cookies[name]
    print(name, cookie["secure"], cookie["httponly"], cookie["samesite"])
print("session", settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
      settings.SESSION_COOKIE_SAMESITE)
"""


def test_production_mode_makes_every_cookie_secure_and_keeps_the_policy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_PRODUCTION": "True",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "treaties.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRODUCTION_COOKIES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, csp, *cookies = result.stdout.strip().splitlines()
    assert status == "200"
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert cookies == [f"{settings.CSRF_COOKIE_NAME} True True Lax", "session True True Lax"]
