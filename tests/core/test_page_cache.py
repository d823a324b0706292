"""The page cache (core/cache.py): an anonymous reader's public page is served from the
cache, answers conditional GETs with 304, and is never stale: every way content changes makes
the very next request show it.

These tests commit (transactional database), as real requests do: a change is announced to
the cache when its transaction commits.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import cache as page_cache
from tests.factories import CountryFactory, SourceFactory, TreatyFactory
from tests.helpers import admin_form_data, change_url, confirm_delete, open_change_page, saved
from treaties.models import Treaty

pytestmark = pytest.mark.django_db(transaction=True)

TREATIES = "/treaties/"


def names(client, url=TREATIES):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def alpha():
    return TreatyFactory(slug="alpha", short_name_en="ALPHA", name_en="Alpha treaty")


def test_a_second_read_is_served_from_the_cache_without_a_query(
    client, alpha, django_assert_num_queries
):
    first = client.get(TREATIES)
    assert first.status_code == 200
    assert "ALPHA" in first.content.decode()
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    assert not first.cookies

    with django_assert_num_queries(0):
        second = client.get(TREATIES)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    # The headers added outside the cache are on the stored page too.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_each_address_is_stored_on_its_own(client, alpha, django_assert_num_queries):
    TreatyFactory(slug="beta", short_name_en="BETA")
    listed, detail = names(client), names(client, "/treaties/alpha/")
    assert "BETA" in listed and "BETA" not in detail
    with django_assert_num_queries(0):
        assert names(client) == listed
        assert names(client, "/treaties/alpha/") == detail


def test_a_conditional_get_is_answered_304_without_a_query(
    client, alpha, django_assert_num_queries
):
    first = client.get(TREATIES)
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(TREATIES, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    # Even with the stored page gone (evicted, or another server's cache), the ETag alone
    # proves the reader's copy current.
    version = cache.get(page_cache.VERSION_KEY)
    cache.clear()
    cache.set(page_cache.VERSION_KEY, version)
    with django_assert_num_queries(0):
        assert client.get(TREATIES, headers={"if-none-match": etag}).status_code == 304

    since = client.get(TREATIES, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_change_gives_a_new_etag_and_the_new_page(client, alpha):
    first = client.get(TREATIES)
    Treaty.objects.filter(pk=alpha.pk).update(short_name_en="OMEGA")
    again = client.get(TREATIES, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "OMEGA" in again.content.decode()


def save(treaty):
    treaty.short_name_en = "OMEGA"
    treaty.save()


def queryset_update(treaty):
    Treaty.objects.filter(pk=treaty.pk).update(short_name_en="OMEGA")


def bulk_update(treaty):
    treaty.short_name_en = "OMEGA"
    Treaty.objects.bulk_update([treaty], ["short_name_en"])


def bulk_create(treaty):
    copy = Treaty.objects.get(pk=treaty.pk)
    copy.pk, copy.slug, copy.short_name_en = None, "omega", "OMEGA"
    Treaty.objects.bulk_create([copy])


def raw_sql(treaty):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Treaty._meta.db_table} SET short_name_en = %s WHERE id = %s",
            ["OMEGA", treaty.pk],
        )


def in_a_transaction(treaty):
    with transaction.atomic():
        save(treaty)


def test_every_kind_of_write_shows_at_once(client):
    """Each a separate treaty, read, stored, changed and read again."""
    for number, change in enumerate(
        [save, queryset_update, bulk_update, bulk_create, raw_sql, in_a_transaction]
    ):
        treaty = TreatyFactory(slug=f"t{number}", short_name_en=f"T{number}X")
        url = TREATIES if change is bulk_create else f"/treaties/{treaty.slug}/"
        assert "OMEGA" not in names(client, url)
        assert "OMEGA" not in names(client, url)  # now stored
        change(treaty)
        assert "OMEGA" in names(client, url), change.__name__
        Treaty.objects.filter(short_name_en="OMEGA").delete()


def test_a_delete_shows_at_once(client, alpha):
    assert "ALPHA" in names(client)
    alpha.delete()
    assert "ALPHA" not in names(client)


def test_inside_a_transaction_the_writer_reads_its_own_writes_and_others_wait_for_commit(
    client, alpha
):
    assert "OMEGA" not in names(client)
    with transaction.atomic():
        save(alpha)
        # This connection sees its uncommitted row: it does not use the cache.
        assert "OMEGA" in names(client)
    assert "OMEGA" in names(client)


def test_a_rolled_back_change_leaves_the_stored_page_valid(
    client, alpha, django_assert_num_queries
):
    names(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        save(alpha)
        raise RuntimeError("rolled back")
    with django_assert_num_queries(0):
        assert "ALPHA" in names(client)


def test_writes_to_sessions_and_logins_leave_pages_stored(client, alpha, django_assert_num_queries):
    names(client)
    User.objects.create_user("someone", password="x" * 12)
    with django_assert_num_queries(0):
        names(client)


def test_an_admin_save_and_delete_show_at_once(client, alpha, admin_client):
    assert "ALPHA" in names(client)
    page = open_change_page(admin_client, alpha)
    saved(admin_client.post(change_url(alpha), {**admin_form_data(page), "short_name_en": "OMEGA"}))
    assert "OMEGA" in names(client)

    assert confirm_delete(admin_client, Treaty.objects.get(pk=alpha.pk)).status_code == 302
    assert "OMEGA" not in names(client)


def test_a_signed_in_reader_is_never_served_from_the_cache(client, alpha, admin_client):
    names(client)
    Treaty.objects.filter(pk=alpha.pk).update(short_name_en="OMEGA")
    # An editor's page is rendered for them, and what they see is not stored for others.
    response = admin_client.get(TREATIES)
    assert "ETag" not in response
    assert "OMEGA" in response.content.decode()


def test_the_page_is_rendered_anew_on_a_new_day(client, alpha, monkeypatch):
    first = client.get(TREATIES)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda *args: tomorrow)
    second = client.get(TREATIES)
    assert second["ETag"] != first["ETag"]


def test_bad_input_and_missing_pages_are_not_stored(client, alpha):
    missing = client.get("/treaties/no-such-treaty/")
    assert missing.status_code == 404
    assert "ETag" not in missing
    refused = client.get(TREATIES, {"kind": "no-such-kind"})
    assert refused.status_code == 400
    assert "ETag" not in refused


def test_a_csv_export_answers_304_and_streams_otherwise(client, alpha, django_assert_num_queries):
    url = reverse("treaties:treaty-export")
    first = client.get(url)
    assert first.status_code == 200 and first.streaming
    body = b"".join(first.streaming_content)
    assert b"ALPHA" in body
    with django_assert_num_queries(0):
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    Treaty.objects.filter(pk=alpha.pk).update(short_name_en="OMEGA")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert b"OMEGA" in b"".join(changed.streaming_content)


# --- Commands ---------------------------------------------------------------------------


def test_an_import_shows_at_once(client, tmp_path):
    TreatyFactory(slug="tpnw", opened_on=datetime.date(2017, 9, 20))
    CountryFactory(code="AT")
    SourceFactory(slug="untc-tpnw")
    table = tmp_path / "tpnw.tsv"
    table.write_text(
        "Participant\tSignature\tRatification, Accession(a)\nAustria\t20 Sep 2017\t8 May 2018\n",
        encoding="utf-8",
    )
    url = reverse("treaties:participation-list")
    assert "Austria" not in names(client, url)
    call_command(
        "import_actions",
        str(table),
        "--treaty",
        "tpnw",
        "--source",
        "untc-tpnw",
        stdout=StringIO(),
    )
    assert "Austria" in names(client, url)


def test_refresh_statuses_shows_at_once(client):
    from treaties.services import refresh_statuses

    TreatyFactory(
        slug="tpnw",
        short_name_en="TPNW",
        status=Treaty.Status.NOT_IN_FORCE,
        opened_on=datetime.date(2017, 9, 20),
        entered_into_force_on=datetime.date(2021, 1, 22),
    )
    before = names(client, "/treaties/tpnw/")
    refresh_statuses(on=datetime.date(2021, 1, 22))
    assert Treaty.objects.get(slug="tpnw").status == Treaty.Status.IN_FORCE
    assert names(client, "/treaties/tpnw/") != before


# --- The deployment check --------------------------------------------------------------


def test_production_refuses_a_page_cache_in_one_process_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE = True
    assert [e.id for e in page_cache.check_shared_cache()] == ["core.E010"]
    settings.PAGE_CACHE = False
    assert page_cache.check_shared_cache() == []
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert page_cache.check_shared_cache() == []


def test_the_cache_setting_reads_its_url():
    from config.settings import cache_from_url

    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("redis://127.0.0.1:6379/2")["LOCATION"] == "redis://127.0.0.1:6379/2"
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")
    with pytest.raises(Exception, match="CACHE_URL"):
        cache_from_url("memcached://x")


def test_pages_are_not_stored_when_the_page_cache_is_off(client, alpha, settings):
    settings.PAGE_CACHE = False
    # The middleware reads the setting when the handler is built: a new client builds one.
    fresh = Client()
    first = fresh.get(TREATIES)
    assert "ETag" not in first


def test_a_cache_that_is_down_costs_the_cache_not_the_page(client, alpha, settings, caplog):
    from tests.serving import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert "ALPHA" in names(client)
    save(alpha)  # the change is saved though it cannot be announced
    assert Treaty.objects.get(pk=alpha.pk).short_name_en == "OMEGA"
    assert "OMEGA" in names(client)
    assert "could not be told of a change" in caplog.text
    assert "cannot be reached" in caplog.text


def test_a_restore_announces_its_change_once_the_file_is_in_place(monkeypatch, tmp_path):
    """A SQLite restore loads a file under another name and moves it into place: the rows
    it wrote were announced before the move, so the restore announces the change again after
    it. (The PostgreSQL restore is one transaction, announced when it commits.)"""
    from portal import backup

    archive = tmp_path / "archive.json.gz"
    archive.write_bytes(b"")
    versions = []
    monkeypatch.setattr(backup, "read_archive_counts", lambda path: {})
    monkeypatch.setattr(backup, "refuse_unless_empty", lambda using: None)

    def moved_into_place(*args, **kwargs):
        versions.append(page_cache.current_version())
        return 0, 0, False

    monkeypatch.setattr(backup, "_restore_sqlite", moved_into_place)
    monkeypatch.setattr(backup, "_restore_in_one_transaction", moved_into_place)
    backup.restore_archive(archive)
    assert versions and page_cache.current_version() != versions[0]


def test_a_page_served_again_comes_from_the_process_memory_under_the_shared_version(
    client, alpha, monkeypatch
):
    first = names(client)
    asked = []
    real_get = page_cache.cache.get

    def get(key, *args, **kwargs):
        asked.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get", get)
    assert names(client) == first
    # Only the version is read from the shared cache; the page itself is not fetched.
    assert asked == [page_cache.VERSION_KEY]


def test_a_change_shows_at_once_on_a_server_holding_the_page_in_its_memory(alpha):
    # Two clients, each with its own middleware and memory: two app servers sharing a cache.
    one, other = Client(), Client()
    assert "ALPHA" in names(one) and "ALPHA" in names(other)
    assert "ALPHA" in names(other)  # now from `other`'s own memory
    Treaty.objects.filter(pk=alpha.pk).update(short_name_en="OMEGA")
    assert "OMEGA" in names(other) and "ALPHA" not in names(other)
    assert "OMEGA" in names(one)


def test_the_process_memory_keeps_the_pages_served_last_within_its_bytes():
    pages = page_cache.LocalPages(max_bytes=10)
    pages.put("a", ("v1", "day", 200, [], b"1234"))
    pages.put("b", ("v1", "day", 200, [], b"5678"))
    assert pages.get("a", "v1", "day") is not None  # "a" is now the most recently served
    pages.put("c", ("v1", "day", 200, [], b"90ab"))  # 12 bytes: the least recent goes
    assert pages.get("b", "v1", "day") is None
    assert pages.get("a", "v1", "day") and pages.get("c", "v1", "day")
    assert pages.size == 8
    # Under another version or day a page is not served, and is let go.
    assert pages.get("a", "v2", "day") is None and pages.size == 4
    assert pages.get("c", "v1", "next day") is None and pages.size == 0
    # A page larger than the whole memory is not kept.
    pages.put("d", ("v1", "day", 200, [], b"x" * 11))
    assert pages.get("d", "v1", "day") is None and pages.size == 0
