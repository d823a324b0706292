"""A relation field posted a value that names no row (`abc`, an id beyond the column's range)
is refused with the field's message, never a server error: in an autocomplete box, in a
many-to-many box, and in the report of a stale save."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import models

from core.admin_widgets import holds
from people.models import Organization
from tests.factories import (
    CountryFactory,
    OrganizationFactory,
    ParticipationFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import admin_form_data, admin_url, change_url
from treaties.models import TreatyAction

pytestmark = pytest.mark.django_db

TOO_BIG = "9" * 30
NOT_A_CHOICE = "Select a valid choice"


def test_holds_takes_only_what_the_column_could_hold():
    pk = models.BigAutoField(primary_key=True)
    assert holds(pk, "12")
    assert not holds(pk, "abc")
    assert not holds(pk, TOO_BIG)
    assert not holds(pk, "-" + TOO_BIG)
    assert holds(models.CharField(max_length=10), "npt")
    assert not holds(models.CharField(max_length=10), "np\x00t")


@pytest.mark.parametrize("value", ["abc", TOO_BIG, "<script>x</script>"])
def test_an_autocomplete_box_sent_a_value_that_is_no_id_is_refused(admin_client, value):
    ParticipationFactory()
    url = admin_url(TreatyAction, "add")
    data = {**admin_form_data(admin_client.get(url)), "participation": value}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert NOT_A_CHOICE in response.content.decode()
    assert not TreatyAction.objects.exists()


@pytest.mark.parametrize("value", ["abc", TOO_BIG])
def test_a_many_to_many_box_sent_a_value_that_is_no_id_is_refused(admin_client, value):
    event = TreatyEventFactory(treaty=TreatyFactory(slug="npt"), countries=[CountryFactory()])
    url = change_url(event)
    data = {**admin_form_data(admin_client.get(url)), "countries": [value]}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    event.refresh_from_db()
    assert event.version == 1


@pytest.mark.parametrize("value", ["abc", TOO_BIG])
@pytest.mark.parametrize(("model", "field"), [(Group, "permissions"), (User, "groups")])
def test_the_permissions_and_groups_boxes_refuse_a_value_that_is_no_id(
    admin_client, model, field, value
):
    obj = (
        Group.objects.create(name="reviewers")
        if model is Group
        else User.objects.create_user("someone")
    )
    url = change_url(obj)
    data = {**admin_form_data(admin_client.get(url)), field: [value]}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert not getattr(model.objects.get(pk=obj.pk), field).exists()


@pytest.mark.parametrize("value", ["abc", TOO_BIG])
def test_a_stale_save_with_a_value_that_is_no_id_reports_the_conflict(admin_client, value):
    # The report of a conflict shows the editor's values beside the stored ones, the
    # refused ones included.
    organization = OrganizationFactory()
    url = change_url(organization)
    data = {**admin_form_data(admin_client.get(url)), "parent": value}
    Organization.objects.filter(pk=organization.pk).update(version=organization.version + 1)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this" in html
    assert NOT_A_CHOICE in html
    organization.refresh_from_db()
    assert organization.parent is None
