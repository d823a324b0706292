"""load_seed loads the seed data as the baseline: it writes nothing to the change log."""

import pytest

from core.models import Change
from treaties.models import Treaty

pytestmark = pytest.mark.django_db


def test_loading_the_seed_data_writes_no_change(seeded):
    assert Treaty.objects.exists()
    assert not Change.objects.exists()


def load_seed_queries():
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call_command("load_seed", verbosity=0)
    return len(queries)


def test_loading_again_touches_only_the_seeds_own_rows(seeded):
    """Its work does not grow with other data: the same queries with thousands of other
    rows present, none of which gets a version or a status recomputed."""
    from treaties.models import Participation
    from treaties.scale import generate_scale_data

    alone = load_seed_queries()
    generate_scale_data(treaties=20, countries=30, seed=2, alongside_real_data=True)
    other = Participation.objects.filter(treaty__slug__startswith="scale-")
    assert other.count() == 600
    # A stored status the seed load has no business recomputing.
    stale = other.filter(status="signatory").first()
    Participation.objects.filter(pk=stale.pk).update(status="party")

    assert load_seed_queries() == alone
    assert not Participation.history.filter(treaty__slug__startswith="scale-").exists()
    assert Participation.objects.get(pk=stale.pk).status == "party"
    assert not Change.objects.exists()


def test_a_seed_row_changed_by_hand_is_put_back_and_recorded(seeded):
    """Loading again restores the seed's values and gives them a version: scoping the load
    to its own rows still covers every one of them."""
    npt = Treaty.objects.get(slug="npt")
    original = npt.short_name_en
    Treaty.objects.filter(pk=npt.pk).update(short_name_en="Changed by hand")
    before = Treaty.history.filter(id=npt.pk).count()

    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    assert Treaty.objects.get(pk=npt.pk).short_name_en == original
    # The row is as its last version holds it again: no new version needed.
    assert Treaty.history.filter(id=npt.pk).count() == before
