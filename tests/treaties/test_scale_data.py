"""generate_scale_data: deterministic, valid under every rule, statuses derived by the
site's own code, and never mixed into real data unless asked."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from treaties.models import Participation, Treaty, TreatyAction, today
from treaties.scale import generate_scale_data

pytestmark = pytest.mark.django_db


def fingerprint():
    return [
        (
            p.treaty.slug,
            str(p.country.code),
            p.status,
            p.required_for_entry_into_force,
            [(a.action_type, a.date_on, a.date_precision, a.effective_on) for a in p.actions.all()],
        )
        for p in Participation.objects.select_related("treaty", "country")
        .prefetch_related("actions")
        .order_by("treaty__slug", "country__code")
    ]


def test_it_writes_treaties_times_countries_participations_with_valid_acts():
    done = generate_scale_data(treaties=12, countries=15, seed=3)
    assert (done.treaties, done.countries, done.participations) == (12, 15, 180)
    assert Participation.objects.count() == 180
    assert TreatyAction.objects.count() == done.actions > 180
    on = today()
    for participation in Participation.objects.prefetch_related("actions").select_related(
        "treaty"
    ):
        acts = list(participation.actions.all())
        # Saved, the acts still pass the sequence rules and give the stored status.
        for act in acts:
            act.full_clean()
        assert participation.status == participation.status_on(on, acts)
    for treaty in Treaty.objects.all():
        treaty.full_clean()
        assert treaty.status == treaty.derived_status()
    # Several kinds of act and status are represented, partial dates too.
    assert TreatyAction.objects.values("action_type").distinct().count() >= 3
    assert Participation.objects.values("status").distinct().count() >= 3


def test_the_same_arguments_give_the_same_rows():
    generate_scale_data(treaties=4, countries=6, seed=7)
    first = fingerprint()
    Participation.objects.all().delete()
    Treaty.objects.all().delete()
    from core.models import Source

    Source.objects.all().delete()
    generate_scale_data(treaties=4, countries=6, seed=7)
    assert fingerprint() == first
    Participation.objects.all().delete()
    Treaty.objects.all().delete()
    Source.objects.all().delete()
    generate_scale_data(treaties=4, countries=6, seed=8)
    assert fingerprint() != first


def test_a_database_with_real_data_is_refused_unless_asked(seeded):
    before = Participation.objects.count()
    with pytest.raises(CommandError, match="holds real data"):
        call_command("generate_scale_data", "--treaties", "2", "--countries", "3", verbosity=0)
    assert Participation.objects.count() == before
    call_command(
        "generate_scale_data",
        "--treaties", "2",
        "--countries", "3",
        "--alongside-real-data",
        verbosity=0,
    )
    assert Participation.objects.count() == before + 6
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_scale_data", "--treaties", "2", "--countries", "3", verbosity=0)


def test_the_sequence_rules_hold_for_the_generated_acts():
    generate_scale_data(treaties=3, countries=10, seed=1)
    act = TreatyAction.objects.filter(action_type="ratification").first()
    # A ratification moved before the treaty opened breaks the rules: the check is real.
    act.date_on = act.participation.treaty.opened_on.replace(year=1900)
    act.date_precision = "day"
    with pytest.raises(ValidationError):
        act.full_clean()
