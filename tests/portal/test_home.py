"""The dashboard (the home page): each treaty with the status a reader sees, its latest
figures, the ten latest events, what needs review, and the recommendations by status;
it answers HEAD, and its queries do not grow with the rows."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.views import DASHBOARD_TREATIES, REVIEW_EXAMPLES
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import count_queries, element, populate_dashboard, text
from treaties.models import ReportedFigure, Treaty

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")

# Ceiling on the queries the dashboard runs; the test below shows it does not grow.
HOME_MAX_QUERIES = 20


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
    # (As a number of its own: a source's name elsewhere in the row may hold the digits.)
    assert not re.search(r"(?<!\d)189(?!\d)", row), "only the latest figure of a metric is shown"
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
    # A source titled without digits: the review lists the stale figure's source, and a
    # factory title such as "Document 1293" would contain the fresh figure's value.
    stale = ReportedFigureFactory(
        treaty=npt,
        value=187,
        as_of_on=today.replace(year=today.year - 4, day=1),
        source=SourceFactory(title_en="White paper"),
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


# --- A summary, not a list of everything ------------------------------------------------


def bulk_treaties(count, start=0, **fields):
    return Treaty.objects.bulk_create(
        Treaty(
            slug=f"t-{n:04d}",
            short_name_en=f"Treaty {n:04d}",
            kind=Treaty.Kind.MULTILATERAL,
            display_order=n,
            **{"status": Treaty.Status.IN_FORCE, **fields},
        )
        for n in range(start, start + count)
    )


def test_home_lists_the_first_treaties_by_display_order_and_links_to_all(client):
    shown = DASHBOARD_TREATIES
    bulk_treaties(shown + 5)
    html = client.get(HOME).content.decode()
    rows = re.findall(r'<tr id="treaty-(t-\d{4})"', html)
    assert rows == [f"t-{n:04d}" for n in range(shown)]
    note = text(html[html.index('id="treaties-shown"') :].split("</p>")[0])
    assert f"The first {shown} of {shown + 5} treaties by display order" in note
    assert f'<a href="/treaties/">all {shown + 5} treaties</a>' in html


def test_home_lists_every_treaty_and_no_note_while_they_are_few(client):
    bulk_treaties(3)
    html = client.get(HOME).content.decode()
    assert re.findall(r'<tr id="treaty-(t-\d{4})"', html) == ["t-0000", "t-0001", "t-0002"]
    assert 'id="treaties-shown"' not in html


def test_home_counts_every_treaty_by_the_status_a_reader_sees(client):
    past = timezone.localdate() - datetime.timedelta(days=1)
    bulk_treaties(20)
    # Stored as in force but past their expiry: a reader sees them as expired.
    bulk_treaties(4, start=20, expires_on=past, expires_precision="day")
    bulk_treaties(3, start=30, status=Treaty.Status.PROPOSED)
    # A terminated treaty stays terminated whatever its expiry date.
    bulk_treaties(
        1, start=40, status=Treaty.Status.TERMINATED, expires_on=past, expires_precision="day"
    )

    table = client.get(HOME).content.decode().split('id="treaty-status-counts"')[1]
    table = table.split("</table>")[0]
    counts = dict(re.findall(r'<a href="/treaties/\?status=(\w+)">(\d+)</a>', table))
    assert counts == {"in_force": "20", "expired": "4", "proposed": "3", "terminated": "1"}
    assert '<a href="/treaties/">28</a>' in table
    # Each count is the length of the list it links to.
    for status, count in counts.items():
        listed = client.get(reverse("treaties:treaty-list"), {"status": status})
        assert re.search(rf"(?<!\d){count} treat(y|ies)\b", text(listed.content.decode()))


def test_the_editors_banner_lists_the_first_treaties_past_expiry_and_says_how_many(
    admin_client,
):
    past = timezone.localdate() - datetime.timedelta(days=1)
    bulk_treaties(REVIEW_EXAMPLES + 2, expires_on=past, expires_precision="day")
    banner = element(admin_client.get(HOME).content.decode(), "status-review")
    assert banner.count('class="needs-review"') == REVIEW_EXAMPLES
    assert f"The first {REVIEW_EXAMPLES} of {REVIEW_EXAMPLES + 2} are listed" in text(banner)
    assert 'href="/review/#expired-treaties"' in banner


def test_home_shows_the_figures_of_the_treaties_it_lists_only(client):
    treaties = bulk_treaties(DASHBOARD_TREATIES + 1)
    today = timezone.localdate()
    ReportedFigureFactory(treaty=treaties[0], value=4321, as_of_on=today)
    ReportedFigureFactory(treaty=treaties[-1], value=8765, as_of_on=today)
    html = client.get(HOME).content.decode()
    assert "4,321" in element(html, "treaty-t-0000")
    assert "8,765" not in html


# --- Public pages only read --------------------------------------------------------------


@pytest.mark.parametrize("url", [HOME])
def test_public_pages_answer_head(client, url):
    assert client.head(url).status_code == 200


# --- Queries do not grow with rows ------------------------------------------------------


def test_home_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    source = SourceFactory()
    populate_dashboard(5, source)
    few = count_queries(client, HOME)
    populate_dashboard(495, source)
    many = count_queries(client, HOME)
    assert many == few
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get(HOME)


def test_home_shows_recommendations_by_status_and_the_latest_sessions(client):
    from tests.factories import RecommendationFactory, SessionFactory

    RecommendationFactory.create_batch(2)
    SessionFactory(title_en="Seventh meeting", start_on=datetime.date(2024, 3, 26))
    html = client.get(reverse("portal:home")).content.decode()
    assert 'id="recommendation-dashboard"' in html
    assert "Recommendations by status" in html
    assert "?status=proposed" in html
    assert "Seventh meeting" in html
