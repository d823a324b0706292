"""The admin base's version check holds a row lock: a save racing another waits for it,
then sees the conflict (PostgreSQL only; SQLite has no row locks)."""

import threading
import time

import pytest
from django import forms
from django.db import connection, transaction

from core.admin_base import ContentForm
from tests.factories import TreatyFactory
from treaties.models import Treaty

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to take: PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_another_waits_for_it_and_then_sees_the_conflict():
    # Without the row lock the second check would read the old version while the first
    # save is still under way, pass, and overwrite it.
    treaty = TreatyFactory(slug="npt", short_name_en="NPT")
    TreatyForm = forms.modelform_factory(
        Treaty, form=ContentForm, fields=["slug", "short_name_en", "kind", "status"]
    )

    def post(short_name):
        return {
            "slug": "npt",
            "short_name_en": short_name,
            "kind": treaty.kind,
            "status": treaty.status,
            "_version": treaty.version,
        }

    first_checked, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                form = TreatyForm(post("first"), instance=Treaty.objects.get(pk=treaty.pk))
                results["first"] = form.is_valid()
                first_checked.set()
                time.sleep(0.5)
                form.save()
        finally:
            first_checked.set()
            connection.close()

    def second():
        try:
            first_checked.wait(5)
            with transaction.atomic():
                form = TreatyForm(post("second"), instance=Treaty.objects.get(pk=treaty.pk))
                results["second"] = form.is_valid()
                if results["second"]:
                    form.save()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results == {"first": True, "second": False}
    assert Treaty.objects.get(pk=treaty.pk).short_name_en == "first"
