"""The public change log: the /changes/ page and its filters, its CSV export and Atom
feed, none naming the editor or the reason, all read-only and with bounded queries.

The Change rows themselves (one per version) are checked in tests/core/test_change_log.py.
"""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from core.models import Change
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import changes_of, count_queries, csv_rows, text
from treaties.models import Participation, Treaty

pytestmark = pytest.mark.django_db

CHANGES = reverse("portal:change-list")
EXPORT = reverse("portal:change-export")
FEED = reverse("portal:change-feed")
ATOM = "{http://www.w3.org/2005/Atom}"

# Queries /changes/ may run; the test at the end shows it does not grow with the rows.
CHANGE_LIST_MAX_QUERIES = 10


def row(html, change):
    match = re.search(rf'<tr id="change-{change.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"change {change.pk} is not listed"
    return match.group(1)


def listed_ids(response):
    assert response.status_code == 200, response.content.decode()[:500]
    return [change.pk for change in response.context["rows"]]


def save_at(obj, when, **changes):
    """Save `obj` with `changes` as a version dated `when` (simple-history reads _history_date)."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_date = when
    obj.save()
    del obj._history_date
    return changes_of(obj).order_by("pk").last()


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


# --- The /changes/ page ------------------------------------------------------------------------


@pytest.fixture
def log(db):
    """Changes on three days: a treaty created, a participation created and edited, one deleted."""
    npt = TreatyFactory(slug="npt", short_name_en="NPT")
    japan = CountryFactory(code="JP")
    Change.objects.all().delete()  # only the changes below, at known times

    ctbt = Treaty(slug="ctbt", short_name_en="CTBT", kind="multilateral", status="not_in_force")
    created = save_at(ctbt, at(2025, 1, 10))
    participation = Participation(treaty=npt, country=japan)
    joined = save_at(participation, at(2025, 2, 20))
    edited = save_at(participation, at(2025, 3, 5), note_en="Checked.", locator="note 22")
    gone = Treaty(slug="gone", short_name_en="Gone", kind="proposed", status="proposed")
    gone_created = save_at(gone, at(2025, 3, 6))
    gone._history_date = at(2025, 3, 7)
    gone.delete()
    return {
        "created": created,
        "joined": joined,
        "edited": edited,
        "gone_created": gone_created,
        "deleted": Change.objects.get(kind=Change.Kind.DELETED),
        "participation": participation,
        "ctbt": ctbt,
    }


def test_the_change_list_shows_every_change_newest_first(client, log):
    ids = listed_ids(client.get(CHANGES))
    assert ids == [
        log["deleted"].pk,
        log["gone_created"].pk,
        log["edited"].pk,
        log["joined"].pk,
        log["created"].pk,
    ]


def test_each_row_says_when_what_kind_which_record_and_which_fields(client, log):
    html = client.get(CHANGES).content.decode()

    edited = text(row(html, log["edited"]))
    assert "changed" in edited
    assert "participation" in edited
    assert "Japan — NPT" in edited
    # Verbose names, each once, not column names.
    assert "note (English), locator" in edited or "locator, note (English)" in edited
    assert "note_en" not in edited
    assert "2025-03-05" in edited


def test_a_row_links_to_the_public_page_of_a_record_that_still_exists(client, log):
    html = client.get(CHANGES).content.decode()
    assert f'href="{log["participation"].get_absolute_url()}"' in row(html, log["edited"])
    assert f'href="{log["ctbt"].get_absolute_url()}"' in row(html, log["created"])
    deleted = row(html, log["deleted"])
    assert "Gone" in deleted
    assert "<a " not in deleted, "a deleted record has no page to link to"


def test_the_page_links_its_feed_and_its_export(client, log):
    html = client.get(CHANGES, {"kind": "changed"}).content.decode()
    assert f'href="{FEED}"' in html
    assert f'href="{EXPORT}?kind=changed"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"model": "treaties.treaty"}, ["deleted", "gone_created", "created"]),
        ({"model": "treaties.participation"}, ["edited", "joined"]),
        ({"model": "core.source"}, []),
        ({"kind": "created"}, ["gone_created", "joined", "created"]),
        ({"kind": "changed"}, ["edited"]),
        ({"kind": "deleted"}, ["deleted"]),
        ({"date_from": "2025-03-01"}, ["deleted", "gone_created", "edited"]),
        ({"date_to": "2025-02-20"}, ["joined", "created"]),
        ({"date_from": "2025-02-01", "date_to": "2025-03-05"}, ["edited", "joined"]),
        ({"model": "treaties.participation", "kind": "created"}, ["joined"]),
    ],
)
def test_the_change_list_filters(client, log, query, expected):
    assert listed_ids(client.get(CHANGES, query)) == [log[name].pk for name in expected]


def test_the_model_filter_offers_the_content_models_by_name(client, log):
    choices = dict(client.get(CHANGES).context["filter"].form.fields["model"].choices)
    assert choices["treaties.participation"] == "participation"
    assert "recommendations.recommendation" in choices
    assert "auth.user" not in choices


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"model": "auth.user"}, "Select a valid choice"),
        ({"kind": "edited"}, "Select a valid choice"),
        ({"date_from": "yesterday"}, "Enter the date as YYYY-MM-DD"),
        ({"date_to": "2025-02-30"}, "Enter the date as YYYY-MM-DD"),
        (
            {"date_from": "2025-03-01", "date_to": "2025-02-01"},
            "The end of the period comes before its start",
        ),
    ],
)
def test_an_invalid_filter_is_answered_with_400_and_the_message(client, log, query, message):
    response = client.get(CHANGES, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="change-' not in html


def test_a_page_past_the_end_is_a_404(client, log):
    assert client.get(CHANGES, {"page": "99"}).status_code == 404
    assert client.get(CHANGES, {"page": "last"}).status_code == 200


def test_changes_are_paginated(client, log, treaty):
    for n in range(60):
        treaty.display_order = n
        treaty.save()
    first = client.get(CHANGES)
    assert len(first.context["rows"]) == 50
    assert first.context["paginator"].count == Change.objects.count()
    assert client.get(CHANGES, {"page": "2"}).status_code == 200


# --- The CSV export ----------------------------------------------------------------------------


def test_the_export_has_bom_header_iso_dates_and_the_filtered_rows(client, log):
    response = client.get(EXPORT, {"model": "treaties.participation"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(response)
    assert header == [
        "id",
        "changed_at",
        "kind",
        "model",
        "object_id",
        "object_repr",
        "changed_fields",
    ]
    assert [int(r[0]) for r in rows] == [log["edited"].pk, log["joined"].pk]
    edited = dict(zip(header, rows[0], strict=True))
    assert datetime.datetime.fromisoformat(edited["changed_at"]) == at(2025, 3, 5)
    assert edited["kind"] == "changed"
    assert edited["model"] == "treaties.participation"
    assert edited["object_id"] == str(log["participation"].pk)
    assert edited["object_repr"] == "Japan — NPT"
    assert edited["changed_fields"] == "locator note_en"


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"kind": "deleted"}, ["deleted"]), ({"date_to": "2025-01-31"}, ["created"])],
)
def test_the_export_honours_every_filter(client, log, query, expected):
    _header, *rows = csv_rows(client.get(EXPORT, query))
    assert [int(r[0]) for r in rows] == [log[name].pk for name in expected]


def test_the_export_refuses_an_invalid_filter_with_400(client, log):
    response = client.get(EXPORT, {"kind": "edited"})
    assert response.status_code == 400
    assert "kind" in response.content.decode()


# --- The Atom feed -----------------------------------------------------------------------------


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_atom_with_the_latest_changes_first(client, log):
    root = parse_feed(client.get(FEED))

    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{ATOM}title").text == "Treaty Tracker: latest changes"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 5
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[0] == "Deleted: treaty — Gone"
    assert titles[2] == "Changed: participation — Japan — NPT"
    edited = entries[2]
    assert edited.find(f"{ATOM}link").get("href").endswith(log["participation"].get_absolute_url())
    assert "note (English)" in edited.find(f"{ATOM}summary").text
    updated = datetime.datetime.fromisoformat(edited.find(f"{ATOM}updated").text)
    assert updated == at(2025, 3, 5)
    # A deleted record has no page: its entry points at the change log.
    deleted_link = entries[0].find(f"{ATOM}link").get("href")
    assert f"{CHANGES}#change-{log['deleted'].pk}" in deleted_link
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)


def test_the_feed_holds_the_fifty_latest_changes(client, treaty):
    for n in range(60):
        treaty.display_order = n
        treaty.save()
    entries = parse_feed(client.get(FEED)).findall(f"{ATOM}entry")
    assert len(entries) == 50
    latest = Change.objects.latest_first().first()
    assert entries[0].find(f"{ATOM}id").text.endswith(f"#change-{latest.pk}")


# --- Nothing about the editors -----------------------------------------------------------------


def test_no_page_export_or_feed_names_the_editor_or_the_reason(client, treaty):
    editor = User.objects.create_user(
        "jane-editor", email="jane.editor@example.org", password="not-used", is_staff=True
    )
    treaty._history_user = editor
    treaty._change_reason = "Confidential: agreed with the ministry"
    treaty.status = Treaty.Status.EXPIRED
    treaty.save()
    version = treaty.history.latest()
    assert version.history_user == editor
    assert version.history_change_reason.startswith("Confidential")

    bodies = [
        client.get(CHANGES).content,
        b"".join(client.get(EXPORT).streaming_content),
        client.get(FEED).content,
    ]
    for body in bodies:
        body = body.decode("utf-8")
        assert "stored status" in body or "status" in body
        for secret in ("jane-editor", "jane.editor@example.org", "Confidential", "ministry"):
            assert secret not in body


@pytest.mark.parametrize("url", [CHANGES, EXPORT, FEED])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_change_log_only_reads(client, url, method):
    assert getattr(client, method)(url).status_code == 405


# --- Queries do not grow with the rows ---------------------------------------------------------


def populate(n):
    """n rounds of edits touching every kind of record, so any page of changes holds them all."""
    treaty = TreatyFactory(slug="npt", short_name_en="NPT")
    for i in range(n):
        source = SourceFactory()
        participation = ParticipationFactory(treaty=treaty, country=CountryFactory(), source=source)
        participation.note_en = f"checked {i}"
        participation.save()
        ReportedFigureFactory(treaty=treaty, source=source)
        TreatyEventFactory(treaty=treaty, source=source).delete()
        treaty.display_order = i
        treaty.save()


@pytest.mark.parametrize("url", [CHANGES, EXPORT, FEED])
def test_queries_do_not_grow_with_the_changes(client, url):
    populate(5)
    few = count_queries(client, url)
    populate(50)
    many = count_queries(client, url)
    assert Change.objects.count() > 400
    assert many == few
    assert many <= CHANGE_LIST_MAX_QUERIES


def test_the_changes_are_dated_in_the_site_time_zone(client, treaty, settings):
    # 23:30 UTC on 4 March is 08:30 on 5 March in Tokyo: the filter counts Tokyo days.
    change = save_at(treaty, datetime.datetime(2025, 3, 4, 23, 30, tzinfo=datetime.UTC))
    assert timezone.localtime(change.changed_at).date() == datetime.date(2025, 3, 5)
    assert change.pk in listed_ids(client.get(CHANGES, {"date_from": "2025-03-05"}))
    assert change.pk not in listed_ids(client.get(CHANGES, {"date_to": "2025-03-04"}))
