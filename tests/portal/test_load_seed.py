"""load_seed loads the seed data as the baseline: it writes nothing to the change log."""

import pytest

from core.models import Change
from treaties.models import Treaty

pytestmark = pytest.mark.django_db


def test_loading_the_seed_data_writes_no_change(seeded):
    assert Treaty.objects.exists()
    assert not Change.objects.exists()
