from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dates import PartialDateAttr, partial_date_constraints, precision_field
from .i18n import LocalizedMixin
from .links import link
from .validators import refuse_bidi_controls_in

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class Versioned(models.Model):
    """A version number that every save raises, so an edit made on a stale copy is caught.

    The admin sends the version it showed with each form and refuses a save when the
    row has moved on since (see core.admin_locking); fixture loads keep the stored number.
    Every save also refuses text holding a bidirectional control (see core.validators);
    fixture loads, which bypass save(), keep what the file holds.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Read by django-simple-history when it records the next version (save or delete):
    # the reason kept with it and who made the change. Set on the instance, not stored.
    _change_reason: str | None
    _history_user: AbstractBaseUser | None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whoever writes the record (a form has said so already, field by field).
        refuse_bidi_controls_in(self, kwargs.get("update_fields"))
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)


class SourceQuerySet(models.QuerySet["Source"]):
    def get_by_natural_key(self, slug: str) -> Source:
        return self.get(slug=slug)

    def search(self, text: str) -> Self:
        """Sources whose title or publisher, in either language, contains every word of `text`."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(
                models.Q(title_ja__icontains=word)
                | models.Q(title_en__icontains=word)
                | models.Q(publisher_ja__icontains=word)
                | models.Q(publisher_en__icontains=word)
            )
        return queryset

    def published_in(self, year: int) -> Self:
        return self.filter(published_on__year=year)


class SourceKind(models.TextChoices):
    POLICY_RECOMMENDATION = "policy_recommendation", _("policy recommendation")
    WHITE_PAPER = "white_paper", _("white paper")
    INTERVIEW_REPORT = "interview_report", _("interview report")
    RESEARCH_REPORT = "research_report", _("research report")
    NEWS_ARTICLE = "news_article", _("news article")
    GOVERNMENT_REPORT = "government_report", _("government report")
    TREATY_TEXT = "treaty_text", _("treaty text")
    TREATY_DATABASE = "treaty_database", _("treaty database")
    OTHER = "other", _("other")


class SourceLanguage(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")


class Source(LocalizedMixin, Versioned, models.Model):
    """A document that facts are taken from."""

    Kind = SourceKind

    Language = SourceLanguage

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    publisher_ja = models.CharField(_("publisher (Japanese)"), max_length=200, blank=True)
    publisher_en = models.CharField(_("publisher (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    published_on = models.DateField(_("published"), null=True, blank=True)
    published_precision = precision_field(required=False)
    published = PartialDateAttr("published")
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    editor_note = models.TextField(
        _("editors' note"),
        blank=True,
        help_text=_("For editors only: never shown on the public pages or in the exports."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_ja="", title_en=""), name="core_source_has_title"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="core_source_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=SourceLanguage.values),
                name="core_source_language_valid",
            ),
            *partial_date_constraints("published", model_label="core_source", required=False),
        ]

    def __str__(self) -> str:
        return self.loc("title")

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return link("portal:source-detail", self.pk, sample="987654321")

    def clean(self) -> None:
        from .dates import normalize_partial_dates

        normalize_partial_dates(self, "published")


class Provenance(models.Model):
    """Where a fact came from and how old it is: source, locator and as-of date."""

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    locator = models.CharField(
        _("locator"),
        max_length=300,
        blank=True,
        help_text=_('Section, page or footnote in the source, e.g. "4-3 (2) ②, note 25".'),
    )
    as_of_on = models.DateField(_("as of"), null=True, blank=True)
    as_of_precision = precision_field(required=False, verbose_name=_("as-of precision"))
    as_of = PartialDateAttr("as_of")

    class Meta:
        abstract = True

    def clean(self) -> None:
        from .dates import normalize_partial_dates

        super().clean()
        normalize_partial_dates(self, "as_of")


def unsourced_index(name: str, field: str = "source") -> models.Index:
    """An index of the rows that name no source, in key order: the editors' review counts
    them and lists the first few reading those rows only, however many rows cite a source
    (`core.registry.Facts.unsourced`)."""
    return models.Index(fields=["id"], condition=models.Q(**{f"{field}__isnull": True}), name=name)


class ChangeQuerySet(models.QuerySet["Change"]):
    def public(self) -> Self:
        return self.filter(public=True)

    def latest_first(self) -> Self:
        return self.order_by("-changed_at", "-pk")


class Change(models.Model):
    """One entry of the public change log, written for every historical record an edit makes.

    The full versions live in each model's history table (django-simple-history); this
    table lists them across models so /changes/ and its feed are one indexed query.
    It carries no user and no change reason: those stay in the admin.
    """

    class Kind(models.TextChoices):
        CREATED = "+", _("created")
        CHANGED = "~", _("changed")
        DELETED = "-", _("deleted")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("record type"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    history_id = models.BigIntegerField(_("version id"))
    kind = models.CharField(_("kind"), max_length=1, choices=Kind.choices)
    changed_fields = models.JSONField(_("fields changed"), default=list, blank=True)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    public = models.BooleanField(_("public"), default=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "history_id"], name="change_unique_history_record"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["+", "~", "-"]), name="change_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_repr}"
