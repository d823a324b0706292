"""The public record since 2021, loaded through the importer, against the reported figures."""

import datetime
import re

import pytest

from treaties.models import Country, Participation, ReportedFigure, Treaty, TreatyAction
from treaties.records import records_held_on

pytestmark = pytest.mark.django_db

# The UN Treaty Collection's list of the 44 states of the CTBT's Annex 2 (chapter XXVI-4).
ANNEX_2 = set(
    "DZ AR AU AT BD BE BR BG CA CL CN CO KP CD EG FI FR DE HU IN ID IR IL IT JP MX NL NO PK PE "
    "PL KR RO RU SK ZA ES SE CH TR UA GB US VN".split()
)


def test_every_state_that_can_join_a_treaty_is_a_country(seeded):
    eligible = Country.objects.eligible()
    assert eligible.count() == 197
    assert eligible.filter(un_member=True).count() == 193
    assert set(eligible.filter(un_member=False).values_list("code", flat=True)) == {
        "VA",
        "PS",
        "CK",
        "NU",
    }
    assert not Country.objects.get(code="EU").can_join_treaties
    member = Country.objects.get(code="TV")
    assert member.un_member_source.url == "https://research.un.org/en/unmembers"


def test_the_tpnw_records_hold_its_latest_reported_party_count_on_that_day(seeded):
    tpnw = Treaty.objects.get(slug="tpnw")
    latest = (
        ReportedFigure.objects.filter(treaty=tpnw, metric="parties").order_by("-as_of_on").first()
    )
    assert (latest.value, latest.as_of.iso()) == (74, "2025-09-26")
    held = records_held_on(tpnw, [latest.as_of.end])[latest.as_of.end]
    assert held["party"] == 74
    japan = Participation.objects.get(treaty=tpnw, country__code="JP")
    assert not japan.actions.exists()


def test_the_tpnw_page_sets_each_count_beside_the_records_of_its_day(client, seeded):
    html = client.get("/treaties/tpnw/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "74 States parties reported" in text
    assert "74 participations recorded as party here on 26 September 2025" in text
    # The seed's own figure of 2021 beside the records of 31 March 2021.
    assert "54 participations recorded as party here on 31 March 2021" in text


def test_the_ctbt_annex_2_table_has_44_states_each_with_its_acts_and_sources(seeded):
    required = Participation.objects.filter(
        treaty__slug="ctbt", required_for_entry_into_force=True
    ).select_related("country", "source")
    assert {str(p.country.code) for p in required} == ANNEX_2
    assert all(p.source_id for p in required)
    acts = TreatyAction.objects.filter(participation__in=required).select_related("source")
    assert all(a.source_id for a in acts)
    without_acts = {str(p.country.code) for p in required} - {
        str(a.participation.country.code) for a in acts.select_related("participation__country")
    }
    # Only the three states that have not signed hold no act.
    assert without_acts == {"IN", "PK", "KP"}
    # Russia's revocation of 2023 is counted: 34 Annex 2 ratifications held today (Bulgaria's
    # is not recorded), against 35 reported.
    ratified = required.filter(status__in=["consented", "party"]).count()
    assert ratified == 34


def test_the_ctbt_page_lists_the_annex_2_states_that_have_not_ratified(client, seeded):
    response = client.get("/treaties/ctbt/?required_for_entry_into_force=true&ratified=false")
    html = response.content.decode()
    assert response.status_code == 200
    rows = set(re.findall(r'<tr id="participation-([a-z]{2})">', html))
    assert rows == {"cn", "eg", "ir", "il", "us", "in", "pk", "kp", "ru", "bg"}
    assert "44 states are listed as required; 34 of them have ratified" in re.sub(r"\s+", " ", html)
    csv = b"".join(
        client.get(
            "/participations/export.csv?treaty=ctbt&required_for_entry_into_force=true"
            "&ratified=false"
        ).streaming_content
    ).decode("utf-8-sig")
    assert sorted(line.split(",")[2] for line in csv.splitlines()[1:]) == sorted(
        code.upper() for code in rows
    )


def test_a_state_without_acts_is_not_called_not_signed_where_records_are_incomplete(client, seeded):
    html = client.get("/treaties/ctbt/?required_for_entry_into_force=true").content.decode()
    india = re.search(r'<tr id="participation-in">(.*?)</tr>', html, re.S).group(1)
    status = re.search(r'<span class="status status-([a-z_]+)">(.*?)</span>', india)
    assert status.groups() == ("no_act", "no act recorded")
    section = re.search(r'<section id="no-record".*?</section>', html, re.S).group(0)
    assert "have no record here" in section
    assert "does not mean that they have not signed" in section


def test_statuses_derived_today_are_the_stored_ones_after_the_load(seeded):
    from treaties.services import stale_statuses

    assert stale_statuses().changed == 0


def test_the_jcpoa_and_new_start_endings_cite_their_sources(seeded):
    from treaties.models import TreatyEvent

    snapback = TreatyEvent.objects.get(title_en__startswith="UN sanctions on Iran re-applied")
    assert snapback.date.iso() == "2025-09-27"
    assert snapback.source.url.startswith("https://")
    end_2231 = TreatyEvent.objects.get(title_en__startswith="Termination Day of Security Council")
    assert end_2231.date.iso() == "2025-10-18"
    expiry = TreatyEvent.objects.get(title_en="New START expires")
    assert expiry.source.url == "https://press.un.org/en/2026/sgsm23007.doc.htm"
    assert expiry.date == Treaty.objects.get(slug="new-start").expires
    assert datetime.date(2026, 2, 6) > expiry.date.end


def test_every_row_beyond_the_documents_cites_its_page_or_document(seeded):
    # A page by its URL, or a document by its title and the date it states.
    from core.models import Source
    from treaties.models import TreatyEvent

    documents = Source.objects.filter(slug__in=["seed-000", "seed-004"])
    for model in (TreatyAction, Participation, ReportedFigure, TreatyEvent):
        for row in model.objects.exclude(source__in=documents).select_related("source"):
            assert row.source is not None, row
            source = row.source
            assert source.url.startswith(("http://", "https://")) or (
                source.loc("title") and source.published_on
            ), (row, source)
            assert row.locator, row
