"""The treaty filter: a list to pick from while the treaties are few, a text box for the
slug once they are many, so a list page does not grow with the number of treaties."""

import pytest
from django.urls import reverse

from tests.factories import ParticipationFactory, TreatyFactory
from tests.helpers import count_queries
from treaties.filters import TREATY_SELECT_LIMIT
from treaties.models import Treaty

pytestmark = pytest.mark.django_db

PAGES = [
    "treaties:participation-list",
    "treaties:country-list",
    "treaties:event-list",
    "recommendations:recommendation-list",
]


def many_treaties(count):
    Treaty.objects.bulk_create(
        Treaty(slug=f"t-{n:04d}", short_name_en=f"T{n}", kind="multilateral", status="in_force")
        for n in range(count)
    )


@pytest.mark.parametrize("name", PAGES)
def test_few_treaties_are_a_list_to_pick_from(client, name):
    TreatyFactory(slug="npt", short_name_en="NPT")
    html = client.get(reverse(name)).content.decode()
    assert '<select name="treaty"' in html
    assert '<option value="npt">NPT</option>' in html


@pytest.mark.parametrize("name", PAGES)
def test_many_treaties_are_a_text_box_for_the_slug(client, name):
    many_treaties(TREATY_SELECT_LIMIT + 1)
    html = client.get(reverse(name)).content.decode()
    assert '<select name="treaty"' not in html
    assert '<input type="text" name="treaty"' in html
    assert "t-0099" not in html  # no treaty is listed in the form
    # Three times as many treaties: the same queries, the same form.
    queries = count_queries(client, reverse(name))
    Treaty.objects.bulk_create(
        Treaty(slug=f"u-{n:04d}", short_name_en=f"U{n}", kind="multilateral", status="in_force")
        for n in range(TREATY_SELECT_LIMIT * 3)
    )
    assert count_queries(client, reverse(name)) == queries


def test_the_text_box_filters_by_slug_and_refuses_an_unknown_one(client):
    many_treaties(TREATY_SELECT_LIMIT + 1)
    wanted = ParticipationFactory(treaty=Treaty.objects.get(slug="t-0007"))
    ParticipationFactory(treaty=Treaty.objects.get(slug="t-0008"))
    url = reverse("treaties:participation-list")
    response = client.get(url, {"treaty": "t-0007"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="t-0007"' in html  # the box keeps what was typed
    assert wanted.country.name in html
    refused = client.get(url, {"treaty": "no-such-treaty"})
    assert refused.status_code == 400
    assert "There is no treaty with this slug" in refused.content.decode()
