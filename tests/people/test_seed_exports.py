"""Every people and session fact of the seed can be downloaded, each row with its source."""

import pytest

from core.models import Source
from people.models import Person, Session, SessionItem
from tests.helpers import exported_rows


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("people:person-export", Person),
        ("people:session-export", Session),
        ("people:session-item-export", SessionItem),
    ],
)
def test_every_study_group_fact_is_exported_with_its_source(client, seeded, url_name, model):
    rows = exported_rows(client, url_name)
    assert len(rows) == model.objects.count()
    assert {row["source"] for row in rows} <= set(Source.objects.values_list("slug", flat=True))
    assert all(row["source"] for row in rows)
