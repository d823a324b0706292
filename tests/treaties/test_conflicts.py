"""No silent overwrite in the treaties admin: the conflict names each field with both
values, inline actions and figures changed or deleted meanwhile stop the whole save, and a
delete confirmed on a stale page is refused."""

import pytest
from django.urls import reverse

from tests.helpers import (
    SAVED_BY_SOMEONE_ELSE,
    admin_form_data,
    change_url,
    confirm_delete,
    make_participation,
    make_treaty,
    open_change_page,
    refused,
    saved,
    shown_version,
)
from treaties.models import Participation, Treaty, TreatyAction

pytestmark = pytest.mark.django_db


# --- Two editors ------------------------------------------------------------------------


def test_the_conflict_names_each_field_the_other_editor_changed_with_both_values(
    admin_client, editor_client
):
    treaty = make_treaty()
    first_page = open_change_page(admin_client, treaty)
    second_page = open_change_page(editor_client, treaty)
    saved(
        admin_client.post(
            change_url(treaty),
            {**admin_form_data(first_page), "depositary_en": "United States", "status": "expired"},
        )
    )

    response = editor_client.post(
        change_url(treaty), {**admin_form_data(second_page), "summary_en": "A new summary."}
    )

    page = refused(response)
    errors = [str(message) for message in response.context["adminform"].form.non_field_errors()]
    assert any(
        "Depositary (English) — saved by someone else: United States / yours: —" in message
        for message in errors
    )
    assert any(
        "Stored status — saved by someone else: expired / yours: in force" in message
        for message in errors
    )
    assert "you did not change it" in page
    # Fields only the second editor touched are not conflicts.
    assert not any(message.startswith("Summary (English)") for message in errors)
    treaty.refresh_from_db()
    assert treaty.summary_en == ""


# --- Inline rows ------------------------------------------------------------------------


@pytest.fixture
def participation(db):
    return make_participation()


def inline_prefix(response, model):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no inline for {model}")


def test_an_inline_row_changed_meanwhile_stops_the_whole_save(
    admin_client, editor_client, participation
):
    action = participation.actions.get()
    second_page = open_change_page(editor_client, participation)
    prefix = inline_prefix(second_page, TreatyAction)
    assert shown_version(second_page, f"{prefix}-0") == action.version

    # The first editor corrects the action on its own page.
    action_page = open_change_page(admin_client, action)
    saved(
        admin_client.post(
            change_url(action),
            {**admin_form_data(action_page), "depositary": "UN Secretary-General"},
        )
    )

    # The second editor, on the participation page opened before, edits the note and the row.
    response = editor_client.post(
        change_url(participation),
        {
            **admin_form_data(second_page),
            "note_en": "Checked against the depositary list.",
            f"{prefix}-0-depositary": "United Nations",
        },
    )

    page = refused(response)
    assert SAVED_BY_SOMEONE_ELSE in page
    assert "UN Secretary-General" in page and "United Nations" in page
    participation.refresh_from_db()
    action.refresh_from_db()
    assert participation.note_en == "", "nothing of the save was written"
    assert action.depositary == "UN Secretary-General"
    assert shown_version(response, f"{prefix}-0") == action.version

    saved(editor_client.post(change_url(participation), admin_form_data(response)))

    participation.refresh_from_db()
    action.refresh_from_db()
    assert participation.note_en == "Checked against the depositary list."
    assert action.depositary == "United Nations"


def test_an_inline_row_left_alone_but_changed_meanwhile_is_not_overwritten(
    admin_client, editor_client, participation
):
    # The stale row would be written back with the old values: the save is refused.
    action = participation.actions.get()
    second_page = open_change_page(editor_client, participation)
    action_page = open_change_page(admin_client, action)
    saved(
        admin_client.post(change_url(action), {**admin_form_data(action_page), "locator": "p. 7"})
    )

    response = editor_client.post(
        change_url(participation), {**admin_form_data(second_page), "note_en": "Checked."}
    )

    assert "you did not change it" in refused(response)
    action.refresh_from_db()
    assert action.locator == "p. 7"


def test_a_parent_changed_meanwhile_is_caught_when_only_a_row_is_edited(
    admin_client, editor_client, participation
):
    first_page = open_change_page(admin_client, participation)
    second_page = open_change_page(editor_client, participation)
    prefix = inline_prefix(second_page, TreatyAction)
    saved(
        admin_client.post(
            change_url(participation), {**admin_form_data(first_page), "locator": "note 22"}
        )
    )

    response = editor_client.post(
        change_url(participation),
        {**admin_form_data(second_page), f"{prefix}-0-depositary": "Washington"},
    )

    refused(response)
    assert participation.actions.get().depositary == ""


def test_an_inline_row_deleted_meanwhile_stops_the_save(admin_client, editor_client, participation):
    action = participation.actions.get()
    second_page = open_change_page(editor_client, participation)
    assert confirm_delete(admin_client, action).status_code == 302

    response = editor_client.post(
        change_url(participation), {**admin_form_data(second_page), "note_en": "Checked."}
    )

    assert "was deleted by someone else" in refused(response)
    participation.refresh_from_db()
    assert participation.note_en == ""


def test_deleting_an_inline_row_changed_meanwhile_is_refused_then_can_be_confirmed(
    admin_client, editor_client, participation
):
    action = participation.actions.get()
    second_page = open_change_page(editor_client, participation)
    prefix = inline_prefix(second_page, TreatyAction)
    action_page = open_change_page(admin_client, action)
    saved(
        admin_client.post(change_url(action), {**admin_form_data(action_page), "locator": "p. 7"})
    )

    data = {**admin_form_data(second_page), f"{prefix}-0-DELETE": "on"}
    response = editor_client.post(change_url(participation), data)

    assert "has not been deleted" in refused(response)
    assert TreatyAction.objects.filter(pk=action.pk).exists()

    saved(editor_client.post(change_url(participation), admin_form_data(response)))
    assert not TreatyAction.objects.filter(pk=action.pk).exists()
    participation.refresh_from_db()
    assert participation.status == Participation.Status.NOT_SIGNED


def test_treaty_inline_figures_are_checked_too(admin_client, editor_client):
    treaty = make_treaty()
    figure = treaty.figures.get()
    second_page = open_change_page(editor_client, treaty)
    prefix = inline_prefix(second_page, type(figure))
    figure_page = open_change_page(admin_client, figure)
    saved(admin_client.post(change_url(figure), {**admin_form_data(figure_page), "value": "190"}))

    response = editor_client.post(
        change_url(treaty), {**admin_form_data(second_page), f"{prefix}-0-value": "192"}
    )

    page = refused(response)
    assert "190" in page and "192" in page
    figure.refresh_from_db()
    assert figure.value == 190


# --- Deleting -----------------------------------------------------------------------------


def test_a_delete_confirmed_on_a_stale_page_is_refused(admin_client, editor_client):
    treaty = make_treaty()
    delete_url = reverse("admin:treaties_treaty_delete", args=[treaty.pk])
    confirmation = editor_client.get(delete_url)
    version = shown_version(confirmation)
    page = open_change_page(admin_client, treaty)
    saved(admin_client.post(change_url(treaty), {**admin_form_data(page), "summary_en": "New."}))

    response = editor_client.post(delete_url, {"post": "yes", "_version": version}, follow=True)

    assert "it has not been deleted" in response.content.decode()
    assert Treaty.objects.filter(pk=treaty.pk).exists()

    fresh = shown_version(editor_client.get(delete_url))
    response = editor_client.post(delete_url, {"post": "yes", "_version": fresh})
    assert response.status_code == 302
    assert not Treaty.objects.filter(pk=treaty.pk).exists()
