import pytest
from django.utils import translation

from treaties.templatetags.treaty_tags import depositary_names


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("London, Washington", "London, Washington"),
        ("Secretary-General of the United Nations", "Secretary-General of the United Nations"),
        ("", ""),
        ("Paris", "Paris"),
    ],
)
def test_depositaries_read_in_english_as_stored(stored, english):
    with translation.override("en"):
        assert depositary_names(stored) == english


def test_depositaries_are_named_in_japanese_on_japanese_pages():
    with translation.override("ja"):
        shown = depositary_names("London, Moscow, Washington")
    assert shown == "ロンドン、モスクワ、ワシントン"
