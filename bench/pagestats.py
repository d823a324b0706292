"""Bytes, status and query count of each page given on the command line, read in-process
from the database DATABASE_URL names; prints one JSON object."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

setup_test_environment()
client = Client(HTTP_ACCEPT_LANGUAGE="ja")
stats = {}
for path in sys.argv[1:]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    stats[path] = {"status": response.status_code, "bytes": len(body), "queries": len(queries)}
print(json.dumps(stats))
