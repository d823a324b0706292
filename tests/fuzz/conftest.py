"""A small world for the fuzz runs: a row of every model, some of their text written as a
spreadsheet formula, so the CSV checks see cells that must come out neutralized."""

import datetime

import pytest

from core.dates import PartialDate
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    CountryFactory,
    FootnoteFactory,
    MembershipFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    RecommendationFactory,
    ReportedFigureFactory,
    SessionFactory,
    SessionItemFactory,
    SourceFactory,
    StudyGroupFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)


@pytest.fixture
def world(db):
    source = SourceFactory(slug="white-paper", title_en='=HYPERLINK("http://x.invalid","y")')
    npt = TreatyFactory(slug="npt", short_name_en="NPT", source=source, locator="-1+1")
    ctbt = TreatyFactory(
        slug="ctbt",
        short_name_en="CTBT",
        status="not_in_force",
        source=source,
        entered_into_force_on=None,
        entered_into_force_precision="",
    )
    japan = CountryFactory(code="JP")
    us = CountryFactory(code="US")
    participation = ParticipationFactory(treaty=npt, country=japan, source=source, locator="@A1")
    action = TreatyActionFactory(participation=participation, source=source)
    TreatyActionFactory(
        participation=participation,
        action_type="ratification",
        date_on=datetime.date(1976, 6, 8),
        source=source,
    )
    ParticipationFactory(treaty=ctbt, country=us, source=source, required_for_entry_into_force=True)
    figure = ReportedFigureFactory(treaty=npt, source=source)
    event = TreatyEventFactory(treaty=npt, source=source, title_en="+SUM(1,2)", countries=[japan])
    organization = OrganizationFactory(name_en="=1+2")
    person = PersonFactory(family_name_romanized="@Yamada")
    group = StudyGroupFactory(host=organization)
    membership = MembershipFactory(person=person, group=group, organization=organization)
    session = SessionFactory(group=group, participants=[person], title_en="-Meeting")
    item = SessionItemFactory(session=session, speaker=person, title_en="\t=talk")
    recommendation = RecommendationFactory(
        related_treaties=[npt], related_sessions=[session], title_en="=recommendation"
    )
    footnote = FootnoteFactory(recommendation=recommendation, text_en="+note")
    recommendation_set_status(
        recommendation=recommendation,
        status=Recommendation.Status.PROPOSED,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
        evidence=source,
    )
    recommendation.refresh_from_db()
    return {
        "source": source,
        "treaty": npt,
        "country": japan,
        "participation": participation,
        "action": action,
        "figure": figure,
        "event": event,
        "organization": organization,
        "person": person,
        "studygroup": group,
        "membership": membership,
        "session": session,
        "sessionitem": item,
        "recommendation": recommendation,
        "footnote": footnote,
        "recommendationupdate": recommendation.updates.first(),
    }
