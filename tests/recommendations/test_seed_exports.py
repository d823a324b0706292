"""Every recommendation and footnote of the seed can be downloaded with its source, and the
study group's earlier publications with their months."""

import pytest

from core.models import Source
from recommendations.models import Footnote, Recommendation
from tests.helpers import exported_rows


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("recommendations:recommendation-export", Recommendation),
        ("recommendations:footnote-export", Footnote),
    ],
)
def test_every_study_group_fact_is_exported_with_its_source(client, seeded, url_name, model):
    rows = exported_rows(client, url_name)
    assert len(rows) == model.objects.count()
    assert {row["source"] for row in rows} <= set(Source.objects.values_list("slug", flat=True))
    assert all(row["source"] for row in rows)


def test_the_earlier_publications_are_exported_with_their_months(client, seeded):
    rows = exported_rows(client, "core:source-export")
    published = {row["slug"]: row["published"] for row in rows}
    assert published["seed-000"] == "2024-04"
    assert "2020-02" in published.values()  # the February 2020 DPRK denuclearization proposal
