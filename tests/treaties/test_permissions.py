"""What editors may do with treaty records: open and save a participation, run imports and
read their log but never edit it; an anonymous visitor is sent to the login page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.editors import EDITORS_GROUP
from tests.factories import CountryFactory, ParticipationFactory, TreatyFactory
from tests.helpers import group_permissions

pytestmark = pytest.mark.django_db


def test_editors_may_import_and_read_the_import_log_but_never_edit_it():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    batch_rights = {codename for app, codename in granted if codename.endswith("_importbatch")}
    assert batch_rights == {"add_importbatch", "view_importbatch"}


@pytest.fixture
def participation(db):
    return ParticipationFactory(
        treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP"), source=None
    )


def test_an_editor_can_open_and_save_a_participation(editor_client, participation):
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(
        url,
        {
            "treaty": participation.treaty_id,
            "country": participation.country_id,
            "note_en": "Checked against the depositary list.",
            "_version": participation.version,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.note_en == "Checked against the depositary list."


def test_an_anonymous_visitor_cannot_open_an_admin_change_page(client, participation):
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
