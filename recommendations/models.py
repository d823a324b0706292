from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import (
    PartialDateAttr,
    normalize_partial_dates,
    partial_date_constraints,
    precision_field,
    reaches,
)
from core.i18n import LocalizedMixin
from core.models import Provenance, Source, Versioned, unsourced_index
from people.models import Session

if TYPE_CHECKING:
    from treaties.models import Treaty


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    UNDER_CONSIDERATION = "under_consideration", _("under consideration")
    PARTLY_IMPLEMENTED = "partly_implemented", _("partly implemented")
    IMPLEMENTED = "implemented", _("implemented")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")
    SUPERSEDED = "superseded", _("superseded")


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def with_relations(self) -> Self:
        return self.select_related("source").prefetch_related(
            "related_treaties", "related_sessions"
        )

    def status_counts(self) -> dict[str, int]:
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def without_update_since(self, day: datetime.date) -> Self:
        """Recommendations with no status update on or after `day`.

        An update dated to a month or a year counts from the end of its period, so
        "November 2025" is recent enough for any day in November 2025.
        """
        recent = RecommendationUpdate.objects.filter(
            reaches("date", day), recommendation=OuterRef("pk")
        )
        return self.exclude(Exists(recent))

    def with_last_update_date(self) -> Self:
        """`last_update_on` and `last_update_precision` of the latest update, for display."""
        latest = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
            "-date_on", "-pk"
        )
        return self.annotate(
            last_update_on=Subquery(latest.values("date_on")[:1]),
            last_update_precision=Subquery(latest.values("date_precision")[:1]),
        )

    def with_detail(self) -> Self:
        """Everything the recommendation page shows, in a fixed number of queries."""
        return self.select_related("source").prefetch_related(
            models.Prefetch("footnotes", queryset=Footnote.objects.order_by("number")),
            models.Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.select_related("evidence").order_by(
                    "date_on", "pk"
                ),
            ),
            "related_treaties",
            models.Prefetch(
                "related_sessions",
                queryset=Session.objects.order_by("start_on", "pk"),
            ),
        )

    def search(self, text: str | None) -> Self:
        """Recommendations whose title, in either language, contains every word of `text`."""
        queryset = self
        for word in (text or "").split():
            queryset = queryset.filter(Q(title_ja__icontains=word) | Q(title_en__icontains=word))
        return queryset

    def with_status(self, status: str) -> Self:
        return self.filter(status=status)

    def published_in(self, year: int) -> Self:
        """Recommendations whose source publication appeared in `year`."""
        return self.filter(source__published_on__year=year)

    def for_treaty(self, treaty: Treaty) -> Self:
        return self.filter(related_treaties=treaty)


class RecommendationUpdateQuerySet(models.QuerySet["RecommendationUpdate"]):
    def with_related(self) -> Self:
        return self.select_related("recommendation", "recommendation__source", "evidence")

    def chronological(self) -> Self:
        return self.order_by("date_on", "pk")


class Recommendation(LocalizedMixin, Versioned, Provenance):
    """A policy recommendation as published, with its follow-up status."""

    Status = RecommendationStatus

    number = models.PositiveSmallIntegerField(_("number"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_ja = models.TextField(_("summary (Japanese, as published)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_ja = models.TextField(_("explanation (Japanese, as published)"), blank=True)
    body_en = models.TextField(_("explanation (English)"), blank=True)
    addressee_ja = models.CharField(_("addressee (Japanese)"), max_length=200, blank=True)
    addressee_en = models.CharField(_("addressee (English)"), max_length=200, blank=True)
    related_treaties = models.ManyToManyField(
        "treaties.Treaty",
        verbose_name=_("related treaties"),
        related_name="recommendations",
        blank=True,
    )
    related_sessions = models.ManyToManyField(
        "people.Session",
        verbose_name=_("related sessions"),
        related_name="recommendations",
        blank=True,
    )
    status = models.CharField(
        _("current status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
        editable=False,
        help_text=_("The status of the latest update; change it by recording an update."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[related_treaties, related_sessions])

    class Meta:
        ordering = ["source__published_on", "source__slug", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [unsourced_index("recommendation_unsourced")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="recommendation_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(title_ja="", title_en=""), name="recommendation_has_title"
            ),
            *partial_date_constraints("as_of", model_label="recommendation", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.loc('title')}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:recommendation-detail", args=[self.pk])

    def latest_update(self) -> RecommendationUpdate | None:
        return self.updates.order_by("-date_on", "-pk").first()


class Footnote(LocalizedMixin, Versioned, models.Model):
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="footnotes",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_ja = models.TextField(_("text (Japanese, as published)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "number"]
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "number"], name="footnote_unique_number"
            ),
            models.CheckConstraint(condition=~Q(text_ja="", text_en=""), name="footnote_has_text"),
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.loc('text')[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.recommendation.get_absolute_url()}#fn{self.number}"


class RecommendationUpdate(LocalizedMixin, Versioned, models.Model):
    """A dated change of a recommendation's status, with the evidence for it."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    date_on = models.DateField(_("date"))
    date_precision = precision_field()
    date = PartialDateAttr("date", required=True)
    status = models.CharField(_("status"), max_length=20, choices=RecommendationStatus.choices)
    note_ja = models.TextField(_("note (Japanese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    evidence = models.ForeignKey(
        Source,
        verbose_name=_("evidence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    locator = models.CharField(_("locator"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RecommendationUpdateQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "date_on", "pk"]
        get_latest_by = ["date_on", "pk"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="recommendationupdate_status_valid",
            ),
            *partial_date_constraints("date", model_label="recommendationupdate"),
        ]

    def __str__(self) -> str:
        return f"{self.date.iso()} {self.get_status_display()}"

    def clean(self) -> None:
        normalize_partial_dates(self, "date")
