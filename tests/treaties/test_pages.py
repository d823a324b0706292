"""The treaty app's public pages: what they show, how their filters narrow them, and routing."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import WRITE_METHODS, in_language
from treaties.models import Country, Treaty, TreatyAction

pytestmark = pytest.mark.django_db

D = datetime.date


def row(html, row_id):
    """The HTML of the table row with this id (fails the test when there is none)."""
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
    assert match, f"no row {row_id!r} on the page"
    return match.group(1)


def listed(response, pattern=r'<tr id="([^"]+)">'):
    return re.findall(pattern, response.content.decode())


@pytest.fixture
def white_paper(db):
    return SourceFactory(slug="bluebook-2021", title_en="Diplomatic Bluebook 2021")


@pytest.fixture
def npt(white_paper):
    return TreatyFactory(
        slug="npt",
        display_order=10,
        short_name_en="NPT",
        short_name_ja="核兵器不拡散条約",
        name_en="Treaty on the Non-Proliferation of Nuclear Weapons",
        entry_into_force_rule_en="Ratification by the depositaries and 40 other states.",
        depositary_en="United States, United Kingdom, Russia",
        summary_en="The cornerstone of the non-proliferation regime.",
        key_dates_note="Dates from the UN depositary record.",
        source=white_paper,
        locator="4-3 (1)",
    )


@pytest.fixture
def japan_in_npt(npt, white_paper):
    """Japan signed the NPT on 3 February 1970 and ratified it in June 1976."""
    japan = CountryFactory(code="JP", region=Country.Region.ASIA)
    participation = ParticipationFactory(
        treaty=npt,
        country=japan,
        source=white_paper,
        locator="note 22",
        as_of_on=D(2021, 3, 31),
        as_of_precision="day",
        note_en="Ratified after a long Diet debate.",
    )
    TreatyActionFactory(
        participation=participation,
        action_type=TreatyAction.Type.SIGNATURE,
        date_on=D(1970, 2, 3),
        source=white_paper,
    )
    TreatyActionFactory(
        participation=participation,
        action_type=TreatyAction.Type.RATIFICATION,
        date_on=D(1976, 6, 1),
        date_precision="month",
        source=white_paper,
        locator="4-3 (1), note 3",
    )
    participation.refresh_from_db()
    return participation


@pytest.fixture
def ctbt(white_paper):
    return TreatyFactory(
        slug="ctbt",
        display_order=20,
        short_name_en="CTBT",
        status=Treaty.Status.NOT_IN_FORCE,
        adopted_on=D(1996, 9, 10),
        opened_on=D(1996, 9, 24),
        entered_into_force_on=None,
        entered_into_force_precision="",
        source=white_paper,
    )


@pytest.fixture
def russia_in_ctbt(ctbt, white_paper):
    """Russia ratified the CTBT in 2000 and revoked the ratification in November 2023."""
    russia = CountryFactory(code="RU", region=Country.Region.EUROPE)
    participation = ParticipationFactory(
        treaty=ctbt, country=russia, required_for_entry_into_force=True, source=white_paper
    )
    for kind, day in [
        (TreatyAction.Type.SIGNATURE, D(1996, 9, 24)),
        (TreatyAction.Type.RATIFICATION, D(2000, 6, 30)),
        (TreatyAction.Type.REVOCATION, D(2023, 11, 2)),
    ]:
        TreatyActionFactory(participation=participation, action_type=kind, date_on=day)
    participation.refresh_from_db()
    return participation


@pytest.fixture
def new_start(white_paper):
    """New START's five-year extension ran out on 5 February 2026; stored as still in force."""
    return TreatyFactory(
        slug="new-start",
        short_name_en="New START",
        kind=Treaty.Kind.BILATERAL,
        status=Treaty.Status.IN_FORCE,
        adopted_on=D(2010, 4, 8),
        opened_on=D(2010, 4, 8),
        entered_into_force_on=D(2011, 2, 5),
        expires_on=D(2026, 2, 5),
        expires_precision="day",
        source=white_paper,
    )


# -- treaty list -----------------------------------------------------------------------


def test_treaty_list_shows_names_status_dates_and_records_held(client, japan_in_npt, ctbt):
    response = client.get(reverse("treaties:treaty-list"))

    assert response.status_code == 200
    npt_row = row(response.content.decode(), "treaty-npt")
    assert "NPT" in npt_row
    assert "Treaty on the Non-Proliferation of Nuclear Weapons" in npt_row
    assert "multilateral treaty" in npt_row
    assert "in force" in npt_row
    assert "12 June 1968" in npt_row
    assert "5 March 1970" in npt_row
    assert ">1</a>" in npt_row  # one participation held
    assert "Diplomatic Bluebook 2021" in npt_row
    assert "not yet in force" in row(response.content.decode(), "treaty-ctbt")


def test_treaty_list_shows_a_treaty_past_its_expiry_as_expired(client, new_start):
    response = client.get(reverse("treaties:treaty-list"))

    new_start_row = row(response.content.decode(), "treaty-new-start")
    assert "status-expired" in new_start_row
    assert "needs review" in new_start_row


def test_treaty_list_filters_by_kind(client, npt, new_start):
    response = client.get(reverse("treaties:treaty-list"), {"kind": "bilateral"})

    assert listed(response) == ["treaty-new-start"]


def test_treaty_list_status_filter_uses_the_status_a_reader_sees(client, npt, new_start):
    expired = client.get(reverse("treaties:treaty-list"), {"status": "expired"})
    in_force = client.get(reverse("treaties:treaty-list"), {"status": "in_force"})

    # New START is stored as in force but its expiry has passed.
    assert listed(expired) == ["treaty-new-start"]
    assert listed(in_force) == ["treaty-npt"]


def test_treaty_list_searches_names_in_both_languages(client, npt, ctbt):
    english = client.get(reverse("treaties:treaty-list"), {"q": "non-proliferation"})
    japanese = client.get(reverse("treaties:treaty-list"), {"q": "不拡散"})

    assert listed(english) == ["treaty-npt"]
    assert listed(japanese) == ["treaty-npt"]


# -- treaty page -----------------------------------------------------------------------


def test_treaty_page_shows_facts_dates_rule_and_depositary(client, japan_in_npt):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Treaty on the Non-Proliferation of Nuclear Weapons" in html
    assert "12 June 1968" in html and "1 July 1968" in html and "5 March 1970" in html
    assert "Ratification by the depositaries and 40 other states." in html
    assert "United States, United Kingdom, Russia" in html
    assert "The cornerstone of the non-proliferation regime." in html
    assert "{% block" not in html and "block related" not in html


def test_treaty_page_lists_participations_with_actions_at_their_precision(client, japan_in_npt):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    japan = row(response.content.decode(), "participation-jp")
    assert "Japan" in japan
    assert 'href="/countries/jp/"' in japan
    assert "party" in japan
    assert "signature" in japan and "3 February 1970" in japan
    # Ratified "June 1976": no day is invented.
    assert "ratification" in japan and "June 1976" in japan and "1 June 1976" not in japan
    assert "Ratified after a long Diet debate." in japan


def test_treaty_page_shows_provenance_of_each_participation(client, japan_in_npt):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    japan = row(response.content.decode(), "participation-jp")
    assert "Diplomatic Bluebook 2021" in japan
    assert "note 22" in japan
    assert "as of" in japan and "31 March 2021" in japan
    assert "4-3 (1), note 3" in japan  # the ratification's own locator


def test_treaty_page_lists_the_sources_it_uses(client, japan_in_npt, white_paper):
    other = SourceFactory(title_en="CTBTO press release")
    TreatyEventFactory(treaty=japan_in_npt.treaty, source=other)
    SourceFactory(title_en="Unrelated source")

    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    html = response.content.decode()
    sources = html[html.index('id="sources-heading"') :]
    assert f'href="/sources/{white_paper.pk}/"' in sources
    assert f'href="/sources/{other.pk}/"' in sources
    assert "Unrelated source" not in sources


def test_treaty_page_sets_reported_figure_beside_records_held(client, japan_in_npt):
    ReportedFigureFactory(
        treaty=japan_in_npt.treaty,
        metric="parties",
        value=191,
        as_of_on=D(2021, 3, 31),
        locator="4-3 (1) ①",
    )

    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    html = response.content.decode()
    figure = re.search(r'<li class="figure metric-parties">(.*?)</li>', html, re.S).group(1)
    assert "191" in figure
    assert "31 March 2021" in figure
    assert "4-3 (1) ①" in figure
    assert "1 participation recorded as party here" in figure


def test_treaty_page_counts_required_states_that_ratified(client, russia_in_ctbt, ctbt):
    egypt = ParticipationFactory(
        treaty=ctbt, country=CountryFactory(code="EG"), required_for_entry_into_force=True
    )
    TreatyActionFactory(participation=egypt, action_type="signature", date_on=D(1996, 9, 24))
    japan = ParticipationFactory(
        treaty=ctbt, country=CountryFactory(code="JP"), required_for_entry_into_force=True
    )
    TreatyActionFactory(participation=japan, action_type="signature", date_on=D(1996, 9, 24))
    TreatyActionFactory(participation=japan, action_type="ratification", date_on=D(1997, 7, 8))
    reported = ReportedFigureFactory(
        treaty=ctbt, metric="required_ratifications", value=36, out_of=44
    )

    def shown():
        html = client.get(reverse("treaties:treaty-detail", args=["ctbt"])).content.decode()
        pattern = r'<li class="figure metric-required_ratifications">(.*?)</li>'
        return re.sub(r"\s+", " ", re.search(pattern, html, re.S).group(1))

    # On the figure's own day (31 March 2021) Japan and Russia had ratified.
    assert reported.as_of.iso() == "2021-03-31"
    assert "36 / 44" in shown()
    assert (
        "2 states required for entry into force recorded as ratified here on "
        '<time datetime="2021-03-31">31 March 2021</time>' in shown()
    )
    # A figure without a date is set beside today's statuses: Russia revoked its
    # ratification in 2023 and Egypt only signed, so only Japan counts.
    type(reported).objects.update(as_of_on=None, as_of_precision="")
    assert "1 state required for entry into force recorded as ratified here</span>" in shown()


def test_treaty_page_shows_expired_status_and_notice(client, admin_client, new_start):
    url = reverse("treaties:treaty-detail", args=["new-start"])
    public = client.get(url).content.decode()
    assert 'class="status status-expired"' in public
    # The stored status's review notice is for editors only.
    assert "expired-notice" not in public
    response = admin_client.get(url)

    html = response.content.decode()
    assert 'class="status status-expired"' in html
    notice = re.search(r'<p class="notice warning expired-notice"[^>]*>(.*?)</p>', html, re.S)
    assert notice, "no expiry notice"
    assert "expired on 5 February 2026" in notice.group(1)
    assert "in force" in notice.group(1)  # the stored status it disagrees with


def test_treaty_page_without_expiry_has_no_notice(client, npt):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    assert "expired-notice" not in response.content.decode()


def test_treaty_page_shows_its_timeline(client, npt):
    TreatyEventFactory(
        treaty=npt,
        title_en="Review Conference",
        description_en="Ended without a final document.",
        date_on=D(2015, 5, 1),
        date_precision="month",
        countries=[CountryFactory(code="EG")],
    )
    TreatyEventFactory(treaty=None, title_en="Unrelated event")

    response = client.get(reverse("treaties:treaty-detail", args=["npt"]))

    html = response.content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "Review Conference" in timeline
    assert "May 2015" in timeline
    assert "Ended without a final document." in timeline
    assert "Egypt" in timeline
    assert "Unrelated event" not in html


def test_treaty_page_links_to_exports_of_its_facts(client, npt):
    response = client.get(
        reverse("treaties:treaty-detail", args=["npt"]),
        {"status": "party", "region": "asia"},
    )

    html = response.content.decode()
    assert "/participations/export.csv?treaty=npt&amp;status=party&amp;region=asia" in html
    assert "/actions/export.csv?treaty=npt" in html
    assert "/figures/export.csv?treaty=npt" in html


def test_treaty_page_lists_the_recommendations_that_concern_it(client, npt):
    from tests.factories import RecommendationFactory

    about = RecommendationFactory(title_en="Reaffirm the non-use of nuclear weapons")
    about.related_treaties.add(npt)
    RecommendationFactory(title_en="Something about another regime")
    response = client.get(npt.get_absolute_url())
    html = response.content.decode()
    assert 'id="treaty-recommendations"' in html
    assert "Reaffirm the non-use of nuclear weapons" in html
    assert about.get_absolute_url() in html
    assert "Something about another regime" not in html


def test_treaty_page_filters_participations_by_status(client, japan_in_npt, npt):
    signatory = ParticipationFactory(treaty=npt, country=CountryFactory(code="KR"))
    TreatyActionFactory(participation=signatory, action_type="signature", date_on=D(1975, 1, 1))

    response = client.get(reverse("treaties:treaty-detail", args=["npt"]), {"status": "party"})

    assert listed(response) == ["participation-jp"]


def test_treaty_page_filters_participations_by_region(client, japan_in_npt, npt):
    ParticipationFactory(treaty=npt, country=CountryFactory(code="FR", region="europe"))

    response = client.get(reverse("treaties:treaty-detail", args=["npt"]), {"region": "europe"})

    assert listed(response) == ["participation-fr"]


def test_treaty_page_filters_participations_required_for_entry_into_force(
    client, russia_in_ctbt, ctbt
):
    ParticipationFactory(treaty=ctbt, country=CountryFactory(code="SS"))

    required = client.get(
        reverse("treaties:treaty-detail", args=["ctbt"]), {"required_for_entry_into_force": "true"}
    )
    not_required = client.get(
        reverse("treaties:treaty-detail", args=["ctbt"]),
        {"required_for_entry_into_force": "false"},
    )

    assert listed(required) == ["participation-ru"]
    assert listed(not_required) == ["participation-ss"]


def test_treaty_page_paginates_participations(client, npt):
    for _ in range(55):
        ParticipationFactory(treaty=npt)

    first = client.get(reverse("treaties:treaty-detail", args=["npt"]))
    second = client.get(reverse("treaties:treaty-detail", args=["npt"]), {"page": 2})

    assert len(listed(first)) == 50
    assert len(listed(second)) == 5
    assert not set(listed(first)) & set(listed(second))


# -- as of -----------------------------------------------------------------------------


def test_as_of_shows_signatory_before_ratification_and_party_after(client, japan_in_npt):
    url = reverse("treaties:treaty-detail", args=["npt"])

    before = client.get(url, {"as_of": "1975-01-01"})
    # Ratified "June 1976": certain only from the end of that month.
    after = client.get(url, {"as_of": "1976-07-01"})
    before_signature = client.get(url, {"as_of": "1970-01-01"})

    assert before.status_code == after.status_code == 200
    assert ">signatory<" in row(before.content.decode(), "participation-jp")
    assert ">party<" in row(after.content.decode(), "participation-jp")
    assert ">not signed<" in row(before_signature.content.decode(), "participation-jp")


def test_as_of_shows_a_visible_note_and_marks_later_actions(client, japan_in_npt):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]), {"as_of": "1975-01-01"})

    html = response.content.decode()
    assert "as-of-note" in html and "1 January 1975" in html
    assert 'value="1975-01-01"' in html  # the date chooser keeps the date
    japan = row(html, "participation-jp")
    assert "after-as-of" in japan and "(after the as-of date)" in japan


def test_revoked_ratification_leaves_a_signatory_not_a_withdrawn_state(client, russia_in_ctbt):
    url = reverse("treaties:treaty-detail", args=["ctbt"])

    today = client.get(url)
    in_2010 = client.get(url, {"as_of": "2010-01-01"})
    in_2024 = client.get(url, {"as_of": "2024-01-01"})

    assert ">signatory<" in row(today.content.decode(), "participation-ru")
    assert ">ratified, not yet in force<" in row(in_2010.content.decode(), "participation-ru")
    assert ">signatory<" in row(in_2024.content.decode(), "participation-ru")
    assert "withdrawn" not in row(in_2024.content.decode(), "participation-ru")


def test_as_of_status_filter_uses_the_status_on_that_day(client, japan_in_npt):
    url = reverse("treaties:treaty-detail", args=["npt"])

    signatories = client.get(url, {"as_of": "1975-01-01", "status": "signatory"})
    parties = client.get(url, {"as_of": "1975-01-01", "status": "party"})

    assert listed(signatories) == ["participation-jp"]
    assert listed(parties) == []


# -- countries -------------------------------------------------------------------------


def test_country_list_shows_name_code_region_posture_and_treaty_count(client, japan_in_npt, ctbt):
    ParticipationFactory(treaty=ctbt, country=japan_in_npt.country)
    CountryFactory(code="US", region="americas", nuclear_posture="npt_nws")

    response = client.get(reverse("treaties:country-list"))

    assert response.status_code == 200
    japan = row(response.content.decode(), "country-jp")
    assert "Japan" in japan and "<code>JP</code>" in japan
    assert "Asia" in japan
    assert "none recorded" in japan
    assert '<td class="num">2</td>' in japan
    assert "/static/flags/jp.gif" in japan
    assert "NPT nuclear-weapon state" in row(response.content.decode(), "country-us")


def test_country_list_shows_names_in_japanese(client, japan_in_npt):
    response = client.get(in_language("ja", reverse("treaties:country-list")))

    assert "日本" in row(response.content.decode(), "country-jp")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "europe"}, ["country-fr"]),
        ({"nuclear_posture": "npt_nws"}, ["country-fr"]),
        ({"un_member": "false"}, ["country-ss"]),
        ({"un_member": "true"}, ["country-fr", "country-jp"]),
        ({"treaty": "npt"}, ["country-jp"]),
        ({"q": "jp"}, ["country-jp"]),
        ({"q": "japan"}, ["country-jp"]),
        ({"q": "日本"}, ["country-jp"]),
        ({"q": "フランス"}, ["country-fr"]),
    ],
)
def test_country_list_filters(client, japan_in_npt, params, expected):
    CountryFactory(code="FR", region="europe", nuclear_posture="npt_nws")
    CountryFactory(code="SS", region="africa", un_member=False)

    response = client.get(reverse("treaties:country-list"), params)

    assert response.status_code == 200
    assert listed(response) == expected


def test_country_page_shows_the_country_across_treaties(client, japan_in_npt, russia_in_ctbt):
    source = SourceFactory(title_en="Defense of Japan")
    japan = japan_in_npt.country
    japan.nuclear_posture = Country.Posture.UMBRELLA
    japan.posture_source = source
    japan.posture_locator = "note 1"
    japan.save()
    ctbt_japan = ParticipationFactory(treaty=russia_in_ctbt.treaty, country=japan)
    TreatyActionFactory(participation=ctbt_japan, action_type="signature", date_on=D(1996, 9, 24))
    ReportedFigureFactory(
        treaty=None, country=japan, metric="stockpile", value=45, unit="t", label_en="Plutonium"
    )
    TreatyEventFactory(treaty=None, title_en="Hiroshima summit", countries=[japan])
    TreatyEventFactory(treaty=None, title_en="Not about Japan")

    response = client.get(reverse("treaties:country-detail", args=["jp"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Japan" in html
    assert "under a nuclear umbrella" in html and "Defense of Japan" in html and "note 1" in html
    npt_row = row(html, "participation-npt")
    assert "party" in npt_row and "June 1976" in npt_row and "note 22" in npt_row
    assert "signatory" in row(html, "participation-ctbt")
    assert "Plutonium" in html and "45 t" in html
    assert "Hiroshima summit" in html
    assert "Not about Japan" not in html


def test_country_page_redirects_upper_case_code_permanently(client, japan_in_npt):
    response = client.get("/countries/JP/")

    assert response.status_code == 301
    assert response["Location"] == "/countries/jp/"


def test_unknown_country_code_is_404(client, japan_in_npt):
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/fr/").status_code == 404  # a real code with no record
    assert client.get("/countries/jpn/").status_code == 404


def test_unknown_treaty_slug_is_404(client, npt):
    assert client.get("/treaties/no-such-treaty/").status_code == 404


# -- participations --------------------------------------------------------------------


@pytest.fixture
def participations(japan_in_npt, russia_in_ctbt, npt, ctbt):
    france = CountryFactory(code="FR", region="europe", nuclear_posture="npt_nws")
    french_npt = ParticipationFactory(treaty=npt, country=france, note_en="Acceded in 1992.")
    TreatyActionFactory(participation=french_npt, action_type="accession", date_on=D(1992, 8, 2))
    return [japan_in_npt, russia_in_ctbt, french_npt]


def participation_rows(response):
    return re.findall(
        r'<a href="/countries/(\w\w)/">.*?<a href="/treaties/([\w-]+)/">',
        response.content.decode(),
        re.S,
    )


def test_participation_list_shows_each_record_with_provenance(client, participations):
    response = client.get(reverse("treaties:participation-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert participation_rows(response) == [("fr", "npt"), ("jp", "npt"), ("ru", "ctbt")]
    assert "Acceded in 1992." in html and "accession" in html and "2 August 1992" in html
    assert "Diplomatic Bluebook 2021" in html and "note 22" in html and "31 March 2021" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"treaty": "ctbt"}, [("ru", "ctbt")]),
        ({"country": "JP"}, [("jp", "npt")]),
        ({"country": "jp"}, [("jp", "npt")]),
        ({"status": "signatory"}, [("ru", "ctbt")]),
        ({"region": "europe"}, [("fr", "npt"), ("ru", "ctbt")]),
        ({"required_for_entry_into_force": "true"}, [("ru", "ctbt")]),
        ({"nuclear_posture": "npt_nws"}, [("fr", "npt")]),
        ({"treaty": "npt", "status": "party", "region": "asia"}, [("jp", "npt")]),
    ],
)
def test_participation_list_filters(client, participations, params, expected):
    response = client.get(reverse("treaties:participation-list"), params)

    assert response.status_code == 200
    assert participation_rows(response) == expected


def test_participation_matrix_shows_countries_by_treaties(client, participations):
    response = client.get(reverse("treaties:participation-list"), {"view": "matrix"})

    assert response.status_code == 200
    html = response.content.decode()
    matrix = re.search(r'<table class="matrix">(.*?)</table>', html, re.S).group(1)
    header = re.findall(r'<th scope="col"><a href="/treaties/([\w-]+)/">', matrix)
    assert header == ["npt", "ctbt"]
    rows = re.findall(
        r'<tr>\s*<th scope="row"><a href="/countries/(\w\w)/">(.*?)</tr>', matrix, re.S
    )
    cells = {code: re.findall(r"<td>(.*?)</td>", body) for code, body in rows}
    assert ">party<" in cells["jp"][0] and "—" in cells["jp"][1]
    assert "—" in cells["ru"][0] and ">signatory<" in cells["ru"][1]


# -- events ----------------------------------------------------------------------------


@pytest.fixture
def events(npt, ctbt, white_paper):
    iran = CountryFactory(code="IR")
    korea = CountryFactory(code="KP")
    return [
        TreatyEventFactory(
            treaty=npt,
            kind="withdrawal",
            title_en="DPRK announces withdrawal",
            date_on=D(2003, 1, 10),
            date_precision="day",
            countries=[korea],
            source=white_paper,
            locator="4-3 (6)",
            as_of_on=D(2021, 3, 31),
            as_of_precision="day",
        ),
        TreatyEventFactory(
            treaty=ctbt,
            kind="adoption",
            title_en="CTBT adopted",
            description_en="Adopted by the General Assembly.",
            date_on=D(1996, 9, 1),
            date_precision="month",
        ),
        TreatyEventFactory(
            treaty=None,
            kind="nuclear_activity",
            title_en="Enrichment to 60%",
            date_on=D(2021, 1, 1),
            date_precision="year",
            countries=[iran],
        ),
    ]


def event_titles(response):
    return re.findall(r"<strong>(.*?)</strong>", response.content.decode())


def test_event_list_is_chronological_with_dates_at_precision_and_provenance(client, events):
    response = client.get(reverse("treaties:event-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert event_titles(response) == [
        "CTBT adopted",
        "DPRK announces withdrawal",
        "Enrichment to 60%",
    ]
    assert "September 1996" in html and "10 January 2003" in html and ">2021<" in html
    assert 'href="/treaties/npt/"' in html and 'href="/countries/kp/"' in html
    assert "Adopted by the General Assembly." in html
    assert "Diplomatic Bluebook 2021" in html and "4-3 (6)" in html and "31 March 2021" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"treaty": "npt"}, ["DPRK announces withdrawal"]),
        ({"country": "ir"}, ["Enrichment to 60%"]),
        ({"kind": "adoption"}, ["CTBT adopted"]),
        ({"year": "2003"}, ["DPRK announces withdrawal"]),
        ({"date_from": "2000-01-01"}, ["DPRK announces withdrawal", "Enrichment to 60%"]),
        ({"date_to": "2003-01-10"}, ["CTBT adopted", "DPRK announces withdrawal"]),
        (
            {"order": "newest"},
            ["Enrichment to 60%", "DPRK announces withdrawal", "CTBT adopted"],
        ),
    ],
)
def test_event_list_filters(client, events, params, expected):
    response = client.get(reverse("treaties:event-list"), params)

    assert response.status_code == 200
    assert event_titles(response) == expected


# -- languages, methods ----------------------------------------------------------------


def test_treaty_page_in_japanese_shows_japanese_fields_and_dates(client, japan_in_npt):
    response = client.get(in_language("ja", reverse("treaties:treaty-detail", args=["npt"])))

    html = response.content.decode()
    assert "核兵器不拡散条約" in html
    assert "1976年6月" in row(html, "participation-jp")
    assert "日本" in row(html, "participation-jp")


@pytest.mark.parametrize(
    "url",
    [
        "/treaties/",
        "/treaties/npt/",
        "/treaties/export.csv",
        "/countries/",
        "/countries/jp/",
        "/countries/export.csv",
        "/participations/",
        "/participations/export.csv",
        "/events/",
        "/events/export.csv",
        "/actions/export.csv",
        "/figures/export.csv",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_refuse_writes_with_405(client, japan_in_npt, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 405


def test_a_page_with_arguments_answers_405_for_any_case_of_its_address(client, seeded):
    # /countries/JP/ redirects to /countries/jp/ on GET; a write is refused, not redirected.
    for method in WRITE_METHODS:
        assert getattr(client, method)("/countries/JP/").status_code == 405


def test_every_list_page_renders_with_no_rows(client, db):
    for name in ["treaty-list", "country-list", "participation-list", "event-list"]:
        response = client.get(reverse(f"treaties:{name}"))
        assert response.status_code == 200, name


def test_list_pages_link_to_their_export_with_the_same_query(client, participations):
    response = client.get(reverse("treaties:participation-list"), {"treaty": "npt"})

    assert 'href="/participations/export.csv?treaty=npt"' in response.content.decode()
