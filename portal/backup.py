"""Backup and restore of the whole database as one gzipped JSON fixture.

The archive is a Django fixture (`loaddata` reads it) holding every row of every model,
history tables included, with its primary key: the history tables, the change log and
the CSV exports refer to rows by id, so ids must survive a restore unchanged. Left out is
only what `migrate` recreates or what is ephemeral: content types, permissions, sessions.
Rows that refer to a content type or a permission (admin log entries, the change log,
group and user permissions) name it by natural key, so the archive loads into a fresh
database whatever ids `migrate` gave the content types there.

Why not `dumpdata --natural-foreign --natural-primary`: natural primary keys drop the ids
of every model that has a natural key (sources, treaties, countries, participations,
people ...), which the fresh database then numbers anew, breaking the history tables
that keep those ids; and natural foreign keys make dumpdata look up every referenced
row, which fails as soon as a history row refers to a deleted record.
"""

import datetime
import gzip
import json
import os
import sqlite3
import tempfile
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JsonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Prefetch
from django.test.utils import override_settings

from core.cache import content_changed
from core.editors import EDITORS_GROUP

ARCHIVE_PREFIX = "treaty-tracker-"
ARCHIVE_SUFFIX = ".json.gz"
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"

# Recreated by `migrate` (content types, permissions) or ephemeral (sessions, the login
# throttling's record of failed logins).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}

# Referred to by natural key, as `migrate` numbers them differently in each database.
NATURAL_KEY_MODELS = (ContentType, Permission)

# Rows the data migrations create, so a freshly migrated database already holds them.
# A restore replaces them with the archive's own (which may have been edited since).
MIGRATION_ROWS = {Group: {"name__in": [EDITORS_GROUP]}}


def default_backup_dir():
    return Path(settings.BASE_DIR) / "backups"


def archive_name(now=None):
    """treaty-tracker-20261123T121500Z.json.gz: the time in UTC, sortable by name."""
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    return f"{ARCHIVE_PREFIX}{now.strftime(TIMESTAMP_FORMAT)}{ARCHIVE_SUFFIX}"


def backed_up_models(using=DEFAULT_DB_ALIAS):
    """Every concrete model whose rows the archive holds, in a stable order."""
    connection = connections[using]
    models = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        for model in app_config.get_models():
            meta = model._meta
            if meta.label_lower in EXCLUDED_MODELS or meta.proxy:
                continue
            if not meta.can_migrate(connection) or not router.allow_migrate_model(using, model):
                continue
            models.append(model)
    return models


def m2m_fields(model):
    """Many-to-many fields stored with the model (Django's own through table)."""
    return [
        field
        for field in model._meta.local_many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    ]


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to ms).

    History versions and change-log rows are ordered by time; an archive must not merge
    two versions saved within the same millisecond, nor change what the exports print.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupSerializer(JsonSerializer):
    """JSON fixture serializer using natural keys for content types and permissions only."""

    def start_serialization(self) -> None:
        super().start_serialization()  # sets json_kwargs for this run
        self.json_kwargs["cls"] = ArchiveJSONEncoder

    def _natural(self, field):
        return issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


def _rows(model, using):
    """A model's rows in primary-key order, streamed, with what the serializer reads."""
    queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
    natural_fks = [
        field.name
        for field in model._meta.local_fields
        if field.remote_field is not None
        and field.serialize
        and issubclass(field.remote_field.model, NATURAL_KEY_MODELS)
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetches = []
    for field in m2m_fields(model):
        related = field.remote_field.model
        if issubclass(related, NATURAL_KEY_MODELS):
            related_qs = related._base_manager.all()
            if related is Permission:
                related_qs = related_qs.select_related("content_type")
        else:
            related_qs = related._base_manager.only("pk")
        prefetches.append(Prefetch(field.name, queryset=related_qs))
    if prefetches:
        return queryset.prefetch_related(*prefetches).iterator(chunk_size=2000)
    return queryset.iterator(chunk_size=2000)


def write_archive(path, using=DEFAULT_DB_ALIAS):
    """Write the archive to `path` from one consistent snapshot; return {label: rows}.

    The file is written under a temporary name beside `path` and renamed when complete,
    so `path` never holds half an archive. It is readable by its owner only: it holds
    password hashes and e-mail addresses.
    """
    path = Path(path)
    if path.exists():
        raise CommandError(f"{path} already exists; not overwriting it.")
    if unapplied_migrations(using):
        raise CommandError(
            f"{describe_database(using)} lacks migrations; run `manage.py migrate` first, "
            "so that the archive matches the code's tables."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()

    def objects():
        for model in backed_up_models(using):
            for obj in _rows(model, using):
                counts[model._meta.label_lower] += 1
                yield obj

    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            gzip.GzipFile(
                filename=path.name.removesuffix(".gz"), mode="wb", fileobj=raw
            ) as compressed,
        ):
            text = _TextStream(compressed)
            with _snapshot(using):
                # Django's serializer only calls write() on its stream.
                BackupSerializer().serialize(
                    objects(), stream=cast(IO[str], text), use_natural_foreign_keys=True
                )
            text.flush()
            compressed.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
    return dict(counts)


class _TextStream:
    """Encodes the serializer's text to UTF-8 on its way into the gzip stream, in chunks."""

    def __init__(self, binary, buffer_size=1 << 16):
        self.binary = binary
        self.buffer = []
        self.size = 0
        self.buffer_size = buffer_size

    def write(self, text):
        self.buffer.append(text)
        self.size += len(text)
        if self.size >= self.buffer_size:
            self.flush()

    def flush(self):
        if self.buffer:
            self.binary.write("".join(self.buffer).encode("utf-8"))
            self.buffer = []
            self.size = 0


@contextmanager
def _snapshot(using):
    """One transaction, so every table is read as of the same moment.

    On PostgreSQL a REPEATABLE READ, READ ONLY transaction (one snapshot for all the
    queries); SQLite's read transaction holds its snapshot until it ends.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# --- restore -------------------------------------------------------------------------


def read_archive_counts(path):
    """Rows per model and links per many-to-many table in the archive; checks it is whole.

    Returns ({model label: rows}, {through-table label: links}). Raises CommandError for an
    archive that is not gzip, is truncated, is not a fixture, or names unknown models.
    """
    path = Path(path)
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as stream:
            objects = json.load(stream)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except (OSError, EOFError, ValueError) as error:
        raise CommandError(f"{path} is not a readable archive: {error}") from None
    if not isinstance(objects, list):
        raise CommandError(f"{path} is not an archive: expected a list of rows.")
    rows: Counter[str] = Counter()
    links: Counter[str] = Counter()
    for index, obj in enumerate(objects):
        try:
            label = obj["model"].lower()
            model = apps.get_model(label)
            fields = obj["fields"]
            obj["pk"]
        except (TypeError, KeyError, AttributeError, LookupError, ValueError) as error:
            raise CommandError(f"{path}: row {index} is not a valid object: {error!r}") from None
        rows[label] += 1
        for field in m2m_fields(model):
            links[field.remote_field.through._meta.label_lower] += len(fields.get(field.name, []))
    return dict(rows), dict(links)


def unapplied_migrations(using=DEFAULT_DB_ALIAS):
    executor = MigrationExecutor(connections[using])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def apply_migrations(using, stdout=None, verbosity=1):
    """Run `migrate` if the database lacks any migration; True if it did."""
    if not unapplied_migrations(using):
        return False
    call_command(
        "migrate",
        database=using,
        interactive=False,
        verbosity=max(verbosity - 1, 0),
        stdout=stdout,
    )
    return True


def _through_models(models):
    return [field.remote_field.through for model in models for field in m2m_fields(model)]


def content_rows(using=DEFAULT_DB_ALIAS):
    """{label: rows} of the tables a restore fills, beyond the rows the data migrations make.

    Tables that do not exist yet (a database not migrated) hold nothing.
    """
    existing = set(connections[using].introspection.table_names())
    models = backed_up_models(using)
    found = {}
    for model in models:
        if model._meta.db_table not in existing:
            continue
        queryset = model._base_manager.using(using).all()
        if model in MIGRATION_ROWS:
            queryset = queryset.exclude(**MIGRATION_ROWS[model])
        count = queryset.count()
        if count:
            found[model._meta.label_lower] = count
    for model in models:
        for field in m2m_fields(model):
            through = field.remote_field.through
            if through._meta.db_table not in existing:
                continue
            queryset = through._base_manager.using(using).all()
            if model in MIGRATION_ROWS:
                # The Editors group's permissions come with the group.
                own = model._base_manager.using(using).filter(**MIGRATION_ROWS[model])
                queryset = queryset.exclude(**{f"{field.m2m_field_name()}__in": own})
            count = queryset.count()
            if count:
                found[through._meta.label_lower] = count
    return found


def refuse_unless_empty(using=DEFAULT_DB_ALIAS):
    found = content_rows(using)
    if found:
        items = [f"{label} ({count} rows)" for label, count in sorted(found.items())]
        listed = ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
        raise CommandError(
            f"{describe_database(using)} already holds data; restore only loads into an empty "
            f"database, so as not to mix two. Found rows in: {listed}."
        )


def table_counts(using=DEFAULT_DB_ALIAS):
    models = backed_up_models(using)
    rows = {m._meta.label_lower: m._base_manager.using(using).count() for m in models}
    links = {
        t._meta.label_lower: t._base_manager.using(using).count() for t in _through_models(models)
    }
    return rows, links


def restore_archive(path, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None):
    """Load the archive into an empty database, all or nothing, schema included.

    The database is migrated first if it lacks migrations. On PostgreSQL the migration and
    the load run in one transaction; a SQLite database is built in a new file beside the
    target and moved in place once loaded and checked. Either way, if the database holds
    content, the archive is unreadable, any row fails to load, or the counts loaded differ
    from the archive's, a CommandError is raised and the target is left exactly as it was:
    no table, no row, and no SQLite file where there was none. Returns (rows, links,
    migrated).
    """
    path = Path(path).resolve()
    if not path.name.endswith((".json.gz", ".json")):
        raise CommandError(f"{path}: an archive is a .json.gz (or .json) file.")
    expected = read_archive_counts(path)
    connection = connections[using]
    # Refuse before migrating: a database that holds data is left as it is. A SQLite file
    # that does not exist is not opened, since opening it would create it.
    if not _sqlite_file(connection) or Path(connection.settings_dict["NAME"]).exists():
        try:
            refuse_unless_empty(using)
        except DatabaseError as error:
            raise CommandError(f"{describe_database(using)} cannot be read: {error}") from None
    if connection.in_atomic_block:
        raise CommandError("restore runs its own transaction; it cannot run inside another.")
    try:
        if connection.vendor == "sqlite":
            result = _restore_sqlite(path, using, expected, verbosity=verbosity, stdout=stdout)
        else:
            result = _restore_in_one_transaction(
                path, using, expected, verbosity=verbosity, stdout=stdout
            )
        # A SQLite file moved into place was written through another name: stored pages
        # are out of date now, not when its rows were loaded.
        content_changed()
        return result
    except BaseException:
        # Content type ids cached while migrating may belong to rows that were rolled back.
        ContentType.objects.clear_cache()
        raise


def _restore_in_one_transaction(path, using, expected, verbosity, stdout):
    """Migrate and load in one transaction: PostgreSQL's schema changes roll back with it."""
    with transaction.atomic(using=using):
        migrated = apply_migrations(using, stdout=stdout, verbosity=verbosity)
        rows, links = _load_and_check(path, using, expected, verbosity)
    return rows, links, migrated


def _restore_sqlite(path, using, expected, verbosity, stdout):
    """Build the database in a new file beside the target; move it in place when complete.

    SQLite cannot change its schema inside a transaction while foreign keys are enforced,
    so a failed migration or load could not be rolled back in the target itself.
    """
    connection = connections[using]
    if _in_memory(connection):
        raise CommandError("An in-memory SQLite database cannot be restored into; name a file.")
    target = Path(connection.settings_dict["NAME"]).resolve()
    if not target.parent.is_dir():
        raise CommandError(f"{target.parent}: no such directory.")
    mode = target.stat().st_mode & 0o777 if target.exists() else None
    connection.close()
    fd, aside_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".restoring", dir=target.parent
    )
    os.close(fd)
    aside = Path(aside_name)
    original_name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(aside)
    try:
        if mode is not None:
            # Start from what the target holds (an empty database, maybe migrated already).
            _copy_sqlite(target, aside)
        migrated = apply_migrations(using, stdout=stdout, verbosity=verbosity)
        with transaction.atomic(using=using):
            rows, links = _load_and_check(path, using, expected, verbosity)
        connection.close()
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(aside, mode)
        os.replace(aside, target)
        _sync_directory(target.parent)
    finally:
        connection.close()
        # The connection opens the target again on its next query: the restored file.
        connection.settings_dict["NAME"] = original_name
        for leftover in (aside, *(aside.with_name(aside.name + s) for s in SQLITE_SIDE_FILES)):
            leftover.unlink(missing_ok=True)
    return rows, links, migrated


def _sqlite_file(connection):
    return connection.vendor == "sqlite" and not _in_memory(connection)


def _in_memory(connection):
    return SQLiteCreation.is_in_memory_db(connection.settings_dict["NAME"])


def _copy_sqlite(source, destination):
    """A consistent copy of a SQLite database, through SQLite's own backup."""
    with (
        closing(sqlite3.connect(source)) as origin,
        closing(sqlite3.connect(destination)) as copy,
    ):
        origin.backup(copy)


# Files SQLite may keep beside a database while it is open.
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def _sync_directory(directory):
    """Make a rename in `directory` durable (where the system allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _load_and_check(path, using, expected, verbosity):
    """Inside the caller's transaction: load the archive and check every count against it."""
    expected_rows, expected_links = expected
    refuse_unless_empty(using)
    # Replace what the data migrations created with the archive's own version of it.
    for model, lookup in MIGRATION_ROWS.items():
        model._base_manager.using(using).filter(**lookup).delete()
    try:
        # The archive holds the history as it was. Without this, django-simple-history
        # would write a new version (and a change-log row) for every tracked
        # many-to-many field loaddata sets, since m2m_changed ignores raw loads.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(path), database=using, verbosity=max(verbosity - 1, 0))
    except CommandError:
        raise
    except Exception as error:  # loaddata passes some errors on unwrapped
        raise CommandError(f"Loading {path} failed: {error}") from error
    rows, links = table_counts(using)
    mismatched = [
        f"{label}: archive {want.get(label, 0)}, database {got.get(label, 0)}"
        for want, got in ((expected_rows, rows), (expected_links, links))
        for label in sorted(set(want) | {k for k, v in got.items() if v})
        if want.get(label, 0) != got.get(label, 0)
    ]
    if mismatched:
        raise CommandError(
            "Restored row counts differ from the archive; nothing was written. "
            + "; ".join(mismatched)
        )
    return rows, links


def describe_database(using=DEFAULT_DB_ALIAS):
    settings_dict = connections[using].settings_dict
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    port = settings_dict.get("PORT") or ""
    return f"{vendor} database {settings_dict['NAME']} on {host}{':' if port else ''}{port}"
