"""The dashboard, the source list with its CSV export, the source page and the error pages."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from core.export import BOM
from core.models import Source
from core.registry import site
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
SOURCES = reverse("core:source-list")
SOURCE_EXPORT = reverse("core:source-export")

# Ceilings on the queries each page runs; the tests below show they do not grow with rows.
HOME_MAX_QUERIES = 20
SOURCE_LIST_MAX_QUERIES = 4
# The source and the session, then one query per kind of fact the apps declare (and one for
# the events' countries): a bound set by the kinds of fact, never by the rows.
SOURCE_DETAIL_BASE_QUERIES = 4


def element(html, element_id):
    """The markup of the element with this id, up to its closing tag (tr, section or li)."""
    match = re.search(
        rf'<(tr|section|li)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S
    )
    assert match, f"no element with id {element_id!r}"
    return match.group(2)


def text(html):
    """Visible text with tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


# --- The dashboard ----------------------------------------------------------------------


@pytest.fixture
def new_start(db):
    """A bilateral treaty whose expiry has passed while its stored status says in force."""
    expired = timezone.localdate() - datetime.timedelta(days=30)
    return TreatyFactory(
        slug="new-start",
        short_name_en="New START",
        kind=Treaty.Kind.BILATERAL,
        status=Treaty.Status.IN_FORCE,
        entered_into_force_on=datetime.date(2011, 2, 5),
        expires_on=expired,
        expires_precision="day",
    )


def test_home_shows_an_expired_treaty_as_expired_and_lists_it_for_review(
    client, admin_client, new_start
):
    TreatyFactory(slug="npt", short_name_en="NPT", status=Treaty.Status.IN_FORCE)

    # Readers see the derived status only; the review banner is for editors.
    public = client.get(HOME).content.decode()
    new_start_row = text(element(public, "treaty-new-start"))
    assert "expired" in new_start_row
    assert "in force" not in new_start_row
    assert "needs review" not in new_start_row
    assert 'id="status-review"' not in public

    html = admin_client.get(HOME).content.decode()
    new_start_row = text(element(html, "treaty-new-start"))
    assert "expired" in new_start_row
    assert "needs review" in new_start_row
    assert "in force" in text(element(html, "treaty-npt"))
    review = text(element(html, "status-review"))
    assert "New START" in review
    assert "NPT" not in review


def test_home_shows_no_review_box_when_every_status_is_current(client):
    TreatyFactory(slug="npt", short_name_en="NPT")
    html = client.get(HOME).content.decode()
    assert 'id="status-review"' not in html


def test_home_shows_each_treatys_latest_figures_with_as_of_and_source(client):
    npt = TreatyFactory(slug="npt", short_name_en="NPT")
    white_paper = SourceFactory(title_en="Diplomatic Bluebook 2021")
    ReportedFigureFactory(
        treaty=npt,
        metric=ReportedFigure.Metric.PARTIES,
        value=191,
        as_of_on=datetime.date(2021, 3, 31),
        source=white_paper,
        locator="4-3 (1)",
    )
    ReportedFigureFactory(
        treaty=npt,
        metric=ReportedFigure.Metric.PARTIES,
        value=189,
        as_of_on=datetime.date(2010, 1, 1),
    )

    row = element(client.get(HOME).content.decode(), "treaty-npt")

    assert "191" in row
    assert "189" not in row, "only the latest figure of a metric is a key figure"
    assert "as of" in text(row) and "31 March 2021" in text(row)
    assert white_paper.get_absolute_url() in row
    assert "Diplomatic Bluebook 2021, 4-3 (1)" in text(row)


def test_home_lists_the_ten_latest_events_at_their_stated_precision(client, new_start):
    extension = TreatyEventFactory(
        treaty=new_start,
        title_en="Five-year extension agreed",
        date_on=datetime.date(2021, 2, 1),
        date_precision="month",
    )
    older = [
        TreatyEventFactory(
            treaty=new_start,
            title_en=f"Meeting of {2000 + n}",
            date_on=datetime.date(2000 + n, 1, 1),
        )
        for n in range(10)
    ]

    events = text(element(client.get(HOME).content.decode(), "recent-events"))

    assert "February 2021 New START: Five-year extension agreed" in events
    assert "1 February 2021" not in events, "a month-precision date must not gain a day"
    assert older[-1].title_en in events
    assert older[0].title_en not in events, "only the ten most recent events are listed"
    assert extension.source.title_en in events


def test_home_lists_stale_figures_and_facts_without_a_source(client):
    npt = TreatyFactory(slug="npt", short_name_en="NPT")
    today = timezone.localdate()
    stale = ReportedFigureFactory(
        treaty=npt, value=187, as_of_on=today.replace(year=today.year - 4, day=1)
    )
    fresh = ReportedFigureFactory(
        treaty=npt, metric=ReportedFigure.Metric.SIGNATORIES, value=93, as_of_on=today
    )
    ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"), source=None)

    stale.refresh_from_db()
    fresh.refresh_from_db()

    review = text(element(client.get(HOME).content.decode(), "needing-review"))

    assert "1 figure stated more than three years ago" in review
    assert stale.display_value in review
    assert fresh.display_value not in review
    assert "participations: 1 without a source" in review
    assert "Japan — NPT" in review


# --- The source list and its export ----------------------------------------------------


@pytest.fixture
def sources(db):
    return {
        "paper": SourceFactory(
            slug="white-paper",
            title_ja="外交青書2021",
            title_en="Diplomatic Bluebook 2021",
            publisher_en="Ministry of Foreign Affairs",
            kind=Source.Kind.WHITE_PAPER,
            language=Source.Language.JA,
            published_on=datetime.date(2021, 4, 1),
            published_precision="month",
        ),
        "proposal": SourceFactory(
            slug="emergency-proposal",
            title_ja="核軍縮に関する緊急提言",
            title_en="Emergency recommendations on nuclear arms control",
            publisher_en="Study group",
            kind=Source.Kind.POLICY_RECOMMENDATION,
            language=Source.Language.JA,
            published_on=datetime.date(2024, 4, 1),
            published_precision="month",
        ),
        "treaty_db": SourceFactory(
            slug="un-treaty-collection",
            title_ja="",
            title_en="UN Treaty Collection",
            publisher_en="United Nations",
            kind=Source.Kind.TREATY_DATABASE,
            language=Source.Language.EN,
            published_on=None,
            published_precision="",
        ),
    }


def listed_slugs(response):
    assert response.status_code == 200
    return sorted(source.slug for source in response.context["object_list"])


def test_source_list_shows_every_source_unfiltered(client, sources):
    response = client.get(SOURCES)
    assert listed_slugs(response) == ["emergency-proposal", "un-treaty-collection", "white-paper"]
    assert "3 sources" in text(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "white_paper"}, ["white-paper"]),
        ({"language": "en"}, ["un-treaty-collection"]),
        ({"q": "緊急提言"}, ["emergency-proposal"]),
        ({"q": "bluebook"}, ["white-paper"]),
        ({"q": "united nations"}, ["un-treaty-collection"]),
        ({"year": "2024"}, ["emergency-proposal"]),
        ({"language": "ja", "year": "2021"}, ["white-paper"]),
        ({"kind": "treaty_database", "year": "2021"}, []),
    ],
)
def test_source_list_filters(client, sources, query, expected):
    assert listed_slugs(client.get(SOURCES, query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "tweet"}, "Select a valid choice"),
        ({"year": "last year"}, "Enter a whole number"),
        ({"year": "99999"}, "less than or equal to 2200"),
    ],
)
def test_source_list_answers_an_invalid_filter_with_400_and_the_message(
    client, sources, query, message
):
    response = client.get(SOURCES, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Diplomatic Bluebook" not in html


def test_source_export_has_bom_header_and_only_the_filtered_rows(client, sources):
    response = client.get(SOURCE_EXPORT, {"language": "ja"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["id", "slug", "title_en"]
    slugs = sorted(row[header.index("slug")] for row in rows)
    assert slugs == ["emergency-proposal", "white-paper"]
    by_slug = {row[1]: row for row in rows}
    assert by_slug["white-paper"][header.index("published")] == "2021-04"
    assert by_slug["white-paper"][header.index("title_ja")] == "外交青書2021"


def test_source_export_refuses_an_invalid_filter_with_400(client, sources):
    response = client.get(SOURCE_EXPORT, {"kind": "tweet"})
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_source_list_links_the_export_with_the_same_filters(client, sources):
    html = client.get(SOURCES, {"language": "ja"}).content.decode()
    assert f'href="{SOURCE_EXPORT}?language=ja"' in html


# --- The source page ---------------------------------------------------------------------


def test_source_page_lists_every_fact_citing_it_by_kind(client, sources):
    paper = sources["paper"]
    other = sources["treaty_db"]
    npt = TreatyFactory(slug="npt", short_name_en="NPT", source=paper, locator="4-3 (1)")
    japan = CountryFactory(code="JP", posture_source=paper, nuclear_posture="umbrella")
    participation = ParticipationFactory(treaty=npt, country=japan, source=paper, locator="n. 22")
    TreatyActionFactory(
        participation=participation,
        action_type=TreatyAction.Type.SIGNATURE,
        date_on=datetime.date(1970, 2, 1),
        date_precision="month",
        source=paper,
    )
    ReportedFigureFactory(treaty=npt, value=191, source=paper, locator="4-3 (1) ①")
    TreatyEventFactory(treaty=npt, title_en="Review Conference postponed", source=paper)
    TreatyEventFactory(treaty=npt, title_en="Cited elsewhere", source=other)

    response = client.get(paper.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Diplomatic Bluebook 2021" in html and "外交青書2021" in html
    assert "NPT" in text(element(html, "treaties"))
    assert "Japan" in text(element(html, "participations"))
    actions = text(element(html, "actions"))
    assert "February 1970" in actions and "signature" in actions
    assert "191" in text(element(html, "figures"))
    assert "4-3 (1) ①" in text(element(html, "figures"))
    events = text(element(html, "events"))
    assert "Review Conference postponed" in events
    assert "Cited elsewhere" not in html
    assert "under a nuclear umbrella" in text(element(html, "postures"))


def test_source_page_lists_the_facts_of_every_app_that_cite_it(client, sources):
    from tests.factories import (
        MembershipFactory,
        PersonFactory,
        RecommendationFactory,
        RecommendationUpdateFactory,
        SessionFactory,
    )

    paper = sources["paper"]
    other = sources["treaty_db"]
    SessionFactory(title_en="Seventh meeting", source=paper)
    SessionFactory(title_en="Meeting cited elsewhere", source=other)
    person = PersonFactory(family_name_romanized="Tanaka", source=paper)
    MembershipFactory(person=person, source=paper)
    recommendation = RecommendationFactory(title_en="Sign the TPNW", source=paper)
    RecommendationUpdateFactory(recommendation=recommendation, evidence=paper)

    html = client.get(paper.get_absolute_url()).content.decode()

    assert "Seventh meeting" in text(element(html, "sessions"))
    assert "Meeting cited elsewhere" not in html
    assert "Tanaka" in text(element(html, "people"))
    assert "Tanaka" in text(element(html, "memberships"))
    assert "Sign the TPNW" in text(element(html, "recommendations"))
    assert "Sign the TPNW" in text(element(html, "update-evidence"))
    # Every kind the apps declare has its section when a fact of it cites the source.
    for facts in site.facts():
        if facts.model._default_manager.filter(**{facts.source_field: paper}).exists():
            assert f'id="{facts.key}"' in html, facts.key


def test_source_page_says_when_nothing_cites_it(client, sources):
    html = client.get(sources["proposal"].get_absolute_url()).content.decode()
    assert "No recorded fact cites this source yet." in html


def test_unknown_source_is_a_404_with_the_sites_page(client):
    response = client.get(reverse("portal:source-detail", args=[987654]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- Public pages only read --------------------------------------------------------------


@pytest.mark.parametrize("url", [HOME, SOURCES, SOURCE_EXPORT])
def test_public_pages_answer_head(client, url):
    assert client.head(url).status_code == 200


# --- Error pages ------------------------------------------------------------------------


def test_the_500_page_renders_without_any_context_or_url():
    html = render_to_string("500.html")
    assert "Server error" in html
    assert "/static/" not in html, "the 500 page must not depend on static files"


def test_the_500_handler_serves_the_standalone_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_a_request_for_an_unknown_host_gets_the_400_page(client):
    response = client.get(HOME, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_the_400_page_renders_without_a_request():
    # Django renders 400.html with no request and no context processors.
    assert "Bad request" in render_to_string("400.html")


# --- Queries do not grow with rows ------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response) if response.streaming else response.content
    return len(queries)


def populate_dashboard(n, source):
    """n treaties, each with a figure and an event, plus unsourced and stale facts."""
    country = CountryFactory(code="JP")
    start = Treaty.objects.count()
    treaties = Treaty.objects.bulk_create(
        Treaty(
            slug=f"bulk-{start + i}",
            short_name_en=f"B{start + i}",
            kind=Treaty.Kind.MULTILATERAL,
            status=Treaty.Status.IN_FORCE,
            source=source,
        )
        for i in range(n)
    )
    ReportedFigure.objects.bulk_create(
        ReportedFigure(
            treaty=treaty,
            metric=ReportedFigure.Metric.PARTIES,
            value=i,
            as_of_on=datetime.date(2015, 1, 1),
            as_of_precision="day",
            source=source if i % 2 else None,
        )
        for i, treaty in enumerate(treaties)
    )
    events = TreatyEvent.objects.bulk_create(
        TreatyEvent(
            treaty=treaty,
            title_en=f"Event {treaty.slug}",
            date_on=datetime.date(2020, 1, 1),
            source=source if i % 2 else None,
        )
        for i, treaty in enumerate(treaties)
    )
    TreatyEvent.countries.through.objects.bulk_create(
        TreatyEvent.countries.through(treatyevent=event, country=country) for event in events
    )
    participations = Participation.objects.bulk_create(
        Participation(treaty=treaty, country=country) for treaty in treaties
    )
    TreatyAction.objects.bulk_create(
        TreatyAction(participation=p, action_type="signature", date_on=datetime.date(2000, 1, 1))
        for p in participations
    )


def test_home_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    source = SourceFactory()
    populate_dashboard(5, source)
    few = count_queries(client, HOME)
    populate_dashboard(495, source)
    many = count_queries(client, HOME)
    assert many == few
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get(HOME)


def test_source_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    Source.objects.bulk_create(
        Source(slug=f"s-{i}", title_en=f"S {i}", kind="other", language="en") for i in range(5)
    )
    few = count_queries(client, SOURCES)
    few_export = count_queries(client, SOURCE_EXPORT)
    Source.objects.bulk_create(
        Source(slug=f"t-{i}", title_en=f"T {i}", kind="other", language="en") for i in range(495)
    )
    many = count_queries(client, SOURCES)
    assert many == few
    with django_assert_max_num_queries(SOURCE_LIST_MAX_QUERIES):
        client.get(SOURCES, {"page": 3})
    assert count_queries(client, SOURCE_EXPORT) == few_export


def test_source_detail_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    source = SourceFactory()
    url = source.get_absolute_url()
    populate_dashboard(5, source)
    Participation.objects.update(source=source)
    TreatyAction.objects.update(source=source)
    few = count_queries(client, url)
    populate_dashboard(495, source)
    Participation.objects.update(source=source)
    TreatyAction.objects.update(source=source)
    many = count_queries(client, url)
    assert many == few
    kinds = len(list(site.facts()))
    with django_assert_max_num_queries(SOURCE_DETAIL_BASE_QUERIES + kinds):
        client.get(url)


def test_home_shows_recommendations_by_status_and_the_latest_sessions(client):
    from tests.factories import RecommendationFactory, SessionFactory

    RecommendationFactory.create_batch(2)
    SessionFactory(title_en="Seventh meeting", start_on=datetime.date(2024, 3, 26))
    html = client.get(reverse("portal:home")).content.decode()
    assert 'id="recommendation-dashboard"' in html
    assert "Recommendations by status" in html
    assert "?status=proposed" in html
    assert "Seventh meeting" in html
