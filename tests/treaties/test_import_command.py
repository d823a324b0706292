"""`manage.py import_actions FILE`: --dry-run writes nothing; a refused file exits non-zero."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CountryFactory, SourceFactory, TreatyFactory
from treaties.models import ImportBatch, TreatyAction

pytestmark = pytest.mark.django_db

TABLE = (
    "Participant\tSignature\tRatification, Accession(a)\n"
    "Austria\t20 Sep 2017\t8 May 2018\n"
    "Cook Islands\t\t4 Sep 2018 a\n"
)


@pytest.fixture
def table(tmp_path, db):
    TreatyFactory(slug="tpnw", opened_on=datetime.date(2017, 9, 20))
    CountryFactory(code="AT")
    CountryFactory(code="CK")
    SourceFactory(slug="untc-tpnw")
    path = tmp_path / "tpnw.tsv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_actions", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_reports_and_writes_nothing(table):
    out, _err = run(table, "--dry-run", "--treaty", "tpnw", "--source", "untc-tpnw")
    assert "3 to add, 0 to change, 0 unchanged, 0 errors" in out
    assert "+ line 3: Cook Islands — " in out
    assert "nothing was written" in out
    assert TreatyAction.objects.count() == 0


def test_without_dry_run_it_applies_once(table):
    out, _err = run(
        table,
        "--treaty",
        "tpnw",
        "--source",
        "untc-tpnw",
        "--as-of",
        "2026-11-01",
        "--locator",
        "status table",
    )
    assert "Imported as batch" in out
    assert TreatyAction.objects.count() == 3
    assert TreatyAction.objects.filter(as_of_on=datetime.date(2026, 11, 1)).count() == 3
    out, _err = run(table, "--treaty", "tpnw", "--source", "untc-tpnw")
    assert "0 to add, 0 to change, 3 unchanged" in out
    assert ImportBatch.objects.count() == 1


def test_a_refused_file_exits_non_zero_and_writes_nothing(table):
    table.write_text(TABLE + "Narnia\t1 Jan 2018\t\n", encoding="utf-8")
    with pytest.raises(CommandError, match="refused"):
        run(table, "--treaty", "tpnw", "--source", "untc-tpnw")
    assert TreatyAction.objects.count() == 0


def test_a_new_source_by_url_needs_a_title(table):
    with pytest.raises(CommandError, match="needs a title"):
        run(table, "--treaty", "tpnw", "--source", "https://treaties.un.org/new")


def test_an_unknown_treaty_is_refused(table):
    with pytest.raises(CommandError, match="no treaty"):
        run(table, "--treaty", "nope", "--source", "untc-tpnw")


def test_the_report_is_in_the_language_asked_for(table):
    out, _err = run(
        table, "--dry-run", "--treaty", "tpnw", "--source", "untc-tpnw", "--language", "ja"
    )
    assert "追加 3 件、変更 0 件、変更なし 0 件、エラー 0 件" in out
    assert "試行のため、何も書き込んでいません。" in out
