"""The change log's records: one Change row per version of a record, naming the fields
it changed; the seed baseline writes none."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core.history import record_current_state
from core.models import Change
from tests.factories import ParticipationFactory, SourceFactory, TreatyEventFactory
from tests.helpers import changes_of
from treaties.models import Participation, Treaty

pytestmark = pytest.mark.django_db


def test_creating_a_record_logs_a_created_change_with_no_fields(treaty):
    change = changes_of(treaty).get()
    assert change.kind == Change.Kind.CREATED
    assert change.changed_fields == []
    assert change.object_repr == "NPT"
    assert change.public is True
    version = treaty.history.get()
    assert change.history_id == version.history_id
    assert change.changed_at == version.history_date


def test_an_edit_logs_the_names_of_the_fields_it_changed(treaty):
    treaty.status = Treaty.Status.EXPIRED
    treaty.summary_en = "Extended once, to 2026."
    treaty.save()

    change = changes_of(treaty).last()

    assert change.kind == Change.Kind.CHANGED
    # updated_at and version move with every save; they are not news.
    assert change.changed_fields == ["status", "summary_en"]
    assert change.history_id == treaty.history.latest().history_id


def test_a_change_of_source_is_logged_under_the_field_name(treaty):
    treaty.source = SourceFactory()
    treaty.save()
    assert changes_of(treaty).last().changed_fields == ["source"]


def test_a_save_that_changes_nothing_logs_a_change_with_no_fields(treaty):
    treaty.save()
    change = changes_of(treaty).last()
    assert change.kind == Change.Kind.CHANGED
    assert change.changed_fields == []


def test_deleting_a_record_logs_a_deleted_change_that_keeps_its_name(treaty, country):
    participation = ParticipationFactory(treaty=treaty, country=country)
    pk = participation.pk
    participation.delete()

    change = Change.objects.filter(
        content_type=ContentType.objects.get_for_model(Participation), object_id=str(pk)
    ).latest("changed_at", "pk")

    assert change.kind == Change.Kind.DELETED
    assert change.object_repr == "Japan — NPT"
    assert change.changed_fields == []


def test_changing_the_countries_of_an_event_logs_the_many_to_many_field(treaty, country):
    event = TreatyEventFactory(treaty=treaty)
    event.countries.add(country)
    assert changes_of(event).last().changed_fields == ["countries"]


def test_a_long_name_is_cut_to_the_column(treaty):
    treaty.short_name_en = "N" * 60
    treaty.name_en = "x" * 300
    treaty.save()
    assert len(changes_of(treaty).last().object_repr) <= 300


def test_the_seed_baseline_writes_no_change(db):
    # bulk_history_create sends no signal: loading seed rows is not an edit.
    Treaty.objects.bulk_create(
        [Treaty(slug="npt", short_name_en="NPT", kind="multilateral", status="in_force")]
    )
    assert record_current_state() == 1
    assert not Change.objects.exists()
