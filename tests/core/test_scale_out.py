"""More than one app server: two gunicorn instances, as `make serve` runs them, on two ports,
against one PostgreSQL and one Redis. An edit saved through one is shown at once by the other
(their page caches are one, in Redis), and a save through the second that was based on the
version before that edit is refused.

PostgreSQL only: the SQLite run's test database lives in the test process's memory, where no
other server can reach it.
"""

import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import pytest
import redis
from django.contrib.auth.models import User
from django.db import connection

from core.models import Source
from tests.factories import SourceFactory
from tests.serving import collect_static, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-for-the-editor-0123"


class FormFields(HTMLParser):
    """The fields of the admin's change form as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attrs:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, selected, _first = self._select
            self.fields.append((name, selected or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


class Browser:
    """One reader's cookies, sent to any of the servers, as behind the HTTPS proxy that
    production runs behind (the cookies are Secure; the proxy says so by X-Forwarded-Proto)."""

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, url, data=None, referer=None):
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer:
            headers["Referer"] = referer.replace("http://", "https://")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(urllib.request.Request(url, body, headers), timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, response.read().decode()

    def get(self, url):
        status, _headers, body = self.request(url)
        assert status == 200, (url, status, body[:300])
        return body

    def post(self, url, fields):
        return self.request(url, fields, referer=url)

    def log_in(self, base):
        page = self.get(f"{base}/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _headers, body = self.post(
            f"{base}/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
        )
        assert status == 302 and "sessionid" in self.cookies, (status, body[:500])

    def change_form(self, base, path):
        page = self.get(f"{base}{path}")
        form = re.search(r'<form[^>]*id="source_form".*?</form>', page, re.S)
        assert form, page[:500]
        parser = FormFields()
        parser.feed(form.group(0))
        return dict(parser.fields)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def anonymous(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_two_app_servers_share_one_cache_and_refuse_a_stale_save(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two servers share PostgreSQL; the SQLite test database is in memory")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one and sets REQUIRE_REDIS)")
    User.objects.create_superuser("editor", password=PASSWORD)
    source = SourceFactory(title_ja="最初の題", title_en="First title")
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    shared = {
        "DATABASE_URL": url,
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"scale-out-{uuid.uuid4().hex}",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": collect_static(tmp_path / "static"),
    }
    page = source.get_absolute_url()
    change = f"/admin/core/source/{source.pk}/change/"
    with gunicorn(**shared) as first, gunicorn(**shared) as second:
        # Both servers show the page, stored once in Redis for both.
        assert "最初の題" in anonymous(f"{second}{page}")
        assert "最初の題" in anonymous(f"{first}{page}")
        stored = redis.Redis.from_url(shared["CACHE_URL"]).keys(f"{shared['CACHE_KEY_PREFIX']}:*")
        assert any(b":page:" in key for key in stored), stored

        editor = Browser()
        editor.log_in(first)
        before = editor.change_form(first, change)
        stale = dict(before)

        # Saved through the first server ...
        status, headers, body = editor.post(
            f"{first}{change}", {**before, "title_ja": "二番目の題", "_save": "1"}
        )
        assert status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
        assert headers["Location"].endswith("/admin/core/source/")
        assert Source.objects.get(pk=source.pk).title_ja == "二番目の題"

        # ... shown at once by the second, which had the old page stored.
        assert "二番目の題" in anonymous(f"{second}{page}")
        assert "最初の題" not in anonymous(f"{second}{page}")

        # A save through the second server from the form as it was before is refused.
        other = Browser()
        other.log_in(second)
        token = other.change_form(second, change)["csrfmiddlewaretoken"]
        status, _headers, body = other.post(
            f"{second}{change}",
            {**stale, "csrfmiddlewaretoken": token, "title_ja": "古い版からの題", "_save": "1"},
        )
        assert status == 200, "a stale save must not be accepted"
        # In Japanese, the language at /admin/: "the value another editor saved".
        assert "他の編集者が保存した値：二番目の題" in body, body[:800]
        assert Source.objects.get(pk=source.pk).title_ja == "二番目の題"
        assert "二番目の題" in anonymous(f"{first}{page}")
