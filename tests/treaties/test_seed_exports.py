"""Every treaty fact of the seed documents can be downloaded, each row with its source."""

import pytest

from tests.helpers import exported_rows
from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent


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
    rows = exported_rows(client, url_name)
    assert len(rows) == model.objects.count()
    assert all(row["source"] for row in rows), "a row without its source"
    assert all(row["locator"] for row in rows), "a row without its locator"
    stated = model.objects.exclude(as_of_on=None).count()
    assert sum(1 for row in rows if row["as_of"]) == stated


def test_the_2021_figures_of_seed_004_are_exported_as_of_end_of_march(client, seeded):
    rows = exported_rows(client, "treaties:figure-export")
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
