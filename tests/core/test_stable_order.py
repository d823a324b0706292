"""`order_problems` finds each way an order can differ between databases; `stable_order`
builds one that has none."""

from django.db.models import F

from core.models import Source
from core.sorting import code_points, order_problems, stable_order
from treaties.models import Participation


def test_an_order_by_names_leaves_null_placement_and_ties_to_the_database():
    problems = order_problems(Source.objects.order_by("-published_on", "title_en"))
    assert len(problems) == 3
    assert "NULL placement" in problems[0] and "NULL placement" in problems[1]
    assert "not a unique key" in problems[2]


def test_text_in_the_database_collation_is_found():
    queryset = Source.objects.order_by(F("title_en").asc(nulls_last=True), F("pk").asc())
    problems = order_problems(queryset)
    assert any("collation" in problem for problem in problems)
    assert any("NULL placement not stated" in problem for problem in problems)


def test_a_unique_key_of_another_model_does_not_settle_ties():
    queryset = Participation.objects.order_by(*stable_order(Participation, "treaty__slug"))
    assert order_problems(queryset) == [
        f"{queryset.query.order_by[-1]!r}: the last term is not a unique key"
    ]


def test_stable_order_places_nulls_compares_code_points_and_ends_unique():
    ordering = stable_order(Source, "-published_on", "title_en", "slug")
    assert order_problems(Source.objects.order_by(*ordering)) == []
    assert all(term.nulls_last for term in ordering)
    assert ordering[0].descending and not ordering[1].descending
    assert repr(ordering[1].expression) == repr(code_points("title_en"))
