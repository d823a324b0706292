"""Fixtures the tests of several apps share: English as the tests' default language, the
seed data, an editor, and the rows that more than one app's tests build the same way."""

import datetime
import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.signals import request_finished, request_started
from django.test import Client
from django.urls import clear_url_caches
from django.utils import translation

from core.dates import PartialDate
from core.editors import EDITORS_GROUP
from core.models import Source
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests import factories
from tests.factories import (
    CountryFactory,
    FootnoteFactory,
    MembershipFactory,
    OrganizationFactory,
    ParticipationFactory,
    RecommendationFactory,
    ReportedFigureFactory,
    SessionFactory,
    SessionItemFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from treaties.models import Treaty


def pytest_configure(config):
    """Tests read English unless they ask for Japanese: English is their default language,
    so their pages are at /… and the Japanese ones at /ja/… (`tests.helpers.in_language`).

    Set for the whole run, before any address is reversed: Django keeps the reversed
    addresses of each language, and a prefix computed under another default would stay.
    The site as it runs, Japanese at /… and English at /en/…, is the `japanese_default`
    fixture's.
    """
    settings.LANGUAGE_CODE = "en"
    request_started.connect(_remember_language, dispatch_uid="tests-remember-language")
    request_finished.connect(_restore_language, dispatch_uid="tests-restore-language")


# A request made with the test client runs in the test's own thread and activates its page's
# language there, as a server's thread does for each request it serves. The language the
# test had is put back when the request finishes, so that what a test reverses or translates
# after fetching a Japanese page is still in the test's own language.
_before_requests = threading.local()


def _remember_language(**kwargs):
    _before_requests.__dict__.setdefault("languages", []).append(translation.get_language())


def _restore_language(**kwargs):
    languages = _before_requests.__dict__.get("languages")
    if languages:
        translation.activate(languages.pop())


@pytest.fixture(autouse=True)
def _english():
    """Code outside a request (forms, labels, commands) reads English too."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page stored by an earlier test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def japanese_default(settings):
    """The site's own layout: Japanese, the default, at /…, English at /en/…."""
    settings.LANGUAGE_CODE = "ja"
    clear_url_caches()
    try:
        with translation.override("ja"):
            yield
    finally:
        # The addresses reversed under this default are dropped before the next test.
        clear_url_caches()


@pytest.fixture
def source(db):
    return factories.SourceFactory()


@pytest.fixture
def treaty(db):
    return factories.TreatyFactory(slug="npt", short_name_en="NPT")


@pytest.fixture
def country(db):
    return factories.CountryFactory(code="JP")


@pytest.fixture
def seeded(db):
    """The seed data loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)


# --- Editors ------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    """A staff user in the Editors group that the data migrations create."""
    user = User.objects.create_user("editor", password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(editor):
    """The editor, signed in on a client of their own."""
    client = Client()
    client.force_login(editor)
    return client


# --- Rows that the tests of more than one app build the same way --------------------


@pytest.fixture
def one_of_each(db):
    """A row of every core and treaties model, so each changelist (sources,
    treaties, ...) renders its columns for real data."""
    source = SourceFactory(slug="white-paper", title_en="Diplomatic Bluebook 2021")
    npt = TreatyFactory(slug="npt", short_name_en="NPT", source=source)
    japan = CountryFactory(code="JP", posture_source=source)
    participation = ParticipationFactory(treaty=npt, country=japan, source=source)
    TreatyActionFactory(participation=participation, source=source)
    ReportedFigureFactory(treaty=npt, source=source)
    TreatyEventFactory(treaty=npt, source=source, countries=[japan])
    return {"source": source, "npt": npt, "japan": japan, "participation": participation}


@pytest.fixture
def sources(db):
    """Three sources of different kinds, languages and years: for the source list
    (core) and the source page (portal)."""
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


@pytest.fixture
def study_group_rows(db):
    """A row of every people and recommendations model, for their admin."""
    membership = MembershipFactory(organization=OrganizationFactory())
    session = SessionFactory(group=membership.group, participants=[membership.person])
    SessionItemFactory(session=session, speaker=membership.person)
    SessionItemFactory(session=session, speaker=None, speaker_label_en="external lecturer")
    recommendation = RecommendationFactory(
        related_treaties=[TreatyFactory(slug="npt")], related_sessions=[session]
    )
    FootnoteFactory(recommendation=recommendation)
    recommendation_set_status(
        recommendation=recommendation,
        status=Recommendation.Status.PROPOSED,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
        evidence=recommendation.source,
    )
    recommendation.refresh_from_db()
    return {
        "organization": membership.organization,
        "person": membership.person,
        "studygroup": membership.group,
        "membership": membership,
        "session": session,
        "sessionitem": session.items.first(),
        "recommendation": recommendation,
        "footnote": recommendation.footnotes.first(),
        "recommendationupdate": recommendation.updates.first(),
    }


@pytest.fixture
def bilateral():
    """A treaty in force from 2011 that expires on 5 February 2026, with one party
    (its statuses are refreshed by the daily command and listed for review)."""
    treaty = TreatyFactory(
        slug="new-start",
        kind=Treaty.Kind.BILATERAL,
        status=Treaty.Status.IN_FORCE,
        opened_on=datetime.date(2010, 4, 8),
        entered_into_force_on=datetime.date(2011, 2, 5),
        expires_on=datetime.date(2026, 2, 5),
        expires_precision="day",
    )
    us = ParticipationFactory(treaty=treaty, country=CountryFactory(code="US"))
    TreatyActionFactory(
        participation=us, action_type="signature", date_on=datetime.date(2010, 4, 8)
    )
    TreatyActionFactory(
        participation=us, action_type="ratification", date_on=datetime.date(2011, 2, 5)
    )
    return treaty, us
