"""The importer reads depositaries' dates, marks, names and encodings as they are written."""

import datetime

import pytest

from core.dates import PartialDate
from treaties.country_names import code_for_name
from treaties.importing import (
    Format,
    clean_state_name,
    decode,
    detect_format,
    parse_depositary_date,
    read_table,
    split_untc_cell,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("20 Sep 2017", "2017-09-20"),
        ("20 September 2017", "2017-09-20"),
        ("September 20, 2017", "2017-09-20"),
        ("Sept 20, 2017", "2017-09-20"),
        ("2017-09-20", "2017-09-20"),
        ("2017年9月20日", "2017-09-20"),
        ("2017年9月", "2017-09"),
        ("Sep 2017", "2017-09"),
        ("2017", "2017"),
        ("1 Jul 1968.", "1968-07-01"),
    ],
)
def test_it_reads_the_dates_depositaries_write(text, iso):
    assert parse_depositary_date(text).iso() == iso


@pytest.mark.parametrize("text", ["31 Feb 2019", "20/09/2017", "next year", "Sep 20 21 2017", ""])
def test_it_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_depositary_date(text)


@pytest.mark.parametrize(
    ("cell", "iso", "mark"),
    [
        ("8 May 2018", "2018-05-08", ""),
        ("4 Sep 2018 a", "2018-09-04", "a"),
        ("22 Jan 2021 d", "2021-01-22", "d"),
        ("25 Jan 2021 A", "2021-01-25", "A"),
        ("25 Jan 2021 AA", "2021-01-25", "AA"),
        ("6 Aug 2019 (a)", "2019-08-06", "a"),
    ],
)
def test_it_splits_a_untc_cell_into_date_and_mark(cell, iso, mark):
    date, found = split_untc_cell(cell)
    assert (date.iso(), found) == (iso, mark)


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("Cook Islands 2", "Cook Islands"),
        ("Bolivia (Plurinational State of)1", "Bolivia (Plurinational State of)"),
        ("Mexico*", "Mexico"),
        ("Niue³", "Niue"),
        ("Austria", "Austria"),
    ],
)
def test_it_drops_footnote_markers_after_a_participant(printed, clean):
    assert clean_state_name(printed) == clean


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bolivia (Plurinational State of)", "BO"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Republic of Korea", "KR"),
        ("Holy See", "VA"),
        ("State of Palestine", "PS"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Russian Federation", "RU"),
        ("Viet Nam", "VN"),
        ("Lao People's Democratic Republic", "LA"),
        ("Netherlands (Kingdom of the)", "NL"),
        ("Cook Islands", "CK"),
        ("Niue", "NU"),
        ("Bahamas", "BS"),
        ("日本", "JP"),
        ("jp", "JP"),
    ],
)
def test_it_maps_depositary_spellings_to_iso_codes(name, code):
    assert code_for_name(name) == code


@pytest.mark.parametrize("name", ["Narnia", "Korea", "Congo Republic of Nowhere", ""])
def test_it_never_guesses_an_unknown_name(name):
    assert code_for_name(name) is None


def test_it_decodes_utf8_with_and_without_bom_and_shift_jis():
    text = "State,Signature\n日本,1996-09-24\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(("\ufeff" + text).encode("utf-8")) == text
    assert decode(text.encode("cp932")) == text


def test_it_refuses_bytes_that_are_neither_utf8_nor_shift_jis():
    with pytest.raises(ValueError, match="neither UTF-8 nor Shift_JIS"):
        decode(b"\x80\xff\xfe\x81\x00")


def test_it_reads_tabs_or_commas_and_keeps_line_numbers():
    text = "Participant\tSignature\n\nAustria\t20 Sep 2017\n"
    assert read_table(text) == [(1, ["Participant", "Signature"]), (3, ["Austria", "20 Sep 2017"])]
    assert read_table('a,b\n"x, y",z\n') == [(1, ["a", "b"]), (2, ["x, y", "z"])]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["id", "participation_id", "treaty", "iso2", "action", "date"], Format.SITE_ACTIONS),
        (
            ["id", "treaty", "iso2", "status", "required_for_entry_into_force"],
            Format.SITE_PARTICIPATIONS,
        ),
        (["Participant", "Signature", "Ratification, Accession(a), Succession(d)"], Format.UNTC),
        (["State", "Signature", "Deposit", "Type of deposit", "Depositary"], Format.UNODA),
        (["Name", "Date"], None),
    ],
)
def test_it_tells_the_formats_apart_by_their_header(header, kind):
    assert detect_format(header) == kind


def test_a_partial_date_from_a_depositary_keeps_its_precision():
    assert parse_depositary_date("Jun 1976") == PartialDate(D(1976, 6, 1), "month")
