import datetime

import factory
from factory.django import DjangoModelFactory

from core.models import Source
from people.models import (
    Membership,
    Organization,
    Person,
    Session,
    SessionItem,
    StudyGroup,
)
from recommendations.models import Footnote, Recommendation, RecommendationUpdate
from treaties.models import (
    Country,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
)

# ISO codes handed out in order, so countries made in a loop stay unique.
ISO_CODES = [
    "JP",
    "US",
    "RU",
    "GB",
    "FR",
    "CN",
    "IN",
    "PK",
    "IL",
    "KP",
    "IR",
    "EG",
    "DE",
    "AU",
    "KR",
    "BY",
    "UA",
    "SS",
    "CA",
    "BR",
    "MX",
    "ZA",
    "NG",
    "KE",
    "SE",
    "NO",
    "FI",
    "IT",
    "ES",
    "PT",
    "NL",
    "BE",
    "AT",
    "CH",
    "PL",
    "CZ",
    "HU",
    "RO",
    "BG",
    "GR",
    "TR",
    "SA",
    "AE",
    "QA",
    "ID",
    "MY",
    "TH",
    "VN",
    "PH",
    "SG",
    "NZ",
    "AR",
    "CL",
    "PE",
    "CO",
    "VE",
]


def iso_code(n):
    """The n-th code: real ones first, then two-letter codes from the ISO alphabet."""
    if n < len(ISO_CODES):
        return ISO_CODES[n]
    from django_countries import countries

    codes = [code for code, _ in countries if code not in ISO_CODES]
    return codes[(n - len(ISO_CODES)) % len(codes)]


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title_ja = factory.Sequence(lambda n: f"資料 {n}")
    title_en = factory.Sequence(lambda n: f"Document {n}")
    kind = Source.Kind.WHITE_PAPER
    language = Source.Language.JA
    published_on = datetime.date(2021, 1, 1)
    published_precision = "year"


class TreatyFactory(DjangoModelFactory):
    class Meta:
        model = Treaty
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"treaty-{n}")
    short_name_en = factory.Sequence(lambda n: f"T{n}")
    short_name_ja = factory.Sequence(lambda n: f"条約{n}")
    name_en = factory.Sequence(lambda n: f"Treaty number {n}")
    kind = Treaty.Kind.MULTILATERAL
    status = Treaty.Status.IN_FORCE
    adopted_on = datetime.date(1968, 6, 12)
    adopted_precision = "day"
    opened_on = datetime.date(1968, 7, 1)
    opened_precision = "day"
    entered_into_force_on = datetime.date(1970, 3, 5)
    entered_into_force_precision = "day"
    source = factory.SubFactory(SourceFactory)
    locator = "4-3 (1)"


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(iso_code)
    un_member = True
    region = Country.Region.ASIA


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    treaty = factory.SubFactory(TreatyFactory)
    country = factory.SubFactory(CountryFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "note 22"


class TreatyActionFactory(DjangoModelFactory):
    class Meta:
        model = TreatyAction

    participation = factory.SubFactory(ParticipationFactory)
    action_type = TreatyAction.Type.SIGNATURE
    date_on = datetime.date(1970, 2, 3)
    date_precision = "day"
    source = factory.SubFactory(SourceFactory)
    locator = "4-3 (1)"


class ReportedFigureFactory(DjangoModelFactory):
    class Meta:
        model = ReportedFigure

    treaty = factory.SubFactory(TreatyFactory)
    metric = ReportedFigure.Metric.PARTIES
    value = 191
    as_of_on = datetime.date(2021, 3, 31)
    as_of_precision = "day"
    source = factory.SubFactory(SourceFactory)
    locator = "4-3 (1)"


class TreatyEventFactory(DjangoModelFactory):
    class Meta:
        model = TreatyEvent
        skip_postgeneration_save = True  # .set() on an M2M needs no second save

    treaty = factory.SubFactory(TreatyFactory)
    kind = TreatyEvent.Kind.MEETING
    date_on = datetime.date(2020, 1, 1)
    date_precision = "year"
    title_ja = factory.Sequence(lambda n: f"出来事 {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    source = factory.SubFactory(SourceFactory)
    locator = "4-3 (1)"

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organization-{n}")
    name_ja = factory.Sequence(lambda n: f"組織 {n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.FOUNDATION
    source = factory.SubFactory(SourceFactory)
    locator = "研究会メンバー"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"person-{n}")
    family_name = factory.Sequence(lambda n: f"山田{n}")
    given_name = "太郎"
    family_name_romanized = factory.Sequence(lambda n: f"Yamada{n}")
    given_name_romanized = "Taro"
    source = factory.SubFactory(SourceFactory)
    locator = "研究会メンバー"


class StudyGroupFactory(DjangoModelFactory):
    class Meta:
        model = StudyGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"study-group-{n}")
    name_ja = factory.Sequence(lambda n: f"研究会 {n}")
    name_en = factory.Sequence(lambda n: f"Study group {n}")
    host = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.RESEARCH_GROUP)
    established_on = datetime.date(2023, 1, 1)
    established_precision = "year"
    source = factory.SubFactory(SourceFactory)
    locator = "新たな核の軍備管理・軍縮構想研究会について"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(StudyGroupFactory)
    role = Membership.Role.MEMBER
    affiliation_ja = "防衛研究所 政策研究部"
    affiliation_en = "Policy Studies Department, National Institute for Defense Studies"
    title_ja = "研究員"
    title_en = "Research Fellow"
    order = factory.Sequence(lambda n: n + 1)
    source = factory.SubFactory(SourceFactory)
    locator = "研究会メンバー"
    as_of_on = datetime.date(2024, 4, 1)
    as_of_precision = "month"


class SessionFactory(DjangoModelFactory):
    """A numbered meeting; `SessionFactory(fieldwork=True)` makes an unnumbered trip."""

    class Meta:
        model = Session
        skip_postgeneration_save = True  # .set() on an M2M needs no second save

    class Params:
        fieldwork = factory.Trait(
            kind=Session.Kind.INTERVIEW_TRIP,
            number=None,
            title_ja="米国出張",
            title_en="Trip to the United States",
            start_on=datetime.date(2024, 1, 14),
            end_on=datetime.date(2024, 1, 21),
            end_precision="day",
            participant_count=4,
            interviewee_count=13,
        )

    group = factory.SubFactory(StudyGroupFactory)
    # A global sequence keeps meeting numbers unique within any group.
    number = factory.Sequence(lambda n: n + 1)
    kind = Session.Kind.MEETING
    title_ja = factory.LazyAttribute(lambda o: f"第{o.number}回研究会")
    title_en = factory.LazyAttribute(lambda o: f"Meeting {o.number}")
    start_on = datetime.date(2023, 5, 30)
    start_precision = "day"
    source = factory.SubFactory(SourceFactory)
    locator = "巻末資料"

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class SessionItemFactory(DjangoModelFactory):
    class Meta:
        model = SessionItem

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_ja = factory.Sequence(lambda n: f"講演 {n}")
    title_en = factory.Sequence(lambda n: f"Talk {n}")
    speaker_label_ja = "委員"
    speaker_label_en = "a member"


class RecommendationFactory(DjangoModelFactory):
    """A recommendation; its status is derived, so record updates through the service."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True  # .set() on an M2M needs no second save

    source = factory.SubFactory(SourceFactory, kind=Source.Kind.POLICY_RECOMMENDATION)
    number = factory.Sequence(lambda n: n + 1)
    title_ja = factory.Sequence(lambda n: f"提言 {n}")
    title_en = factory.Sequence(lambda n: f"Recommendation {n}")
    summary_ja = "日本政府は対話を促進すべきである。"
    summary_en = "The Government of Japan should promote dialogue."
    addressee_ja = "日本政府"
    addressee_en = "the Government of Japan"
    locator = factory.LazyAttribute(lambda o: f"提言{o.number}")

    @factory.post_generation
    def related_treaties(self, create, extracted, **kwargs):
        if create and extracted:
            self.related_treaties.set(extracted)

    @factory.post_generation
    def related_sessions(self, create, extracted, **kwargs):
        if create and extracted:
            self.related_sessions.set(extracted)


class FootnoteFactory(DjangoModelFactory):
    class Meta:
        model = Footnote

    recommendation = factory.SubFactory(RecommendationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_ja = factory.Sequence(lambda n: f"注 {n}")
    text_en = factory.Sequence(lambda n: f"Note {n}")


class RecommendationUpdateFactory(DjangoModelFactory):
    """A history row only: it does not refresh the recommendation's current status."""

    class Meta:
        model = RecommendationUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    date_on = datetime.date(2024, 4, 1)
    date_precision = "month"
    status = Recommendation.Status.PROPOSED
    note_en = "published"
    evidence = factory.SubFactory(SourceFactory)
    locator = "新たな核の軍備管理・軍縮構想研究会について"
