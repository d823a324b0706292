"""Helpers the test files of several apps share: reading pages and CSV downloads,
counting queries, admin URLs and forms as a browser posts them, records to edit in
the admin, and lookups in the seed data."""

import csv
import datetime
import io
import re

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import years_before
from core.export import BOM
from core.models import Change
from people.models import Session
from tests.factories import (
    CountryFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    ReportedFigureFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent

# --- Pages --------------------------------------------------------------------------


def in_language(language, path):
    """The address of the page at `path` in `language`: the same path in the default
    language (English in the tests, tests/conftest.py), under /<language>/ in the other."""
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def html(response):
    return response.content.decode()


def text(html):
    """Visible text with tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def element(html, element_id):
    """The markup of the element with this id, up to its closing tag (tr, section or li)."""
    match = re.search(
        rf'<(tr|section|li)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S
    )
    assert match, f"no element with id {element_id!r}"
    return match.group(2)


# --- CSV downloads ------------------------------------------------------------------


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content[1:])))


def exported_rows(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def run_csv_action(admin_client, model, action, selected):
    response = admin_client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in selected]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM), "Excel needs the byte-order mark to read Japanese"
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


# --- Queries ------------------------------------------------------------------------


def count_queries(client, url):
    """The queries run to answer a GET of `url` (a streamed body is read to its end)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def export_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)  # the rows are read while streaming
    return len(queries)


def populate_dashboard(n, source):
    """n treaties, each with a figure and an event, plus unsourced and stale facts."""
    country = CountryFactory(code="JP")
    start = Treaty.objects.count()
    treaties = Treaty.objects.bulk_create(
        Treaty(
            slug=f"bulk-{start + i}",
            short_name_en=f"B{start + i}",
            kind=Treaty.Kind.MULTILATERAL,
            status=Treaty.Status.IN_FORCE,
            source=source,
        )
        for i in range(n)
    )
    ReportedFigure.objects.bulk_create(
        ReportedFigure(
            treaty=treaty,
            metric=ReportedFigure.Metric.PARTIES,
            value=i,
            as_of_on=datetime.date(2015, 1, 1),
            as_of_precision="day",
            source=source if i % 2 else None,
        )
        for i, treaty in enumerate(treaties)
    )
    events = TreatyEvent.objects.bulk_create(
        TreatyEvent(
            treaty=treaty,
            title_en=f"Event {treaty.slug}",
            date_on=datetime.date(2020, 1, 1),
            source=source if i % 2 else None,
        )
        for i, treaty in enumerate(treaties)
    )
    TreatyEvent.countries.through.objects.bulk_create(
        TreatyEvent.countries.through(treatyevent=event, country=country) for event in events
    )
    participations = Participation.objects.bulk_create(
        Participation(treaty=treaty, country=country) for treaty in treaties
    )
    TreatyAction.objects.bulk_create(
        TreatyAction(participation=p, action_type="signature", date_on=datetime.date(2000, 1, 1))
        for p in participations
    )


# --- Writes to public pages ---------------------------------------------------------


WRITE_METHODS = ("post", "put", "patch", "delete")


# --- Days ---------------------------------------------------------------------------


def today():
    return timezone.localdate()


def years_ago(years, days=0):
    return years_before(today(), years) - datetime.timedelta(days=days)


# --- The change log -----------------------------------------------------------------


def changes_of(obj):
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("changed_at", "pk")


# --- Admin URLs ---------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return admin_url(type(obj), "history", obj.pk)


def revert_url(obj, record):
    return admin_url(type(obj), "simple_history", obj.pk, record.history_id)


# --- What a browser sends back from an admin page -----------------------------------


def form_fields_data(form, only=None):
    """The POST data of one form as its page shows it (initial values or what was typed)."""
    data = {}
    for name, field in form.fields.items():
        if only is not None and name not in only:
            continue
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)
    return data


def admin_form_data(response):
    """Everything an admin change (or revert) page would post if saved as displayed."""
    context = response.context
    data = form_fields_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        data.update(form_fields_data(formset.management_form))
        for index, form in enumerate(formset.forms):
            if index < formset.initial_form_count() and not inline.has_change_permission:
                # A view-only row sends only its id, its parent and the delete box.
                data.update(form_fields_data(form, only={formset.model._meta.pk.name}))
                data.update(form_fields_data(form, only={formset.fk.name}))
            else:
                data.update(form_fields_data(form))
    data["_save"] = "Save"
    return data


def shown_version(response, prefix=""):
    """The version a page put in its hidden field, read from the HTML itself."""
    name = f"{prefix}-_version" if prefix else "_version"
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', response.content.decode())
    assert match, f"no hidden {name} in the page"
    return int(match.group(1))


def confirm_delete(client, obj, **data):
    """Delete a record the way its confirmation page does: with the version it shows."""
    url = admin_url(type(obj), "delete", obj.pk)
    version = shown_version(client.get(url))
    return client.post(url, {"post": "yes", "_version": version, **data})


def delete_selected_confirmation(client, model, objs):
    """What the "delete selected" confirmation page of these rows posts when confirmed,
    read from the page's hidden inputs (each value a list, as several rows share a name)."""
    page = client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk for obj in objs]},
    )
    assert page.status_code == 200
    data = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()
    ):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def open_change_page(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return response


def refused(response):
    assert response.status_code == 200, "a stale save must not redirect"
    return response.content.decode()


def saved(response):
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def restore(client, url, **changes):
    """Open simple-history's revert form and press Revert (optionally with a reason)."""
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**admin_form_data(page), **changes})


# What a refused save shows beside the value another editor saved meanwhile.
SAVED_BY_SOMEONE_ELSE = "saved by someone else"


# --- The Editors group --------------------------------------------------------------


def group_permissions(group):
    return set(group.permissions.values_list("content_type__app_label", "codename").order_by())


# --- Records to edit in the admin ---------------------------------------------------


def make_treaty():
    treaty = TreatyFactory(slug="npt", short_name_en="NPT")
    ReportedFigureFactory(treaty=treaty)
    return treaty


def make_participation():
    participation = ParticipationFactory(
        treaty=TreatyFactory(slug="ctbt"), country=CountryFactory(code="JP")
    )
    TreatyActionFactory(participation=participation, date_on=datetime.date(1996, 9, 24))
    return participation


def make_person():
    person = PersonFactory(given_name_romanized="Tatsujiro")
    MembershipFactory(person=person)
    return person


# --- The seed data of document 000 (the study group) --------------------------------


GROUP = "new-nuclear-arms-control-study-group"


def group_sessions():
    return Session.objects.filter(group__slug=GROUP)


def meeting(number):
    return group_sessions().get(kind=Session.Kind.MEETING, number=number)


def us_trip():
    return group_sessions().get(kind=Session.Kind.INTERVIEW_TRIP)


# --- Checks several apps run over their own cases ---------------------------------------------


def check_export_rows(client, name, export_class, add, many):
    """An export lists every row (beyond one page), with its BOM'd header and ids first."""
    add(many)
    rows = read_csv(client.get(reverse(name)))
    assert len(rows) == many
    assert list(rows[0].keys()) == export_class().header()
    assert list(rows[0].keys())[0] == "id"
    assert all(row["id"] for row in rows)


def check_export_queries(client, name, add, assert_max_queries, ceiling=8):
    """An export runs as many queries for 55 rows as for 5, and no more than `ceiling`."""
    url = reverse(name)
    add(5)
    few = export_queries(client, url)
    add(50)
    assert export_queries(client, url) == few
    with assert_max_queries(ceiling):
        b"".join(client.get(url).streaming_content)


def check_admin_pages(admin_client, app, model, obj):
    """The change list (plain and searched), the add page and the change page render."""
    assert admin_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_changelist") + "?q=a").status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200
    assert (
        admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk])).status_code == 200
    )


def check_autocomplete(admin_client, app, model, field):
    """The admin's autocomplete answers for the field with at least one result."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    assert response.json()["results"]
