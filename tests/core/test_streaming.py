"""Long exports under the production server: served to the end however long they take, and
a stream that fails half-way ends the connection with an error, never with a clean end that
would make a short file look whole."""

import http.client

import pytest

from tests.serving import gunicorn
from tests.stream_urls import LINES

STREAM = {"DJANGO_SETTINGS_MODULE": "tests.stream_settings", "SECURE_SSL_REDIRECT": "False"}


def get(base, path):
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", path)
    return connection, connection.getresponse()


def test_a_stream_longer_than_the_worker_timeout_arrives_whole():
    with gunicorn(**STREAM, WEB_TIMEOUT="2") as base:
        connection, response = get(base, "/stream/slow.csv?seconds=5")
        body = response.read()
        connection.close()
    assert response.status == 200
    assert body.count(b"\n") == LINES


def test_a_stream_that_fails_half_way_ends_with_an_error_not_a_clean_end():
    with gunicorn(**STREAM) as base:
        connection, response = get(base, "/stream/failing.csv")
        assert response.status == 200  # sent before the failure
        assert response.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead) as failure:
            response.read()
        connection.close()
    assert failure.value.partial.count(b"\n") == LINES // 2
