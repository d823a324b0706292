"""Editors' notes stay in the admin; the public pages and exports show readers' notes only."""

import pytest
from django.urls import reverse

from tests import factories
from tests.helpers import in_language

EDITORS_ONLY = "EDITORS-ONLY: checked against the depositary list"


@pytest.fixture
def noted(db):
    source = factories.SourceFactory(editor_note=EDITORS_ONLY)
    treaty = factories.TreatyFactory(
        slug="npt", short_name_en="NPT", key_dates_note=EDITORS_ONLY, source=source
    )
    country = factories.CountryFactory(code="JP", editor_note=EDITORS_ONLY)
    person = factories.PersonFactory(editor_note=EDITORS_ONLY, source=source)
    participation = factories.ParticipationFactory(
        treaty=treaty,
        country=country,
        note_en="Ratified in June 1976.",
        note_ja="1976年6月に批准。",
        source=source,
    )
    return {
        "source": source,
        "treaty": treaty,
        "country": country,
        "person": person,
        "participation": participation,
    }


PUBLIC = [
    lambda n: n["source"].get_absolute_url(),
    lambda n: n["treaty"].get_absolute_url(),
    lambda n: n["country"].get_absolute_url(),
    lambda n: n["person"].get_absolute_url(),
    lambda n: reverse("core:source-list"),
    lambda n: reverse("treaties:country-list"),
    lambda n: reverse("core:source-export"),
    lambda n: reverse("treaties:country-export"),
    lambda n: reverse("treaties:treaty-export"),
    lambda n: reverse("people:person-export"),
]


@pytest.mark.parametrize("url", PUBLIC)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_editors_notes_never_reach_a_public_page_or_export(client, noted, url, language):
    response = client.get(in_language(language, url(noted)))

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert EDITORS_ONLY not in body.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("language", "note"), [("en", "Ratified in June 1976."), ("ja", "1976年6月に批准。")]
)
def test_readers_notes_show_in_the_readers_language(client, noted, language, note):
    response = client.get(in_language(language, noted["treaty"].get_absolute_url()))
    html = response.content.decode()

    assert f'<html lang="{language}">' in html

    assert note in html


def test_editors_see_their_note_in_the_admin(admin_client, noted):
    country = noted["country"]
    url = reverse("admin:treaties_country_change", args=[country.pk])

    assert EDITORS_ONLY in admin_client.get(url).content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_seeded_treaty_pages_carry_no_editors_shorthand(client, seeded, language):
    from treaties.models import Treaty

    for treaty in Treaty.objects.all():
        response = client.get(in_language(language, treaty.get_absolute_url()))
        assert response.status_code == 200, treaty.slug
        assert "seed 0" not in response.content.decode().lower(), treaty.slug
