"""Public pages of the people app: people and sessions, their lists and CSV exports.

A list page and its exports share one FilterSet, so a file holds exactly the rows the
page lists (every page of them). Related rows are joined or prefetched through named
QuerySet methods, so the number of queries does not grow with the rows shown.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.views_base import BrowseView, CsvExportView, ReadOnlyMixin

from .exports import MembershipExport, PersonExport, SessionExport, SessionItemExport
from .filters import MembershipFilter, PersonFilter, SessionFilter, SessionItemFilter
from .models import Membership, Person, Session, SessionItem

# -- people ----------------------------------------------------------------------------


class PersonListView(BrowseView):
    model = Person
    filterset_class = PersonFilter
    template_name = "people/person_list.html"
    export_url_name = "people:person-export"
    extra_export_url_names = [(_("Download memberships CSV"), "people:membership-export")]

    def get_queryset(self):
        return Person.objects.with_roles().order_by(*PersonExport.ordering)


class PersonExportView(CsvExportView):
    model = Person
    filterset_class = PersonFilter
    export_class = PersonExport

    def get_queryset(self):
        return Person.objects.order_by(*PersonExport.ordering)


class MembershipExportView(CsvExportView):
    model = Membership
    filterset_class = MembershipFilter
    export_class = MembershipExport

    def get_queryset(self):
        return Membership.objects.order_by(*MembershipExport.ordering)


class PersonDetailView(ReadOnlyMixin, DetailView):
    """A person's names, roles in study groups, talks given and sessions attended."""

    model = Person
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.select_related("source").with_roles()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            memberships=list(person.memberships.all()),
            talks=list(SessionItem.objects.by_speaker(person).select_related("session").in_order()),
            sessions_attended=list(Session.objects.attended_by(person).chronological()),
        )
        return context


# -- sessions --------------------------------------------------------------------------


class SessionListView(BrowseView):
    model = Session
    filterset_class = SessionFilter
    template_name = "people/session_list.html"
    export_url_name = "people:session-export"
    extra_export_url_names = [(_("Download session items CSV"), "people:session-item-export")]

    def get_queryset(self):
        return Session.objects.with_group().with_items().order_by(*SessionExport.ordering)


class SessionExportView(CsvExportView):
    model = Session
    filterset_class = SessionFilter
    export_class = SessionExport

    def get_queryset(self):
        return Session.objects.order_by(*SessionExport.ordering)


class SessionItemExportView(CsvExportView):
    model = SessionItem
    filterset_class = SessionItemFilter
    export_class = SessionItemExport

    def get_queryset(self):
        return SessionItem.objects.order_by(*SessionItemExport.ordering)


class SessionDetailView(ReadOnlyMixin, DetailView):
    """A session: dates at their precision, place, items with speakers, its recommendations."""

    model = Session
    template_name = "people/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return Session.objects.with_group().with_items().with_participants().with_recommendations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context.update(
            items=list(session.items.all()),
            participants=list(session.participants.all()),
            recommendations=list(session.recommendations.all()),
            item_export_url=reverse("people:session-item-export") + f"?session={session.pk}",
        )
        return context
