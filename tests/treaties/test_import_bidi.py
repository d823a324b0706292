"""An imported file, or what its batch gives every row, holding a bidirectional control is
refused before anything is written, each cell named by line and column."""

import base64
import datetime

import pytest
from django.urls import reverse

from core.dates import PartialDate
from tests.factories import CountryFactory, SourceFactory, TreatyFactory
from treaties.importing import Batch, ImportRefused, apply_import, plan_import
from treaties.models import ImportBatch, TreatyAction

pytestmark = pytest.mark.django_db
RLO = "\u202e"
TABLE = "Participant\tSignature\tRatification, Accession(a)\nAustria\t20 Sep 2017\t8 May 2018\n"


@pytest.fixture
def tpnw():
    CountryFactory(code="AT")
    return TreatyFactory(slug="tpnw", short_name_en="TPNW", opened_on=datetime.date(2017, 9, 20))


@pytest.fixture
def untc():
    return SourceFactory(slug="untc-tpnw", title_en="UNTC XXVI-9")


def batch(tpnw, untc, **given):
    return Batch(treaty=tpnw, source=untc, as_of=PartialDate.parse("2026-11-01"), **given)


def test_the_plain_file_imports(tpnw, untc):
    plan = plan_import(TABLE.encode(), filename="t.tsv", batch=batch(tpnw, untc))
    assert plan.ok, plan.errors


def test_a_cell_holding_one_is_refused_by_line_and_column(tpnw, untc):
    text = TABLE + f"Austria\t\t8 May 2018 {RLO}a\n"
    plan = plan_import(text.encode(), filename="t.tsv", batch=batch(tpnw, untc))
    messages = [str(error) for error in plan.errors]
    assert (
        "line 3: column “Ratification, Accession(a)”: The text contains an invisible "
        "right-to-left override (U+202E) at position 12; remove it."
    ) in messages
    with pytest.raises(ImportRefused):
        apply_import(text.encode(), filename="t.tsv", batch=batch(tpnw, untc))
    assert TreatyAction.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_locator_given_for_the_batch_is_checked_too(tpnw, untc):
    plan = plan_import(
        TABLE.encode(), filename="t.tsv", batch=batch(tpnw, untc, locator=f"table {RLO}2")
    )
    assert [str(error) for error in plan.errors] == [
        "locator: The text contains an invisible right-to-left override (U+202E) at "
        "position 7; remove it."
    ]


def test_the_import_page_refuses_a_field_or_a_file_name_holding_one(admin_client, tpnw, untc):
    # An uploaded file's name reaches the form without it (Django drops unprintable
    # characters from it); the name sent back with the confirmation is plain form data.
    response = admin_client.post(
        reverse("admin:treaties_importbatch_add"),
        {
            "treaty": tpnw.pk,
            "source": untc.pk,
            "locator": f"status {RLO}table",
            "as_of": "2026-11-01",
            "data": base64.b64encode(TABLE.encode()).decode(),
            "filename": f"list{RLO}vst.exe",
            "apply": "1",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "U+202E" in errors["file"][0] and "position 5" in errors["file"][0]
    assert "U+202E" in errors["locator"][0] and "position 8" in errors["locator"][0]
    assert TreatyAction.objects.count() == 0
    assert ImportBatch.objects.count() == 0
