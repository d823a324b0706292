"""The seed sources (fixtures/core.json): the two documents and the treaty database, at
the precision they allow."""

from core.models import Source


def test_sources_record_the_two_documents_at_the_precision_they_allow(seeded):
    white_paper = Source.objects.get(slug="seed-004")
    assert white_paper.kind == Source.Kind.WHITE_PAPER
    assert white_paper.language == "ja"
    assert white_paper.publisher_ja == "原子力委員会"
    assert white_paper.published.iso() == "2021"
    recommendations = Source.objects.get(slug="seed-000")
    assert recommendations.kind == Source.Kind.POLICY_RECOMMENDATION
    assert recommendations.published.iso() == "2024-04"
    unoda = Source.objects.get(slug="unoda-treaties-db")
    assert unoda.kind == Source.Kind.TREATY_DATABASE
    assert unoda.url == "https://treaties.unoda.org/"
