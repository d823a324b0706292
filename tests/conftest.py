import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English labels unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def source(db):
    return factories.SourceFactory()


@pytest.fixture
def treaty(db):
    return factories.TreatyFactory(slug="npt", short_name_en="NPT")


@pytest.fixture
def country(db):
    return factories.CountryFactory(code="JP")


@pytest.fixture
def seeded(db):
    """The seed data loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
