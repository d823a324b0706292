"""The error pages: the 500 page stands alone (no context, no static files), and a request
for an unknown host gets the 400 page."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from core.errors import server_error as handle_server_error

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def test_the_500_page_renders_without_any_context_or_url():
    html = render_to_string("500.html")
    assert "Server error" in html
    assert "/static/" not in html, "the 500 page must not depend on static files"


def test_the_500_handler_serves_the_standalone_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


@pytest.mark.parametrize(("language", "home"), [("en", "/"), ("ja", "/ja/")])
def test_the_500_page_links_the_dashboard_in_its_own_language(rf, language, home):
    # The tests' default language is English (tests/conftest.py): English at /, Japanese at /ja/.
    with translation.override(language):
        response = handle_server_error(rf.get(f"{home}treaties/"))
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count(f'<a href="{home}">') == 2  # the page's header and its own link


def test_a_request_for_an_unknown_host_gets_the_400_page(client):
    response = client.get(HOME, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_the_400_page_renders_without_a_request():
    # Django renders 400.html with no request and no context processors.
    assert "Bad request" in render_to_string("400.html")
