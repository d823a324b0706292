"""The recommendation list and page, the blocks other pages embed, bad input and query bounds."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from core.dates import PartialDate
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    FootnoteFactory,
    RecommendationFactory,
    SessionFactory,
    SourceFactory,
    TreatyFactory,
)
from tests.helpers import count_queries, html, in_language

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:recommendation-list")
Status = Recommendation.Status


def listed(response, recommendations):
    page = html(response)
    return {name for name, r in recommendations.items() if f'id="recommendation-{r.pk}"' in page}


@pytest.fixture
def emergency(db):
    return SourceFactory(
        slug="spf-2024-emergency",
        title_en="Emergency Policy Recommendations",
        title_ja="緊急提言",
        kind="policy_recommendation",
        published_on=datetime.date(2024, 4, 1),
        published_precision="month",
    )


@pytest.fixture
def older(db):
    return SourceFactory(
        slug="spf-2020-contribution",
        title_en="Japan's contribution to nuclear disarmament",
        kind="policy_recommendation",
        published_on=datetime.date(2020, 4, 1),
        published_precision="month",
    )


@pytest.fixture
def npt(db):
    return TreatyFactory(slug="npt", short_name_en="NPT")


@pytest.fixture
def new_start(db):
    return TreatyFactory(slug="new-start", short_name_en="New START")


@pytest.fixture
def trip(db):
    return SessionFactory(fieldwork=True)


@pytest.fixture
def first(emergency, npt, trip):
    recommendation = RecommendationFactory(
        source=emergency,
        number=1,
        title_ja="核の不使用継続と核秩序維持の重要性を再確認し",
        title_en="Reaffirm the continued non-use of nuclear weapons",
        summary_ja="世界はいま、核兵器が使用されるリスクに直面している。核の傘国¹が宣言する。",
        summary_en="The world now faces the risk that nuclear weapons will be used. States¹.",
        body_ja="過去の核軍備管理交渉の教訓を踏まえると",
        body_en="In the light of past arms control negotiations, political leaders matter most³.",
        addressee_en="the Government of Japan",
        related_treaties=[npt],
        related_sessions=[trip],
    )
    FootnoteFactory(
        recommendation=recommendation,
        number=1,
        text_ja="自国は核兵器を保有しないが、同盟関係にある核保有国の核抑止力に依存する国のこと。",
        text_en="A state that relies on the nuclear deterrence of an allied nuclear-armed state.",
    )
    FootnoteFactory(
        recommendation=recommendation,
        number=7,
        text_ja="Shizuka Kuramitsu, “China, US Hold Rare Arms Control Talks”",
        text_en="Shizuka Kuramitsu, “China, US Hold Rare Arms Control Talks”",
        url="https://www.armscontrol.org/act/2023-12/news/china-us-hold-rare-arms-control-talks",
    )
    return recommendation


@pytest.fixture
def second(emergency, new_start):
    return RecommendationFactory(
        source=emergency,
        number=2,
        title_ja="核保有国間の核軍備管理交渉を促がす重層的な対話の推進",
        title_en="Promote multilayered dialogue among nuclear-armed states",
        related_treaties=[new_start],
    )


@pytest.fixture
def third(older):
    recommendation = RecommendationFactory(
        source=older, number=1, title_en="Strengthen the NPT review process", title_ja="NPT強化"
    )
    recommendation_set_status(
        recommendation=recommendation,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2021, 1, 1), "year"),
    )
    return recommendation


# -- list ------------------------------------------------------------------------------


def test_list_shows_number_title_publication_status_and_treaties(client, first, second, third):
    response = client.get(LIST)
    assert response.status_code == 200
    page = html(response)
    assert "Reaffirm the continued non-use of nuclear weapons" in page
    assert "Emergency Policy Recommendations" in page
    assert "April 2024" in page
    assert "implemented" in page
    assert '<a href="/treaties/npt/">NPT</a>' in page
    assert first.get_absolute_url() in page
    for name in ("recommendation-export", "footnote-export", "update-export"):
        assert reverse(f"recommendations:{name}") in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=implemented", {"third"}),
        ("status=proposed", {"first", "second"}),
        ("status=superseded", set()),
        ("source=spf-2024-emergency", {"first", "second"}),
        ("source=spf-2020-contribution", {"third"}),
        ("treaty=npt", {"first"}),
        ("treaty=new-start", {"second"}),
        ("year=2024", {"first", "second"}),
        ("year=2020", {"third"}),
        ("year=2019", set()),
        ("q=dialogue", {"second"}),
        ("q=核秩序", {"first"}),
        ("q=NPT", {"third"}),
        ("status=proposed&treaty=npt", {"first"}),
        ("", {"first", "second", "third"}),
    ],
)
def test_every_filter_narrows_the_list(client, first, second, third, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert listed(response, {"first": first, "second": second, "third": third}) == expected


def test_the_export_links_carry_the_query_string(client, first):
    page = html(client.get(f"{LIST}?status=proposed&treaty=npt"))
    assert (
        f"{reverse('recommendations:recommendation-export')}?status=proposed&amp;treaty=npt" in page
    )
    assert f"{reverse('recommendations:update-export')}?status=proposed&amp;treaty=npt" in page


# -- detail ----------------------------------------------------------------------------


def test_page_shows_the_text_in_english_with_the_japanese_original(client, first):
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    page = html(response)
    assert "Recommendation 1" in page
    assert "Reaffirm the continued non-use of nuclear weapons" in page
    assert "The world now faces the risk that nuclear weapons will be used." in page
    assert "世界はいま、核兵器が使用されるリスクに直面している。" in page  # the original
    assert "Japanese original (as published)" in page
    assert "In the light of past arms control negotiations" in page
    assert "過去の核軍備管理交渉の教訓を踏まえると" in page
    assert "the Government of Japan" in page
    assert "Emergency Policy Recommendations" in page
    assert 'class="provenance"' in page


def test_page_in_japanese_shows_the_original_first(client, first):
    page = html(client.get(in_language("ja", first.get_absolute_url())))
    original = page.index("世界はいま、核兵器が使用されるリスクに直面している。")
    translation = page.index("The world now faces the risk")
    assert original < translation
    assert "2024年4月" in page


def test_page_without_english_text_says_the_original_is_shown(client, emergency):
    recommendation = RecommendationFactory(
        source=emergency, number=9, title_en="", summary_en="", body_ja="日本語のみの解説"
    )
    page = html(client.get(recommendation.get_absolute_url()))
    assert "日本語のみの解説" in page
    assert "No English text is recorded; the Japanese original is shown." in page


def test_page_lists_footnotes_with_anchors_text_and_links(client, first):
    page = html(client.get(first.get_absolute_url()))
    assert 'id="fn1"' in page
    assert 'id="fn7"' in page
    assert "A state that relies on the nuclear deterrence of an allied nuclear-armed state." in page
    url = "https://www.armscontrol.org/act/2023-12/news/china-us-hold-rare-arms-control-talks"
    assert f'<a href="{url}"' in page
    # Superscript marks in the text link to their footnote; a mark with no footnote stays text.
    assert '<a class="fnref" href="#fn1"' in page
    assert 'href="#fn3"' not in page


def test_page_links_to_its_treaties_and_sessions(client, first, npt, trip):
    page = html(client.get(first.get_absolute_url()))
    assert '<a href="/treaties/npt/">NPT</a>' in page
    assert f'<a href="{trip.get_absolute_url()}">Trip to the United States</a>' in page


def test_page_shows_the_status_history_at_its_precision(client, first):
    evidence = SourceFactory(title_en="Japan–US Joint Leaders' Statement")
    recommendation_set_status(
        recommendation=first,
        status=Status.UNDER_CONSIDERATION,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
        note_en="Raised at the summit",
        evidence=evidence,
        locator="para. 12",
    )
    recommendation_set_status(
        recommendation=first,
        status=Status.PARTLY_IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
        note_en="Track 2 dialogue launched",
    )
    page = html(client.get(first.get_absolute_url()))
    history = page[page.index('id="history"') :]
    assert '<time datetime="2024-04">April 2024</time>' in history
    assert '<time datetime="2025">2025</time>' in history
    assert "Raised at the summit" in history
    assert "under consideration" in history
    assert f'<a href="{evidence.get_absolute_url()}">' in history
    assert "para. 12" in history
    assert history.index("April 2024") < history.index("2025</time>")
    current = page[page.index('id="current-status"') : page.index('id="summary"')]
    assert "partly implemented" in current
    assert "2025" in current
    assert f"{reverse('recommendations:update-export')}?recommendation={first.pk}" in page


# -- cross-links -----------------------------------------------------------------------


def test_treaty_tag_lists_the_recommendations_for_a_treaty(first, second, npt, new_start):
    template = Template("{% load recommendation_tags %}{% recommendations_for_treaty treaty %}")
    rendered = template.render(Context({"treaty": npt}))
    assert "Reaffirm the continued non-use of nuclear weapons" in rendered
    assert first.get_absolute_url() in rendered
    assert "proposed" in rendered
    assert second.get_absolute_url() not in rendered
    assert f"{LIST}?treaty=npt" in rendered

    rendered = template.render(Context({"treaty": TreatyFactory(slug="tpnw")}))
    assert "No recommendation of the study group refers to this treaty." in rendered


def test_treaty_tag_needs_one_query(first, npt, django_assert_num_queries):
    for _ in range(20):
        RecommendationFactory(related_treaties=[npt])
    template = Template("{% load recommendation_tags %}{% recommendations_for_treaty treaty %}")
    with django_assert_num_queries(1):
        template.render(Context({"treaty": npt}))


def test_dashboard_tag_counts_by_status_and_lists_the_latest_sessions(
    first, second, third, trip, django_assert_max_num_queries
):
    sessions = [SessionFactory(number=n, start_on=datetime.date(2023, n, 1)) for n in range(1, 8)]
    template = Template("{% load recommendation_tags %}{% recommendation_dashboard %}")
    with django_assert_max_num_queries(2):
        rendered = template.render(Context({}))
    assert f'<a href="{LIST}?status=proposed">2</a>' in rendered
    assert f'<a href="{LIST}?status=implemented">1</a>' in rendered
    assert f'<a href="{LIST}">3</a>' in rendered
    # The trip (January 2024) and meetings 7 to 4, newest first.
    assert trip.get_absolute_url() in rendered
    assert "14–21 January 2024" in rendered
    for session in sessions[3:]:
        assert session.get_absolute_url() in rendered
    for session in sessions[:3]:
        assert session.get_absolute_url() not in rendered
    assert rendered.index("Trip to the United States") < rendered.index("Meeting 7")
    assert rendered.index("Meeting 7") < rendered.index("Meeting 4")


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=forgotten", "Select a valid choice"),
        ("source=no-such-paper", "There is no publication of recommendations with this slug."),
        ("treaty=salt-iii", "There is no treaty with this slug"),
        ("year=twenty", "Enter a whole number."),
        ("year=20245", "less than or equal to 2200"),
        ("q=" + "x" * 101, "at most 100 characters"),
    ],
)
def test_invalid_filters_are_answered_with_400_and_the_message(client, first, query, message):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert f'id="recommendation-{first.pk}"' not in page


def test_a_source_without_recommendations_is_not_a_publication(client, first):
    SourceFactory(slug="white-paper")
    assert client.get(f"{LIST}?source=white-paper").status_code == 400


def test_a_page_out_of_range_is_404(client, first):
    assert client.get(f"{LIST}?page=99").status_code == 404
    assert client.get(f"{LIST}?page=zero").status_code == 404


def test_an_unknown_recommendation_is_404(client):
    url = reverse("recommendations:recommendation-detail", args=[999999])
    assert client.get(url).status_code == 404


def test_pages_refuse_writes_with_405(client, first):
    for url in (LIST, first.get_absolute_url()):
        assert client.post(url).status_code == 405
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405


# -- query bounds ----------------------------------------------------------------------


def make_recommendations(count, treaty, session):
    for _ in range(count):
        recommendation = RecommendationFactory(
            related_treaties=[treaty], related_sessions=[session]
        )
        recommendation_set_status(
            recommendation=recommendation,
            status=Status.UNDER_CONSIDERATION,
            date=PartialDate(datetime.date(2024, 5, 1), "month"),
        )


def test_list_queries_do_not_grow_with_rows(client, npt, trip, django_assert_max_num_queries):
    make_recommendations(5, npt, trip)
    few = count_queries(client, LIST)
    make_recommendations(50, npt, trip)
    assert count_queries(client, LIST) == few
    with django_assert_max_num_queries(10):
        client.get(f"{LIST}?treaty=npt&page=2")


def test_page_queries_do_not_grow_with_footnotes_history_and_links(
    client, first, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            FootnoteFactory(recommendation=first)
            first.related_treaties.add(TreatyFactory())
            first.related_sessions.add(SessionFactory())
            recommendation_set_status(
                recommendation=first,
                status=Status.UNDER_CONSIDERATION,
                date=PartialDate(datetime.date(2024, 5, 1), "month"),
                evidence=SourceFactory(),
            )

    add(5)
    few = count_queries(client, first.get_absolute_url())
    add(50)
    assert count_queries(client, first.get_absolute_url()) == few
    with django_assert_max_num_queries(10):
        client.get(first.get_absolute_url())
