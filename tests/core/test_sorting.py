"""The source list sorts by its columns; the sort keys of names in English and Japanese."""

import re

import pytest
from django.urls import reverse

from core.collation import english_key, japanese_key
from tests.helpers import html, in_language, read_csv

SOURCES = reverse("core:source-list")


def titles(response):
    row = r'<td><a href="(?:/ja)?/sources/\d+/"><span lang="\w+">([^<]*)</span></a></td>'
    return re.findall(row, html(response))


@pytest.mark.django_db
def test_sources_sort_by_title_publisher_kind_published_and_language(client, sources):
    assert titles(client.get(SOURCES, {"sort": "title"})) == [
        "Diplomatic Bluebook 2021",
        "Emergency recommendations on nuclear arms control",
        "UN Treaty Collection",
    ]
    assert titles(client.get(SOURCES, {"sort": "publisher"})) == [
        "Diplomatic Bluebook 2021",
        "Emergency recommendations on nuclear arms control",
        "UN Treaty Collection",
    ]
    # Newest first on the header's first click; a source without a date last either way.
    assert 'href="?sort=-published"' in html(client.get(SOURCES))
    assert titles(client.get(SOURCES, {"sort": "-published"})) == [
        "Emergency recommendations on nuclear arms control",
        "Diplomatic Bluebook 2021",
        "UN Treaty Collection",
    ]
    assert titles(client.get(SOURCES, {"sort": "published"}))[-1] == "UN Treaty Collection"
    assert titles(client.get(SOURCES, {"sort": "language"}))[-1] == "UN Treaty Collection"
    rows = read_csv(client.get(reverse("core:source-export"), {"sort": "-title"}))
    assert [row["slug"] for row in rows] == [
        "un-treaty-collection",
        "emergency-proposal",
        "white-paper",
    ]


@pytest.mark.django_db
def test_japanese_titles_sort_in_japanese_and_fall_back_to_english(client, sources):
    response = client.get(in_language("ja", SOURCES), {"sort": "title"})
    # "UN Treaty Collection" has no Japanese title: shown, and sorted, in English.
    assert titles(response) == ["UN Treaty Collection", "外交青書2021", "核軍縮に関する緊急提言"]


def test_japanese_sorts_by_gojuon_with_voiced_small_and_long_kana_as_dictionaries_do():
    names = [
        "ガイアナ",
        "ガーナ",
        "カナダ",
        "きゅーば",
        "キプロス",
        "イラン",
        "いぎりす",
        "ぱなま",
        "バハマ",
    ]
    assert sorted(names, key=japanese_key) == [
        "いぎりす",
        "イラン",
        "ガーナ",  # があな
        "ガイアナ",  # がいあな
        "カナダ",  # かなだ
        "キプロス",  # きぷろす
        "きゅーば",  # きゆうば
        "ぱなま",  # はなま: な comes before は
        "バハマ",  # ははま
    ]


def test_english_sorts_without_case_accents_or_punctuation():
    names = ["Croatia", "Côte d'Ivoire", "costa rica", "Cuba"]
    assert sorted(names, key=english_key) == ["costa rica", "Côte d'Ivoire", "Croatia", "Cuba"]
