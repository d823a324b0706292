from __future__ import annotations

from typing import Self, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import (
    PartialDateAttr,
    normalize_partial_dates,
    partial_date_constraints,
    precision_field,
)
from core.i18n import LocalizedMixin
from core.models import Provenance, Versioned, unsourced_index

_SluggedT = TypeVar("_SluggedT", bound=models.Model)


class SlugQuerySet(models.QuerySet[_SluggedT]):
    def get_by_natural_key(self, slug: str) -> _SluggedT:
        return self.get(slug=slug)


class OrganizationKind(models.TextChoices):
    FOUNDATION = "foundation", _("foundation")
    RESEARCH_GROUP = "research_group", _("research group")
    UNIVERSITY = "university", _("university")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    GOVERNMENT = "government", _("government body")
    MEDIA = "media", _("news organization")
    OTHER = "other", _("other")


class Organization(LocalizedMixin, Versioned, Provenance):
    Kind = OrganizationKind

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SlugQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(name_ja="", name_en=""), name="organization_has_name"
            ),
            *partial_date_constraints("as_of", model_label="organization", required=False),
        ]

    def __str__(self) -> str:
        return self.loc("name")

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class PersonQuerySet(SlugQuerySet["Person"]):
    def with_memberships(self) -> Self:
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("group").order_by("order", "pk"),
            )
        )

    def with_roles(self) -> Self:
        """Memberships with their group, organization and source, for lists and exports."""
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "group", "organization", "source"
                ).order_by("group__slug", "order", "pk"),
            )
        )

    def search(self, text: str | None) -> Self:
        """People whose printed or romanized name contains every word of `text`.

        A Japanese name is often typed without the space the source prints between
        family and given name ("鈴木達治郎"), so the joined form is searched too.
        """
        queryset = self.alias(name_joined=Concat("family_name", "given_name"))
        for word in (text or "").split():
            queryset = queryset.filter(
                Q(family_name__icontains=word)
                | Q(given_name__icontains=word)
                | Q(family_name_romanized__icontains=word)
                | Q(given_name_romanized__icontains=word)
                | Q(name_joined__icontains=word)
            )
        return queryset

    def with_role(self, role: str) -> Self:
        """People holding `role` in some study group (each person once)."""
        return self.filter(Exists(Membership.objects.filter(person=OuterRef("pk"), role=role)))

    def in_organization(self, organization: Organization) -> Self:
        """People whose membership lists them as affiliated with `organization`."""
        return self.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), organization=organization))
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def with_related(self) -> Self:
        return self.select_related("person", "group", "organization", "source")

    def with_role(self, role: str) -> Self:
        return self.filter(role=role)

    def in_organization(self, organization: Organization) -> Self:
        return self.filter(organization=organization)

    def for_person_search(self, text: str | None) -> Self:
        return self.filter(person__in=Person.objects.search(text).values("pk"))


class Person(Versioned, Provenance):
    """A person as the source prints the name: family and given name, and a romanization."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    family_name = models.CharField(_("family name (as printed)"), max_length=60)
    given_name = models.CharField(_("given name (as printed)"), max_length=60, blank=True)
    family_name_romanized = models.CharField(_("family name (romanized)"), max_length=60)
    given_name_romanized = models.CharField(_("given name (romanized)"), max_length=60, blank=True)
    editor_note = models.TextField(
        _("editors' note"),
        blank=True,
        help_text=_("For editors only: never shown on the public pages or in the exports."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name_romanized", "given_name_romanized", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            *partial_date_constraints("as_of", model_label="person", required=False),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])

    @property
    def name_ja(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def name_en(self) -> str:
        return f"{self.given_name_romanized} {self.family_name_romanized}".strip()

    def display_name(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = (language or get_language() or "ja")[:2]
        return self.name_en if language == "en" else self.name_ja


class StudyGroup(LocalizedMixin, Versioned, Provenance):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        on_delete=models.PROTECT,
        related_name="study_groups",
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    established_precision = precision_field(required=False)
    established = PartialDateAttr("established")
    established_note_ja = models.CharField(
        _("established, as stated (Japanese)"), max_length=200, blank=True
    )
    established_note_en = models.CharField(
        _("established, as stated (English)"), max_length=200, blank=True
    )
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SlugQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_ja="", name_en=""), name="studygroup_has_name"
            ),
            *partial_date_constraints("established", model_label="studygroup", required=False),
            *partial_date_constraints("as_of", model_label="studygroup", required=False),
        ]

    def __str__(self) -> str:
        return self.loc("name")

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        normalize_partial_dates(self, "established")


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    MEMBER = "member", _("member")
    SECRETARIAT = "secretariat", _("secretariat")
    EXTERNAL_SPEAKER = "external_speaker", _("external speaker")


class Membership(LocalizedMixin, Versioned, Provenance):
    """A person's role in a study group, with title and affiliation as printed."""

    Role = MembershipRole

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        StudyGroup,
        verbose_name=_("study group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    affiliation_ja = models.CharField(_("affiliation (as printed)"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("affiliation (English)"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (as printed)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "order", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [unsourced_index("membership_unsourced")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group", "role"], name="membership_unique_person_group_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
            *partial_date_constraints("as_of", model_label="membership", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.group})"


class SessionKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    FIELDWORK = "fieldwork", _("fieldwork")
    INTERVIEW_TRIP = "interview_trip", _("interview trip")


class SessionQuerySet(models.QuerySet["Session"]):
    def chronological(self) -> Self:
        return self.order_by("start_on", "pk")

    def latest_first(self) -> Self:
        return self.order_by("-start_on", "-pk")

    def with_items(self) -> Self:
        return self.prefetch_related(
            models.Prefetch(
                "items", queryset=SessionItem.objects.select_related("speaker").order_by("order")
            )
        )

    def with_group(self) -> Self:
        return self.select_related("group", "source")

    def in_year(self, year: int) -> Self:
        """Sessions that began in `year`."""
        return self.filter(start_on__year=year)

    def search(self, text: str | None) -> Self:
        """Sessions whose title, in either language, contains every word of `text`."""
        queryset = self
        for word in (text or "").split():
            queryset = queryset.filter(Q(title_ja__icontains=word) | Q(title_en__icontains=word))
        return queryset

    def with_speaker(self, person: Person) -> Self:
        """Sessions where `person` gave a talk (each session once)."""
        return self.filter(
            Exists(SessionItem.objects.filter(session=OuterRef("pk"), speaker=person))
        )

    def attended_by(self, person: Person) -> Self:
        return self.filter(participants=person)

    def with_participants(self) -> Self:
        return self.prefetch_related(
            models.Prefetch(
                "participants",
                queryset=Person.objects.order_by("family_name_romanized", "pk"),
            )
        )

    def with_recommendations(self) -> Self:
        """The recommendations that name the session (reverse of related_sessions).

        Referred to by name only: `people` must not import `recommendations`.
        """
        from django.apps import apps

        recommendation = apps.get_model("recommendations", "Recommendation")
        return self.prefetch_related(
            models.Prefetch(
                "recommendations",
                queryset=recommendation._default_manager.select_related("source"),
            )
        )


class Session(LocalizedMixin, Versioned, Provenance):
    """A meeting of the study group, or its fieldwork (e.g. an interview trip abroad)."""

    Kind = SessionKind

    group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("The meeting's number; empty for fieldwork."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    start_on = models.DateField(_("start"))
    start_precision = precision_field()
    start = PartialDateAttr("start", required=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_precision = precision_field(required=False, verbose_name=_("end precision"))
    end = PartialDateAttr("end")
    place_ja = models.CharField(_("place (Japanese)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    participant_count = models.PositiveSmallIntegerField(
        _("participants from the group"), null=True, blank=True
    )
    interviewee_count = models.PositiveSmallIntegerField(
        _("people interviewed"), null=True, blank=True
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("participants named"), related_name="sessions_attended", blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["start_on", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [unsourced_index("session_unsourced")]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "kind", "number"], name="session_unique_number_per_group"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.MEETING) | Q(number__isnull=False),
                name="session_meeting_has_number",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="session_end_not_before_start",
            ),
            *partial_date_constraints("start", model_label="session"),
            *partial_date_constraints("end", model_label="session", required=False),
            *partial_date_constraints("as_of", model_label="session", required=False),
        ]

    def __str__(self) -> str:
        return self.loc("title") or f"{self.get_kind_display()} {self.start.iso()}"

    def get_absolute_url(self) -> str:
        return reverse("people:session-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        normalize_partial_dates(self, "start", "end")


class SessionItemQuerySet(models.QuerySet["SessionItem"]):
    def with_related(self) -> Self:
        return self.select_related("session", "session__group", "speaker")

    def by_speaker(self, person: Person) -> Self:
        return self.filter(speaker=person)

    def in_order(self) -> Self:
        return self.order_by("session__start_on", "session_id", "order")


class SessionItem(LocalizedMixin, Versioned, models.Model):
    """A talk or agenda item of a session, with its speaker as the source names them."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    speaker_label_ja = models.CharField(
        _("speaker as printed (Japanese)"),
        max_length=100,
        blank=True,
        help_text=_('When the source does not name the speaker, e.g. "外部講師", "委員2人".'),
    )
    speaker_label_en = models.CharField(
        _("speaker as printed (English)"), max_length=100, blank=True
    )

    objects = SessionItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("session item")
        verbose_name_plural = _("session items")
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="sessionitem_unique_order"),
            models.CheckConstraint(
                condition=~Q(title_ja="", title_en=""), name="sessionitem_has_title"
            ),
        ]

    def __str__(self) -> str:
        return self.loc("title")

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()

    @property
    def speaker_display(self) -> str:
        if self.speaker_id:
            return str(self.speaker)
        return self.loc("speaker_label")
