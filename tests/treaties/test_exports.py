"""CSV exports of the treaty lists: format, filters shared with the page, every matching row."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.views_base import PAGE_SIZE
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
    iso_code,
)
from treaties.models import Country, Participation, Treaty

pytestmark = pytest.mark.django_db

D = datetime.date
BOM = "\ufeff"


def read_csv(response):
    """(raw text, rows as dicts) of a streamed CSV response."""
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return text, list(csv.DictReader(io.StringIO(text[len(BOM) :])))


@pytest.fixture
def source(db):
    return SourceFactory(slug="bluebook-2021", title_en="Diplomatic Bluebook 2021")


@pytest.fixture
def npt(source):
    return TreatyFactory(
        slug="npt",
        short_name_en="NPT",
        short_name_ja="NPT",
        adopted_on=D(1968, 6, 12),
        opened_on=D(1968, 7, 1),
        entered_into_force_on=D(1970, 3, 5),
        display_order=10,
        source=source,
    )


@pytest.fixture
def ctbt(source):
    return TreatyFactory(
        slug="ctbt",
        short_name_en="CTBT",
        status=Treaty.Status.NOT_IN_FORCE,
        adopted_on=D(1996, 1, 1),
        adopted_precision="year",
        opened_on=D(1996, 9, 1),
        opened_precision="month",
        entered_into_force_on=None,
        entered_into_force_precision="",
        display_order=20,
        source=source,
    )


@pytest.fixture
def japan_in_npt(npt, source):
    participation = ParticipationFactory(
        treaty=npt,
        country=CountryFactory(code="JP", region="asia"),
        source=source,
        locator="note 22",
        as_of_on=D(2021, 3, 1),
        as_of_precision="month",
    )
    TreatyActionFactory(participation=participation, action_type="signature", date_on=D(1970, 2, 3))
    TreatyActionFactory(
        participation=participation,
        action_type="ratification",
        date_on=D(1976, 6, 1),
        date_precision="month",
    )
    participation.refresh_from_db()
    return participation


# -- format ----------------------------------------------------------------------------


def test_treaty_export_has_header_slugs_and_partial_dates(client, npt, ctbt):
    text, rows = read_csv(client.get(reverse("treaties:treaty-export")))

    assert text[1:].startswith("slug,short_name_en,")
    assert [r["slug"] for r in rows] == ["npt", "ctbt"]
    npt_row, ctbt_row = rows
    assert npt_row["adopted"] == "1968-06-12"
    assert npt_row["entered_into_force"] == "1970-03-05"
    assert ctbt_row["adopted"] == "1996"
    assert ctbt_row["opened_for_signature"] == "1996-09"
    assert ctbt_row["entered_into_force"] == ""
    assert npt_row["source"] == "bluebook-2021"


def test_treaty_export_shows_effective_status_beside_stored_one(client, source):
    TreatyFactory(
        slug="new-start",
        kind="bilateral",
        status="in_force",
        entered_into_force_on=D(2011, 2, 5),
        expires_on=D(2026, 2, 5),
        expires_precision="day",
    )

    _, rows = read_csv(client.get(reverse("treaties:treaty-export")))

    assert rows[0]["stored_status"] == "in_force"
    assert rows[0]["status"] == "expired"
    assert rows[0]["expires"] == "2026-02-05"


def test_country_export_has_iso_codes_and_names_in_both_languages(client, japan_in_npt):
    _, rows = read_csv(client.get(reverse("treaties:country-export")))

    assert rows == [
        {
            "iso2": "JP",
            "name_en": "Japan",
            "name_ja": "日本",
            "un_member": "true",
            "region": "asia",
            "nuclear_posture": "none",
            "posture_source": "",
            "posture_locator": "",
        }
    ]


def test_participation_export_has_ids_slugs_codes_and_provenance(client, japan_in_npt):
    _, rows = read_csv(client.get(reverse("treaties:participation-export")))

    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(japan_in_npt.pk)
    assert row["treaty"] == "npt"
    assert row["iso2"] == "JP"
    assert row["country_en"] == "Japan"
    assert row["status"] == "party"
    assert row["source"] == "bluebook-2021"
    assert row["locator"] == "note 22"
    assert row["as_of"] == "2021-03"


def test_action_export_writes_dates_at_their_precision(client, japan_in_npt):
    _, rows = read_csv(client.get(reverse("treaties:action-export"), {"treaty": "npt"}))

    assert [(r["iso2"], r["treaty"], r["action"], r["date"]) for r in rows] == [
        ("JP", "npt", "signature", "1970-02-03"),
        ("JP", "npt", "ratification", "1976-06"),
    ]
    assert rows[0]["participation_id"] == str(japan_in_npt.pk)


def test_figure_export_has_value_out_of_and_as_of(client, ctbt, source):
    ReportedFigureFactory(
        treaty=ctbt,
        metric="required_ratifications",
        value=36,
        out_of=44,
        as_of_on=D(2021, 3, 31),
        source=source,
        locator="4-3 (2)",
    )

    _, rows = read_csv(client.get(reverse("treaties:figure-export")))

    assert rows[0]["treaty"] == "ctbt"
    assert rows[0]["metric"] == "required_ratifications"
    assert (rows[0]["value"], rows[0]["out_of"]) == ("36", "44")
    assert rows[0]["as_of"] == "2021-03-31"
    assert (rows[0]["source"], rows[0]["locator"]) == ("bluebook-2021", "4-3 (2)")


def test_event_export_lists_countries_by_iso_code(client, npt):
    TreatyEventFactory(
        treaty=npt,
        date_on=D(2003, 1, 1),
        date_precision="month",
        title_en="DPRK withdrawal",
        countries=[CountryFactory(code="KP"), CountryFactory(code="US")],
    )

    _, rows = read_csv(client.get(reverse("treaties:event-export")))

    assert rows[0]["date"] == "2003-01"
    assert rows[0]["treaty"] == "npt"
    assert rows[0]["countries"] == "KP US"
    assert rows[0]["title_en"] == "DPRK withdrawal"


def test_export_is_an_attachment_with_a_named_file(client, npt):
    response = client.get(reverse("treaties:treaty-export"))

    assert response["Content-Disposition"] == 'attachment; filename="treaties.csv"'


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralizes_formula_injection(client, japan_in_npt, prefix):
    note = f'{prefix}HYPERLINK("http://evil.example")'
    Participation.objects.filter(pk=japan_in_npt.pk).update(note_en=note)

    _, rows = read_csv(client.get(reverse("treaties:participation-export")))

    assert rows[0]["note_en"] == "'" + note


def test_export_leaves_ordinary_text_alone(client, japan_in_npt):
    Participation.objects.filter(pk=japan_in_npt.pk).update(note_en="Ratified 1976 (a = b)")

    _, rows = read_csv(client.get(reverse("treaties:participation-export")))

    assert rows[0]["note_en"] == "Ratified 1976 (a = b)"


# -- same query string as the page -------------------------------------------------------


@pytest.fixture
def participations(japan_in_npt, npt, ctbt):
    france = CountryFactory(code="FR", region="europe", nuclear_posture="npt_nws")
    ParticipationFactory(treaty=npt, country=france)
    russia = CountryFactory(code="RU", region="europe")
    ParticipationFactory(treaty=ctbt, country=russia, required_for_entry_into_force=True)
    return Participation.objects.all()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [("npt", "FR"), ("npt", "JP"), ("ctbt", "RU")]),
        ({"treaty": "npt"}, [("npt", "FR"), ("npt", "JP")]),
        ({"country": "jp"}, [("npt", "JP")]),
        ({"status": "party"}, [("npt", "JP")]),
        ({"region": "europe"}, [("npt", "FR"), ("ctbt", "RU")]),
        ({"required_for_entry_into_force": "true"}, [("ctbt", "RU")]),
        ({"nuclear_posture": "npt_nws"}, [("npt", "FR")]),
        ({"treaty": "npt", "region": "asia", "view": "matrix"}, [("npt", "JP")]),
    ],
)
def test_participation_export_honours_the_page_filters(client, participations, params, expected):
    _, rows = read_csv(client.get(reverse("treaties:participation-export"), params))

    assert [(r["treaty"], r["iso2"]) for r in rows] == expected


def test_export_and_page_list_the_same_rows(client, participations):
    params = {"region": "europe"}

    page = client.get(reverse("treaties:participation-list"), params)
    _, rows = read_csv(client.get(reverse("treaties:participation-export"), params))

    page_pairs = [(p.treaty.slug, str(p.country.code)) for p in page.context["rows"]]
    assert page_pairs == [(r["treaty"], r["iso2"]) for r in rows]


def test_treaty_export_honours_kind_status_and_search(client, npt, ctbt):
    TreatyFactory(
        slug="new-start", kind="bilateral", expires_on=D(2026, 2, 5), expires_precision="day"
    )

    def slugs(params):
        return [
            r["slug"] for r in read_csv(client.get(reverse("treaties:treaty-export"), params))[1]
        ]

    assert slugs({"kind": "bilateral"}) == ["new-start"]
    assert slugs({"status": "expired"}) == ["new-start"]
    assert slugs({"status": "not_in_force"}) == ["ctbt"]
    assert slugs({"q": "npt"}) == ["npt"]


def test_country_export_honours_the_page_filters(client, participations):
    def codes(params):
        return [
            r["iso2"] for r in read_csv(client.get(reverse("treaties:country-export"), params))[1]
        ]

    assert codes({"region": "europe"}) == ["FR", "RU"]
    assert codes({"treaty": "ctbt"}) == ["RU"]
    assert codes({"q": "France"}) == ["FR"]
    assert codes({"nuclear_posture": "npt_nws"}) == ["FR"]


def test_event_export_honours_filters_and_order(client, npt, ctbt):
    iran = CountryFactory(code="IR")
    TreatyEventFactory(treaty=npt, title_en="A", date_on=D(1995, 5, 11), date_precision="day")
    TreatyEventFactory(treaty=ctbt, title_en="B", date_on=D(1996, 9, 1), date_precision="month")
    TreatyEventFactory(treaty=None, title_en="C", date_on=D(2021, 1, 1), countries=[iran])

    def titles(params):
        return [
            r["title_en"] for r in read_csv(client.get(reverse("treaties:event-export"), params))[1]
        ]

    assert titles({}) == ["A", "B", "C"]
    assert titles({"order": "newest"}) == ["C", "B", "A"]
    assert titles({"treaty": "ctbt"}) == ["B"]
    assert titles({"country": "IR"}) == ["C"]
    assert titles({"year": "1996"}) == ["B"]
    assert titles({"date_from": "1996-01-01", "date_to": "2000-12-31"}) == ["B"]


def test_action_export_honours_treaty_country_and_type(client, japan_in_npt, ctbt):
    russia = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="RU"))
    TreatyActionFactory(participation=russia, action_type="signature", date_on=D(1996, 9, 24))

    def pairs(params):
        rows = read_csv(client.get(reverse("treaties:action-export"), params))[1]
        return [(r["iso2"], r["action"]) for r in rows]

    assert pairs({"treaty": "ctbt"}) == [("RU", "signature")]
    assert pairs({"country": "jp"}) == [("JP", "signature"), ("JP", "ratification")]
    assert pairs({"action_type": "ratification"}) == [("JP", "ratification")]


def test_figure_export_honours_treaty_and_metric(client, npt, ctbt):
    ReportedFigureFactory(treaty=npt, metric="parties", value=191)
    ReportedFigureFactory(treaty=ctbt, metric="ratifications", value=170)
    ReportedFigureFactory(treaty=ctbt, metric="signatories", value=184)

    def values(params):
        return [
            r["value"] for r in read_csv(client.get(reverse("treaties:figure-export"), params))[1]
        ]

    assert values({"treaty": "npt"}) == ["191"]
    assert sorted(values({"treaty": "ctbt"})) == ["170", "184"]
    assert values({"metric": "signatories"}) == ["184"]


def test_export_includes_every_matching_row_not_one_page(client, npt, source):
    # More rows than a page holds, plus rows the filter must leave out.
    countries = Country.objects.bulk_create(
        [Country(code=iso_code(n), region="asia" if n % 2 else "europe") for n in range(130)]
    )
    Participation.objects.bulk_create(
        [Participation(treaty=npt, country=c, source=source) for c in countries]
    )
    asian = sum(1 for c in countries if c.region == "asia")
    assert asian > PAGE_SIZE

    page = client.get(reverse("treaties:participation-list"), {"region": "asia"})
    _, rows = read_csv(client.get(reverse("treaties:participation-export"), {"region": "asia"}))

    assert len(page.context["rows"]) == PAGE_SIZE
    assert len(rows) == asian
    assert {r["iso2"] for r in rows} == {str(c.code) for c in countries if c.region == "asia"}
