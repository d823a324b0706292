"""Importing is a dry run first, then all or nothing; a second import changes nothing."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core.dates import PartialDate
from core.models import Change, Source
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.importing import Batch, ImportRefused, apply_import, batch_source, plan_import
from treaties.models import ImportBatch, Participation, ParticipationStatus, TreatyAction

pytestmark = pytest.mark.django_db
D = datetime.date

UNTC_TABLE = (
    "Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a)\n"
    "Austria\t20 Sep 2017\t8 May 2018\n"
    "Bolivia (Plurinational State of)\t16 Apr 2018\t6 Aug 2019\n"
    "Cook Islands 2\t\t4 Sep 2018 a\n"
    "Japan\t\t\n"
)


@pytest.fixture
def tpnw():
    return TreatyFactory(
        slug="tpnw",
        short_name_en="TPNW",
        opened_on=D(2017, 9, 20),
        adopted_on=D(2017, 7, 7),
        entered_into_force_on=D(2021, 1, 22),
    )


@pytest.fixture
def states():
    return {code: CountryFactory(code=code) for code in ["AT", "BO", "CK", "JP", "NU"]}


@pytest.fixture
def untc_source():
    return SourceFactory(slug="untc-tpnw", title_en="UNTC XXVI-9", kind=Source.Kind.TREATY_DATABASE)


def batch_for(treaty, source, as_of="2026-11-01"):
    return Batch(
        treaty=treaty, source=source, locator="status table", as_of=PartialDate.parse(as_of)
    )


def acts(treaty):
    return sorted(
        (str(a.participation.country.code), a.action_type, a.date.iso())
        for a in TreatyAction.objects.for_treaty(treaty).select_related("participation__country")
    )


def test_a_dry_run_reports_additions_and_writes_nothing(tpnw, states, untc_source):
    plan = plan_import(UNTC_TABLE.encode(), filename="tpnw.tsv", batch=batch_for(tpnw, untc_source))
    assert plan.ok, plan.errors
    assert plan.format == "untc"
    assert sorted(p.describe() for p in plan.additions) == [
        "Austria — TPNW: ratification 2018-05-08",
        "Austria — TPNW: signature 2017-09-20",
        "Bolivia — TPNW: ratification 2019-08-06",
        "Bolivia — TPNW: signature 2018-04-16",
        "Cook Islands — TPNW: accession 2018-09-04",
    ]
    assert TreatyAction.objects.count() == 0
    assert Participation.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_applying_writes_every_row_with_the_batch_provenance(tpnw, states, untc_source):
    user = User.objects.create_user("editor", is_staff=True)
    changes_before = Change.objects.count()
    plan, record = apply_import(
        UNTC_TABLE.encode(), filename="tpnw.tsv", batch=batch_for(tpnw, untc_source), user=user
    )
    assert acts(tpnw) == [
        ("AT", "ratification", "2018-05-08"),
        ("AT", "signature", "2017-09-20"),
        ("BO", "ratification", "2019-08-06"),
        ("BO", "signature", "2018-04-16"),
        ("CK", "accession", "2018-09-04"),
    ]
    for action in TreatyAction.objects.all():
        assert (action.source, action.locator, action.as_of.iso()) == (
            untc_source,
            "status table",
            "2026-11-01",
        )
        assert action.depositary == "Secretary-General of the United Nations"
    statuses = dict(Participation.objects.values_list("country__code", "status"))
    assert statuses == {"AT": "party", "BO": "party", "CK": "party"}
    assert (record.filename, record.user, record.added) == ("tpnw.tsv", user, 5)

    # The edit history names the uploader and the file; /changes/ lists the new records.
    version = TreatyAction.history.filter(history_type="+").first()
    assert version.history_user == user
    assert version.history_change_reason == f"import #{record.pk}: tpnw.tsv"
    # Five acts and three participations created; a status refresh is a version of its own.
    new_changes = Change.objects.order_by("pk")[changes_before:]
    assert sorted({c.content_type.model for c in new_changes}) == ["participation", "treatyaction"]
    assert sum(c.kind == "+" for c in new_changes) == 5 + 3
    page = Client().get("/changes/")
    assert "Cook Islands" in page.content.decode()


def test_importing_the_same_file_twice_changes_nothing(tpnw, states, untc_source):
    data = UNTC_TABLE.encode()
    apply_import(data, filename="tpnw.tsv", batch=batch_for(tpnw, untc_source))
    versions = TreatyAction.history.count(), Participation.history.count(), Change.objects.count()
    plan = plan_import(data, filename="tpnw.tsv", batch=batch_for(tpnw, untc_source))
    assert (len(plan.additions), len(plan.changes), len(plan.unchanged)) == (0, 0, 5)
    apply_import(data, filename="tpnw.tsv", batch=batch_for(tpnw, untc_source))
    assert (
        TreatyAction.history.count(),
        Participation.history.count(),
        Change.objects.count(),
    ) == versions


def test_a_more_precise_depositary_date_changes_the_act_old_to_new(tpnw, states, untc_source):
    participation = ParticipationFactory(treaty=tpnw, country=states["AT"])
    TreatyActionFactory(
        participation=participation,
        action_type="signature",
        date_on=D(2017, 9, 1),
        date_precision="month",
        depositary="Secretary-General of the United Nations",
    )
    plan = plan_import(UNTC_TABLE.encode(), filename="t.tsv", batch=batch_for(tpnw, untc_source))
    (change,) = plan.changes
    assert change.changes["date"] == ("2017-09", "2017-09-20")
    # A vaguer date never replaces a more precise one: the same act, unchanged.
    TreatyAction.objects.filter(participation=participation).update(
        date_on=D(2017, 9, 20), date_precision="day"
    )
    vaguer = UNTC_TABLE.replace("20 Sep 2017", "Sep 2017")
    plan = plan_import(vaguer.encode(), filename="t.tsv", batch=batch_for(tpnw, untc_source))
    assert not plan.changes
    assert "Austria — TPNW: signature 2017-09" in [p.describe() for p in plan.unchanged]


def test_an_unknown_country_refuses_the_whole_file_naming_its_line(tpnw, states, untc_source):
    data = (UNTC_TABLE + "Narnia\t20 Sep 2017\t\n").encode()
    with pytest.raises(ImportRefused) as refused:
        apply_import(data, filename="t.tsv", batch=batch_for(tpnw, untc_source))
    (error,) = refused.value.plan.errors
    assert error.line == 6
    assert 'unknown state "Narnia"' in str(error)
    assert str(error).startswith("line 6: ")
    assert TreatyAction.objects.count() == 0
    assert Participation.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_bad_date_refuses_the_whole_file(tpnw, states, untc_source):
    data = UNTC_TABLE.replace("8 May 2018", "31 Feb 2018").encode()
    with pytest.raises(ImportRefused) as refused:
        apply_import(data, filename="t.tsv", batch=batch_for(tpnw, untc_source))
    assert [e.line for e in refused.value.plan.errors] == [2]
    assert "31 Feb 2018" in str(refused.value.plan.errors[0])
    assert TreatyAction.objects.count() == 0


def test_a_broken_sequence_refuses_the_whole_file(tpnw, states, untc_source):
    # A ratification with no signature, and a signature before the treaty opened.
    data = (
        b"Participant\tSignature\tRatification, Accession(a)\n"
        b"Austria\t20 Sep 2017\t8 May 2018\n"
        b"Japan\t\t1 Mar 2020\n"
        b"Niue\t1 Jan 2017\t\n"
    )
    with pytest.raises(ImportRefused) as refused:
        apply_import(data, filename="t.tsv", batch=batch_for(tpnw, untc_source))
    messages = [str(e) for e in refused.value.plan.errors]
    assert len(messages) == 2
    assert messages[0].startswith("line 3: Japan (lines 3): ")
    assert "has no earlier signature" in messages[0]
    assert messages[1].startswith("line 4: Niue (lines 4): ")
    assert "before the treaty opened for signature" in messages[1]
    assert TreatyAction.objects.count() == 0
    assert Participation.objects.count() == 0


def test_the_sequence_counts_acts_already_recorded(tpnw, states, untc_source):
    participation = ParticipationFactory(treaty=tpnw, country=states["JP"])
    TreatyActionFactory(participation=participation, action_type="signature", date_on=D(2018, 1, 5))
    data = b"Participant\tSignature\tRatification\nJapan\t\t1 Mar 2020\n"
    plan, _record = apply_import(data, filename="t.tsv", batch=batch_for(tpnw, untc_source))
    assert [p.describe() for p in plan.additions] == ["Japan — TPNW: ratification 2020-03-01"]
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.PARTY


def test_a_depositary_list_needs_its_treaty_and_source(tpnw, states):
    plan = plan_import(UNTC_TABLE.encode(), filename="t.tsv", batch=Batch())
    assert [str(e) for e in plan.errors] == [
        "A depositary's list does not say the treaty and the source: give it with the batch."
    ]


def test_an_unreadable_header_is_refused_with_what_is_expected(tpnw):
    plan = plan_import(b"Name,When\nAustria,2017\n", filename="t.csv")
    assert plan.errors[0].line == 1
    assert "header row" in str(plan.errors[0])


def test_a_new_source_given_by_url_is_saved_only_with_the_import(tpnw, states):
    source = batch_source(
        "https://treaties.un.org/tpnw", title="Status of the TPNW", as_of=PartialDate.parse("2026")
    )
    assert source.pk is None
    bad = (UNTC_TABLE + "Narnia\t\t\n").encode()
    with pytest.raises(ImportRefused):
        apply_import(bad, filename="t.tsv", batch=Batch(treaty=tpnw, source=source))
    assert not Source.objects.filter(url="https://treaties.un.org/tpnw").exists()
    apply_import(UNTC_TABLE.encode(), filename="t.tsv", batch=Batch(treaty=tpnw, source=source))
    saved = Source.objects.get(url="https://treaties.un.org/tpnw")
    assert saved.title_en == "Status of the TPNW"
    assert TreatyAction.objects.filter(source=saved).count() == 5
    # The next batch from the same page finds the recorded source by its URL.
    assert batch_source("https://treaties.un.org/tpnw") == saved


def test_an_unknown_source_slug_is_an_error():
    with pytest.raises(ValueError, match="no source"):
        batch_source("no-such-source")


def test_a_complete_list_records_the_treaty_as_complete_on_its_date(tpnw, states, untc_source):
    apply_import(
        UNTC_TABLE.encode(),
        filename="t.tsv",
        batch=batch_for(tpnw, untc_source, "2026-11-01"),
        complete=True,
    )
    tpnw.refresh_from_db()
    assert (tpnw.record_complete_on, tpnw.record_complete_source) == (D(2026, 11, 1), untc_source)


UNODA_LIST = (
    "State,Signature,Deposit,Type of deposit,Depositary\n"
    'Austria,"20 Sep 2017","8 May 2018",Ratification,Secretary-General of the United Nations\n'
    'Cook Islands,,"4 Sep 2018",Accession,Secretary-General of the United Nations\n'
)


def test_it_imports_a_unoda_list(tpnw, states, untc_source):
    plan, _record = apply_import(
        UNODA_LIST.encode(), filename="unoda.csv", batch=batch_for(tpnw, untc_source)
    )
    assert plan.format == "unoda"
    assert acts(tpnw) == [
        ("AT", "ratification", "2018-05-08"),
        ("AT", "signature", "2017-09-20"),
        ("CK", "accession", "2018-09-04"),
    ]


def test_a_unoda_list_with_an_unknown_type_of_deposit_is_refused(tpnw, states, untc_source):
    data = UNODA_LIST.replace("Accession", "Adherence").encode()
    plan = plan_import(data, filename="unoda.csv", batch=batch_for(tpnw, untc_source))
    assert [e.line for e in plan.errors] == [3]
    assert "Adherence" in str(plan.errors[0])


def test_a_shift_jis_file_imports(tpnw, states, untc_source):
    data = UNODA_LIST.replace("Austria", "オーストリア").encode("cp932")
    plan = plan_import(data, filename="unoda.csv", batch=batch_for(tpnw, untc_source))
    assert plan.ok, plan.errors
    assert "Austria — TPNW: signature 2017-09-20" in [p.describe() for p in plan.additions]
