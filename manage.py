#!/usr/bin/env python
import os
import sys

# Commands an operator runs (backup, restore, export_all, migrate, refresh_statuses ...)
# may run for minutes on a large database: the per-statement timeout that protects the
# web processes does not apply to them unless set explicitly. runserver serves requests.
SERVING_COMMANDS = {"runserver"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] not in SERVING_COMMANDS:
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
