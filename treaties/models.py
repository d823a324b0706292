from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.db import models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country as CountryCode
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.collation import to_hiragana
from core.dates import (
    PartialDateAttr,
    ended_before,
    normalize_partial_dates,
    partial_date_constraints,
    precision_field,
    years_before,
)
from core.i18n import LocalizedMixin
from core.links import link, linker
from core.models import Provenance, Versioned, unsourced_index
from core.sorting import code_points

from .choices import (
    RATIFIED_STATUSES,
    ActionType,
    ParticipationStatus,
)
from .status import ShownStatus, derive_status, effect_day, validate_sequence

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# A reported figure stated longer ago than this is probably out of date.
STALE_AFTER_YEARS = 3


def today() -> datetime.date:
    return timezone.localdate()


class TreatyQuerySet(models.QuerySet["Treaty"]):
    def get_by_natural_key(self, slug: str) -> Treaty:
        return self.get(slug=slug)

    def in_force(self, on: datetime.date | None = None) -> Self:
        """Treaties in force on a day: stored as in force and not past their expiry."""
        on = on or today()
        return self.filter(status=Treaty.Status.IN_FORCE).exclude(expires_on__lt=on)

    def expired(self, on: datetime.date | None = None) -> Self:
        on = on or today()
        return self.filter(expires_on__lt=on)

    def expired_but_not_marked(self, on: datetime.date | None = None) -> Self:
        """Past their expiry date while the stored status still says otherwise."""
        return self.expired(on).exclude(status=Treaty.Status.EXPIRED)

    def with_participation_counts(self) -> Self:
        return self.annotate(participation_count=participations_of("treaty"))

    def with_effective_status(self, status: str, on: datetime.date | None = None) -> Self:
        """Treaties a reader sees with `status`: a treaty past its expiry counts as expired."""
        on = on or today()
        if status == Treaty.Status.EXPIRED:
            return self.filter(
                Q(status=Treaty.Status.EXPIRED)
                | (Q(expires_on__lt=on) & ~Q(status=Treaty.Status.TERMINATED))
            )
        if status == Treaty.Status.TERMINATED:
            return self.filter(status=status)
        return self.filter(status=status).exclude(expires_on__lt=on)

    def effective_status_counts(self, on: datetime.date | None = None) -> dict[str, int]:
        """{status a reader sees: number of treaties} in one query, counted as
        `with_effective_status` filters: a treaty past its expiry counts as expired."""
        on = on or today()
        shown = models.Case(
            models.When(
                Q(expires_on__lt=on) & ~Q(status=TreatyStatus.TERMINATED),
                then=models.Value(TreatyStatus.EXPIRED.value),
            ),
            default=models.F("status"),
            output_field=models.CharField(),
        )
        rows = (
            self.order_by()
            .annotate(shown_status=shown)
            .values("shown_status")
            .annotate(count=Count("pk"))
        )
        return {row["shown_status"]: row["count"] for row in rows}

    def search(self, text: str | None) -> Self:
        """Treaties whose slug or any of their names contain `text` (any case)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(slug__icontains=text)
            | Q(short_name_en__icontains=text)
            | Q(short_name_ja__icontains=text)
            | Q(name_en__icontains=text)
            | Q(name_ja__icontains=text)
        )


def participations_of(field: str) -> Coalesce:
    """The number of participations whose `field` ("treaty" or "country") is the outer row.

    Counted row by row in a subquery, so a list page counts for its own rows only (after
    LIMIT), never for the whole table; and without DISTINCT: the unique (treaty, country)
    key already makes each participation of a country a different treaty, and each of a
    treaty a different country.
    """
    counted = (
        Participation.objects.filter(**{field: models.OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(rows=Count("*"))  # not a column: an index of `field` alone answers it
        .values("rows")
    )
    return Coalesce(models.Subquery(counted), 0, output_field=models.IntegerField())


class TreatyKind(models.TextChoices):
    MULTILATERAL = "multilateral", _("multilateral treaty")
    BILATERAL = "bilateral", _("bilateral treaty")
    PROPOSED = "proposed", _("proposed treaty")
    REGIME = "regime", _("export control regime")
    POLITICAL = "political", _("political agreement")


class TreatyStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    UNDER_NEGOTIATION = "under_negotiation", _("under negotiation")
    OPEN_FOR_SIGNATURE = "open_for_signature", _("open for signature")
    NOT_IN_FORCE = "not_in_force", _("not yet in force")
    IN_FORCE = "in_force", _("in force")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")
    SUSPENDED = "suspended", _("suspended")
    OPERATING = "operating", _("operating")


class Treaty(LocalizedMixin, Versioned, Provenance):
    Kind = TreatyKind

    Status = TreatyStatus

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    short_name_ja = models.CharField(_("short name (Japanese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60)
    name_ja = models.CharField(_("full name (Japanese)"), max_length=300, blank=True)
    name_en = models.CharField(_("full name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("stored status"), max_length=20, choices=Status.choices)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    adopted_precision = precision_field(required=False)
    adopted = PartialDateAttr("adopted")
    opened_on = models.DateField(_("opened for signature"), null=True, blank=True)
    opened_precision = precision_field(required=False)
    opened = PartialDateAttr("opened")
    entered_into_force_on = models.DateField(_("entered into force"), null=True, blank=True)
    entered_into_force_precision = precision_field(required=False)
    entered_into_force = PartialDateAttr("entered_into_force")
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    expires_precision = precision_field(required=False)
    expires = PartialDateAttr("expires")
    key_dates_note = models.TextField(
        _("key dates: editors' note"),
        blank=True,
        help_text=_(
            "Where each key date comes from, for editors only: never shown on the public pages."
        ),
    )
    entry_into_force_rule_ja = models.TextField(_("entry-into-force rule (Japanese)"), blank=True)
    entry_into_force_rule_en = models.TextField(_("entry-into-force rule (English)"), blank=True)
    depositary_ja = models.CharField(_("depositary (Japanese)"), max_length=300, blank=True)
    depositary_en = models.CharField(_("depositary (English)"), max_length=300, blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    record_complete_on = models.DateField(
        _("every state's acts recorded as of"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the records hold every state's acts as a complete list (e.g. the "
            "depositary's status table) states them on this day: a state with no act is then "
            "shown as not signed on that day, not as a state the records do not cover."
        ),
    )
    record_complete_source = models.ForeignKey(
        "core.Source",
        verbose_name=_("complete list's source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TreatyQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "slug"]
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        indexes = [
            # The order of every list of treaties, and of participations (treaty, then
            # country): slugs compared by code point, as `core.sorting.stable_order` does.
            models.Index(F("display_order"), code_points("slug"), name="treaty_list_order"),
            unsourced_index("treaty_unsourced"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TreatyKind.values), name="treaty_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TreatyStatus.values), name="treaty_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(entered_into_force_on__isnull=True)
                | Q(expires_on__gte=models.F("entered_into_force_on")),
                name="treaty_expires_after_entry_into_force",
            ),
            models.CheckConstraint(
                condition=Q(record_complete_on__isnull=True)
                | Q(record_complete_source__isnull=False),
                name="treaty_complete_record_has_source",
            ),
            *partial_date_constraints("adopted", model_label="treaty", required=False),
            *partial_date_constraints("opened", model_label="treaty", required=False),
            *partial_date_constraints("entered_into_force", model_label="treaty", required=False),
            *partial_date_constraints("expires", model_label="treaty", required=False),
            *partial_date_constraints("as_of", model_label="treaty", required=False),
        ]

    def __str__(self) -> str:
        return self.loc("short_name")

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return link("treaties:treaty-detail", self.slug, sample="sample-slug")

    def clean(self) -> None:
        super().clean()
        normalize_partial_dates(self, "adopted", "opened", "entered_into_force", "expires", "as_of")

    def has_expired(self, on: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (on or today())

    def effective_status(self, on: datetime.date | None = None) -> TreatyStatus:
        """The status a reader should see: a treaty past its expiry shows as expired."""
        if self.has_expired(on) and self.status not in (self.Status.TERMINATED,):
            return self.Status.EXPIRED
        return self.Status(self.status)

    def derived_status(self, on: datetime.date | None = None) -> TreatyStatus:
        """The status the key dates give on `on`: what `refresh_statuses` stores.

        A treaty past its expiry is expired; one whose entry into force has certainly come
        is in force. Otherwise the stored status stands: negotiation, suspension and
        termination are facts of the record, not of the calendar.
        """
        on = on or today()
        if self.status == self.Status.TERMINATED:
            return self.Status.TERMINATED
        if self.has_expired(on):
            return self.Status.EXPIRED
        eif = self.entered_into_force
        waiting = (self.Status.NOT_IN_FORCE, self.Status.OPEN_FOR_SIGNATURE)
        if self.status in waiting and eif is not None and eif.certainly_by(on):
            return self.Status.IN_FORCE
        return self.Status(self.status)

    @property
    def display_status(self) -> _StrOrPromise:
        return self.effective_status().label

    @property
    def needs_status_review(self) -> bool:
        return self.has_expired() and self.status != self.Status.EXPIRED

    def in_force_on(self, day: datetime.date) -> bool:
        eif = self.entered_into_force
        if eif is None or not eif.certainly_by(day):
            return False
        return not (self.expires_on is not None and self.expires_on < day)

    @property
    def is_regime(self) -> bool:
        return self.kind in (self.Kind.REGIME, self.Kind.POLITICAL)


class CountryQuerySet(models.QuerySet["Country"]):
    def eligible(self) -> Self:
        """The states that can become parties to a treaty open to all states."""
        return self.filter(can_join_treaties=True)

    def with_treaty_counts(self) -> Self:
        return self.annotate(treaty_count=participations_of("country"))

    def without_participation_in(self, treaty: Treaty) -> Self:
        """Eligible states that hold no participation record for `treaty`."""
        return self.eligible().exclude(
            models.Exists(
                Participation.objects.filter(country=models.OuterRef("pk"), treaty=treaty)
            )
        )

    def in_treaty(self, treaty: Treaty) -> Self:
        """Countries holding a participation record for `treaty`."""
        return self.filter(
            models.Exists(
                Participation.objects.filter(country=models.OuterRef("pk"), treaty=treaty)
            )
        )

    def search(self, text: str | None) -> Self:
        """Countries whose ISO code is `text` or whose name (Japanese or English), or the
        reading of the Japanese name (in hiragana or katakana), contains it.

        Names live in django-countries, not in the database, so the matching codes are
        worked out in Python and the database filters on them.
        """
        from django.utils import translation
        from django_countries import countries

        text = (text or "").strip()
        if not text:
            return self
        needle = text.casefold()
        codes: set[str] = {text.upper()} if len(text) == 2 else set()
        for language in ("en", "ja"):
            with translation.override(language):
                codes.update(code for code, name in countries if needle in str(name).casefold())
        return self.filter(
            Q(code__in=sorted(codes)) | Q(name_ja_reading__icontains=to_hiragana(text))
        )


# Bound to a name at module level, as the django-stubs plugin needs to see the manager class.
CountryManagerBase = models.Manager.from_queryset(CountryQuerySet)


class CountryManager(CountryManagerBase["Country"]):
    def get_by_natural_key(self, code: str) -> Country:
        return self.get(code=code.upper())


class Posture(models.TextChoices):
    NPT_NUCLEAR_WEAPON_STATE = "npt_nws", _("NPT nuclear-weapon state")
    NUCLEAR_ARMED_OUTSIDE_NPT = "nuclear_armed", _("nuclear-armed outside the NPT")
    UMBRELLA = "umbrella", _("under a nuclear umbrella")
    NONE = "none", _("none recorded")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")
    OTHER = "other", _("other")


@functools.cache
def country_name(code: str, language: str | None) -> str:
    """A country's name in a language, looked up once per code and language (the names
    come with the code, from django-countries and settings.COUNTRIES_OVERRIDE)."""
    with translation.override(language):
        return str(CountryCode(code=code).name)


def country_url(code: str) -> str:
    """The page of the country with ISO code `code` ("JP"), in the active language."""
    return link("treaties:country-detail", code.lower(), sample="zz")


def country_urls() -> Callable[[str], str]:
    """`country_url` for the many countries of a page: the URL pattern is looked up once."""
    make = linker("treaties:country-detail", sample="zz")
    return lambda code: make(code.lower())


class Country(Versioned, models.Model):
    """A state (or the EU) as django-countries names it, in Japanese and English."""

    Posture = Posture

    Region = Region

    # django-countries' field reads as a Country; its stubs give it CharField's `str`.
    code: models.Field[str | CountryCode, CountryCode] = CountryField(_("country"), unique=True)
    name_ja_reading = models.CharField(
        _("reading of the Japanese name"),
        max_length=100,
        blank=True,
        help_text=_(
            "The Japanese name as it is read, in kana (e.g. にほん for 日本, ちゅうごく for 中国): "
            "Japanese lists sort countries by it, in gojūon order. Empty: by the name itself."
        ),
    )
    un_member = models.BooleanField(_("UN member"), default=True)
    un_member_source = models.ForeignKey(
        "core.Source",
        verbose_name=_("UN membership source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    can_join_treaties = models.BooleanField(
        _("can become a party"),
        default=True,
        help_text=_(
            "A state that can join a treaty open to all states: the UN members, the Holy See, "
            "the State of Palestine, the Cook Islands and Niue. Off for the EU and other "
            "participants that are not states."
        ),
    )
    region = models.CharField(
        _("region"),
        max_length=10,
        choices=Region.choices,
        default=Region.OTHER,
        help_text=_("Continental region of the UN M49 standard."),
    )
    nuclear_posture = models.CharField(
        _("nuclear posture"), max_length=16, choices=Posture.choices, default=Posture.NONE
    )
    posture_source = models.ForeignKey(
        "core.Source",
        verbose_name=_("posture source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posture_locator = models.CharField(_("posture locator"), max_length=300, blank=True)
    editor_note = models.TextField(
        _("editors' note"),
        blank=True,
        help_text=_("For editors only: never shown on the public pages or in the exports."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CountryManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(nuclear_posture__in=Posture.values), name="country_posture_valid"
            ),
            models.CheckConstraint(
                condition=Q(region__in=Region.values), name="country_region_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_in(translation.get_language())

    @property
    def code_text(self) -> str:
        """The code as stored ("JP"): `code` builds a django-countries object at each read."""
        stored = self.__dict__.get("code")
        return stored if isinstance(stored, str) else str(self.code)

    def name_in(self, language: str | None) -> str:
        """The name in `language`, looked up once per code and language."""
        return country_name(self.code_text, language)

    @property
    def iso2(self) -> str:
        return self.code_text.lower()

    def natural_key(self) -> tuple[str]:
        return (self.code_text,)

    def get_absolute_url(self) -> str:
        return country_url(self.code_text)


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def get_by_natural_key(self, treaty_slug: str, country_code: str) -> Participation:
        return self.get(treaty__slug=treaty_slug, country__code=country_code.upper())

    def for_treaty(self, treaty: Treaty) -> Self:
        return self.filter(treaty=treaty)

    def for_country(self, country: Country) -> Self:
        return self.filter(country=country)

    def with_country(self) -> Self:
        return self.select_related("country")

    def with_treaty(self) -> Self:
        return self.select_related("treaty")

    def required_for_entry_into_force(self) -> Self:
        return self.filter(required_for_entry_into_force=True)

    def status_counts(self) -> dict[str, int]:
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def with_status(self, status: str) -> Self:
        return self.filter(status=status)

    def for_country_code(self, code: str) -> Self:
        return self.filter(country__code=code.upper())

    def ratified(self, yes: bool = True) -> Self:
        """Participations whose state has consented to be bound (in force or not), or not."""
        consented = Q(status__in=RATIFIED_STATUSES)
        return self.filter(consented if yes else ~consented)

    def records_held(self) -> dict[str, int]:
        """Counts to set beside a source's reported figures, in one query.

        Keys: every status, "consented_or_party" (ratified, in force or not),
        "required_consented" (required-for-entry-into-force states that ratified) and
        "signed" (states with a signature recorded).
        """
        consented = Q(status__in=RATIFIED_STATUSES)

        def count(condition: Q) -> Count:
            # Distinct: the join to the actions repeats a participation once per act.
            return Count("pk", filter=condition, distinct=True)

        aggregates = {status: count(Q(status=status)) for status in ParticipationStatus.values}
        aggregates["consented_or_party"] = count(consented)
        aggregates["required_consented"] = count(consented & Q(required_for_entry_into_force=True))
        aggregates["signed"] = count(Q(actions__action_type=ActionType.SIGNATURE))
        aggregates["required_total"] = count(Q(required_for_entry_into_force=True))
        aggregates["total"] = Count("pk", distinct=True)
        return self.order_by().aggregate(**aggregates)


class Participation(LocalizedMixin, Versioned, Provenance):
    """A country's standing towards one treaty; the status follows from its actions."""

    Status = ParticipationStatus

    treaty = models.ForeignKey(
        Treaty, verbose_name=_("treaty"), on_delete=models.CASCADE, related_name="participations"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.NOT_SIGNED,
        editable=False,
        help_text=_("Derived from the dated actions; never typed."),
    )
    required_for_entry_into_force = models.BooleanField(
        _("required for entry into force"),
        default=False,
        help_text=_(
            "For the CTBT: listed in Annex 2 (the 44 states whose ratification is needed)."
        ),
    )
    note_ja = models.TextField(_("note (Japanese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipationQuerySet.as_manager()

    history = HistoricalRecords()
    # Set by the pages that list participations: the status as the reader sees it.
    shown_status: ShownStatus

    class Meta:
        ordering = ["treaty__display_order", "country__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [unsourced_index("participation_unsourced")]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "country"], name="participation_unique_treaty_country"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipationStatus.values),
                name="participation_status_valid",
            ),
            *partial_date_constraints("as_of", model_label="participation", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.country} — {self.treaty}"

    def natural_key(self) -> tuple[str, str]:
        return self.treaty.natural_key() + self.country.natural_key()

    # Django reads serialization dependencies from an attribute of the method itself,
    # which a function's type cannot declare.
    natural_key.dependencies = ["treaties.treaty", "treaties.country"]  # type: ignore[attr-defined]

    def get_absolute_url(self) -> str:
        return self.country.get_absolute_url()

    def status_on(
        self, day: datetime.date, actions: Sequence[TreatyAction] | None = None
    ) -> ParticipationStatus:
        if actions is None:
            actions = list(self.actions.order_by("date_on", "pk"))
        return derive_status(self.treaty, actions, day)

    def refresh_status(self, save: bool = True, on: datetime.date | None = None) -> str:
        """Recompute the stored status from the actions, as of today (or `on`).

        A change is saved as a version of its own, so the history shows when and why the
        status moved; an unchanged status writes nothing.
        """
        status = self.status_on(on or today())
        if status != self.status:
            self.status = status
            if save and self.pk:
                self.save(update_fields=["status", "updated_at"])
        return self.status


class TreatyActionQuerySet(models.QuerySet["TreatyAction"]):
    def for_treaty(self, treaty: Treaty) -> Self:
        return self.filter(participation__treaty=treaty)

    def for_country_code(self, code: str) -> Self:
        return self.filter(participation__country__code=code.upper())

    def chronological(self) -> Self:
        return self.order_by("date_on", "pk")


class TreatyAction(LocalizedMixin, Versioned, Provenance):
    """One dated formal act of a country towards a treaty."""

    Type = ActionType

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    action_type = models.CharField(_("action"), max_length=16, choices=ActionType.choices)
    date_on = models.DateField(_("date"))
    date_precision = precision_field()
    date = PartialDateAttr("date", required=True)
    effective_on = models.DateField(
        _("takes effect"),
        null=True,
        blank=True,
        help_text=_("Where different from the date, e.g. a withdrawal three months after notice."),
    )
    depositary = models.CharField(_("depositary"), max_length=120, blank=True)
    note_ja = models.TextField(_("note (Japanese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TreatyActionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["date_on", "pk"]
        verbose_name = _("treaty action")
        verbose_name_plural = _("treaty actions")
        indexes = [unsourced_index("treatyaction_unsourced")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action_type__in=ActionType.values), name="treatyaction_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(effective_on__gte=models.F("date_on")),
                name="treatyaction_effective_not_before_date",
            ),
            models.UniqueConstraint(
                fields=["participation", "action_type", "date_on"],
                name="treatyaction_unique_per_day",
            ),
            *partial_date_constraints("date", model_label="treatyaction"),
            *partial_date_constraints("as_of", model_label="treatyaction", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} {self.date.iso()}"

    @property
    def takes_effect(self) -> datetime.date:
        """The day from which the act counts: its effective date, else the end of its period."""
        if self.date_on is None and not self.effective_on:
            return self.date.end  # an act without a date has no day of effect (an error)
        return effect_day(self.effective_on, self.date_on, self.date_precision)

    # A form that validates a whole set of actions together turns this off (see admin).
    check_sequence_against_saved = True

    def clean(self) -> None:
        super().clean()
        normalize_partial_dates(self, "date")
        if (
            not self.check_sequence_against_saved
            or self.participation_id is None
            or self.date_on is None
        ):
            return
        others = [
            a for a in self.participation.actions.order_by("date_on", "pk") if a.pk != self.pk
        ]
        validate_sequence(self.participation.treaty, [*others, self])

    def save(self, *args: Any, refresh_participation: bool = True, **kwargs: Any) -> None:
        """Save, then bring the participation's stored status up to date.

        A bulk writer that saves several acts of one country passes
        `refresh_participation=False` and refreshes the status once at the end.
        """
        with transaction.atomic():
            super().save(*args, **kwargs)
            if refresh_participation:
                self.participation.refresh_status()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        participation = self.participation
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            participation.refresh_status()
        return result


def grouped_number(value: object) -> str:
    """A figure as the reader's language writes it, digits grouped: "2,967.8", "191"."""
    number = Decimal(f"{Decimal(str(value)).normalize():f}")
    places = max(-int(number.as_tuple().exponent), 0)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


class ReportedFigureQuerySet(models.QuerySet["ReportedFigure"]):
    def for_treaty(self, treaty: Treaty) -> Self:
        return self.filter(treaty=treaty)

    def for_country(self, country: Country) -> Self:
        return self.filter(country=country)

    def for_country_code(self, code: str) -> Self:
        return self.filter(country__code=code.upper())

    def stale(self, years: int = STALE_AFTER_YEARS, on: datetime.date | None = None) -> Self:
        """Figures stated more than `years` years before `on` (today), counted from the end
        of a partial date's period, as the age shown beside it is."""
        return self.filter(ended_before("as_of", years_before(on or today(), years)))


class Metric(models.TextChoices):
    PARTIES = "parties", _("parties")
    RATIFICATIONS = "ratifications", _("ratifications")
    SIGNATORIES = "signatories", _("signatories")
    REQUIRED_RATIFICATIONS = "required_ratifications", _("ratifications by required states")
    ENTRY_INTO_FORCE_THRESHOLD = "eif_threshold", _("ratifications needed for entry into force")
    PARTICIPANTS = "participants", _("participating governments")
    FACILITIES = "facilities", _("monitoring facilities")
    STOCKPILE = "stockpile", _("stockpile")
    STOCKPILE_LIMIT = "stockpile_limit", _("stockpile limit")
    WARHEADS = "warheads", _("nuclear warheads")
    OTHER = "other", _("other")


class ReportedFigure(LocalizedMixin, Versioned, Provenance):
    """A count or quantity a source reports, e.g. 191 NPT parties as of 2021-03-31."""

    Metric = Metric

    treaty = models.ForeignKey(
        Treaty,
        verbose_name=_("treaty"),
        on_delete=models.CASCADE,
        related_name="figures",
        null=True,
        blank=True,
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
    )
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    label_ja = models.CharField(_("label (Japanese)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    out_of = models.DecimalField(
        _("out of"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The whole the value is part of, e.g. 44 for the CTBT's Annex 2 states."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_('e.g. "kg", "t"'))
    note_ja = models.TextField(_("note (Japanese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportedFigureQuerySet.as_manager()

    history = HistoricalRecords()
    # Set by figures.compare_with_records: the records held on the figure's date.
    records_held: int | None
    records_text: str
    records_on: datetime.date | None

    class Meta:
        ordering = ["treaty__display_order", "metric", "-as_of_on", "pk"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        indexes = [unsourced_index("reportedfigure_unsourced")]
        constraints = [
            models.CheckConstraint(
                condition=Q(metric__in=Metric.values),
                name="reportedfigure_metric_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="reportedfigure_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(out_of__isnull=True) | Q(out_of__gte=models.F("value")),
                name="reportedfigure_value_within_out_of",
            ),
            models.CheckConstraint(
                condition=Q(treaty__isnull=False) | Q(country__isnull=False),
                name="reportedfigure_has_subject",
            ),
            *partial_date_constraints("as_of", model_label="reportedfigure", required=False),
        ]

    def __str__(self) -> str:
        subject = self.treaty or self.country
        return f"{subject}: {self.label or self.get_metric_display()} {self.display_value}"

    @property
    def label(self) -> str:
        return self.loc("label")

    @property
    def display_value(self) -> str:
        # Before a save the values may still be ints or strings as assigned.
        text = grouped_number(self.value)
        if self.out_of is not None:
            text += f" / {grouped_number(self.out_of)}"
        if self.unit:
            text += f" {self.unit}"
        return text

    def get_absolute_url(self) -> str:
        if self.treaty is not None:
            return self.treaty.get_absolute_url()
        # Without a treaty, a figure is about a country (reportedfigure_has_subject).
        assert self.country is not None
        return self.country.get_absolute_url()


class TreatyEventQuerySet(models.QuerySet["TreatyEvent"]):
    def for_treaty(self, treaty: Treaty) -> Self:
        return self.filter(treaty=treaty)

    def chronological(self) -> Self:
        return self.order_by("date_on", "pk")

    def recent(self) -> Self:
        return self.order_by("-date_on", "-pk")

    def involving(self, country: Country) -> Self:
        return self.filter(countries=country)

    def involving_code(self, code: str) -> Self:
        """Events naming the country with this ISO code (each event once)."""
        return self.filter(
            models.Exists(
                TreatyEvent.countries.through.objects.filter(
                    treatyevent_id=models.OuterRef("pk"), country__code=code.upper()
                )
            )
        )

    def with_related(self) -> Self:
        return self.select_related("treaty").prefetch_related("countries")

    def search(self, text: str | None) -> Self:
        """Events whose title, in either language, contains every word of `text`."""
        queryset = self
        for word in (text or "").split():
            queryset = queryset.filter(Q(title_ja__icontains=word) | Q(title_en__icontains=word))
        return queryset


class EventKind(models.TextChoices):
    ADOPTION = "adoption", _("adoption")
    SIGNATURE = "signature", _("opening or signature")
    ENTRY_INTO_FORCE = "entry_into_force", _("entry into force")
    EXTENSION = "extension", _("extension")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    MEETING = "meeting", _("meeting or conference")
    POSTPONEMENT = "postponement", _("postponement")
    RESOLUTION = "resolution", _("resolution")
    STATEMENT = "statement", _("statement")
    PROPOSAL = "proposal", _("proposal")
    NUCLEAR_ACTIVITY = "nuclear_activity", _("nuclear or missile activity")
    OTHER = "other", _("other")


class TreatyEvent(LocalizedMixin, Versioned, Provenance):
    """A dated event on the timeline of a treaty, a regime or arms control at large."""

    Kind = EventKind

    treaty = models.ForeignKey(
        Treaty,
        verbose_name=_("treaty"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries involved"), related_name="events", blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date_on = models.DateField(_("date"))
    date_precision = precision_field()
    date = PartialDateAttr("date", required=True)
    end_on = models.DateField(_("until"), null=True, blank=True)
    end_precision = precision_field(required=False, verbose_name=_("until precision"))
    end = PartialDateAttr("end")
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TreatyEventQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        ordering = ["date_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The timeline's order (`TreatyEventExport.ordering`).
            models.Index(fields=["date_on", "id"], name="treatyevent_date_order"),
            unsourced_index("treatyevent_unsourced"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="treatyevent_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(title_ja="", title_en=""), name="treatyevent_has_title"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("date_on")),
                name="treatyevent_end_not_before_start",
            ),
            *partial_date_constraints("date", model_label="treatyevent"),
            *partial_date_constraints("end", model_label="treatyevent", required=False),
            *partial_date_constraints("as_of", model_label="treatyevent", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.date.iso()} {self.loc('title')}"

    def clean(self) -> None:
        super().clean()
        normalize_partial_dates(self, "date", "end")

    def get_absolute_url(self) -> str:
        if self.treaty is not None:
            return self.treaty.get_absolute_url() + "#timeline"
        return reverse("treaties:event-list")


class ImportBatchFormat(models.TextChoices):
    SITE_ACTIONS = "site_actions", _("Treaty Tracker actions CSV")
    SITE_PARTICIPATIONS = "site_participations", _("Treaty Tracker participations CSV")
    UNTC = "untc", _("UN Treaty Collection status table")
    UNODA = "unoda", _("UNODA treaties database list")


class ImportBatch(models.Model):
    """One file imported into the records: who, which file, from where, and what it did.

    Each version the import writes names the batch in its change reason, so the edit
    history leads back here.
    """

    Format = ImportBatchFormat

    filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=24, choices=ImportBatchFormat.choices)
    treaty = models.ForeignKey(
        Treaty,
        verbose_name=_("treaty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.ForeignKey(
        "core.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    locator = models.CharField(_("locator"), max_length=300, blank=True)
    as_of_on = models.DateField(_("as of"), null=True, blank=True)
    as_of_precision = precision_field(required=False, verbose_name=_("as-of precision"))
    as_of = PartialDateAttr("as_of")
    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, db_index=True)
    added = models.PositiveIntegerField(_("rows added"), default=0)
    changed = models.PositiveIntegerField(_("rows changed"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(file_format__in=ImportBatchFormat.values),
                name="importbatch_format_valid",
            ),
            *partial_date_constraints("as_of", model_label="importbatch", required=False),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"
