"""Backup and restore: the round trip into a fresh database keeps every row and every export.

The suite runs on whichever database DATABASE_URL names (CI runs it on SQLite and on
PostgreSQL). The fresh databases are new SQLite files, or new PostgreSQL databases created
and dropped here: of the suite's kind, and of the other kind for the round trip across
databases. Backup and export of the test database run in this process (so its data needs
no commit and the tests stay ordinary rolled-back tests); migrate, restore and export of
the fresh databases run in subprocesses, as a user runs them.

Where the suite runs on SQLite, scratch PostgreSQL databases are made on the server
TEST_POSTGRES_URL names (default: postgres://postgres@127.0.0.1:5432/postgres). Where no
server answers, the tests across databases are skipped with a message; CI sets
REQUIRE_E2E=1 to make that a failure instead.
"""

import gzip
import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.editors import EDITORS_GROUP
from core.models import Change
from portal.backup import archive_name, content_rows, table_counts
from treaties.models import Country, Participation, TreatyAction, TreatyEvent

# Not transactional: each test starts from the migrated test database (with the Editors
# group the data migrations create), as a real installation would, and leaves it so.
pytestmark = pytest.mark.django_db

EDITOR = "backup-editor"
EDITOR_PASSWORD = "a long passphrase for the backup test"
EDIT_REASON = "Checked against the UNODA treaty page"
DELETE_REASON = "Duplicate of another record"
EXPORT_LANGUAGE = "en"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SQLITE, POSTGRESQL = "sqlite", "postgresql"


# --- databases and subprocesses -------------------------------------------------------


def unavailable(message):
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def postgres_server():
    """How to reach the PostgreSQL server scratch databases are made on (psycopg keywords)."""
    if connection.vendor == POSTGRESQL:
        config = connection.settings_dict
    else:
        config = dj_database_url.parse(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    return {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }


def postgres_admin():
    """An autocommit connection to the server's `postgres` database, or skip (fail on CI)."""
    import psycopg

    server = postgres_server()
    try:
        return psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **server)
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL not reachable for the test across databases: {error}")
        raise  # not reached: unavailable() skips or fails


def postgres_url(name):
    server = postgres_server()
    credentials = quote(server["user"] or "", safe="")
    if server["password"]:
        credentials += ":" + quote(server["password"], safe="")
    port = f":{server['port']}" if server["port"] else ""
    return f"postgres://{credentials}@{server['host'] or 'localhost'}{port}/{name}"


@contextmanager
def fresh_database(tmp_path, vendor=None):
    """A DATABASE_URL naming a new, empty database (of the suite's kind unless `vendor`).

    A SQLite database is a file name in tmp_path, not created: the restore creates it.
    """
    vendor = vendor or connection.vendor
    name = f"tt_roundtrip_{secrets.token_hex(6)}"
    if vendor == SQLITE:
        yield f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        return
    assert vendor == POSTGRESQL, vendor
    with postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        with postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def other_vendor():
    return POSTGRESQL if connection.vendor == SQLITE else SQLITE


def database_state(url):
    """Everything a failed restore must leave as it was, read without Django.

    SQLite: whether the file exists and its bytes, and the other files in its directory.
    PostgreSQL: every table of the database and its number of rows.
    """
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        return {
            "file": hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None,
            "directory": sorted(p.name for p in path.parent.iterdir() if p != path),
        }
    import psycopg

    with psycopg.connect(dbname=config["NAME"], autocommit=True, **postgres_server()) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def sqlite_tables(url):
    """The tables of an existing SQLite file (opened read-only, so nothing is created)."""
    path = dj_database_url.parse(url)["NAME"]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def manage(database_url, *args, check=True):
    """Run manage.py against database_url as a user would; returns the CompletedProcess."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def run_python(database_url, code):
    """Run code in a Django shell on database_url; its last output line is JSON."""
    result = manage(database_url, "shell", "-v", "0", "-c", code)
    return json.loads(result.stdout.strip().splitlines()[-1])


FACTS_CODE = "import json, tests.portal.test_backup as t; print(json.dumps(t.database_facts()))"


def database_facts():
    """What must survive a restore, read from the database this process uses."""
    rows, links = table_counts()
    editor = User.objects.get(username=EDITOR)
    participation_type = ContentType.objects.get_for_model(Participation)
    deleted = Participation.history.filter(history_type="-").order_by("history_id")
    return {
        "rows": rows,
        "links": links,
        "participation_content_type_id": participation_type.pk,
        "edited_history": [
            [h.history_type, h.note_en, h.history_change_reason, h.history_user_id]
            for h in Participation.history.filter(id=editor_edit_target().pk).order_by(
                "history_date", "history_id"
            )
        ],
        "deleted_history": [
            [h.id, h.history_type, h.history_change_reason, str(h.history_date)] for h in deleted
        ],
        "deleted_action_history": sorted(
            [h.id, h.participation_id, h.history_type]
            for h in TreatyAction.history.filter(
                participation_id__in=[h.id for h in deleted], history_type="-"
            )
        ),
        "editor": {
            "pk": editor.pk,
            "is_staff": editor.is_staff,
            "groups": sorted(editor.groups.values_list("name", flat=True)),
            "password_works": editor.check_password(EDITOR_PASSWORD),
            "may_change_participations": editor.has_perm("treaties.change_participation"),
            "may_change_users": editor.has_perm("auth.change_user"),
        },
        "editors_group_permissions": sorted(
            f"{app}.{codename}"
            for app, codename in Group.objects.get(name=EDITORS_GROUP)
            .permissions.values_list("content_type__app_label", "codename")
            .order_by()
        ),
        "changes": [
            [c.content_type.app_label, c.content_type.model, c.object_id, c.kind, c.history_id]
            for c in Change.objects.order_by("pk")
        ],
        "admin_log": [
            [e.content_type.app_label, e.content_type.model, e.object_id, e.user_id]
            for e in LogEntry.objects.order_by("pk")
        ],
    }


def editor_edit_target():
    return Participation.objects.get(treaty__slug="ctbt", country__code="JP")


def deleted_target():
    # A participation with dated actions: deleting it deletes them too, so history rows of
    # both point at records that no longer exist.
    return Participation.objects.get(treaty__slug="ctbt", country__code="RU")


@pytest.fixture
def edited_database():
    """The seed data, then what editors do: an edit with a reason, a deletion, an m2m edit."""
    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user(EDITOR, password=EDITOR_PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    participation = editor_edit_target()
    participation.note_en = "Checked against the depositary list."
    participation._change_reason = EDIT_REASON
    participation._history_user = editor
    participation.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Participation),
        object_id=str(participation.pk),
        object_repr=str(participation)[:200],
        action_flag=CHANGE,
        change_message="Changed note.",
    )

    doomed = deleted_target()
    assert doomed.actions.exists()
    doomed._change_reason = DELETE_REASON
    doomed._history_user = editor
    doomed.delete()

    event = TreatyEvent.objects.filter(countries__isnull=False).order_by("pk").first()
    event.countries.add(Country.objects.get(code="KZ"))
    return editor


def backup_to(path):
    out = io.StringIO()
    call_command("backup", output=str(path), verbosity=0, stdout=out)
    assert out.getvalue().strip() == str(path.resolve())
    return path


def archive_objects(path):
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def write_archive_objects(path, objects):
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump(objects, stream, ensure_ascii=False)
    return path


# --- the round trip ---------------------------------------------------------------------


def test_backup_and_restore_into_a_fresh_database_keeps_every_export_and_the_history(
    tmp_path, edited_database
):
    exports_before = tmp_path / "A"
    call_command("export_all", str(exports_before), language=EXPORT_LANGUAGE, verbosity=0)
    archive = backup_to(tmp_path / "backup.json.gz")
    before = database_facts()
    assert before["changes"], "edits leave rows in the change log"
    assert before["deleted_history"][-1][1:3] == ["-", DELETE_REASON]
    assert before["deleted_action_history"]

    exports_after = tmp_path / "B"
    archive_again = tmp_path / "again.json.gz"
    with fresh_database(tmp_path) as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        # Let migrate number the content types differently than in the source database:
        # the archive names them (and permissions) by natural key, so it must not matter.
        run_python(
            url,
            "import json\n"
            "from django.contrib.contenttypes.models import ContentType\n"
            "ContentType.objects.filter(app_label='treaties', model='participation').delete()\n"
            "print(json.dumps(True))",
        )
        manage(url, "migrate", "--no-input", "-v", "0")

        restored = manage(url, "restore", str(archive))
        assert "every count matches the archive" in restored.stdout
        manage(url, "export_all", str(exports_after), "--language", EXPORT_LANGUAGE, "-v", "0")
        manage(url, "backup", "--output", str(archive_again), "-v", "0")
        after = run_python(url, FACTS_CODE)

        # The restored database takes new edits: sequences (models, many-to-many tables,
        # history tables) continue after the restored ids.
        assert run_python(url, AFTER_RESTORE_EDITS) == "ok"

    names = sorted(path.name for path in exports_before.iterdir())
    assert names == sorted(path.name for path in exports_after.iterdir())
    assert {"participations.csv", "treaties.csv", "changes.csv"} <= set(names)
    for name in names:
        assert (exports_before / name).read_bytes() == (exports_after / name).read_bytes(), name

    assert after.pop("participation_content_type_id") != before.pop("participation_content_type_id")
    assert after == before
    assert after["editor"] == {
        "pk": before["editor"]["pk"],
        "is_staff": True,
        "groups": [EDITORS_GROUP],
        "password_works": True,
        "may_change_participations": True,
        "may_change_users": False,
    }
    assert after["edited_history"][-1][1:] == [
        "Checked against the depositary list.",
        EDIT_REASON,
        before["editor"]["pk"],
    ]
    # Everything, to the microsecond: the restored database backs up to the same rows.
    assert archive_objects(archive_again) == archive_objects(archive)


def assert_same_files(expected_dir, actual_dir):
    names = sorted(path.name for path in expected_dir.iterdir())
    assert names == sorted(path.name for path in actual_dir.iterdir())
    assert {"participations.csv", "sources.csv", "reported-figures.csv"} <= set(names)
    for name in names:
        assert (expected_dir / name).read_bytes() == (actual_dir / name).read_bytes(), name


def test_backup_and_restore_across_databases_keeps_every_export_byte_for_byte(
    tmp_path, edited_database
):
    """SQLite to PostgreSQL and back, or PostgreSQL to SQLite and back: the same files."""
    here = tmp_path / "here"
    call_command("export_all", str(here), language=EXPORT_LANGUAGE, verbosity=0)
    archive = backup_to(tmp_path / "here.json.gz")

    there, back = tmp_path / "there", tmp_path / "back"
    archive_there, archive_back = tmp_path / "there.json.gz", tmp_path / "back.json.gz"
    with fresh_database(tmp_path, other_vendor()) as other_url:
        manage(other_url, "restore", str(archive))
        manage(other_url, "export_all", str(there), "--language", EXPORT_LANGUAGE, "-v", "0")
        manage(other_url, "backup", "--output", str(archive_there), "-v", "0")
        with fresh_database(tmp_path) as same_url:
            manage(same_url, "restore", str(archive_there))
            manage(same_url, "export_all", str(back), "--language", EXPORT_LANGUAGE, "-v", "0")
            manage(same_url, "backup", "--output", str(archive_back), "-v", "0")

    assert_same_files(here, there)
    assert_same_files(here, back)
    # Every row, to the microsecond, whichever database it went through.
    assert archive_objects(archive_there) == archive_objects(archive)
    assert archive_objects(archive_back) == archive_objects(archive)


AFTER_RESTORE_EDITS = """
import json
from django.contrib.auth.models import Group, User
from core.models import Source
from people.models import Person, Session
from treaties.models import Country, Participation, TreatyEvent

participation = Participation.objects.order_by("pk").first()
participation.note_en = "Edited after the restore."
participation.save()
event = TreatyEvent.objects.order_by("pk").first()
event.countries.add(Country.objects.get(code="SS"))
session = Session.objects.order_by("pk").last()
session.participants.add(*Person.objects.all())
user = User.objects.create_user("after-restore")
user.groups.add(Group.objects.get(name="Editors"))
Source.objects.create(slug="after-restore", title_en="After", kind="other", language="en")
print(json.dumps("ok"))
"""


# --- refusing and failing cleanly -------------------------------------------------------


def test_restore_refuses_a_database_that_holds_data(tmp_path, edited_database):
    archive = backup_to(tmp_path / "backup.json.gz")
    before = table_counts()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), verbosity=0)

    assert table_counts() == before


def test_restore_refuses_even_one_user(tmp_path):
    archive = backup_to(tmp_path / "empty.json.gz")
    User.objects.create_user("someone")

    with pytest.raises(CommandError, match=r"already holds data.*auth\.user"):
        call_command("restore", str(archive), verbosity=0)

    assert list(User.objects.values_list("username", flat=True)) == ["someone"]


def test_a_freshly_migrated_database_counts_as_empty():
    # The Editors group comes from the data migrations; a restore replaces it.
    assert Group.objects.filter(name=EDITORS_GROUP).exists()
    assert content_rows() == {}


def broken_archives(tmp_path, archive):
    """{archive: the message its restore fails with}: unreadable ones, then well-formed ones
    whose last rows fail after all the others have gone in."""
    objects = archive_objects(archive)
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.json.gz"
    truncated.write_bytes(data[: len(data) // 2])
    not_gzip = tmp_path / "not-gzip.json.gz"
    not_gzip.write_text("this is not an archive")
    treaty = next(obj for obj in objects if obj["model"] == "treaties.treaty")
    action = next(obj for obj in objects if obj["model"] == "treaties.treatyaction")
    duplicate_slug = write_archive_objects(
        tmp_path / "duplicate-slug.json.gz", [*objects, {**treaty, "pk": 999_999}]
    )
    dangling = write_archive_objects(
        tmp_path / "dangling.json.gz",
        [
            *objects,
            {**action, "pk": 999_999, "fields": {**action["fields"], "participation": 999_999}},
        ],
    )
    # ... and one that loads, but holds a row twice, so the counts do not match.
    twice = write_archive_objects(tmp_path / "twice.json.gz", [*objects, objects[-1]])
    return {
        truncated: "not a readable archive",
        not_gzip: "not a readable archive",
        duplicate_slug: "could not load treaties.treaty(pk=999999)",
        dangling: "treaties_treatyaction",
        twice: "counts differ from the archive",
    }


def assert_restore_fails_and_changes_nothing(url, path, message):
    before = database_state(url)
    result = manage(url, "restore", str(path), check=False)
    assert result.returncode != 0, path.name
    assert message in result.stderr.lower(), (path.name, result.stderr)
    assert "Traceback" not in result.stderr, path.name
    assert database_state(url) == before, path.name


def test_a_failed_restore_leaves_a_new_database_without_a_table(tmp_path, edited_database):
    archive = backup_to(tmp_path / "backup.json.gz")
    failures = broken_archives(tmp_path, archive)
    databases = tmp_path / "databases"
    databases.mkdir()
    with fresh_database(databases) as url:
        for path, message in failures.items():
            assert_restore_fails_and_changes_nothing(url, path, message)
        if connection.vendor == SQLITE:
            assert not Path(dj_database_url.parse(url)["NAME"]).exists(), "no file created"
            assert list(databases.iterdir()) == [], "no file left beside it"
        else:
            assert database_state(url) == {}, "no table"

        # Left as it was, and still usable: the good archive restores.
        manage(url, "restore", str(archive))
        assert run_python(url, EMPTY_CODE) != {}


def test_a_failed_restore_leaves_a_migrated_empty_database_as_it_was(tmp_path, edited_database):
    archive = backup_to(tmp_path / "backup.json.gz")
    failures = broken_archives(tmp_path, archive)
    with fresh_database(tmp_path) as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        migrated = database_state(url)
        if connection.vendor == SQLITE:
            tables = sqlite_tables(url)
        else:
            tables = set(migrated)
        assert len(tables) > 40 and "treaties_treaty" in tables
        for path in list(failures)[2:]:  # those that fail while loading
            assert_restore_fails_and_changes_nothing(url, path, failures[path])
        assert database_state(url) == migrated


def test_restore_refuses_a_sqlite_file_that_is_not_a_database(tmp_path):
    archive = backup_to(tmp_path / "backup.json.gz")
    target = tmp_path / "not-a-database.sqlite3"
    target.write_text("some other file")
    url = f"sqlite:///{target}"

    assert_restore_fails_and_changes_nothing(url, archive, "cannot be read")
    assert target.read_text() == "some other file"


EMPTY_CODE = (
    "import json; from portal.backup import content_rows; print(json.dumps(content_rows()))"
)


# --- the archive itself -----------------------------------------------------------------


def test_the_default_archive_name_is_a_utc_timestamp(tmp_path, settings):
    import datetime

    moment = datetime.datetime(
        2026, 11, 23, 21, 15, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
    )
    assert archive_name(moment) == "treaty-tracker-20261123T121500Z.json.gz"

    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("backup", verbosity=0, stdout=out)
    path = Path(out.getvalue().strip())
    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("treaty-tracker-") and path.name.endswith("Z.json.gz")
    stamp = path.name.removeprefix("treaty-tracker-").removesuffix(".json.gz")
    parsed = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    assert abs(datetime.datetime.now(datetime.UTC) - parsed) < datetime.timedelta(minutes=5)
    assert path.stat().st_mode & 0o077 == 0, "only its owner may read an archive"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no partial file left"


def test_backup_refuses_a_database_that_is_not_migrated(tmp_path):
    with fresh_database(tmp_path) as url:
        result = manage(url, "backup", "--output", str(tmp_path / "x.json.gz"), check=False)
    assert result.returncode != 0
    assert "lacks migrations" in result.stderr
    assert not (tmp_path / "x.json.gz").exists()


def test_backup_will_not_overwrite_an_archive(tmp_path):
    path = backup_to(tmp_path / "backup.json.gz")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(path), verbosity=0, stdout=io.StringIO())


def test_the_archive_leaves_out_what_migrate_recreates_and_names_it_by_natural_key(
    tmp_path, edited_database
):
    objects = archive_objects(backup_to(tmp_path / "backup.json.gz"))
    models = {obj["model"] for obj in objects}
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    assert {
        "auth.user",
        "auth.group",
        "admin.logentry",
        "core.change",
        "treaties.participation",
        "treaties.historicalparticipation",
        "treaties.historicaltreatyevent_countries",
    } <= models
    assert all("pk" in obj for obj in objects), "every row keeps its id"
    change = next(obj for obj in objects if obj["model"] == "core.change")
    assert isinstance(change["fields"]["content_type"], list)
    group = next(obj for obj in objects if obj["model"] == "auth.group")
    assert ["change_participation", "treaties", "participation"] in group["fields"]["permissions"]
    # Times keep their microseconds (Django's JSON encoder would cut them to milliseconds).
    history = [obj for obj in objects if obj["model"] == "treaties.historicalparticipation"]
    assert any(len(obj["fields"]["history_date"].split(".")[-1]) == 7 for obj in history)


def test_export_all_writes_every_public_export(tmp_path, edited_database):
    from portal.management.commands.export_all import list_export_url_names, public_exports

    call_command("export_all", str(tmp_path), verbosity=0)
    exports = public_exports()
    # Every list export the site routes is declared by its app, and nothing else is.
    assert sorted(name for name, _path in exports) == sorted(list_export_url_names())
    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) == len(exports) >= 14
    assert {
        "treaties.csv",
        "countries.csv",
        "participations.csv",
        "events.csv",
        "sources.csv",
        "people.csv",
        "memberships.csv",
        "sessions.csv",
        "session-items.csv",
        "recommendations.csv",
        "recommendation-updates.csv",
    } <= set(files)
    participations = (tmp_path / "participations.csv").read_text(encoding="utf-8-sig")
    assert participations.count("\n") == Participation.objects.count() + 1
    assert not any(name.startswith(".") for name in files)
