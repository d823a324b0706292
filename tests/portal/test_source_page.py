"""The source page: every fact of every app that cites the source, by kind; a source cited
by nothing; an unknown source; and queries bounded by the kinds of fact, not the rows."""

import datetime
import re

import pytest
from django.urls import reverse

from core.registry import site
from tests.factories import (
    CountryFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    ReportedFigureFactory,
    SessionFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import count_queries, element, populate_dashboard, text
from treaties.models import Participation, TreatyAction

pytestmark = pytest.mark.django_db

# The source and the session, then one query per kind of fact the apps declare (and one for
# the events' countries): a bound set by the kinds of fact, never by the rows.
SOURCE_DETAIL_BASE_QUERIES = 4


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
    # Each kind: its count and its page of rows.
    with django_assert_max_num_queries(SOURCE_DETAIL_BASE_QUERIES + 2 * kinds):
        client.get(url)


def test_each_kind_of_fact_pages_on_its_own(client):
    """A source cited by many facts: fifty of a kind at a time, the page the same size
    whatever their number, every fact reachable."""
    source = SourceFactory()
    url = source.get_absolute_url()
    populate_dashboard(120, source)  # 120 treaties citing it, 60 figures
    first = client.get(url)
    html = first.content.decode()
    treaties = element(html, "treaties")
    assert "(120)" in text(treaties)
    assert treaties.count("<tr>") - 1 == 50  # the header row, then fifty
    assert "treaties_page=2#treaties" in html
    assert "page 1 of 3" in text(html)
    seen = set()
    for number in (1, 2, 3):
        page = client.get(url, {"treaties_page": number}).content.decode()
        seen.update(re.findall(r'href="/treaties/(bulk-\d+)/"', element(page, "treaties")))
    assert len(seen) == 120
    # Each kind keeps its own page: the figures stay on their first.
    second = client.get(url, {"treaties_page": 2}).content.decode()
    assert "page 1 of 2" in text(second)
    # A page number that is not one is the first (or the last), never an error.
    assert client.get(url, {"treaties_page": "x"}).status_code == 200
    assert client.get(url, {"treaties_page": "999"}).status_code == 200
