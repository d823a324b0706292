"""The CSV writer every export and admin action shares."""

import datetime
from decimal import Decimal

import pytest

from core.dates import PartialDate
from core.export import BOM, cell, neutralize
from core.exports import SourceExport
from core.models import Source
from tests.factories import SourceFactory


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_it_neutralizes_text_a_spreadsheet_would_run_as_a_formula(prefix):
    assert neutralize(prefix + "HYPERLINK(1)") == "'" + prefix + "HYPERLINK(1)"


def test_it_leaves_ordinary_text_and_numbers_alone():
    assert cell("核兵器不拡散条約") == "核兵器不拡散条約"
    assert cell(Decimal("2967.80")) == "2967.8"
    assert cell(Decimal("191")) == "191"
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell(datetime.date(2021, 3, 31)) == "2021-03-31"


def test_partial_dates_keep_their_precision():
    assert cell(PartialDate.parse("1976-06")) == "1976-06"
    assert cell(PartialDate.parse("1997")) == "1997"


@pytest.mark.django_db
def test_the_file_starts_with_a_bom_and_a_header_and_streams_every_row():
    for n in range(3):
        SourceFactory(slug=f"s{n}", title_en=f"=cmd|{n}")
    response = SourceExport().response(Source.objects.order_by("slug"))
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM + "id,slug,title_en")
    lines = body.splitlines()
    assert len(lines) == 4
    assert ",'=cmd|0," in lines[1]
