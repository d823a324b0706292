"""`core.links.link` gives what `reverse()` gives, for every language, script prefix and
URLconf; `core.queries.hand_children` gives what `prefetch_related` gives, without its cost."""

import datetime

import pytest
from django.db.models import Prefetch
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, re_path, reverse, set_script_prefix
from django.utils import translation

from core.links import link, linker
from core.models import Source
from core.queries import hand_children
from tests.factories import ParticipationFactory, TreatyActionFactory
from treaties.models import Country, Participation, TreatyAction, country_urls


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    ("viewname", "args", "sample"),
    [
        ("treaties:country-detail", ["us", "jp", "eu"], "zz"),
        ("treaties:treaty-detail", ["npt", "new-start", "scale_00001"], "sample-slug"),
        ("portal:source-detail", [1, 42, 987654321], "987654321"),
    ],
)
def test_link_is_what_reverse_gives(viewname, args, sample, language):
    with translation.override(language):
        for arg in args:
            assert link(viewname, arg, sample) == reverse(viewname, args=[arg])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_linker_gives_what_reverse_gives_for_every_argument(language):
    with translation.override(language):
        make = linker("treaties:treaty-detail", "sample-slug")
        for arg in ["npt", "new-start", "sample-slug", 42]:
            assert make(arg) == reverse("treaties:treaty-detail", args=[arg])
        with pytest.raises(NoReverseMatch):
            make("n p t")
        country = country_urls()
        for code in ["US", "JP", "EU"]:
            assert country(code) == reverse("treaties:country-detail", args=[code.lower()])


def test_the_language_in_the_address_is_the_active_one():
    links = {}
    for language in ("ja", "en"):
        with translation.override(language):
            links[language] = link("treaties:country-detail", "us", "zz")
            assert links[language] == reverse("treaties:country-detail", args=["us"])
    assert links["ja"] != links["en"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_script_prefix_is_kept(language):
    with translation.override(language):
        plain = link("treaties:country-detail", "us", "zz")
        try:
            set_script_prefix("/tracker/")
            prefixed = link("treaties:country-detail", "us", "zz")
            assert prefixed == reverse("treaties:country-detail", args=["us"])
        finally:
            set_script_prefix("/")
    assert prefixed == "/tracker" + plain


def elsewhere(request, iso2):
    raise NotImplementedError


# This module is also a URLconf, naming the country page at another address.
urlpatterns = [
    path(
        "lands/",
        include(
            ([re_path(r"^(?P<iso2>[a-z]{2})/$", elsewhere, name="country-detail")], "treaties")
        ),
    )
]


def test_another_urlconf_is_reversed_anew():
    site = link("treaties:country-detail", "us", "zz")
    with override_settings(ROOT_URLCONF=__name__):
        assert link("treaties:country-detail", "us", "zz") == "/lands/us/"
    assert link("treaties:country-detail", "us", "zz") == site


def test_an_argument_reverse_would_quote_or_refuse_is_reversed_in_full():
    with pytest.raises(NoReverseMatch):
        link("treaties:country-detail", "u s", "zz")
    assert link("portal:source-detail", "7", "987654321") == reverse(
        "portal:source-detail", args=[7]
    )


@pytest.mark.django_db
def test_models_link_as_reverse_does(seeded):
    country = Country.objects.get(code="JP")
    source = Source.objects.order_by("pk").first()
    with translation.override("en"):
        assert country.get_absolute_url() == reverse("treaties:country-detail", args=["jp"])
        assert source.get_absolute_url() == reverse("portal:source-detail", args=[source.pk])


@pytest.mark.django_db
def test_hand_children_gives_what_prefetch_gives(django_assert_num_queries):
    first, second, bare = ParticipationFactory(), ParticipationFactory(), ParticipationFactory()
    TreatyActionFactory(participation=first, date_on=datetime.date(1990, 5, 1))
    TreatyActionFactory(participation=second)
    TreatyActionFactory(participation=first, date_on=datetime.date(1980, 1, 2))
    ids = [first.pk, second.pk, bare.pk]
    prefetched = list(
        Participation.objects.filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related(Prefetch("actions", queryset=TreatyAction.objects.chronological()))
    )
    handed = list(Participation.objects.filter(pk__in=ids).order_by("pk"))
    with django_assert_num_queries(1):
        hand_children(
            handed, "actions", TreatyAction.objects.filter(participation__in=ids).chronological()
        )
    with django_assert_num_queries(0):
        got = [[(a.pk, a.participation is p) for a in p.actions.all()] for p in handed]
        assert [len(p.actions.all()) for p in handed] == [2, 1, 0]
    assert got == [[(a.pk, True) for a in p.actions.all()] for p in prefetched]
    # The manager still makes queries of its own on demand.
    assert handed[0].actions.filter(pk=got[0][0][0]).count() == 1


@pytest.mark.django_db
def test_hand_children_with_no_parents_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        hand_children([], "actions", TreatyAction.objects.all())
