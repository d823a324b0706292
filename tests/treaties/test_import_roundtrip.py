"""The site's own export imports back unchanged; an edited cell comes back as a change."""

import pytest
from django.test import Client

from treaties.importing import apply_import, plan_import
from treaties.models import Participation, TreatyAction

pytestmark = pytest.mark.django_db


def download(path):
    response = Client().get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def versions():
    return TreatyAction.history.count(), Participation.history.count()


def test_exporting_and_importing_every_action_changes_nothing(seeded):
    data = download("/actions/export.csv")
    before = versions()
    plan, _record = apply_import(data, filename="treaty-actions.csv")
    assert plan.format == "site_actions"
    assert len(plan.unchanged) == TreatyAction.objects.count() > 0
    assert not plan.additions and not plan.changes and not plan.errors
    assert versions() == before
    assert download("/actions/export.csv") == data


def test_exporting_and_importing_every_participation_changes_nothing(seeded):
    data = download("/participations/export.csv")
    plan, _record = apply_import(data, filename="participations.csv")
    assert plan.format == "site_participations"
    assert len(plan.unchanged) == Participation.objects.count() > 0
    assert not plan.additions and not plan.changes and not plan.errors
    assert download("/participations/export.csv") == data


def test_a_cell_edited_in_a_spreadsheet_comes_back_as_one_change(seeded):
    # Japan's CTBT acts: text that Shift_JIS can hold, as Excel in Japan saves it.
    text = download("/actions/export.csv?treaty=ctbt&country=jp").decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if ",ctbt,JP,ratification," in line)
    lines[row] = lines[row].replace(",ctbt,JP,ratification,1997,", ",ctbt,JP,ratification,1997-07,")
    # Excel in Japan saves as Shift_JIS, without a byte-order mark.
    data = "".join(lines).encode("cp932")
    plan = plan_import(data, filename="edited.csv")
    assert plan.ok, plan.errors
    (change,) = plan.changes
    assert change.line == row + 1
    assert change.changes == {"date": ("1997", "1997-07")}
    apply_import(data, filename="edited.csv")
    action = TreatyAction.objects.get(
        participation__treaty__slug="ctbt",
        participation__country__code="JP",
        action_type="ratification",
    )
    assert action.date.iso() == "1997-07"
    assert action.history.first().history_change_reason.endswith(": edited.csv")


def test_a_deleted_action_s_id_is_refused_not_silently_added(seeded):
    text = download("/actions/export.csv").decode("utf-8-sig")
    header, first, *_rest = text.splitlines()
    action_id = int(first.split(",")[0])
    TreatyAction.objects.get(pk=action_id).delete()
    plan = plan_import(f"{header}\n{first}\n".encode(), filename="old.csv")
    assert [e.line for e in plan.errors] == [2]
    assert "may have been deleted" in str(plan.errors[0])
