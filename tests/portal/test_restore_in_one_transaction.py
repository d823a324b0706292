"""A restore into PostgreSQL runs every migration inside its one transaction, so each must
be able to: none may opt out of a transaction or build an index CONCURRENTLY."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations import RunSQL
from django.db.migrations.loader import MigrationLoader


def test_every_migration_can_run_inside_one_transaction():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert len(loader.disk_migrations) > 20
    refused = []
    for key, migration in sorted(loader.disk_migrations.items()):
        if not migration.atomic:
            refused.append(f"{key}: atomic = False")
        for operation in migration.operations:
            if isinstance(operation, AddIndexConcurrently | RemoveIndexConcurrently):
                refused.append(f"{key}: {type(operation).__name__}")
            if isinstance(operation, RunSQL) and "concurrently" in str(operation.sql).lower():
                refused.append(f"{key}: RunSQL ... CONCURRENTLY")
    assert refused == []
