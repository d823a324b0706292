"""No silent overwrite: two editors open the same record, the first saves, and the second's
save is refused with both values shown until the second editor saves again on purpose."""

import datetime
import re
import threading
import time

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core.admin_base import ContentForm
from core.dates import PartialDate
from core.editors import EDITORS_GROUP
from people.models import Person
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    CountryFactory,
    FootnoteFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    RecommendationFactory,
    ReportedFigureFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.models import Participation, Treaty, TreatyAction

pytestmark = pytest.mark.django_db

SAVED_BY_SOMEONE_ELSE = "saved by someone else"


# --- What a browser would send back -----------------------------------------------------


def form_fields_data(form, only=None):
    """The POST data of one form as its page shows it (initial values or what was typed)."""
    data = {}
    for name, field in form.fields.items():
        if only is not None and name not in only:
            continue
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)
    return data


def admin_form_data(response):
    """Everything an admin change (or revert) page would post if saved as displayed."""
    context = response.context
    data = form_fields_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        data.update(form_fields_data(formset.management_form))
        for index, form in enumerate(formset.forms):
            if index < formset.initial_form_count() and not inline.has_change_permission:
                # A view-only row sends only its id, its parent and the delete box.
                data.update(form_fields_data(form, only={formset.model._meta.pk.name}))
                data.update(form_fields_data(form, only={formset.fk.name}))
            else:
                data.update(form_fields_data(form))
    data["_save"] = "Save"
    return data


def shown_version(response, prefix=""):
    """The version a page put in its hidden field, read from the HTML itself."""
    name = f"{prefix}-_version" if prefix else "_version"
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', response.content.decode())
    assert match, f"no hidden {name} in the page"
    return int(match.group(1))


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def open_change_page(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return response


def refused(response):
    assert response.status_code == 200, "a stale save must not redirect"
    return response.content.decode()


def saved(response):
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


# --- Two editors ------------------------------------------------------------------------


@pytest.fixture
def editor_client(db):
    """A second editor in the Editors group, logged in on a client of their own."""
    user = User.objects.create_user("second-editor", password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client = Client()
    client.force_login(user)
    return client


def make_treaty():
    treaty = TreatyFactory(slug="npt", short_name_en="NPT")
    ReportedFigureFactory(treaty=treaty)
    return treaty


def make_participation():
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="ctbt"), country=CountryFactory(code="JP")
    )
    TreatyActionFactory(participation=participation, date_on=datetime.date(1996, 9, 24))
    return participation


def make_recommendation():
    recommendation = RecommendationFactory(title_en="Promote dialogue")
    FootnoteFactory(recommendation=recommendation)
    recommendation_set_status(
        recommendation=recommendation,
        status=Recommendation.Status.PROPOSED,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
    )
    recommendation.refresh_from_db()
    return recommendation


def make_person():
    person = PersonFactory(given_name_romanized="Tatsujiro")
    MembershipFactory(person=person)
    return person


CASES = [
    pytest.param(
        make_treaty, "short_name_en", "NPT (1968)", "Non-Proliferation Treaty", id="treaty"
    ),
    pytest.param(
        make_participation, "note_en", "Signed in New York.", "Ratified 1997.", id="participation"
    ),
    pytest.param(
        make_recommendation,
        "title_en",
        "Promote Track 2 dialogue",
        "Promote dialogue with China",
        id="recommendation",
    ),
    pytest.param(make_person, "given_name_romanized", "Tatsujirō", "Tatujiro", id="person"),
]


@pytest.mark.parametrize(("make", "field", "first_value", "second_value"), CASES)
def test_the_second_save_on_a_stale_form_is_refused_then_can_be_reapplied(
    admin_client, editor_client, make, field, first_value, second_value
):
    obj = make()
    model = type(obj)
    first_page = open_change_page(admin_client, obj)
    second_page = open_change_page(editor_client, obj)
    assert shown_version(first_page) == shown_version(second_page) == obj.version

    saved(admin_client.post(change_url(obj), {**admin_form_data(first_page), field: first_value}))

    response = editor_client.post(
        change_url(obj), {**admin_form_data(second_page), field: second_value}
    )

    page = refused(response)
    assert "Someone else saved this" in page
    assert SAVED_BY_SOMEONE_ELSE in page
    assert first_value in page and second_value in page
    stored = model.objects.get(pk=obj.pk)
    assert getattr(stored, field) == first_value, "the first editor's value stays"
    # The page now carries the version the second editor has seen: saving again reapplies.
    assert shown_version(response) == stored.version

    saved(editor_client.post(change_url(obj), admin_form_data(response)))

    stored = model.objects.get(pk=obj.pk)
    assert getattr(stored, field) == second_value
    assert stored.version == obj.version + 2


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


def test_a_save_on_a_fresh_form_goes_through_and_raises_the_version(admin_client):
    person = make_person()
    page = open_change_page(admin_client, person)
    saved(admin_client.post(change_url(person), {**admin_form_data(page), "note": "Chair"}))
    person.refresh_from_db()
    assert person.note == "Chair"
    assert person.version == 2
    assert shown_version(open_change_page(admin_client, person)) == 2


def test_two_saves_from_one_page_are_caught_too(admin_client):
    # The same editor submitting an old tab again is no different from another editor.
    person = make_person()
    data = admin_form_data(open_change_page(admin_client, person))
    saved(admin_client.post(change_url(person), {**data, "note": "first"}))
    refused(admin_client.post(change_url(person), {**data, "note": "second"}))
    assert Person.objects.get(pk=person.pk).note == "first"


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
    delete_url = reverse("admin:treaties_treatyaction_delete", args=[action.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

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


# --- Two saves at the same moment ----------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to take: PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_another_waits_for_it_and_then_sees_the_conflict():
    # Without the row lock the second check would read the old version while the first
    # save is still under way, pass, and overwrite it.
    treaty = TreatyFactory(slug="npt", short_name_en="NPT")
    TreatyForm = forms.modelform_factory(
        Treaty, form=ContentForm, fields=["slug", "short_name_en", "kind", "status"]
    )

    def post(short_name):
        return {
            "slug": "npt",
            "short_name_en": short_name,
            "kind": treaty.kind,
            "status": treaty.status,
            "_version": treaty.version,
        }

    first_checked, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                form = TreatyForm(post("first"), instance=Treaty.objects.get(pk=treaty.pk))
                results["first"] = form.is_valid()
                first_checked.set()
                time.sleep(0.5)
                form.save()
        finally:
            first_checked.set()
            connection.close()

    def second():
        try:
            first_checked.wait(5)
            with transaction.atomic():
                form = TreatyForm(post("second"), instance=Treaty.objects.get(pk=treaty.pk))
                results["second"] = form.is_valid()
                if results["second"]:
                    form.save()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results == {"first": True, "second": False}
    assert Treaty.objects.get(pk=treaty.pk).short_name_en == "first"
