"""Hostile values in every admin form: never a 500, and never a partial write.

For every model registered in the admin, a superuser posts the add form and the change form
of an existing row (with the version it showed and the inline rows' management data, as the
page sends them) with some fields replaced by values made for each field's type: text with
control and bidi characters or far too long, huge and negative numbers, days that do not
exist, choices and ids that do not exist. The import page is posted files of hostile rows.

Each answer is either a redirect, after which the saved row and its inline rows pass
`full_clean`, or the form again with its errors, in which case no table (history and change
log included) has gained or lost a row, and the edited row is as it was.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from core.editors import EDITORS_GROUP
from tests.helpers import admin_form_data, admin_url
from treaties.models import ImportBatch

from .strategies import (
    CHARACTERS,
    DATES,
    NUMBERS,
    assert_not_reflected,
    big_numbers,
    fuzz_settings,
    hostile,
    long_text,
    rolled_back,
)

pytestmark = pytest.mark.django_db

# Examples per model: bounded so that the whole fuzz stays well within CI's time.
CHANGE_EXAMPLES = 6
ADD_EXAMPLES = 6

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
EDITABLE = [model for model in REGISTERED if model is not ImportBatch]


@pytest.fixture
def superuser_client(db, settings):
    # Passwords typed into the user forms are hashed on every example: a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_superuser("fuzz-admin", "admin@example.org", "not-used")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rows(world):
    """An existing row of every model the admin edits."""
    found = {type(obj): obj for obj in world.values()}
    found[User] = User.objects.create_user("someone", "someone@example.org", "not-used")
    found[Group] = Group.objects.get(name=EDITORS_GROUP)
    # The login throttling's records (django-axes), which its admin lists.
    failure = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "192.0.2.1",
        "username": "someone",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    found[AccessAttempt] = AccessAttempt.objects.create(
        **failure, get_data="next=/admin/", post_data="username=someone", failures_since_start=1
    )
    found[AccessFailureLog] = AccessFailureLog.objects.create(**failure)
    found[AccessLog] = AccessLog.objects.create(**failure)
    return found


# --- Values by the type of each form field -------------------------------------------------


def text_values(field):
    longer = [(field.max_length or 0) + 1] if getattr(field, "max_length", None) else []
    return st.one_of(
        hostile(),
        st.text(alphabet=st.sampled_from([*CHARACTERS, "a", "日"]), max_size=12),
        long_text,
        *(st.just("x" * n) for n in longer),
    )


def ids_of(field):
    key = field.to_field_name or "pk"
    return [str(value) for value in field.queryset.values_list(key, flat=True)[:5]]


BAD_IDS = ["9" * 30, "abc", "0", "-1", "999999999", "1.5", "", " 1"]


def field_values(field) -> st.SearchStrategy:
    """Values for one form field: good ones beside hostile ones of the field's kind."""
    if isinstance(field, forms.ModelChoiceField):
        ids = st.one_of(st.sampled_from(ids_of(field) or BAD_IDS), st.sampled_from(BAD_IDS))
        if isinstance(field, forms.ModelMultipleChoiceField):
            return st.lists(ids, max_size=3)
        return st.one_of(ids, hostile())
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "2", "unknown"])
    if isinstance(field, forms.ChoiceField):
        choices = [str(value) for value, _label in list(field.choices) if value != ""]
        return st.one_of(st.sampled_from(choices or [""]), hostile(also=choices))
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(st.sampled_from(NUMBERS), big_numbers, hostile(also=["1", "44"]))
    if isinstance(field, forms.DateField | forms.DateTimeField):
        days = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(str)
        return st.one_of(st.sampled_from(DATES), days, hostile(also=DATES))
    if isinstance(field, forms.URLField):
        urls = ["https://example.org/a", "http://", "javascript:alert(1)", "//x", "ftp://x"]
        return st.one_of(st.sampled_from(urls), hostile(also=urls))
    if isinstance(field, forms.FileField):
        return import_files
    return text_values(field)


# The import page's files: a header of a kind the importer reads, then hostile rows.
HEADERS = [
    "Participant\tSignature\tRatification, Accession(a)",
    "Participant,Action,Date of Notification/Deposit,Date of Effect",
    "State,Signature date,Deposit date,Type of deposit,Depositary",
    "id,treaty,country,action_type,date,effective,depositary,note,source,locator,as_of",
    "",
]
cells = st.one_of(
    hostile(also=["Austria", "Japan", "20 Sep 2017", "8 May 2018 a", "npt", "jp", "signature"])
)


@st.composite
def import_file(draw):
    separator = draw(st.sampled_from(["\t", ","]))
    header = draw(st.sampled_from(HEADERS)).replace("\t", separator)
    lines = [
        separator.join(draw(st.lists(cells, min_size=1, max_size=5)))
        for _ in range(draw(st.integers(0, 4)))
    ]
    text = "\n".join([header, *lines])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "shift_jis", "utf-16"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        content = draw(st.binary(max_size=40)) + content
    name = draw(st.sampled_from(["import.csv", "import.tsv", "x", "../../etc/passwd", "日本.csv"]))
    return SimpleUploadedFile(name, content)


import_files = import_file()


# --- What a page posts, and what changed ----------------------------------------------------


def page_forms(response):
    """Every form on an admin page: the record's, each inline row's, each management form."""
    context = response.context
    found = [context.get("adminform").form if context.get("adminform") else context["form"]]
    for inline in context.get("inline_admin_formsets") or []:
        found.append(inline.formset.management_form)
        found.extend(inline.formset.forms)
    return found


def fuzzable_fields(response):
    """{the name a field is posted under: its form field}, for every form on the page (each
    box of a field of several boxes on its own)."""
    fields = {}
    for form in page_forms(response):
        for name, field in form.fields.items():
            if isinstance(field, forms.MultiValueField):
                for index, part in enumerate(field.fields):
                    fields[f"{form.add_prefix(name)}_{index}"] = part
            else:
                fields[form.add_prefix(name)] = field
    return fields


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def snapshot(obj):
    if obj is None:
        return None
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


def check_saved(model, model_admin, obj):
    """A row the admin saved, and its inline rows, pass every check the model makes."""
    obj.full_clean()
    for inline in model_admin.inlines:
        inline_model = inline.model
        fk = next(
            field
            for field in inline_model._meta.get_fields()
            if field.many_to_one and field.related_model is model
        )
        for row in inline_model._default_manager.filter(**{fk.name: obj}):
            row.full_clean()


def post_and_check(client, model, url, baseline, fields, data, edited=None):
    model_admin = admin.site._registry[model]
    if not fields:
        # A page that shows its row read-only (the login throttling's records) has no box
        # to fill: what is posted to it anyway must change nothing.
        fields = {"username": forms.CharField(), "failures_since_start": forms.IntegerField()}
    chosen = data.draw(
        st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=4, unique=True),
        label="fields",
    )
    post = dict(baseline)
    for name in chosen:
        value = data.draw(field_values(fields[name]), label=name)
        if value == "" and not isinstance(fields[name], forms.FileField):
            post.pop(name, None)  # an empty box, or an unticked one, is not posted at all
        else:
            post[name] = value
    with rolled_back():
        before_ids = set(model._default_manager.values_list("pk", flat=True))
        before_counts, before_row = row_counts(), snapshot(edited)
        response = client.post(url, post)
        assert response.status_code < 500
        assert_not_reflected(response)
        if response.status_code == 302:
            saved = (
                model._default_manager.get(pk=edited.pk)
                if edited is not None
                else model._default_manager.exclude(pk__in=before_ids).get()
            )
            check_saved(model, model_admin, saved)
        else:
            assert row_counts() == before_counts, "a refused form wrote rows"
            assert snapshot(edited) == before_row, "a refused form changed the row"


# --- The fuzz -------------------------------------------------------------------------------


def page_data(response):
    """What the page posts; a field of several boxes (a date and a time) posts each box."""
    data = admin_form_data(response)
    for form in page_forms(response):
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.MultiWidget):
                html_name = form.add_prefix(name)
                value = form[name].value()
                parts = value if isinstance(value, list) else field.widget.decompress(value)
                data.pop(html_name, None)
                for index, part in enumerate(parts):
                    data[f"{html_name}_{index}"] = "" if part is None else str(part)
    return data


@pytest.fixture
def change_page(model, superuser_client, rows):
    """The change page of an existing row: its address, what it posts, its fields."""
    obj = rows[model]
    url = admin_url(model, "change", obj.pk)
    page = superuser_client.get(url)
    assert page.status_code == 200
    return obj, url, page_data(page), fuzzable_fields(page), page.context["has_change_permission"]


@pytest.fixture
def add_page(model, superuser_client, rows):
    url = admin_url(model, "add")
    page = superuser_client.get(url)
    if page.status_code == 403:
        return url, None, {}  # the admin adds no such row (the login throttling's records)
    assert page.status_code == 200
    baseline = page_data(page) if page.context.get("adminform") else {}
    if model in rows:
        # The values of an existing row make a form that may well be saved once a field
        # or two are changed, so the checks after a save are reached too.
        shown = page_data(superuser_client.get(admin_url(model, "change", rows[model].pk)))
        main = page_forms(page)[0]
        names = {main.add_prefix(name) for name in main.fields} - {"_version"}
        baseline.update(
            {k: v for k, v in shown.items() if k.rsplit("_", 1)[0] in names or k in names}
        )
    return url, baseline, fuzzable_fields(page)


@pytest.mark.parametrize("model", EDITABLE, ids=[model._meta.label for model in EDITABLE])
@fuzz_settings(max_examples=CHANGE_EXAMPLES)
@given(data=st.data())
def test_hostile_values_in_a_change_form(model, superuser_client, change_page, data):
    obj, url, baseline, fields, _may_change = change_page
    post_and_check(superuser_client, model, url, baseline, fields, data, obj)


@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
@fuzz_settings(max_examples=ADD_EXAMPLES)
@given(data=st.data())
def test_hostile_values_in_an_add_form(model, superuser_client, add_page, data):
    url, baseline, fields = add_page
    if baseline is None:
        before = row_counts()
        post = {"username": data.draw(hostile(), label="username")}
        assert superuser_client.post(url, post).status_code == 403
        assert row_counts() == before
        return
    if model is ImportBatch:
        baseline = {"locator": "status table"}
        if data.draw(st.booleans(), label="apply"):
            baseline["apply"] = "1"
    post_and_check(superuser_client, model, url, baseline, fields, data)


@pytest.mark.parametrize("model", EDITABLE, ids=[model._meta.label for model in EDITABLE])
def test_a_change_form_posted_as_shown_is_saved(model, superuser_client, change_page):
    """The fuzz starts from what the page sends; unchanged, that is a valid save (where the
    admin lets the row be changed at all: a status update is only ever added)."""
    obj, url, baseline, _fields, may_change = change_page
    response = superuser_client.post(url, baseline)
    if not may_change:
        assert response.status_code == 403
        return
    assert response.status_code == 302, response.context and response.context.get("errors")
    check_saved(model, admin.site._registry[model], model._default_manager.get(pk=obj.pk))
