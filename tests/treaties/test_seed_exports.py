"""Every fact of the seed documents can be downloaded, each row with its source."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import Source
from people.models import Person, Session, SessionItem
from recommendations.models import Footnote, Recommendation
from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent


def download(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("treaties:treaty-export", Treaty),
        ("treaties:participation-export", Participation),
        ("treaties:action-export", TreatyAction),
        ("treaties:figure-export", ReportedFigure),
        ("treaties:event-export", TreatyEvent),
    ],
)
def test_every_treaty_fact_is_exported_with_its_source_and_as_of(client, seeded, url_name, model):
    rows = download(client, url_name)
    assert len(rows) == model.objects.count()
    assert all(row["source"] for row in rows), "a row without its source"
    assert all(row["locator"] for row in rows), "a row without its locator"
    stated = model.objects.exclude(as_of_on=None).count()
    assert sum(1 for row in rows if row["as_of"]) == stated


def test_the_2021_figures_of_seed_004_are_exported_as_of_end_of_march(client, seeded):
    rows = download(client, "treaties:figure-export")
    npt = next(
        row
        for row in rows
        if row["treaty"] == "npt" and row["metric"] == "parties" and row["source"] == "seed-004"
    )
    assert (npt["value"], npt["as_of"], npt["source"]) == ("191", "2021-03-31", "seed-004")
    ctbt = next(
        row for row in rows if row["treaty"] == "ctbt" and row["metric"] == "required_ratifications"
    )
    assert (ctbt["value"], ctbt["out_of"]) == ("36", "44")


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("people:person-export", Person),
        ("people:session-export", Session),
        ("people:session-item-export", SessionItem),
        ("recommendations:recommendation-export", Recommendation),
        ("recommendations:footnote-export", Footnote),
    ],
)
def test_every_study_group_fact_is_exported_with_its_source(client, seeded, url_name, model):
    rows = download(client, url_name)
    assert len(rows) == model.objects.count()
    assert {row["source"] for row in rows} <= set(Source.objects.values_list("slug", flat=True))
    assert all(row["source"] for row in rows)


def test_the_earlier_publications_are_exported_with_their_months(client, seeded):
    rows = download(client, "core:source-export")
    published = {row["slug"]: row["published"] for row in rows}
    assert published["seed-000"] == "2024-04"
    assert "2020-02" in published.values()  # the February 2020 DPRK denuclearization proposal
