"""CSV columns of the people app's lists (public exports and admin actions).

Ids and slugs are included so the files join with each other and with the
recommendation files (`related_sessions` there holds session ids).
"""

from core.export import PROVENANCE_COLUMNS, Column, CsvExport, attr
from core.sorting import stable_order

from .models import Membership, Person, Session, SessionItem

# Several values in one cell (a person's roles) are joined with this separator.
JOIN = " | "


def joined(values):
    return JOIN.join(str(value) for value in values)


def memberships_of(person):
    return list(person.memberships.all())


def membership_label(membership):
    return f"{membership.group.slug}:{membership.role}"


def membership_as_of(membership):
    as_of = membership.as_of
    return as_of.iso() if as_of else ""


class PersonExport(CsvExport):
    """One row per person; memberships flattened into parallel, `|`-separated columns."""

    filename = "people.csv"
    ordering = stable_order(Person, "family_name_romanized", "given_name_romanized", "pk")
    select_related = ("source",)
    columns = [
        Column("id", attr("pk")),
        Column("slug", attr("slug")),
        Column("family_name", attr("family_name")),
        Column("given_name", attr("given_name")),
        Column("family_name_romanized", attr("family_name_romanized")),
        Column("given_name_romanized", attr("given_name_romanized")),
        Column("name_ja", attr("name_ja")),
        Column("name_en", attr("name_en")),
        Column("roles", lambda p: joined(membership_label(m) for m in memberships_of(p))),
        Column("affiliations_ja", lambda p: joined(m.affiliation_ja for m in memberships_of(p))),
        Column("affiliations_en", lambda p: joined(m.affiliation_en for m in memberships_of(p))),
        Column("titles_ja", lambda p: joined(m.title_ja for m in memberships_of(p))),
        Column("titles_en", lambda p: joined(m.title_en for m in memberships_of(p))),
        Column(
            "organizations",
            lambda p: joined(
                m.organization.slug if m.organization_id else "" for m in memberships_of(p)
            ),
        ),
        Column("roles_as_of", lambda p: joined(membership_as_of(m) for m in memberships_of(p))),
        *PROVENANCE_COLUMNS,
    ]

    def prepare(self, queryset):
        # Replaces any prefetch of the memberships the caller made (e.g. the admin's).
        return super().prepare(queryset).prefetch_related(None).with_roles()


class MembershipExport(CsvExport):
    filename = "memberships.csv"
    ordering = stable_order(Membership, "group__slug", "order", "pk")
    select_related = ("person", "group", "organization", "source")
    columns = [
        Column("id", attr("pk")),
        Column("person_id", attr("person_id")),
        Column("person", attr("person.slug")),
        Column("name_ja", attr("person.name_ja")),
        Column("name_en", attr("person.name_en")),
        Column("group", attr("group.slug")),
        Column("role", attr("role")),
        Column("affiliation_ja", attr("affiliation_ja")),
        Column("affiliation_en", attr("affiliation_en")),
        Column("title_ja", attr("title_ja")),
        Column("title_en", attr("title_en")),
        Column("organization", lambda m: m.organization.slug if m.organization_id else ""),
        Column("order", attr("order")),
        *PROVENANCE_COLUMNS,
    ]


class SessionExport(CsvExport):
    filename = "sessions.csv"
    ordering = stable_order(Session, "start_on", "pk")
    select_related = ("group", "source")
    prefetch_related = ("participants",)
    columns = [
        Column("id", attr("pk")),
        Column("group", attr("group.slug")),
        Column("number", attr("number")),
        Column("kind", attr("kind")),
        Column("title_ja", attr("title_ja")),
        Column("title_en", attr("title_en")),
        Column("start", attr("start")),
        Column("end", attr("end")),
        Column("place_ja", attr("place_ja")),
        Column("place_en", attr("place_en")),
        Column("participant_count", attr("participant_count")),
        Column("interviewee_count", attr("interviewee_count")),
        Column(
            "participants",
            lambda s: " ".join(sorted(person.slug for person in s.participants.all())),
        ),
        Column("summary_ja", attr("summary_ja")),
        Column("summary_en", attr("summary_en")),
        *PROVENANCE_COLUMNS,
    ]


class SessionItemExport(CsvExport):
    filename = "session-items.csv"
    ordering = stable_order(SessionItem, "session__start_on", "session_id", "order", "pk")
    select_related = ("session__source", "speaker")
    columns = [
        Column("id", attr("pk")),
        Column("session_id", attr("session_id")),
        Column("session_number", attr("session.number")),
        Column("session_kind", attr("session.kind")),
        Column("session_start", attr("session.start")),
        Column("order", attr("order")),
        Column("title_ja", attr("title_ja")),
        Column("title_en", attr("title_en")),
        Column("speaker_id", attr("speaker_id")),
        Column("speaker", lambda i: i.speaker.slug if i.speaker_id else ""),
        Column("speaker_name_ja", lambda i: i.speaker.name_ja if i.speaker_id else ""),
        Column("speaker_name_en", lambda i: i.speaker.name_en if i.speaker_id else ""),
        Column("speaker_label_ja", attr("speaker_label_ja")),
        Column("speaker_label_en", attr("speaker_label_en")),
        # An item is stated in its session's source, at the session's locator.
        Column("source", lambda i: i.session.source.slug if i.session.source_id else ""),
        Column("locator", attr("session.locator")),
    ]
