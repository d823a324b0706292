import datetime

import factory
from factory.django import DjangoModelFactory

from core.models import Source
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
