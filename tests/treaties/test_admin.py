"""The treaties admin: every page opens, search and CSV actions work, and a
participation's actions are validated as one set and keep its status up to date."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import Source
from tests.factories import CountryFactory, ParticipationFactory, TreatyActionFactory, TreatyFactory
from tests.helpers import admin_url, run_csv_action
from treaties.models import (
    Country,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
)

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Treaty, Country, Participation, TreatyAction, ReportedFigure, TreatyEvent]
NO_SIGNATURE = "has no earlier signature"


def test_every_content_model_is_registered():
    assert all(admin.site.is_registered(model) for model in CONTENT_MODELS)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_and_add_page_render(admin_client, one_of_each, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_renders(admin_client, one_of_each, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def changelist_results(admin_client, model, **query):
    response = admin_client.get(admin_url(model, "changelist"), query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["jp", "Japan", "日本"])
def test_country_search_finds_by_iso_code_or_name_in_either_language(admin_client, term):
    japan = CountryFactory(code="JP")
    CountryFactory(code="US")
    assert changelist_results(admin_client, Country, q=term) == [japan]


def test_participation_search_finds_by_country_name_and_treaty(admin_client, one_of_each):
    ctbt = TreatyFactory(slug="ctbt", short_name_en="CTBT")
    usa = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="US"))
    assert changelist_results(admin_client, Participation, q="Japan") == [
        one_of_each["participation"]
    ]
    assert changelist_results(admin_client, Participation, q="ctbt") == [usa]


def test_search_finds_sources_treaties_figures_and_events(admin_client, one_of_each):
    assert changelist_results(admin_client, Source, q="bluebook") == [one_of_each["source"]]
    assert changelist_results(admin_client, Treaty, q="npt") == [one_of_each["npt"]]
    assert len(changelist_results(admin_client, ReportedFigure, q="npt")) == 1
    assert len(changelist_results(admin_client, TreatyEvent, q="npt")) == 1
    assert changelist_results(admin_client, Treaty, q="no such treaty") == []


def test_participation_autocomplete_finds_a_country_by_name(admin_client, one_of_each):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "treaties",
            "model_name": "treatyaction",
            "field_name": "participation",
            "term": "Japan",
        },
    )
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(one_of_each["participation"].pk)]


def test_treaty_list_filter_finds_expired_treaties_whose_status_needs_review(admin_client):
    TreatyFactory(slug="npt")
    new_start = TreatyFactory(
        slug="new-start",
        kind=Treaty.Kind.BILATERAL,
        entered_into_force_on=datetime.date(2011, 2, 5),
        expires_on=datetime.date(2021, 2, 5),
        expires_precision="day",
    )
    assert changelist_results(admin_client, Treaty, needs_review="yes") == [new_start]


# --- CSV of the selected rows -----------------------------------------------------------


def test_csv_action_exports_only_the_selected_participations(admin_client):
    npt = TreatyFactory(slug="npt")
    chosen = [
        ParticipationFactory(treaty=npt, country=CountryFactory(code=c)) for c in "JP US".split()
    ]
    ParticipationFactory(treaty=npt, country=CountryFactory(code="FR"))

    header, *rows = run_csv_action(
        admin_client, Participation, "export_participationexport", chosen
    )

    assert header[:3] == ["id", "treaty", "iso2"]
    assert sorted(row[2] for row in rows) == ["JP", "US"]


@pytest.mark.parametrize(
    ("model", "action", "first_column"),
    [
        (Treaty, "export_treatyexport", "slug"),
        (Country, "export_countryexport", "iso2"),
        (TreatyAction, "export_treatyactionexport", "id"),
        (ReportedFigure, "export_reportedfigureexport", "id"),
        (TreatyEvent, "export_treatyeventexport", "id"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_every_model_has_a_csv_action_for_the_selected_rows(
    admin_client, one_of_each, model, action, first_column
):
    header, *rows = run_csv_action(admin_client, model, action, [model.objects.first()])
    assert header[0] == first_column
    assert len(rows) == 1


# --- A participation's actions, edited inline ------------------------------------------


def participation_post(treaty, country, actions, *, initial=0, note_en=""):
    """The admin form of a participation with its inline actions.

    Each action is a dict of fields; an existing one carries its `id` (and is counted in
    `initial`), one to delete carries DELETE="on".
    """
    data = {
        "treaty": treaty.pk,
        "country": country.pk,
        "note_ja": "",
        "note_en": note_en,
        "source": "",
        "locator": "",
        "as_of_on": "",
        "as_of_precision": "",
        "actions-TOTAL_FORMS": len(actions),
        "actions-INITIAL_FORMS": initial,
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    # The version the change page showed, as the browser sends it back.
    shown = Participation.objects.filter(treaty=treaty, country=country).first()
    if shown is not None:
        data["_version"] = shown.version
    for i, action in enumerate(actions):
        row = {
            "action_type": "",
            "date_on": "",
            "date_precision": "day",
            "effective_on": "",
            "depositary": "",
            "source": "",
            "locator": "",
            "as_of_on": "",
            "as_of_precision": "",
            **action,
        }
        data.update({f"actions-{i}-{key}": value for key, value in row.items()})
    return data


def existing(action, **changes):
    row = {
        "id": action.pk,
        "participation": action.participation_id,
        "action_type": action.action_type,
        "date_on": action.date_on.isoformat(),
        "date_precision": action.date_precision,
        "_version": action.version,
    }
    row.update(changes)
    return row


SIGNATURE = {"action_type": "signature", "date_on": "1970-02-03"}
RATIFICATION = {"action_type": "ratification", "date_on": "1976-06-08"}


@pytest.fixture
def npt_and_japan(db):
    return TreatyFactory(slug="npt", short_name_en="NPT"), CountryFactory(code="JP")


def test_adding_a_participation_with_signature_and_ratification_computes_party(
    admin_client, npt_and_japan
):
    npt, japan = npt_and_japan
    response = admin_client.post(
        admin_url(Participation, "add"),
        participation_post(npt, japan, [SIGNATURE, RATIFICATION]),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    participation = Participation.objects.get(treaty=npt, country=japan)
    assert participation.status == Participation.Status.PARTY
    assert participation.actions.count() == 2


def test_a_ratification_without_signature_is_rejected_and_nothing_saved(
    admin_client, npt_and_japan
):
    npt, japan = npt_and_japan
    response = admin_client.post(
        admin_url(Participation, "add"), participation_post(npt, japan, [RATIFICATION])
    )
    assert response.status_code == 200
    assert NO_SIGNATURE in response.content.decode()
    assert not Participation.objects.exists()
    assert not TreatyAction.objects.exists()


def test_signature_and_ratification_added_in_one_save_to_an_existing_participation(
    admin_client, npt_and_japan
):
    # The ratification's own model validation would compare it with the saved actions
    # (none yet) and reject it; the inline set is validated as a whole instead.
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    response = admin_client.post(
        admin_url(Participation, "change", participation.pk),
        participation_post(npt, japan, [SIGNATURE, RATIFICATION]),
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY


def test_deleting_the_ratification_inline_recomputes_the_status(admin_client, npt_and_japan):
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    signature = TreatyActionFactory(participation=participation, date_on=datetime.date(1970, 2, 3))
    ratification = TreatyActionFactory(
        participation=participation, action_type="ratification", date_on=datetime.date(1976, 6, 8)
    )
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY

    response = admin_client.post(
        admin_url(Participation, "change", participation.pk),
        participation_post(
            npt,
            japan,
            [existing(signature), existing(ratification, DELETE="on")],
            initial=2,
        ),
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.SIGNATORY
    assert list(participation.actions.all()) == [signature]


def test_deleting_the_signature_under_a_kept_ratification_is_rejected(admin_client, npt_and_japan):
    # The saved signature would satisfy a row-by-row check; the submitted set has none.
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    signature = TreatyActionFactory(participation=participation, date_on=datetime.date(1970, 2, 3))
    ratification = TreatyActionFactory(
        participation=participation, action_type="ratification", date_on=datetime.date(1976, 6, 8)
    )

    response = admin_client.post(
        admin_url(Participation, "change", participation.pk),
        participation_post(
            npt, japan, [existing(signature, DELETE="on"), existing(ratification)], initial=2
        ),
    )

    assert response.status_code == 200
    assert NO_SIGNATURE in response.content.decode()
    assert participation.actions.count() == 2
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY


def test_moving_the_signature_before_a_new_ratification_in_one_save_is_accepted(
    admin_client, npt_and_japan
):
    # Saved: a signature of 1980. Submitted: the signature moved to 1970 and a ratification
    # of 1976. Checked against the saved row the ratification would have no signature.
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    signature = TreatyActionFactory(participation=participation, date_on=datetime.date(1980, 1, 1))

    response = admin_client.post(
        admin_url(Participation, "change", participation.pk),
        participation_post(
            npt, japan, [existing(signature, date_on="1970-02-03"), RATIFICATION], initial=1
        ),
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PARTY


def test_the_status_is_shown_read_only(admin_client, npt_and_japan):
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    response = admin_client.get(admin_url(Participation, "change", participation.pk))
    assert "status" not in response.context["adminform"].form.fields
    assert "not signed" in response.content.decode()


def test_a_single_action_edited_on_its_own_page_is_still_checked_against_the_others(
    admin_client, npt_and_japan
):
    npt, japan = npt_and_japan
    participation = ParticipationFactory(treaty=npt, country=japan)
    response = admin_client.post(
        admin_url(TreatyAction, "add"),
        {
            "participation": participation.pk,
            "action_type": "ratification",
            "date_on": "1976-06-08",
            "date_precision": "day",
        },
    )
    assert response.status_code == 200
    assert NO_SIGNATURE in response.content.decode()
    assert not TreatyAction.objects.exists()
