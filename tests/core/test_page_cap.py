"""A list shows its first pages only (`core.paging.MAX_PAGES`): a page far down a list costs
as much as every row before it. The count stays exact; a page number past the cap sends the
reader to the last page shown, which says how to reach the rest."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.urls import reverse

from core.paging import CappedPaginator, PageBeyondCap
from core.views import SourceListView
from tests.factories import ParticipationFactory, SourceFactory, TreatyFactory
from tests.helpers import html, text

SOURCES = reverse("core:source-list")


class TwoPages(CappedPaginator):
    max_pages = 2


def test_the_paginator_shows_the_first_pages_and_counts_every_row():
    paginator = TwoPages(list(range(11)), 3)
    assert (paginator.count, paginator.all_pages, paginator.num_pages) == (11, 4, 2)
    assert paginator.capped and paginator.shown_count == 6
    assert list(paginator.page(2)) == [3, 4, 5]
    assert not paginator.page(2).has_next()
    assert list(paginator.page_range) == [1, 2]


def test_a_page_past_the_cap_is_refused_with_the_last_page_shown():
    paginator = TwoPages(list(range(11)), 3)
    with pytest.raises(PageBeyondCap) as beyond:
        paginator.page(3)
    assert beyond.value.last == 2
    # A page past the whole list, or not a number, is what it always was.
    with pytest.raises(EmptyPage):
        paginator.page(5)
    with pytest.raises(PageNotAnInteger):
        paginator.page("x")
    # `get_page` (the source page's) shows the last page shown instead.
    assert paginator.get_page(4).number == 2


def test_a_short_list_is_not_capped():
    paginator = TwoPages(list(range(6)), 3)
    assert not paginator.capped and paginator.num_pages == 2
    with pytest.raises(EmptyPage):
        paginator.page(3)


@pytest.fixture
def sources(db, monkeypatch):
    monkeypatch.setattr(SourceListView, "paginate_by", 2)
    monkeypatch.setattr(CappedPaginator, "max_pages", 2)
    return SourceFactory.create_batch(5)


def test_a_list_page_past_the_cap_sends_the_reader_to_the_last_page_shown(client, sources):
    response = client.get(SOURCES, {"page": "3", "kind": "white_paper", "q": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{SOURCES}?page=2&kind=white_paper&q="
    # The last page says why the pages stop, and how to see the rest.
    last = client.get(SOURCES, {"page": "last"})
    assert last.status_code == 200
    page = text(html(last))
    assert "page 2 of 2" in page
    assert "5 sources" in page
    assert "The pages stop after 2: they list the first 4 of 5 rows." in page
    assert "download the CSV, which holds every row" in page
    assert 'rel="next"' not in html(last)


def test_a_page_past_the_whole_list_is_still_not_found(client, sources):
    assert client.get(SOURCES, {"page": "4"}).status_code == 404


def test_a_list_within_the_cap_says_nothing_of_it(client, sources, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "max_pages", 3)
    response = client.get(SOURCES, {"page": "3"})
    assert response.status_code == 200
    assert "The pages stop" not in html(response)


def test_the_source_page_shows_its_last_page_shown_for_a_page_past_the_cap(client, db, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "max_pages", 2)
    monkeypatch.setattr("portal.views.FACTS_PER_PAGE", 2)
    source = SourceFactory()
    treaty = TreatyFactory()
    for _ in range(5):
        ParticipationFactory(treaty=treaty, source=source)
    response = client.get(source.get_absolute_url(), {"participations_page": "3"})
    assert response.status_code == 200
    page = text(html(response))
    assert "page 2 of 2" in page
    assert "The pages stop after 2: they list the first 4 of 5 facts." in page
