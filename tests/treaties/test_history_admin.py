"""Edit history in the treaties admin: every save is a version with who, when and why; the history
page shows what each version changed; an earlier version, or a deleted record, is restored
as a new version and the old ones stay as they were."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import (
    admin_form_data,
    admin_url,
    change_url,
    confirm_delete,
    history_url,
    open_change_page,
    restore,
    revert_url,
    saved,
)
from treaties.models import Participation, Treaty, TreatyAction, TreatyEvent

pytestmark = pytest.mark.django_db


def versions(obj):
    """(id, type, reason, short state) of every version, oldest first, to compare later."""
    return [
        (record.history_id, record.history_type, record.history_change_reason, record.version)
        for record in obj.history.order_by("history_date", "history_id")
    ]


def edit(client, obj, **changes):
    page = open_change_page(client, obj)
    return saved(client.post(change_url(obj), {**admin_form_data(page), **changes}))


@pytest.fixture
def treaty(db):
    return TreatyFactory(slug="npt", short_name_en="NPT", depositary_en="")


# --- An edit is a version -----------------------------------------------------------------


def test_an_edit_is_a_new_version_with_its_editor_and_reason(admin_client, admin_user, treaty):
    edit(
        admin_client,
        treaty,
        short_name_en="NPT (1968)",
        _change_reason="Short name as the depositary writes it",
    )

    records = list(treaty.history.order_by("-history_date", "-history_id"))
    assert len(records) == 2
    latest = records[0]
    assert latest.history_type == "~"
    assert latest.short_name_en == "NPT (1968)"
    assert latest.history_change_reason == "Short name as the depositary writes it"
    assert latest.history_user == admin_user
    assert latest.version == 2
    assert records[1].short_name_en == "NPT"


def test_an_edit_without_a_reason_leaves_the_reason_empty(admin_client, treaty):
    edit(admin_client, treaty, short_name_en="NPT (1968)")
    assert treaty.history.first().history_change_reason is None


def test_the_change_reason_also_goes_on_the_inline_rows_saved_with_the_record(admin_client):
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="ctbt"), country=CountryFactory(code="JP")
    )
    action = TreatyActionFactory(participation=participation)
    edit(
        admin_client,
        participation,
        **{"actions-0-depositary": "UN Secretary-General", "_change_reason": "UN list"},
    )
    assert action.history.first().history_change_reason == "UN list"
    assert participation.history.first().history_change_reason == "UN list"


def test_the_history_page_shows_each_changed_field_with_old_and_new_value(
    admin_client, admin_user, treaty
):
    edit(
        admin_client,
        treaty,
        short_name_en="NPT (1968)",
        status=Treaty.Status.EXPIRED,
        _change_reason="checked",
    )

    response = admin_client.get(history_url(treaty))

    assert response.status_code == 200
    latest = response.context["page_obj"][0]
    assert sorted(latest.history_delta_changes, key=lambda change: change["field"]) == [
        {"field": "Short name (English)", "old": "NPT", "new": "NPT (1968)"},
        {"field": "Stored status", "old": "in force", "new": "expired"},
    ]
    page = response.content.decode()
    assert "Short name (English)" in page
    assert "NPT (1968)" in page
    assert "checked" in page
    assert admin_user.username in page


def test_the_history_page_shows_names_for_relations_and_lists(admin_client):
    japan, usa = CountryFactory(code="JP"), CountryFactory(code="US")
    event = TreatyEventFactory(countries=[japan])
    page = open_change_page(admin_client, event)
    saved(
        admin_client.post(
            change_url(event), {**admin_form_data(page), "countries": [japan.pk, usa.pk]}
        )
    )
    content = admin_client.get(history_url(event)).content.decode()
    assert "Countries involved" in content
    assert "United States of America" in content


# --- Restoring an earlier version -----------------------------------------------------------


def test_restoring_an_earlier_version_brings_it_back_as_a_new_version(admin_client, treaty):
    edit(admin_client, treaty, short_name_en="NPT (1968)", depositary_en="United States")
    before = versions(treaty)
    first = treaty.history.order_by("history_date", "history_id").first()

    response = restore(admin_client, revert_url(treaty, first))

    assert response.status_code == 302
    assert response["Location"] == history_url(treaty)
    treaty.refresh_from_db()
    assert treaty.short_name_en == "NPT"
    assert treaty.depositary_en == ""
    after = versions(treaty)
    assert len(after) == len(before) + 1
    assert after[:-1] == before, "the old versions are untouched"
    _id, kind, reason, version = after[-1]
    assert kind == "~"
    assert reason.startswith("restored the version of")
    assert version == treaty.version == 3  # numbers only go up


def test_the_revert_form_shows_the_old_values_and_a_reason_can_be_given(admin_client, treaty):
    edit(admin_client, treaty, short_name_en="NPT (1968)")
    first = treaty.history.order_by("history_date").first()
    page = admin_client.get(revert_url(treaty, first))
    assert page.context["adminform"].form.initial["short_name_en"] == "NPT"
    assert 'value="Revert"' in page.content.decode()

    restore(admin_client, revert_url(treaty, first), _change_reason="Wrong treaty edited")

    assert treaty.history.first().history_change_reason == "Wrong treaty edited"


def test_restoring_an_event_brings_back_its_countries(admin_client):
    japan, usa = CountryFactory(code="JP"), CountryFactory(code="US")
    event = TreatyEventFactory(countries=[japan])
    first = event.history.first()
    page = open_change_page(admin_client, event)
    saved(admin_client.post(change_url(event), {**admin_form_data(page), "countries": [usa.pk]}))
    assert list(event.countries.all()) == [usa]

    saved(restore(admin_client, revert_url(event, first)))

    assert list(TreatyEvent.objects.get(pk=event.pk).countries.all()) == [japan]


def test_a_restore_made_on_a_stale_revert_form_is_refused_like_any_save(admin_client, treaty):
    edit(admin_client, treaty, short_name_en="NPT (1968)")
    first = treaty.history.order_by("history_date").first()
    page = admin_client.get(revert_url(treaty, first))
    edit(admin_client, treaty, depositary_en="United States")

    response = admin_client.post(revert_url(treaty, first), admin_form_data(page))

    assert response.status_code == 200
    assert "saved by someone else" in response.content.decode()
    treaty.refresh_from_db()
    assert treaty.short_name_en == "NPT (1968)"
    saved(admin_client.post(revert_url(treaty, first), admin_form_data(response)))
    treaty.refresh_from_db()
    assert treaty.short_name_en == "NPT"
    assert treaty.depositary_en == ""


# --- Deleted records ------------------------------------------------------------------------


def test_a_deleted_record_keeps_its_history_and_is_restored_from_the_admin(admin_client, treaty):
    public_url = treaty.get_absolute_url()
    assert admin_client.get(public_url).status_code == 200
    edit(admin_client, treaty, short_name_en="NPT (1968)")
    before = versions(treaty)
    delete_url = admin_url(Treaty, "delete", treaty.pk)
    assert "Change reason" in admin_client.get(delete_url).content.decode()
    response = confirm_delete(admin_client, treaty, _change_reason="duplicate")
    assert response.status_code == 302

    assert not Treaty.objects.filter(pk=treaty.pk).exists()
    assert admin_client.get(public_url).status_code == 404
    after_delete = versions(treaty)
    assert after_delete[:-1] == before
    assert after_delete[-1][1:3] == ("-", "duplicate")

    deleted_list = admin_client.get(admin_url(Treaty, "deleted"))
    [row] = deleted_list.context["rows"]
    assert row["pk"] == treaty.pk
    assert row["label"] == "NPT (1968)"
    last_kept = treaty.history.exclude(history_type="-").first()
    assert row["restore_url"] == revert_url(treaty, last_kept)
    assert admin_client.get(history_url(treaty)).status_code == 200

    saved(restore(admin_client, row["restore_url"]))

    restored = Treaty.objects.get(pk=treaty.pk)
    assert restored.short_name_en == "NPT (1968)"
    assert admin_client.get(public_url).status_code == 200
    final = versions(treaty)
    assert final[:-1] == after_delete
    assert final[-1][1] == "+"
    assert restored.version > after_delete[-1][3]
    assert admin_client.get(admin_url(Treaty, "deleted")).context["rows"] == []


def test_rows_deleted_with_their_parent_are_restored_after_it(admin_client, treaty):
    figure = ReportedFigureFactory(treaty=treaty, value=191)
    assert confirm_delete(admin_client, treaty).status_code == 302
    assert not type(figure).objects.exists()

    [figure_row] = admin_client.get(admin_url(type(figure), "deleted")).context["rows"]
    assert figure_row["pk"] == figure.pk
    assert admin_client.get(figure_row["history_url"]).status_code == 200
    # The figure's treaty is gone: its restore is refused until the treaty is back.
    response = restore(admin_client, figure_row["restore_url"])
    assert response.status_code == 200
    assert not type(figure).objects.exists()

    [treaty_row] = admin_client.get(admin_url(Treaty, "deleted")).context["rows"]
    saved(restore(admin_client, treaty_row["restore_url"]))
    saved(restore(admin_client, figure_row["restore_url"]))

    assert type(figure).objects.get(pk=figure.pk).value == 191
    assert "191" in admin_client.get(treaty.get_absolute_url()).content.decode()


def delete(obj):
    """Delete a row but keep the instance's pk, to build admin URLs for it afterwards."""
    pk = obj.pk
    obj.delete()
    obj.pk = pk


def test_the_history_of_a_deleted_record_points_to_its_restore(admin_client, treaty):
    delete(treaty)
    page = admin_client.get(history_url(treaty)).content.decode()
    assert "This record has been deleted" in page
    assert revert_url(treaty, treaty.history.exclude(history_type="-").first()) in page


def test_a_record_restored_twice_at_once_is_a_conflict_the_second_time(admin_client, treaty):
    delete(treaty)
    url = revert_url(treaty, treaty.history.exclude(history_type="-").first())
    first, second = admin_client.get(url), admin_client.get(url)
    saved(admin_client.post(url, admin_form_data(first)))
    response = admin_client.post(url, admin_form_data(second))
    assert response.status_code == 200
    assert "Someone else saved this treaty" in response.content.decode()


@pytest.fixture
def party(db):
    """Japan, party to the NPT: a signature and a ratification."""
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="npt", short_name_en="NPT"), country=CountryFactory(code="JP")
    )
    TreatyActionFactory(participation=participation, date_on=datetime.date(1970, 2, 3))
    TreatyActionFactory(
        participation=participation,
        action_type=TreatyAction.Type.RATIFICATION,
        date_on=datetime.date(1976, 6, 8),
    )
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY
    return participation


def test_restoring_a_deleted_treaty_action_recomputes_the_participation_status(admin_client, party):
    ratification = party.actions.get(action_type=TreatyAction.Type.RATIFICATION)
    assert confirm_delete(admin_client, ratification).status_code == 302
    party.refresh_from_db()
    assert party.status == Participation.Status.SIGNATORY

    [row] = admin_client.get(admin_url(TreatyAction, "deleted")).context["rows"]
    saved(restore(admin_client, row["restore_url"]))

    party.refresh_from_db()
    assert party.status == Participation.Status.PARTY
    assert TreatyAction.objects.filter(pk=ratification.pk).exists()


def test_restoring_an_earlier_treaty_action_recomputes_the_participation_status(admin_client):
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP")
    )
    action = TreatyActionFactory(participation=participation, date_on=datetime.date(1970, 2, 3))
    first = action.history.get()
    edit(admin_client, action, action_type=TreatyAction.Type.ACCESSION)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY

    saved(restore(admin_client, revert_url(action, first)))

    participation.refresh_from_db()
    assert participation.status == Participation.Status.SIGNATORY
    assert TreatyAction.objects.get(pk=action.pk).action_type == TreatyAction.Type.SIGNATURE


def test_restoring_an_old_participation_version_keeps_the_status_its_actions_give(
    admin_client,
):
    # The first version was recorded before any action: its stored status is "not signed".
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP")
    )
    first = participation.history.get()
    TreatyActionFactory(participation=participation, date_on=datetime.date(1970, 2, 3))
    edit(admin_client, participation, note_en="Signed in 1970.")

    saved(restore(admin_client, revert_url(participation, first)))

    participation.refresh_from_db()
    assert participation.note_en == ""
    assert participation.status == Participation.Status.SIGNATORY
    assert participation.history.first().status == Participation.Status.SIGNATORY


# --- Who may see and restore ------------------------------------------------------------------


def test_an_editor_can_see_the_history_and_restore(editor_client, editor, treaty):
    edit(editor_client, treaty, short_name_en="NPT (1968)", _change_reason="by the editor")
    response = editor_client.get(history_url(treaty))
    assert response.status_code == 200
    assert "by the editor" in response.content.decode()

    first = treaty.history.order_by("history_date").first()
    saved(restore(editor_client, revert_url(treaty, first)))

    treaty.refresh_from_db()
    assert treaty.short_name_en == "NPT"
    assert treaty.history.first().history_user == editor

    delete(treaty)
    assert editor_client.get(admin_url(Treaty, "deleted")).status_code == 200
    [row] = editor_client.get(admin_url(Treaty, "deleted")).context["rows"]
    saved(restore(editor_client, row["restore_url"]))
    assert Treaty.objects.filter(pk=treaty.pk).exists()


def test_anonymous_visitors_see_no_history_and_restore_nothing(client, treaty):
    first = treaty.history.get()
    treaty.short_name_en = "changed"
    treaty.save()
    login = reverse("admin:login")
    for url in (history_url(treaty), revert_url(treaty, first), admin_url(Treaty, "deleted")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    response = client.post(revert_url(treaty, first), {"short_name_en": "NPT", "slug": "npt"})
    assert response.status_code == 302
    treaty.refresh_from_db()
    assert treaty.short_name_en == "changed"


def test_a_view_only_user_sees_the_history_but_cannot_restore(treaty):
    user = User.objects.create_user("reader", password="not-used", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_treaty"))
    client = Client()
    client.force_login(user)
    treaty.short_name_en = "changed"
    treaty.save()
    first = treaty.history.order_by("history_date").first()

    assert client.get(history_url(treaty)).status_code == 200
    page = client.get(revert_url(treaty, first))
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert client.post(revert_url(treaty, first), admin_form_data(page)).status_code == 403
    treaty.refresh_from_db()
    assert treaty.short_name_en == "changed"


# --- Pages stay cheap ---------------------------------------------------------------------


def make_versions(participation, count):
    for n in range(count):
        participation.note_en = f"note {n}"
        participation.save()


@pytest.mark.parametrize("versions_count", [3, 30])
def test_the_history_page_queries_do_not_grow_with_the_versions(
    admin_client, django_assert_max_num_queries, versions_count
):
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP")
    )
    make_versions(participation, versions_count)
    with django_assert_max_num_queries(20):
        response = admin_client.get(history_url(participation))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == versions_count + 1


@pytest.mark.parametrize("deleted_count", [2, 20])
def test_the_deleted_records_page_queries_do_not_grow_with_the_rows(
    admin_client, django_assert_max_num_queries, deleted_count
):
    npt = TreatyFactory(slug="npt")
    for _ in range(deleted_count):
        ParticipationFactory(treaty=npt, country=CountryFactory()).delete()
    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(Participation, "deleted"))
    assert len(response.context["rows"]) == deleted_count


def test_a_post_without_a_version_is_refused_and_nothing_is_saved(admin_client, treaty):
    # Every admin page sends the version; a save without one could overwrite unseen edits.
    data = admin_form_data(open_change_page(admin_client, treaty))
    del data["_version"]
    response = admin_client.post(change_url(treaty), {**data, "short_name_en": "NPT (1968)"})
    assert response.status_code == 200
    assert "sent without the version it showed" in response.content.decode()
    treaty.refresh_from_db()
    assert treaty.short_name_en != "NPT (1968)"
