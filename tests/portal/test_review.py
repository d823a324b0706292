"""The editors' review list: facts without a source in any app, the /review/ page with
each app's checks linked to the admin, and the dashboard's summary of them.

The checks each app declares are tested with their app (tests/treaties/test_review.py,
tests/recommendations/test_review.py)."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from core.dates import PartialDate
from portal.review import unsourced_groups
from recommendations.services import recommendation_set_status
from tests.factories import (
    CountryFactory,
    MembershipFactory,
    ParticipationFactory,
    RecommendationFactory,
    ReportedFigureFactory,
    SessionFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import change_url, count_queries, text, today, years_ago
from treaties.models import Participation, ParticipationStatus, Treaty
from treaties.services import refresh_statuses

pytestmark = pytest.mark.django_db

REVIEW = reverse("portal:review")
HOME = reverse("portal:home")
# The dashboard reads the signed-in user (editors see the review banner): one query more;
# and whether they hold the editors' rights: two more (their own and their groups'); and
# its count of every treaty by status: one more.
REVIEW_MAX_QUERIES = 24

D = datetime.date


def section(html, section_id):
    match = re.search(rf'<section id="{section_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {section_id!r}"
    return match.group(1)


# --- Facts without a source ---------------------------------------------------------------


UNSOURCED_FACTORIES = {
    "treaty": lambda source: TreatyFactory(source=source),
    "participation": lambda source: ParticipationFactory(source=source),
    "treaty action": lambda source: TreatyActionFactory(source=source),
    "reported figure": lambda source: ReportedFigureFactory(source=source),
    "event": lambda source: TreatyEventFactory(source=source),
    "recommendation": lambda source: RecommendationFactory(
        source=SourceFactory() if source else None
    ),
    "session": lambda source: SessionFactory(source=source),
    "membership": lambda source: MembershipFactory(source=source),
}


@pytest.mark.parametrize("kind", UNSOURCED_FACTORIES)
def test_a_fact_without_a_source_is_caught_and_a_sourced_one_is_not(kind):
    make = UNSOURCED_FACTORIES[kind]
    missing = make(None)
    sourced = make(SourceFactory())

    found = {obj for group in unsourced_groups(limit=100) for obj in group["examples"]}

    assert missing in found
    assert sourced not in found


# --- The review page -------------------------------------------------------------------------


@pytest.fixture
def to_review(db):
    """One item for each check, with a fresh or complete counterpart that must not appear."""
    paper = SourceFactory(title_en="White paper")
    npt = TreatyFactory(slug="npt", short_name_en="NPT", source=paper)
    expired = TreatyFactory(
        slug="new-start",
        short_name_en="New START",
        status=Treaty.Status.IN_FORCE,
        expires_on=today() - datetime.timedelta(days=30),
        expires_precision="day",
        source=paper,
    )
    stale = ReportedFigureFactory(treaty=npt, value=187, as_of_on=years_ago(4), source=paper)
    fresh = ReportedFigureFactory(
        treaty=npt, metric="signatories", value=93, as_of_on=today(), source=paper
    )
    forgotten = RecommendationFactory(title_en="Forgotten recommendation")
    followed = RecommendationFactory(title_en="Followed recommendation", source=forgotten.source)
    recommendation_set_status(
        recommendation=followed, status="under_consideration", date=PartialDate(today())
    )
    unsourced = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"), source=None)
    sourced = ParticipationFactory(treaty=npt, country=CountryFactory(code="US"), source=paper)
    return {
        "expired": expired,
        "npt": npt,
        "stale": stale,
        "fresh": fresh,
        "forgotten": forgotten,
        "followed": followed,
        "unsourced": unsourced,
        "sourced": sourced,
    }


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, to_review):
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=/review/" in response["Location"]


def test_a_signed_in_user_who_is_not_staff_is_sent_to_the_login_too(client, to_review):
    client.force_login(User.objects.create_user("reader", password="not-used"))
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_editor_sees_each_check_with_links_to_the_admin(editor_client, to_review):
    response = editor_client.get(REVIEW)
    assert response.status_code == 200
    html = response.content.decode()

    figures = section(html, "stale-figures")
    assert "1 figure stated more than three years ago" in text(figures)
    assert f'href="{change_url(to_review["stale"])}"' in figures
    assert change_url(to_review["fresh"]) not in html

    treaties = section(html, "expired-treaties")
    assert "1 treaty past its expiry date" in text(treaties)
    assert f'href="{change_url(to_review["expired"])}"' in treaties
    assert "New START" in text(treaties) and "in force" in text(treaties)
    assert change_url(to_review["npt"]) not in treaties

    recommendations = section(html, "stale-recommendations")
    assert "1 recommendation without an update in the last twelve months" in text(recommendations)
    assert f'href="{change_url(to_review["forgotten"])}"' in recommendations
    assert "no update recorded" in text(recommendations)
    assert change_url(to_review["followed"]) not in recommendations

    unsourced = section(html, "unsourced")
    assert "1 fact without a source" in text(unsourced)
    assert "participations: 1 without a source" in text(unsourced)
    assert f'href="{change_url(to_review["unsourced"])}"' in unsourced
    assert "Japan — NPT" in text(unsourced)
    assert change_url(to_review["sourced"]) not in html


def test_the_review_summary_links_each_count_to_its_list(editor_client, to_review):
    summary = section(editor_client.get(REVIEW).content.decode(), "review-summary")
    for anchor in ("stale-figures", "expired-treaties", "stale-recommendations", "unsourced"):
        assert f'href="{REVIEW}#{anchor}"' in summary


def test_every_admin_link_on_the_review_page_opens(editor_client, to_review):
    html = editor_client.get(REVIEW).content.decode()
    links = set(re.findall(r'href="(/admin/[^"]+/change/)"', html))
    assert len(links) == 4
    for link in links:
        assert editor_client.get(link).status_code == 200, link


def test_the_review_page_says_when_there_is_nothing_to_review(editor_client):
    TreatyFactory(slug="npt")
    text_ = text(editor_client.get(REVIEW).content.decode())
    assert "Every figure was stated less than three years ago." in text_
    assert "Every fact has a source." in text_


def test_the_review_page_only_reads(editor_client):
    assert editor_client.post(REVIEW).status_code == 405


def test_the_review_page_lists_stored_statuses_that_are_out_of_date(admin_client, bilateral):
    treaty, us = bilateral
    Participation.objects.filter(pk=us.pk).update(status=ParticipationStatus.PARTY)
    Treaty.objects.filter(pk=treaty.pk).update(status=Treaty.Status.IN_FORCE)
    html = admin_client.get("/review/").content.decode()
    assert 'id="stale-statuses"' in html
    assert "party → party until the treaty expired" in html
    refresh_statuses()
    html = admin_client.get("/review/").content.decode()
    assert "party → party until the treaty expired" not in html


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_sums_up_the_four_checks_and_links_to_the_review(client, to_review):
    html = client.get(HOME).content.decode()
    box = section(html, "needing-review")
    summary = text(box)
    assert "1 figure stated more than three years ago" in summary
    assert "1 treaty past its expiry date with another stored status" in summary
    assert "1 recommendation without an update in the last twelve months" in summary
    assert "1 fact without a source" in summary
    assert f'href="{REVIEW}"' in box
    assert f'href="{REVIEW}#unsourced"' in box


def test_the_dashboard_says_so_when_nothing_needs_review(client):
    TreatyFactory(slug="npt")
    box = text(section(client.get(HOME).content.decode(), "needing-review"))
    assert "every fact has a source" in box
    assert "without a source" not in box


# --- Queries do not grow with the rows -------------------------------------------------------


def populate(n):
    npt = TreatyFactory(slug="npt")
    for i in range(n):
        country = CountryFactory()
        ParticipationFactory(treaty=npt, country=country, source=None)
        ReportedFigureFactory(treaty=npt, value=i, as_of_on=years_ago(5), source=None)
        TreatyActionFactory(participation__treaty=npt, source=None)
        TreatyEventFactory(treaty=npt, source=None)
        RecommendationFactory(source=None)
        SessionFactory(source=None)
        MembershipFactory(source=None)
        TreatyFactory(
            status=Treaty.Status.IN_FORCE,
            expires_on=D(2020, 1, 1),
            expires_precision="day",
            entered_into_force_on=D(2011, 1, 1),
            source=None,
        )


@pytest.mark.parametrize("url", [REVIEW, HOME])
def test_queries_do_not_grow_with_the_items_to_review(editor_client, url):
    populate(2)
    few = count_queries(editor_client, url)
    populate(20)
    many = count_queries(editor_client, url)
    assert many == few
    assert many <= REVIEW_MAX_QUERIES
