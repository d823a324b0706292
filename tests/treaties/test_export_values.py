"""The long exports read plain values, not records, and write the very file the records
would give: every kind of cell (partial dates, empty sources, formulas, names in both
languages, the EU's reserved code) compared byte for byte."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import Precision
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.exports import ParticipationExport, TreatyActionExport
from treaties.models import Participation, TreatyAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    source = SourceFactory(slug="bluebook")
    npt = TreatyFactory(slug="npt", display_order=1)
    ctbt = TreatyFactory(slug="ctbt", display_order=2)
    japan, eu, korea = (CountryFactory(code=code) for code in ("JP", "EU", "KP"))
    ParticipationFactory(
        treaty=npt,
        country=japan,
        source=source,
        locator="=HYPERLINK(1)",
        note_en="+1 formula",
        note_ja='日本の注記, "引用"\n二行目',
        as_of_on=datetime.date(2021, 3, 1),
        as_of_precision=Precision.MONTH,
    )
    korea_npt = ParticipationFactory(treaty=npt, country=korea, source=None, locator="")
    ParticipationFactory(
        treaty=ctbt, country=eu, as_of_on=datetime.date(1996, 1, 1), as_of_precision=Precision.YEAR
    )
    TreatyActionFactory(
        participation=korea_npt,
        action_type="accession",
        date_on=datetime.date(1985, 12, 1),
        date_precision=Precision.MONTH,
        depositary="@moscow",
        source=None,
    )
    TreatyActionFactory(
        participation=korea_npt,
        action_type="withdrawal",
        date_on=datetime.date(2003, 1, 10),
        effective_on=datetime.date(2003, 4, 10),
        note_en="-notice",
    )


@pytest.mark.parametrize(
    ("export_class", "model"),
    [(ParticipationExport, Participation), (TreatyActionExport, TreatyAction)],
)
def test_values_and_records_give_the_same_file(records, export_class, model):
    export = export_class()
    assert export.value_paths() is not None, "every column reads plain values"
    rows = model.objects.order_by(*export.ordering)
    from_values = export.content(rows, via="values")
    from_records = export.content(rows, via="records")
    assert from_values == from_records
    assert from_values.count(b"\n") >= 3


def test_the_values_file_is_what_a_reader_expects(records):
    export = ParticipationExport()
    rows = Participation.objects.order_by(*export.ordering)
    text = export.content(rows, via="values").decode()
    assert "'=HYPERLINK(1)" in text and "'+1 formula" in text
    assert "Japan,日本," in text
    assert "European Union,欧州連合" in text
    assert ",2021-03\r\n" in text and ",1996\r\n" in text


def test_the_values_export_runs_one_query_however_many_rows(records):
    export = TreatyActionExport()
    with CaptureQueriesContext(connection) as queries:
        export.content(TreatyAction.objects.order_by(*export.ordering), via="values")
    assert len(queries) == 1
