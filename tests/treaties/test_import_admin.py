"""The admin's import page: a dry run first, then the whole file or nothing."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.editors import EDITORS_GROUP
from tests.factories import CountryFactory, SourceFactory, TreatyFactory
from tests.helpers import in_language
from treaties.models import ImportBatch, TreatyAction

pytestmark = pytest.mark.django_db
URL = reverse("admin:treaties_importbatch_add")
TABLE = (
    "Participant\tSignature\tRatification, Accession(a)\n"
    "Austria\t20 Sep 2017\t8 May 2018\n"
    "Cook Islands\t\t4 Sep 2018 a\n"
)


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def tpnw():
    CountryFactory(code="AT")
    CountryFactory(code="CK")
    SourceFactory(slug="untc-tpnw", title_en="UNTC XXVI-9")
    return TreatyFactory(slug="tpnw", short_name_en="TPNW", opened_on=datetime.date(2017, 9, 20))


def upload(text, name="tpnw.tsv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/tab-separated-values")


def fields(tpnw, **extra):
    from core.models import Source

    return {
        "treaty": tpnw.pk,
        "source": Source.objects.get(slug="untc-tpnw").pk,
        "locator": "status table",
        "as_of": "2026-11-01",
        **extra,
    }


def test_the_dry_run_lists_what_would_be_added_and_writes_nothing(client, editor, tpnw):
    response = client.post(URL, {**fields(tpnw), "file": upload(TABLE), "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 to add, 0 to change, 0 unchanged, 0 errors" in html
    assert "Cook Islands — TPNW: accession 2018-09-04" in html
    assert 'name="apply"' in html
    assert TreatyAction.objects.count() == 0


def test_confirming_imports_the_file_shown_in_the_dry_run(client, editor, tpnw):
    preview = client.post(URL, {**fields(tpnw), "file": upload(TABLE), "preview": "1"})
    data = re.search(r'name="data" value="([^"]+)"', preview.content.decode()).group(1)
    response = client.post(
        URL, {**fields(tpnw), "data": data, "filename": "tpnw.tsv", "apply": "1"}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:treaties_importbatch_change", args=[batch.pk])
    assert (batch.user, batch.filename, batch.added) == (editor, "tpnw.tsv", 3)
    assert TreatyAction.objects.count() == 3
    assert set(TreatyAction.history.values_list("history_user", flat=True)) == {editor.pk}
    # The log can be read, never edited.
    page = client.get(reverse("admin:treaties_importbatch_change", args=[batch.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_file_with_errors_shows_them_by_line_and_offers_no_import(client, editor, tpnw):
    response = client.post(
        URL, {**fields(tpnw), "file": upload(TABLE + "Narnia\t1 Jan 2018\t\n"), "preview": "1"}
    )
    html = response.content.decode()
    assert "line 4: unknown state" in html
    assert 'name="apply"' not in html
    # Forcing the import anyway writes nothing.
    data = re.search(r'name="data" value="([^"]+)"', html).group(1)
    client.post(URL, {**fields(tpnw), "data": data, "filename": "t.tsv", "apply": "1"})
    assert TreatyAction.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_the_page_speaks_the_editor_s_language(client, editor, tpnw):
    response = client.post(
        in_language("ja", URL), {**fields(tpnw), "file": upload(TABLE), "preview": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "追加 3 件、変更 0 件、変更なし 0 件、エラー 0 件" in html
    response = client.post(
        in_language("ja", URL),
        {**fields(tpnw), "file": upload(TABLE + "Narnia\t\t\n"), "preview": "1"},
    )
    assert "4 行目：不明な国「Narnia」" in response.content.decode()


def test_a_staff_user_without_editing_rights_cannot_import(client, tpnw):
    user = User.objects.create_user("viewer", password="pw-long-enough", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {**fields(tpnw), "file": upload(TABLE), "apply": "1"})
    assert response.status_code == 403
    assert TreatyAction.objects.count() == 0


def test_a_missing_file_is_a_form_error_not_a_crash(client, editor, tpnw):
    response = client.post(URL, {**fields(tpnw), "preview": "1"})
    assert response.status_code == 200
    assert "Choose a file to import." in response.content.decode()
    response = client.post(URL, {**fields(tpnw), "data": "%%%not-base64", "apply": "1"})
    assert "The file was lost on the way" in response.content.decode()
