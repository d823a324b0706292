"""Bulk import of dated acts: the editors' path from a depositary's list into the records.

Three kinds of file are read, told apart by their header row:

- this site's own CSV export of actions (`/actions/export.csv`) or participations
  (`/participations/export.csv`), so that export → edit in a spreadsheet → import
  round-trips; each row carries its own source, locator and as-of date;
- the UN Treaty Collection's status table (Participant, Signature, "Ratification,
  Accession(a), Succession(d)" …, dates like "20 Sep 2017", marks a/d/A/AA);
- the UNODA treaties database's list (State, signature date, deposit date, type of
  deposit, depositary).

A depositary's file names no treaty and cites nothing, so its batch is given a treaty and
a source, which every row it adds gets as provenance. Reading a file never writes:
`plan_import` says what would be added, changed (old → new) and left as it is, and lists
every row's error by line. `apply_import` writes a plan that has no error, all of it in one
transaction or nothing; a file imported twice changes nothing the second time.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.dates import PartialDate, Precision
from core.export import restore
from core.models import Source
from core.validators import bidi_control_message, find_bidi_control

from .country_names import code_for_name, fold
from .models import (
    ActionType,
    Country,
    ImportBatch,
    ImportBatchFormat,
    Participation,
    Treaty,
    TreatyAction,
)
from .status import validate_sequence


class ImportRefused(Exception):
    """The file cannot be imported; `plan.errors` says why, line by line."""

    def __init__(self, plan):
        super().__init__("; ".join(str(error) for error in plan.errors[:5]))
        self.plan = plan


Format = ImportBatchFormat
DEPOSITARY_FORMATS = (Format.UNTC, Format.UNODA)


@dataclass(frozen=True)
class RowError:
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Batch:
    """What a depositary's file does not say itself: for which treaty, and from where."""

    treaty: Treaty | None = None
    source: Source | None = None
    locator: str = ""
    as_of: PartialDate | None = None
    # Who keeps the list, for its rows (a UN Treaty Collection table: the Secretary-General).
    depositary: str = ""


@dataclass
class ActRow:
    line: int
    country: Country
    treaty: Treaty
    action_type: str
    date: PartialDate
    effective_on: datetime.date | None = None
    depositary: str = ""
    note_en: str = ""
    note_ja: str = ""
    source: Source | None = None
    locator: str = ""
    as_of: PartialDate | None = None
    pk: int | None = None
    # Rows from the site's own export state every field; a depositary's list only some.
    complete: bool = False


@dataclass
class ParticipationRow:
    line: int
    country: Country
    treaty: Treaty
    required_for_entry_into_force: bool
    note_en: str
    note_ja: str
    source: Source | None
    locator: str
    as_of: PartialDate | None
    pk: int | None = None


@dataclass
class Planned:
    """One row's effect: an addition (`existing` None), a change, or nothing."""

    row: ActRow | ParticipationRow
    existing: TreatyAction | Participation | None = None
    changes: dict = field(default_factory=dict)  # field name -> (old text, new text)

    @property
    def kind(self):
        if self.existing is None:
            return "add"
        return "change" if self.changes else "unchanged"

    @property
    def line(self):
        return self.row.line

    def describe(self):
        row = self.row
        subject = f"{row.country.name} — {row.treaty}"
        if isinstance(row, ActRow):
            action = ActionType(row.action_type).label
            return f"{subject}: {action} {row.date.iso()}"
        return subject


@dataclass
class ImportPlan:
    filename: str = ""
    format: str = ""
    batch: Batch = field(default_factory=Batch)
    rows: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def of_kind(self, kind):
        return [planned for planned in self.rows if planned.kind == kind]

    @property
    def additions(self):
        return self.of_kind("add")

    @property
    def changes(self):
        return self.of_kind("change")

    @property
    def unchanged(self):
        return self.of_kind("unchanged")

    @property
    def format_label(self):
        return Format(self.format).label if self.format else ""

    def summary(self):
        return _(
            "%(added)d to add, %(changed)d to change, %(unchanged)d unchanged, %(errors)d errors"
        ) % {
            "added": len(self.additions),
            "changed": len(self.changes),
            "unchanged": len(self.unchanged),
            "errors": len(self.errors),
        }


# --- Reading the bytes --------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of a file saved as UTF-8 (with or without BOM) or as Shift_JIS by Excel in Japan."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor Shift_JIS (cp932) text."))


def read_table(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank record, comma- or tab-separated."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    records = []
    for cells in reader:
        cells = [cell.strip() for cell in cells]
        if any(cells):
            records.append((reader.line_num, cells))
    return records


def header_key(text):
    return fold(text).replace(" ", "_")


def detect_format(header: list[str]) -> str | None:
    keys = [header_key(cell) for cell in header]
    names = set(keys)
    if {"treaty", "iso2", "action", "date"} <= names:
        return Format.SITE_ACTIONS
    if {"treaty", "iso2", "required_for_entry_into_force"} <= names:
        return Format.SITE_PARTICIPATIONS
    if keys and keys[0].startswith("participant"):
        return Format.UNTC
    if keys and keys[0] in ("state", "country", "states") and any("deposit" in k for k in keys):
        return Format.UNODA
    return None


# --- Cells --------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# UNTC's marks after a date in the consent column: which act the date records.
UNTC_MARKS = {
    "": ActionType.RATIFICATION,
    "a": ActionType.ACCESSION,
    "d": ActionType.SUCCESSION,
    "A": ActionType.ACCEPTANCE,
    "AA": ActionType.APPROVAL,
}
UNODA_TYPES = {
    "ratification": ActionType.RATIFICATION,
    "accession": ActionType.ACCESSION,
    "succession": ActionType.SUCCESSION,
    "acceptance": ActionType.ACCEPTANCE,
    "approval": ActionType.APPROVAL,
    "signature": ActionType.SIGNATURE,
}
# Stored as data, in the depositaries' own words, whatever the editor's language.
UN_SECRETARY_GENERAL = "Secretary-General of the United Nations"
FOOTNOTE_TAIL = re.compile(r"[\s,*†‡⁰¹²³⁴⁵⁶⁷⁸⁹0-9]+$")


def parse_depositary_date(text: str) -> PartialDate:
    """A date as depositaries write it: "20 Sep 2017", "September 20, 2017", "2017-09-20",
    "2017年9月20日", or a month or year alone ("Sep 2017", "2017")."""
    text = text.strip().rstrip(".")
    try:
        return PartialDate.parse(text)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?", text)
    if match:
        year, month, day = match.groups()
        return _partial(int(year), month and int(month), day and int(day), text)
    words = re.findall(r"[A-Za-z]+|\d+", text)
    numbers = [w for w in words if w.isdigit()]
    names = [w for w in words if not w.isdigit()]
    if len(names) == 1 and names[0].casefold() in MONTHS and len(words) == len(numbers) + 1:
        month = MONTHS[names[0].casefold()]
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if len(years) == 1 and len(days) <= 1 and len(numbers) == len(years) + len(days):
            return _partial(int(years[0]), month, days and int(days[0]), text)
    raise ValueError(
        _('"%(text)s" is not a date (write it like 20 Sep 2017 or 2017-09-20).') % {"text": text}
    )


def _partial(year, month, day, text):
    try:
        if day:
            return PartialDate(datetime.date(year, month, day), Precision.DAY)
        if month:
            return PartialDate(datetime.date(year, month, 1), Precision.MONTH)
        return PartialDate(datetime.date(year, 1, 1), Precision.YEAR)
    except ValueError:
        raise ValueError(_('"%(text)s" is not a real date.') % {"text": text}) from None


def split_untc_cell(text: str) -> tuple[PartialDate, str]:
    """("4 Sep 2018 a") → (2018-09-04, "a"): the date and the mark after it."""
    match = re.fullmatch(r"(.*?)[\s\[(]*(AA|A|a|d)?[\])]*\s*", text.strip())
    assert match is not None  # the pattern fits any text without a line break
    body, mark = match.group(1), match.group(2) or ""
    # A footnote number after the year ("8 May 2018 3") is not part of the date.
    body = re.sub(r"(\d{4})\s+\d{1,2}$", r"\1", body.strip())
    return parse_depositary_date(body), mark


def clean_state_name(text: str) -> str:
    """A participant's name without the footnote markers a status table prints after it."""
    return FOOTNOTE_TAIL.sub("", text.strip()).strip()


# --- Parsing rows -------------------------------------------------------------------------


class _Lookups:
    """Countries, treaties and sources by key, read once per file."""

    def __init__(self):
        # Every state (a few hundred at most); treaties and sources, of which the record
        # may hold thousands, are read as the file names them, once each.
        self.countries = {str(c.code): c for c in Country.objects.all()}
        self._treaties: dict[str, Treaty | None] = {}
        self._sources: dict[str, Source | None] = {}

    def treaty(self, slug):
        if slug not in self._treaties:
            self._treaties[slug] = Treaty.objects.filter(slug=slug).first() if slug else None
        return self._treaties[slug]

    def source(self, slug):
        if slug not in self._sources:
            self._sources[slug] = Source.objects.filter(slug=slug).first() if slug else None
        return self._sources[slug]

    def country_by_code(self, code):
        return self.countries.get((code or "").strip().upper())

    def country_by_name(self, name):
        code = code_for_name(clean_state_name(name))
        if code is None:
            raise ValueError(
                _(
                    'unknown state "%(name)s": use the name as the depositary spells it, '
                    "or the state's ISO code"
                )
                % {"name": name}
            )
        country = self.countries.get(code)
        if country is None:
            raise ValueError(
                _('"%(name)s" (%(code)s) has no country record; add the country first.')
                % {"name": name, "code": code}
            )
        return country


def _cells_by_key(header, cells):
    keys = [header_key(cell) for cell in header]
    padded = cells + [""] * (len(keys) - len(cells))
    return dict(zip(keys, padded, strict=False))


def _optional_partial(text):
    return PartialDate.parse(text) if text.strip() else None


def _optional_day(text):
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_('"%(text)s" is not a day like 2003-04-10.') % {"text": text}) from None


def _pk(text):
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(_('id "%(text)s" is not a number.') % {"text": text})
    return int(text)


def _site_common(values, lookups):
    treaty = lookups.treaty(values.get("treaty", "").strip())
    if treaty is None:
        raise ValueError(_('unknown treaty "%(slug)s".') % {"slug": values.get("treaty", "")})
    country = lookups.country_by_code(values.get("iso2", ""))
    if country is None:
        raise ValueError(
            _('no country with ISO code "%(code)s".') % {"code": values.get("iso2", "")}
        )
    slug = _text(values, "source").strip()
    source = None
    if slug:
        source = lookups.source(slug)
        if source is None:
            raise ValueError(_('unknown source "%(slug)s".') % {"slug": slug})
    as_of = _optional_partial(values.get("as_of", ""))
    return treaty, country, source, as_of


def _text(values, key):
    """A text cell as this site exports it, without the quote put before formula-like text."""
    return restore(values.get(key, ""))


def parse_site_actions(header, records, lookups):
    rows, errors = [], []
    for line, cells in records:
        values = _cells_by_key(header, cells)
        try:
            treaty, country, source, as_of = _site_common(values, lookups)
            action = values.get("action", "").strip()
            if action not in ActionType.values:
                raise ValueError(_('unknown action "%(action)s".') % {"action": action})
            rows.append(
                ActRow(
                    line=line,
                    country=country,
                    treaty=treaty,
                    action_type=action,
                    date=PartialDate.parse(values.get("date", "")),
                    effective_on=_optional_day(values.get("effective", "")),
                    depositary=_text(values, "depositary"),
                    note_en=_text(values, "note_en"),
                    note_ja=_text(values, "note_ja"),
                    source=source,
                    locator=_text(values, "locator"),
                    as_of=as_of,
                    pk=_pk(values.get("id", "")),
                    complete=True,
                )
            )
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    return rows, errors


def parse_site_participations(header, records, lookups):
    rows, errors = [], []
    for line, cells in records:
        values = _cells_by_key(header, cells)
        try:
            treaty, country, source, as_of = _site_common(values, lookups)
            required = values.get("required_for_entry_into_force", "").strip().lower()
            if required not in ("true", "false", ""):
                raise ValueError(
                    _('required_for_entry_into_force must be true or false, not "%(value)s".')
                    % {"value": required}
                )
            rows.append(
                ParticipationRow(
                    line=line,
                    country=country,
                    treaty=treaty,
                    required_for_entry_into_force=required == "true",
                    note_en=_text(values, "note_en"),
                    note_ja=_text(values, "note_ja"),
                    source=source,
                    locator=_text(values, "locator"),
                    as_of=as_of,
                    pk=_pk(values.get("id", "")),
                )
            )
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    return rows, errors


def _depositary_row(batch, line, country, action_type, date, depositary=""):
    return ActRow(
        line=line,
        country=country,
        treaty=batch.treaty,
        action_type=action_type,
        date=date,
        depositary=depositary,
        source=batch.source,
        locator=batch.locator,
        as_of=batch.as_of,
    )


def _column(keys, test):
    """The index of the first column whose header key passes `test`, else None."""
    return next((i for i, key in enumerate(keys) if test(key)), None)


def _header_error(records, message):
    return [], [RowError(records[0][0], message)]


def _read_rows(keys, records, lookups, read):
    """Rows of a depositary's list, one state a line: `read(line, cells, country)` turns a
    line into its acts; any line's error is kept with its line number."""
    rows, errors = [], []
    for line, cells in records[1:]:
        cells = cells + [""] * (len(keys) - len(cells))
        try:
            rows.extend(read(line, cells, lookups.country_by_name(cells[0])))
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    return rows, errors


CONSENT_WORDS = ("ratification", "accession", "acceptance", "approval", "consent")


def parse_untc(header, records, lookups, batch):
    keys = [header_key(cell) for cell in header]
    if "action" in keys:
        return parse_untc_actions(keys, records, lookups, batch)
    signature_col = _column(keys, lambda k: k.startswith("signature"))
    consent_col = _column(keys, lambda k: any(word in k for word in CONSENT_WORDS))
    if signature_col is None or consent_col is None:
        return _header_error(
            records,
            _(
                'a UN Treaty Collection table needs a "Signature" column and a '
                '"Ratification, Accession(a) …" column.'
            ),
        )
    depositary = batch.depositary or UN_SECRETARY_GENERAL

    def read(line, cells, country):
        acts = []
        if cells[signature_col]:
            date, _mark = split_untc_cell(cells[signature_col])
            acts.append(
                _depositary_row(batch, line, country, ActionType.SIGNATURE, date, depositary)
            )
        if cells[consent_col]:
            date, mark = split_untc_cell(cells[consent_col])
            acts.append(_depositary_row(batch, line, country, UNTC_MARKS[mark], date, depositary))
        return acts

    return _read_rows(keys, records, lookups, read)


UNTC_ACTIONS = {
    "signature": ActionType.SIGNATURE,
    "ratification": ActionType.RATIFICATION,
    "accession": ActionType.ACCESSION,
    "acceptance": ActionType.ACCEPTANCE,
    "approval": ActionType.APPROVAL,
    "succession": ActionType.SUCCESSION,
    "withdrawal": ActionType.WITHDRAWAL,
}


def parse_untc_day(text):
    """A day as the UN Treaty Collection's action list writes it: 22/04/2016 (day first)."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if match is None:
        return parse_depositary_date(text)
    day, month, year = (int(part) for part in match.groups())
    return _partial(year, month, day, text)


def parse_untc_actions(keys, records, lookups, batch):
    """The UN Treaty Collection's list of actions: Participant, Action, Date of
    Notification/Deposit, Date of Effect — one act a line."""
    action_col = keys.index("action")
    date_col = _column(keys, lambda k: k.startswith("date") and "effect" not in k)
    effect_col = _column(keys, lambda k: "effect" in k)
    if date_col is None:
        return _header_error(
            records,
            _(
                'a UN Treaty Collection list of actions needs a "Date of Notification/Deposit" '
                "column."
            ),
        )
    depositary = batch.depositary or UN_SECRETARY_GENERAL

    def read(line, cells, country):
        name = re.sub(r"\s*\(.*\)$", "", cells[action_col]).strip().casefold()
        kind = UNTC_ACTIONS.get(name)
        if kind is None:
            raise ValueError(_('unknown action "%(action)s".') % {"action": cells[action_col]})
        row = _depositary_row(
            batch, line, country, kind, parse_untc_day(cells[date_col]), depositary
        )
        if effect_col is not None and cells[effect_col]:
            effect = parse_untc_day(cells[effect_col])
            if effect.precision != Precision.DAY:
                raise ValueError(
                    _('"%(text)s" is not a day like 2003-04-10.') % {"text": cells[effect_col]}
                )
            if effect.value != row.date.value:
                row.effective_on = effect.value
        return [row]

    return _read_rows(keys, records, lookups, read)


def parse_unoda(header, records, lookups, batch):
    keys = [header_key(cell) for cell in header]
    signature_col = _column(keys, lambda k: "signature" in k or k == "signed")
    type_col = _column(keys, lambda k: "type" in k or k == "method")
    depositary_col = _column(keys, lambda k: k.startswith("depositar"))
    deposit_col = _column(
        keys, lambda k: "deposit" in k and "type" not in k and "depositar" not in k
    )
    if deposit_col is None or type_col is None:
        return _header_error(
            records,
            _('a UNODA list needs a "Deposit" date column and a "Type of deposit" column.'),
        )

    def read(line, cells, country):
        depositary = cells[depositary_col] if depositary_col is not None else batch.depositary
        acts = []
        if signature_col is not None and cells[signature_col]:
            date = parse_depositary_date(cells[signature_col])
            acts.append(
                _depositary_row(batch, line, country, ActionType.SIGNATURE, date, depositary)
            )
        if cells[deposit_col]:
            kind = UNODA_TYPES.get(cells[type_col].strip().casefold())
            if kind is None or kind == ActionType.SIGNATURE:
                raise ValueError(
                    _('unknown type of deposit "%(type)s".') % {"type": cells[type_col]}
                )
            date = parse_depositary_date(cells[deposit_col])
            acts.append(_depositary_row(batch, line, country, kind, date, depositary))
        return acts

    return _read_rows(keys, records, lookups, read)


def parse(text: str, batch: Batch, lookups: _Lookups) -> tuple[str | None, list, list[RowError]]:
    records = read_table(text)
    if not records:
        return None, [], [RowError(None, _("The file is empty."))]
    header_line, header = records[0]
    kind = detect_format(header)
    if kind is None:
        return (
            None,
            [],
            [
                RowError(
                    header_line,
                    _(
                        "The header row is not one this importer reads: use this site's actions or "
                        "participations CSV, a UN Treaty Collection status table (Participant, "
                        "Signature, …) or a UNODA list (State, …, Deposit, Type of deposit)."
                    ),
                )
            ],
        )
    if kind in DEPOSITARY_FORMATS:
        missing = []
        if batch.treaty is None:
            missing.append(_("the treaty"))
        if batch.source is None:
            missing.append(_("the source"))
        if missing:
            return (
                kind,
                [],
                [
                    RowError(
                        None,
                        _("A depositary's list does not say %(what)s: give it with the batch.")
                        % {"what": _(" and ").join(missing)},
                    )
                ],
            )
        parser = parse_untc if kind == Format.UNTC else parse_unoda
        rows, errors = parser(header, records, lookups, batch)
    elif kind == Format.SITE_ACTIONS:
        rows, errors = parse_site_actions(header, records[1:], lookups)
    else:
        rows, errors = parse_site_participations(header, records[1:], lookups)
    return kind, rows, errors


# --- Comparing with the records -----------------------------------------------------------


def _show(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, Source):
        return value.slug
    return str(value)


def _same_period(a: PartialDate, b: PartialDate) -> bool:
    return a.start <= b.end and b.start <= a.end


PRECISION_RANK: dict[str, int] = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


def _act_changes(row: ActRow, action: TreatyAction) -> dict:
    changes = {}

    def compare(name, old, new):
        if old != new:
            changes[name] = (_show(old), _show(new))

    if row.complete:
        compare("date", action.date, row.date)
        compare("effective_on", action.effective_on, row.effective_on)
        compare("depositary", action.depositary, row.depositary)
        compare("note_en", action.note_en, row.note_en)
        compare("note_ja", action.note_ja, row.note_ja)
        compare("source", action.source, row.source)
        compare("locator", action.locator, row.locator)
        compare("as_of", action.as_of, row.as_of)
        return changes
    # A depositary's list refines what it knows better and leaves the rest (notes, the
    # source an editor cited) alone; a vaguer date never replaces a more precise one.
    if PRECISION_RANK[row.date.precision] > PRECISION_RANK[action.date.precision]:
        compare("date", action.date, row.date)
        compare("source", action.source, row.source)
        compare("locator", action.locator, row.locator)
        compare("as_of", action.as_of, row.as_of)
    if row.depositary and row.depositary != action.depositary:
        compare("depositary", action.depositary, row.depositary)
    return changes


def _participation_changes(row: ParticipationRow, participation: Participation) -> dict:
    changes = {}
    for name, old, new in [
        (
            "required_for_entry_into_force",
            participation.required_for_entry_into_force,
            row.required_for_entry_into_force,
        ),
        ("note_en", participation.note_en, row.note_en),
        ("note_ja", participation.note_ja, row.note_ja),
        ("source", participation.source, row.source),
        ("locator", participation.locator, row.locator),
        ("as_of", participation.as_of, row.as_of),
    ]:
        if old != new:
            changes[name] = (_show(old), _show(new))
    return changes


def bidi_control_errors(text: str, batch: Batch) -> list[RowError]:
    """Each cell, and each text the batch gives its rows, holding a bidirectional control:
    refused like in any form (see core.validators)."""
    errors = []
    given = [(_("locator"), batch.locator), (_("depositary"), batch.depositary)]
    if batch.source is not None and batch.source.pk is None:
        given.append((_("source title"), batch.source.title_en))
    for label, value in given:
        found = find_bidi_control(value or "")
        if found is not None:
            errors.append(RowError(None, f"{label}: {bidi_control_message(*found)}"))
    records = read_table(text)
    header = records[0][1] if records else []
    for line, cells in records:
        for column, cell in enumerate(cells):
            found = find_bidi_control(cell)
            if found is not None:
                name = header[column] if column < len(header) else str(column + 1)
                errors.append(
                    RowError(
                        line,
                        _("column “%(column)s”: %(message)s")
                        % {"column": name, "message": bidi_control_message(*found)},
                    )
                )
    return errors


def plan_import(data: bytes, *, filename: str = "", batch: Batch | None = None) -> ImportPlan:
    """What importing `data` would do; writes nothing."""
    batch = batch or Batch()
    plan = ImportPlan(filename=filename, batch=batch)
    try:
        text = decode(data)
    except ValueError as error:
        plan.errors.append(RowError(None, str(error)))
        return plan
    lookups = _Lookups()
    kind, rows, errors = parse(text, batch, lookups)
    plan.format = kind or ""
    plan.errors.extend(errors)
    plan.errors.extend(bidi_control_errors(text, batch))
    if not rows:
        if not plan.errors:
            plan.errors.append(RowError(None, _("The file holds no rows to import.")))
        return plan

    pairs = {(row.treaty.pk, row.country.pk) for row in rows}
    treaty_ids = {t for t, _c in pairs}
    participations = {
        (p.treaty_id, p.country_id): p
        for p in Participation.objects.filter(treaty_id__in=treaty_ids).select_related(
            "source", "country", "treaty"
        )
        if (p.treaty_id, p.country_id) in pairs
    }
    actions_by_participation = defaultdict(list)
    for action in TreatyAction.objects.filter(
        participation__in=[p.pk for p in participations.values()]
    ).select_related("source"):
        actions_by_participation[action.participation_id].append(action)
    actions_by_pk = {a.pk: a for acts in actions_by_participation.values() for a in acts}
    for pk in {row.pk for row in rows if isinstance(row, ActRow) and row.pk} - set(actions_by_pk):
        # An id whose participation the file does not name: load it to report it properly.
        found = TreatyAction.objects.filter(pk=pk).select_related("source").first()
        if found is not None:
            actions_by_pk[pk] = found

    seen_keys: dict[tuple[tuple[int, int], str, str], int] = {}
    for row in rows:
        key = (row.treaty.pk, row.country.pk)
        existing_participation = participations.get(key)
        if isinstance(row, ParticipationRow):
            if row.pk and (existing_participation is None or existing_participation.pk != row.pk):
                plan.errors.append(
                    RowError(
                        row.line,
                        _("participation id %(id)s is not %(country)s's record for %(treaty)s.")
                        % {"id": row.pk, "country": row.country.name, "treaty": row.treaty},
                    )
                )
                continue
            if existing_participation is None:
                plan.rows.append(Planned(row))
            else:
                plan.rows.append(
                    Planned(
                        row,
                        existing_participation,
                        _participation_changes(row, existing_participation),
                    )
                )
            continue

        existing = None
        if row.pk:
            existing = actions_by_pk.get(row.pk)
            if existing is None:
                plan.errors.append(
                    RowError(
                        row.line,
                        _(
                            "no action with id %(id)s: it may have been deleted; empty the id "
                            "cell to add the row as a new action."
                        )
                        % {"id": row.pk},
                    )
                )
                continue
            if existing_participation is None or existing.participation_id != (
                existing_participation.pk
            ):
                plan.errors.append(
                    RowError(
                        row.line,
                        _(
                            "action id %(id)s belongs to another country or treaty; empty the id "
                            "cell to add the row as a new action."
                        )
                        % {"id": row.pk},
                    )
                )
                continue
        elif existing_participation is not None:
            existing = next(
                (
                    action
                    for action in actions_by_participation[existing_participation.pk]
                    if action.action_type == row.action_type and _same_period(action.date, row.date)
                ),
                None,
            )
        duplicate_key = (key, row.action_type, row.date.iso())
        if duplicate_key in seen_keys:
            plan.errors.append(
                RowError(
                    row.line,
                    _("the same act is listed on line %(other)s.")
                    % {"other": seen_keys[duplicate_key]},
                )
            )
            continue
        seen_keys[duplicate_key] = row.line
        if existing is None:
            plan.rows.append(Planned(row))
        else:
            plan.rows.append(Planned(row, existing, _act_changes(row, existing)))

    _check_rows(plan)
    _check_sequences(plan, participations, actions_by_participation)
    plan.errors.sort(key=lambda e: e.line or 0)
    return plan


def _check_rows(plan):
    for planned in plan.rows:
        row = planned.row
        if not isinstance(row, ActRow):
            continue
        if row.effective_on is not None and row.effective_on < row.date.start:
            plan.errors.append(RowError(row.line, _("the act takes effect before its own date.")))


def _check_sequences(plan, participations, actions_by_participation):
    """Every country's acts, as the import would leave them, must make a coherent sequence."""
    by_pair = defaultdict(list)
    for planned in plan.rows:
        if isinstance(planned.row, ActRow):
            by_pair[(planned.row.treaty.pk, planned.row.country.pk)].append(planned)
    for key, planned_rows in by_pair.items():
        treaty = planned_rows[0].row.treaty
        participation = participations.get(key)
        touched = {p.existing.pk: p for p in planned_rows if p.existing is not None}
        sequence = []
        if participation is not None:
            for action in actions_by_participation[participation.pk]:
                planned = touched.get(action.pk)
                sequence.append(_as_action(planned.row) if planned else action)
        sequence.extend(_as_action(p.row) for p in planned_rows if p.existing is None)
        try:
            validate_sequence(treaty, sequence)
        except ValidationError as error:
            lines = ", ".join(str(n) for n in sorted({p.line for p in planned_rows}))
            country = planned_rows[0].row.country.name
            for message in error.messages:
                plan.errors.append(
                    RowError(
                        planned_rows[0].line,
                        _("%(country)s (lines %(lines)s): %(message)s")
                        % {"country": country, "lines": lines, "message": message},
                    )
                )


def _as_action(row: ActRow) -> TreatyAction:
    action = TreatyAction(action_type=row.action_type, effective_on=row.effective_on)
    action.date = row.date
    return action


# --- Writing ------------------------------------------------------------------------------


def treaty_slugs_named(data: bytes, batch: Batch | None) -> list[str]:
    """The slugs of the treaties a file is about, read without touching the database."""
    if batch is not None and batch.treaty is not None:
        return [batch.treaty.slug]
    try:
        records = read_table(decode(data))
    except ValueError:
        return []
    if not records:
        return []
    keys = [header_key(cell) for cell in records[0][1]]
    if "treaty" not in keys:
        return []
    column = keys.index("treaty")
    return sorted({cells[column] for _line, cells in records[1:] if len(cells) > column})


def batch_source(spec: str, *, title: str = "", as_of: PartialDate | None = None) -> Source:
    """The source a batch cites: a recorded one by slug or URL, else a new one for a URL.

    A new source is returned unsaved; `apply_import` saves it with the batch, so a refused
    file leaves no source behind.
    """
    spec = spec.strip()
    found = Source.objects.filter(slug=spec).first()
    if found is None and spec.startswith(("http://", "https://")):
        found = Source.objects.filter(url=spec).order_by("pk").first()
        if found is None:
            if not title.strip():
                raise ValueError(_("a source not yet recorded needs a title."))
            base = slugify(title)[:60].strip("-") or "import"
            slug, n = base, 1
            while Source.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            found = Source(
                slug=slug,
                title_en=title.strip()[:300],
                kind=Source.Kind.TREATY_DATABASE,
                url=spec,
                language=Source.Language.EN,
            )
            found.published = as_of
    if found is None:
        raise ValueError(
            _("no source \"%(spec)s\": give a recorded source's slug or the page's URL.")
            % {"spec": spec}
        )
    return found


def apply_import(
    data: bytes,
    *,
    filename: str,
    batch: Batch | None = None,
    user=None,
    complete: bool = False,
) -> tuple[ImportPlan, ImportBatch | None]:
    """Import the file, all or nothing; raise ImportRefused (writing nothing) on any error.

    With `complete`, the file is the whole list (a depositary's full status table): the
    treaty is recorded as complete as of the batch's date, so a state with no act reads
    as not signed on that day. A file that would change nothing writes nothing and no
    batch is recorded (the second value is then None).

    The plan is made inside the transaction, with the treaties it touches locked on
    PostgreSQL, so what is written is what was checked.
    """
    with transaction.atomic():
        # Lock the treaties the file names first, so two imports of one treaty run one
        # after the other, then plan under the lock. (An editor saving a row the import
        # changed meanwhile is caught by the version check: every import save raises it.)
        slugs = treaty_slugs_named(data, batch)
        list(Treaty.objects.select_for_update().filter(slug__in=slugs).values("pk"))
        plan = plan_import(data, filename=filename, batch=batch)
        if not plan.ok:
            raise ImportRefused(plan)
        if not plan.additions and not plan.changes and not complete:
            # Nothing to write: a file imported again leaves no trace, not even a batch.
            return plan, None
        reason_user = user if getattr(user, "pk", None) else None
        source = plan.batch.source
        if source is not None and source.pk is None:
            source.full_clean()
            why = f"source of an imported file: {filename}"
            _tag(source, reason_user, why)
            source.save()
        record = ImportBatch(
            filename=filename[: ImportBatch._meta.get_field("filename").max_length],
            file_format=plan.format,
            treaty=plan.batch.treaty,
            source=plan.batch.source,
            locator=plan.batch.locator,
            user=user if getattr(user, "pk", None) else None,
            added=len(plan.additions),
            changed=len(plan.changes),
            unchanged=len(plan.unchanged),
        )
        record.as_of = plan.batch.as_of
        record.save()
        # The change reason is stored with each version: in one language, not the editor's.
        reason = f"import #{record.pk}: {filename}"
        _write(plan, user=user, reason=reason)
        if complete:
            treaty = plan.batch.treaty
            if treaty is None or plan.batch.as_of is None or source is None:
                raise ValueError("a complete list needs a treaty, a source and an as-of date")
            treaty.record_complete_on = plan.batch.as_of.start
            treaty.record_complete_source = source
            _tag(treaty, user, reason)
            treaty.save()
    return plan, record


def _tag(obj, user, reason):
    """Who and why, for the version django-simple-history writes on save."""
    if getattr(user, "pk", None):
        obj._history_user = user
    obj._change_reason = reason


def _write(plan, *, user, reason):
    participations = {
        (p.treaty_id, p.country_id): p
        for p in Participation.objects.filter(treaty_id__in={p.row.treaty.pk for p in plan.rows})
    }
    touched = set()

    def participation_for(row):
        key = (row.treaty.pk, row.country.pk)
        participation = participations.get(key)
        if participation is None:
            participation = Participation(
                treaty=row.treaty,
                country=row.country,
                source=row.source,
                locator=row.locator,
            )
            participation.as_of = row.as_of
            if isinstance(row, ParticipationRow):
                participation.required_for_entry_into_force = row.required_for_entry_into_force
                participation.note_en, participation.note_ja = row.note_en, row.note_ja
            _tag(participation, user, reason)
            participation.save()
            participations[key] = participation
        return participation

    for planned in plan.rows:
        row = planned.row
        if planned.kind == "unchanged":
            continue
        if isinstance(row, ParticipationRow):
            if planned.existing is None:
                participation_for(row)
                continue
            participation = planned.existing
            participation.required_for_entry_into_force = row.required_for_entry_into_force
            participation.note_en, participation.note_ja = row.note_en, row.note_ja
            participation.source, participation.locator = row.source, row.locator
            participation.as_of = row.as_of
            _tag(participation, user, reason)
            participation.save()
            continue
        participation = participation_for(row)
        action = planned.existing or TreatyAction(participation=participation)
        action.participation = participation
        action.action_type = row.action_type
        if "date" in planned.changes or planned.existing is None:
            action.date = row.date
        if row.complete or planned.existing is None:
            action.effective_on = row.effective_on
            action.note_en, action.note_ja = row.note_en, row.note_ja
        if "depositary" in planned.changes or planned.existing is None:
            action.depositary = row.depositary
        if "source" in planned.changes or planned.existing is None or row.complete:
            action.source, action.locator, action.as_of = row.source, row.locator, row.as_of
        _tag(action, user, reason)
        action.save(refresh_participation=False)
        touched.add(participation.pk)

    # Each country's status is derived once, from all its acts, after they are written.
    for participation in Participation.objects.filter(pk__in=touched).select_related("treaty"):
        _tag(participation, user, reason)
        participation.refresh_status()
