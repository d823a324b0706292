"""Text holding a bidirectional control (U+202A–U+202E, U+2066–U+2069) is refused: in every
admin form of a content model, field by field and in inline rows, with a message naming
the character and where it is, and on every save of a content model."""

import pytest
from django.core.exceptions import ValidationError

from core.models import Source
from core.validators import find_bidi_control, validate_no_bidi_controls
from people.models import Membership, Person
from recommendations.models import Recommendation
from tests.factories import CountryFactory, MembershipFactory, RecommendationFactory, SourceFactory
from tests.helpers import (
    admin_form_data,
    change_url,
    in_language,
    open_change_page,
    refused,
    saved,
)
from treaties.models import Country

pytestmark = pytest.mark.django_db

RLO = "\u202e"
# "Suzuki" with a right-to-left override before its last three letters: shown as "Suzikuz".
SPOOFED = f"Suz{RLO}uki"
MESSAGE = "invisible right-to-left override (U+202E) at position 4; remove it"


# --- The check itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "character",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_each_embedding_override_and_isolate_control_is_found(character):
    assert find_bidi_control(f"ab{character}c") == (3, character)
    with pytest.raises(ValidationError) as refusal:
        validate_no_bidi_controls(f"ab{character}c")
    assert f"(U+{ord(character):04X}) at position 3" in refusal.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "鈴木 達治郎",
        "Suzuki Tatsujiro",
        "にほん",
        "核兵器不拡散条約 (NPT)",
        # The marks reorder nothing but the neutral characters beside them: allowed.
        "\u200eLRM\u200f RLM \u061c ALM",
        "",
    ],
)
def test_ordinary_text_and_the_directional_marks_pass(text):
    assert find_bidi_control(text) is None
    validate_no_bidi_controls(text)


# --- Admin forms --------------------------------------------------------------------------


def post_edit(client, obj, **changes):
    page = open_change_page(client, obj)
    return client.post(change_url(obj), {**admin_form_data(page), **changes})


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: CountryFactory(code="JP"), "name_ja_reading"),
        (lambda: MembershipFactory().person, "family_name_romanized"),
        (lambda: RecommendationFactory(), "title_ja"),
        (lambda: SourceFactory(), "title_en"),
        (lambda: SourceFactory(), "editor_note"),
    ],
    ids=["country", "person", "recommendation", "source", "source-note"],
)
def test_an_admin_save_with_a_right_to_left_override_is_refused(editor_client, make, field):
    obj = make()
    model = type(obj)
    before = model.objects.get(pk=obj.pk)

    page = refused(post_edit(editor_client, obj, **{field: SPOOFED}))

    assert MESSAGE in page
    after = model.objects.get(pk=obj.pk)
    assert getattr(after, field) == getattr(before, field)
    assert after.version == before.version


def test_the_change_reason_is_checked_too(editor_client):
    source = SourceFactory(title_en="White paper")
    page = refused(post_edit(editor_client, source, title_en="Paper", _change_reason=SPOOFED))
    assert MESSAGE in page
    assert Source.objects.get(pk=source.pk).title_en == "White paper"


def test_an_inline_row_with_a_right_to_left_override_is_refused(editor_client):
    membership = MembershipFactory(title_en="Professor")
    person = membership.person
    page = open_change_page(editor_client, person)
    [prefix] = [
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Membership
    ]
    data = {
        **admin_form_data(page),
        "given_name_romanized": "Tatsujiro",
        f"{prefix}-0-title_en": f"Pro{RLO}fessor",
    }

    html = refused(editor_client.post(change_url(person), data))

    assert "invisible right-to-left override (U+202E) at position 4" in html
    # Nothing of the whole save is written, the record's own fields included.
    assert Membership.objects.get(pk=membership.pk).title_en == "Professor"
    assert Person.objects.get(pk=person.pk).given_name_romanized == person.given_name_romanized


def test_japanese_and_english_names_are_saved(editor_client):
    person = MembershipFactory().person
    saved(
        post_edit(
            editor_client,
            person,
            family_name="鈴木",
            given_name="達治郎",
            family_name_romanized="Suzuki",
            given_name_romanized="Tatsujiro",
        )
    )
    person.refresh_from_db()
    assert (person.family_name, person.family_name_romanized) == ("鈴木", "Suzuki")


def test_the_message_is_in_japanese_on_a_japanese_page(editor_client):
    source = SourceFactory()
    page = open_change_page(editor_client, source)

    response = editor_client.post(
        in_language("ja", change_url(source)), {**admin_form_data(page), "title_en": SPOOFED}
    )

    html = refused(response)
    assert "4 文字目に、目に見えない制御文字「右から左への強制」(U+202E) があります" in html


# --- Any save ---------------------------------------------------------------------------------


def test_a_programmatic_save_is_refused_for_a_new_and_a_saved_record():
    with pytest.raises(ValidationError) as refusal:
        SourceFactory(title_en=SPOOFED)
    assert "title_en" in refusal.value.message_dict
    assert MESSAGE in refusal.value.message_dict["title_en"][0]
    assert not Source.objects.filter(title_en=SPOOFED).exists()

    country = CountryFactory(code="JP")
    country.name_ja_reading = f"に{RLO}ほん"
    with pytest.raises(ValidationError):
        country.save()
    assert Country.objects.get(pk=country.pk).name_ja_reading != country.name_ja_reading


def test_a_programmatic_save_of_ordinary_text_goes_through():
    recommendation = RecommendationFactory(title_ja="核軍備管理に関する緊急提言")
    recommendation.title_en = "Emergency recommendations on nuclear arms control"
    recommendation.save()
    assert Recommendation.objects.get(pk=recommendation.pk).title_ja == "核軍備管理に関する緊急提言"


def test_a_save_of_some_fields_checks_those_fields():
    # A record holding one from before the check (written past the models here) still
    # has its status refreshed; a save of every field, or of that field, is refused.
    source = SourceFactory(title_en="White paper")
    Source.objects.filter(pk=source.pk).update(publisher_en=SPOOFED)
    source.refresh_from_db()

    source.title_en = "White paper 2021"
    source.save(update_fields=["title_en"])
    assert Source.objects.get(pk=source.pk).title_en == "White paper 2021"

    with pytest.raises(ValidationError):
        source.save(update_fields=["publisher_en"])
    with pytest.raises(ValidationError):
        source.save()
