"""Hostile values for query strings and form fields, and the checks every answer must pass.

The fuzz runs are bounded and deterministic (`FUZZ`): the same examples on every run and
every machine, no example database written to disk, no deadline (the first request of a
page warms caches and would trip one).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator

from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from core.export import BOM, FORMULA_PREFIXES


def fuzz_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        # Explaining a failure reruns it many times; the failing example says enough.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        # Each example runs in a savepoint rolled back at its end (`rolled_back`), so the
        # function-scoped database fixtures are the same for every example.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever an example writes is undone, so every example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- Payloads ---------------------------------------------------------------------------------

# Markup that must never come back unescaped on an HTML page: each marker is what would
# appear raw if the payload were reflected as is.
HTML_PAYLOADS = {
    "<script>fuzz(1)</script>": "<script>fuzz(1)",
    '"><img src=x onerror=fuzz(2)>': "<img src=x onerror=fuzz(2)",
    "' onfocus='fuzz(3)' autofocus='": "onfocus='fuzz(3)'",
    '" onmouseover="fuzz(4)" x="': 'onmouseover="fuzz(4)"',
    "</textarea><svg onload=fuzz(5)>": "<svg onload=fuzz(5)",
    "</title><script>fuzz(6)</script>": "<script>fuzz(6)",
}
MARKERS = tuple(HTML_PAYLOADS.values())

SQL_PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE treaties_treaty; --",
    '" OR 1=1 --',
    "%",
    "_",
    "%_%",
    "\\",
    "'; SELECT pg_sleep(0); --",
    "1 UNION SELECT NULL",
]
CSV_PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","x")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\u200b", "\ufeff", "\r\n", "\u2028"]
# The single characters among them, for alphabets.
CHARACTERS = [*BIDI, "\r", "\n", *(char for char in CONTROL if len(char) == 1)]
DATES = [
    "2024-02-30",
    "0000-00-00",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "2024-1-1",
    "2024/01/01",
    "01/02/2024",
    "2024-01-01T00:00:00",
    "2024-01-01 ",
    " 2024",
    "2024-06",
    "1976",
    "２０２４-０１-０１",  # full-width digits
    "٢٠٢٤-٠١-٠١",  # Arabic-Indic digits
    "1e3",
]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "99999999999999999999",
    "9" * 400,
    "-" + "9" * 40,
    "1_000",
    "１２",  # full-width
    "+5",
    " 7 ",
]

payloads = st.sampled_from(
    [*HTML_PAYLOADS, *SQL_PAYLOADS, *CSV_PAYLOADS, *BIDI, *CONTROL, *DATES, *NUMBERS]
)

# Any text, from the whole of Unicode: control characters and NUL included (the default
# alphabet leaves out only the surrogates, which UTF-8 cannot carry; `raw_escapes` sends
# those and other broken bytes percent-encoded).
any_text = st.text(max_size=60)
weird_text = st.text(
    alphabet=st.sampled_from(["a", "<", ">", "'", '"', "&", "%", " ", "日", *CHARACTERS]),
    max_size=30,
)
big_numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
long_text = st.builds(
    lambda n, c: c * n, st.sampled_from([101, 301, 1001, 5000]), st.sampled_from("a日%<")
)


def hostile(*, also: list[str] | None = None) -> st.SearchStrategy[str]:
    """A value for a query parameter or a form field: a payload, arbitrary text, a number,
    a date that does not exist, a long string, or one of `also` (values the field accepts,
    so that the checks behind the first field are reached too)."""
    choices = [
        payloads,
        any_text,
        weird_text,
        big_numbers,
        long_text,
        st.builds(lambda a, b: a + b, payloads, any_text),
    ]
    if also:
        good = st.sampled_from(also)
        choices += [good, good, st.builds(lambda a, b: a + b, good, payloads)]
    return st.one_of(*choices)


# Percent-encoded bytes that are not UTF-8 (a lone surrogate, a cut sequence, a bare
# continuation byte), a NUL, and broken escapes, written straight into the query string.
RAW_ESCAPES = ["%ED%A0%80", "%FF", "%C3", "%80", "%00", "%", "%G1", "%%", "%E2%80%AE", "%0D%0A"]
raw_escapes = st.lists(st.sampled_from(RAW_ESCAPES), min_size=1, max_size=3).map("".join)


# --- Checks -----------------------------------------------------------------------------------


def assert_not_reflected(response) -> None:
    """An HTML page never carries one of the payloads' markup as markup."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode("utf-8", errors="replace")
    for marker in MARKERS:
        assert marker not in body, f"{marker!r} reflected unescaped"


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cells(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def assert_csv_neutralized(rows: list[list[str]]) -> None:
    """No cell starts as a spreadsheet formula: text beginning with = + - @, a tab or a
    carriage return carries a leading quote (core.export.neutralize); numbers may be negative."""
    for row in rows:
        for value in row:
            if value.startswith(FORMULA_PREFIXES):
                assert NUMBER.fullmatch(value), f"cell {value!r} would run as a formula"
