"""`order_problems` finds each way an order can differ between databases; `stable_order`
builds one that has none."""

from django.db.models import F

from core.models import Source
from core.sorting import code_points, order_problems, stable_order
from treaties.models import Participation, ReportedFigure


def test_an_order_by_names_leaves_null_placement_and_ties_to_the_database():
    problems = order_problems(Source.objects.order_by("-published_on", "title_en"))
    assert len(problems) == 3
    assert "NULL placement" in problems[0] and "NULL placement" in problems[1]
    assert "not a unique key" in problems[2]


def test_text_in_the_database_collation_is_found():
    queryset = Source.objects.order_by(
        F("title_en").asc(nulls_last=True), F("published_on").asc(), F("pk").asc()
    )
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


def test_a_reversed_column_that_is_never_empty_leaves_null_placement_unsaid():
    # PostgreSQL reads an ascending index backwards only for DESC (NULLS FIRST): on a column
    # that holds no NULL, saying NULLS LAST would change no row but sort the whole list.
    ordering = stable_order(Participation, "-treaty__display_order", "-treaty__slug", "-pk")
    assert all(term.descending and not term.nulls_last for term in ordering)
    assert order_problems(Participation.objects.order_by(*ordering)) == []


def test_a_reversed_column_that_can_be_empty_still_places_nulls_last():
    # A nullable column, and a column reached through a nullable key (an outer join).
    ordering = stable_order(Source, "-published_on", "slug")
    assert ordering[0].nulls_last
    ordering = stable_order(ReportedFigure, "-treaty__display_order", "pk")
    assert ordering[0].nulls_last
    unsaid = ReportedFigure.objects.order_by(F("treaty__display_order").desc(), F("pk").asc())
    assert any("NULL placement not stated" in p for p in order_problems(unsaid))
