"""Status lists as public pages print them import as they are (tests/treaties/data/README.md)."""

import datetime
from pathlib import Path

import pytest

from core.dates import PartialDate
from tests.factories import CountryFactory, SourceFactory, TreatyFactory
from treaties.importing import Batch, apply_import, plan_import
from treaties.models import ParticipationStatus, TreatyAction

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
D = datetime.date


def countries(*codes):
    for code in codes:
        CountryFactory(code=code)


def acts(treaty):
    return {
        (str(a.participation.country.code), a.action_type): a
        for a in TreatyAction.objects.for_treaty(treaty).select_related("participation__country")
    }


def test_a_un_treaty_collection_list_of_actions_imports_with_its_dates_of_effect():
    paris = TreatyFactory(
        slug="paris", opened_on=D(2016, 4, 22), entered_into_force_on=D(2016, 11, 4)
    )
    countries(
        "AF",
        "AL",
        "DZ",
        "AD",
        "AO",
        "AG",
        "AR",
        "AM",
        "AU",
        "AT",
        "AZ",
        "BS",
        "BH",
        "BD",
        "BB",
        "BY",
        "BE",
        "BZ",
        "BJ",
        "BT",
        "BO",
    )
    source = SourceFactory(slug="vlex-untc-paris", title_en="UNTC XXVII-7.d (vLex copy)")
    data = (DATA / "untc-paris-agreement.tsv").read_bytes()
    batch = Batch(treaty=paris, source=source, as_of=None, locator="status list")
    plan = plan_import(data, filename="untc.tsv", batch=batch)
    assert plan.ok, plan.errors
    assert (plan.format, len(plan.additions)) == ("untc", 41)
    apply_import(data, filename="untc.tsv", batch=batch)
    held = acts(paris)
    afghanistan = held[("AF", "ratification")]
    assert (afghanistan.date.iso(), afghanistan.effective_on) == ("2017-02-15", D(2017, 3, 17))
    assert held[("BY", "acceptance")].date.iso() == "2016-09-21"
    assert held[("AF", "signature")].effective_on is None
    assert held[("BO", "signature")].depositary == "Secretary-General of the United Nations"
    # The act counts from its date of effect, not from its deposit.
    afghanistan.participation.refresh_from_db()
    assert afghanistan.participation.status_on(D(2017, 3, 16)) == ParticipationStatus.SIGNATORY
    assert afghanistan.participation.status_on(D(2017, 3, 17)) == ParticipationStatus.PARTY


def test_a_depositary_government_s_status_list_imports_with_its_marks():
    npt = TreatyFactory(slug="npt", opened_on=D(1968, 7, 1), entered_into_force_on=D(1970, 3, 5))
    countries(
        "AF",
        "AL",
        "DZ",
        "AD",
        "AO",
        "AR",
        "AM",
        "AU",
        "AT",
        "BS",
        "BH",
        "BD",
        "BB",
        "BY",
        "BE",
        "BJ",
        "BT",
        "BO",
    )
    source = SourceFactory(slug="state-npt-2010", title_en="NPT status list (Washington)")
    batch = Batch(
        treaty=npt,
        source=source,
        as_of=PartialDate.parse("2010-10-06"),
        locator="status list",
        depositary="Washington",
    )
    plan, _record = apply_import(
        (DATA / "state-dept-npt-washington.tsv").read_bytes(), filename="npt.tsv", batch=batch
    )
    assert len(plan.additions) == 25
    held = acts(npt)
    assert held[("BS", "succession")].date.iso() == "1976-08-13"
    assert held[("AL", "accession")].date.iso() == "1990-09-28"
    assert held[("AU", "ratification")].date.iso() == "1973-01-23"
    assert held[("AU", "signature")].date.iso() == "1970-02-27"
    assert {a.depositary for a in held.values()} == {"Washington"}
    assert {a.as_of.iso() for a in held.values()} == {"2010-10-06"}


def test_a_unoda_list_as_reproduced_imports():
    tpnw = TreatyFactory(
        slug="tpnw", opened_on=D(2017, 9, 20), entered_into_force_on=D(2021, 1, 22)
    )
    countries("AG", "AT", "BD")
    source = SourceFactory(slug="unoda-tpnw", title_en="UNODA TPNW (wikimili copy)")
    plan, _record = apply_import(
        (DATA / "unoda-tpnw-wikimili.tsv").read_bytes(),
        filename="unoda.tsv",
        batch=Batch(
            treaty=tpnw, source=source, depositary="Secretary-General of the United Nations"
        ),
    )
    assert plan.format == "unoda"
    held = acts(tpnw)
    assert held[("AG", "signature")].date.iso() == "2018-09-26"
    assert held[("AG", "ratification")].date.iso() == "2019-11-25"
    assert held[("BD", "ratification")].date.iso() == "2019-09-26"
    assert len(held) == 6
