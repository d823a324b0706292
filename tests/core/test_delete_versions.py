"""Deleting in the admin checks the version the confirmation showed, like a save: a deletion
confirmed on a stale page, or sent without a version, deletes nothing; "delete selected"
carries each listed row's version, and one stale or unversioned row stops it for all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Source
from tests.factories import SourceFactory
from tests.helpers import admin_url, confirm_delete, delete_selected_confirmation, shown_version

pytestmark = pytest.mark.django_db


def edited_by_someone_else(source):
    """Another editor's save of the row, in between."""
    source = Source.objects.get(pk=source.pk)
    source.publisher_en = "Someone else's edit"
    source.save()
    return source.version


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- One record -----------------------------------------------------------------------------


def test_a_fresh_confirmation_deletes_the_record(editor_client):
    source = SourceFactory()
    response = confirm_delete(editor_client, source, _change_reason="duplicate")
    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()


def test_a_deletion_confirmed_on_a_stale_page_is_refused(editor_client):
    source = SourceFactory()
    url = admin_url(Source, "delete", source.pk)
    version = shown_version(editor_client.get(url))
    now = edited_by_someone_else(source)

    response = editor_client.post(url, {"post": "yes", "_version": version}, follow=True)

    [message] = messages_of(response)
    assert "changed by someone else" in message and f"version {now}" in message
    assert "has not been deleted" in message
    assert Source.objects.filter(pk=source.pk).exists()
    # Back on the confirmation page, which now shows the current version.
    assert shown_version(response) == now


@pytest.mark.parametrize("sent", [{}, {"_version": ""}, {"_version": "two"}, {"_version": "-1"}])
def test_a_deletion_sent_without_a_version_is_refused(editor_client, sent):
    source = SourceFactory()
    url = admin_url(Source, "delete", source.pk)

    response = editor_client.post(url, {"post": "yes", **sent}, follow=True)

    [message] = messages_of(response)
    assert "sent without the version" in message and "has not been deleted" in message
    assert Source.objects.filter(pk=source.pk).exists()
    assert Source.history.filter(id=source.pk, history_type="-").count() == 0


# --- "Delete selected" ------------------------------------------------------------------------


def changelist():
    return admin_url(Source, "changelist")


def test_the_confirmation_page_carries_the_version_of_each_row_it_lists(editor_client):
    first, second = SourceFactory(), SourceFactory()
    edited_by_someone_else(second)
    second.refresh_from_db()

    data = delete_selected_confirmation(editor_client, Source, [first, second])

    assert data[f"_version-{first.pk}"] == [str(first.version)]
    assert data[f"_version-{second.pk}"] == [str(second.version)]
    assert sorted(data["_selected_action"]) == sorted([str(first.pk), str(second.pk)])


def test_fresh_rows_are_deleted(editor_client):
    sources = [SourceFactory() for _ in range(3)]
    data = delete_selected_confirmation(editor_client, Source, sources)

    response = editor_client.post(changelist(), data, follow=True)

    assert "Successfully deleted 3" in " ".join(messages_of(response))
    assert not Source.objects.filter(pk__in=[s.pk for s in sources]).exists()


def test_one_row_changed_meanwhile_stops_the_deletion_of_every_row(editor_client):
    sources = [SourceFactory(title_en=f"Paper {n}") for n in range(3)]
    data = delete_selected_confirmation(editor_client, Source, sources)
    now = edited_by_someone_else(sources[1])

    response = editor_client.post(changelist(), data, follow=True)

    [message] = messages_of(response)
    assert "Someone else changed" in message and "nothing has been done" in message
    assert f"“Paper 1” (now version {now})" in message
    assert "Paper 0" not in message and "Paper 2" not in message
    assert Source.objects.filter(pk__in=[s.pk for s in sources]).count() == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to take: PostgreSQL only"
)
def test_the_rows_are_locked_from_the_check_until_they_are_deleted(editor_client):
    # Without the lock another editor's save could slip in between the check and the delete.
    sources = [SourceFactory() for _ in range(2)]
    data = delete_selected_confirmation(editor_client, Source, sources)
    with CaptureQueriesContext(connection) as queries:
        editor_client.post(changelist(), data)
    sqls = [query["sql"] for query in queries.captured_queries]
    [lock] = [n for n, sql in enumerate(sqls) if sql.endswith("FOR UPDATE")]
    assert '"core_source"' in sqls[lock]
    assert lock < next(n for n, sql in enumerate(sqls) if sql.startswith("DELETE"))
    assert not Source.objects.filter(pk__in=[s.pk for s in sources]).exists()


def test_a_row_sent_without_its_version_stops_the_deletion_of_every_row(editor_client):
    sources = [SourceFactory(title_en=f"Paper {n}") for n in range(2)]
    data = delete_selected_confirmation(editor_client, Source, sources)
    del data[f"_version-{sources[0].pk}"]

    response = editor_client.post(changelist(), data, follow=True)

    [message] = messages_of(response)
    assert "without the version" in message and "“Paper 0”" in message
    assert "Paper 1" not in message
    assert Source.objects.filter(pk__in=[s.pk for s in sources]).count() == 2


def test_a_confirmation_sent_without_any_version_deletes_nothing(editor_client):
    # What a hand-made request, or the admin's own page without the versions, would send.
    sources = [SourceFactory() for _ in range(2)]
    response = editor_client.post(
        changelist(),
        {"action": "delete_selected", "_selected_action": [s.pk for s in sources], "post": "yes"},
        follow=True,
    )
    assert "without the version" in " ".join(messages_of(response))
    assert Source.objects.filter(pk__in=[s.pk for s in sources]).count() == 2


def test_a_refusal_names_at_most_ten_rows_and_counts_the_rest(editor_client):
    sources = [SourceFactory() for _ in range(12)]
    data = {
        "action": "delete_selected",
        "_selected_action": [s.pk for s in sources],
        "post": "yes",
    }
    response = editor_client.post(changelist(), data, follow=True)
    [message] = messages_of(response)
    assert message.count("“") == 10
    assert "and 2 more" in message
    assert Source.objects.count() == 12


def test_the_export_action_needs_no_version(editor_client):
    # It only reads the rows, so it is not checked.
    source = SourceFactory()
    response = editor_client.post(
        changelist(), {"action": "export_sourceexport", "_selected_action": [source.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
