"""A Japanese page reads in Japanese, an English page in English.

Every public page of the seed data is fetched in both languages and its visible text
(and the attributes a reader meets: title, alt, aria-label, placeholder) is read. Text
marked as another language (`lang="en"` on a Japanese page: the title of an English
publication, a locator in its source's language) is the content it is and is left out;
everything else must be in the page's language:
- on an English page, no kana or kanji at all;
- on a Japanese page, no English words that the interface wrote: a run of English words
  is allowed only where the records hold it verbatim (a Japanese note quoting an English
  source, a publication named inside a Japanese sentence, a locator such as "note 25"),
  besides acronyms (NPT, CSV), codes, numbers and unit symbols.
The interface's own words are also checked without any data: `test_templates_write_no_words`
finds English text written into a template outside a translation tag.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.helpers import in_language

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNREAD = {"script", "style", "code", "head"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Za-z]*\b")
# A run of English text: words with the spaces and punctuation between them.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,:;'’&/()\-]*[A-Za-z0-9.)]|[A-Za-z]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]+")
ADDRESS = re.compile(r"(https?://|www\.)\S+")
# Names that are the same in both languages.
NAMES = {"Treaty Tracker", "kg", "t"}


class PageText(HTMLParser):
    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.open = []
        self.text = []

    def current_language(self):
        for _tag, lang in reversed(self.open):
            if lang:
                return lang[:2]
        return None

    def read(self, text):
        if any(tag in UNREAD for tag, _lang in self.open):
            return
        if self.current_language() == self.language:
            self.text.append(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in VOID:
            self.open.append((tag, attributes.get("lang")))
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.read(attributes[name])
        if tag in VOID and tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.read(attributes.get("value", ""))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        self.read(data)


def foreign_words(html, language, records=""):
    """The words of the other language in the page's own text (`records`: see above)."""
    parser = PageText(language)
    parser.feed(html)
    text = ADDRESS.sub(" ", " ".join(parser.text))
    if language == "en":
        return sorted(set(JAPANESE.findall(text)))
    found = set()
    for run in ENGLISH_RUN.findall(text):
        run = run.strip(" .,:;()-")
        if not ENGLISH_WORD.search(run) or run in NAMES or run.isupper():
            continue
        if run in records:
            continue
        found.add(run)
    return sorted(found)


def records_text():
    """Every text the records hold, joined: what a page may quote verbatim."""
    from django.apps import apps
    from django.db import models

    values = []
    for label in ("core", "treaties", "people", "recommendations"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField))
            ]
            for row in model._default_manager.values_list(*fields):
                values.extend(value for value in row if isinstance(value, str) and value)
    return "\x00".join(values)


def public_pages():
    from core.models import Source
    from people.models import Person, Session
    from recommendations.models import Recommendation
    from treaties.models import Country, Treaty

    pages = [
        reverse("portal:home"),
        reverse("treaties:treaty-list"),
        reverse("treaties:country-list"),
        reverse("treaties:participation-list"),
        reverse("treaties:participation-list") + "?view=matrix",
        reverse("treaties:event-list"),
        reverse("recommendations:recommendation-list"),
        reverse("people:session-list"),
        reverse("people:person-list"),
        reverse("core:source-list"),
        reverse("portal:change-list"),
        reverse("treaties:treaty-list") + "?adopted_from=nonsense",
        "/no-such-page/",
    ]
    for model in (Treaty, Recommendation, Session, Person):
        pages += [obj.get_absolute_url() for obj in model.objects.all()]
    pages += [obj.get_absolute_url() for obj in Source.objects.order_by("pk")[:40]]
    pages += [
        c.get_absolute_url()
        for c in Country.objects.filter(participations__isnull=False)
        .distinct()
        .order_by("code")[:40]
    ]
    treaty = Treaty.objects.get(slug="npt")
    pages.append(treaty.get_absolute_url() + "?as_of=2000-01-01")
    return pages


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_public_page_reads_in_its_own_language(client, seeded, language):
    records = records_text()
    found = {}
    for url in public_pages():
        response = client.get(in_language(language, url))
        assert response.status_code in (200, 400, 404), url
        words = foreign_words(response.content.decode(), language, records)
        if words:
            found[url] = words[:15]

    assert found == {}


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TRANSLATED = re.compile(
    r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*(endblocktranslate|endblocktrans)\s*%}"
    r"|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    re.S,
)
MARKUP = re.compile(r"<style.*?</style>|<script.*?</script>|<!--.*?-->|<[^>]*>", re.S)
ENTITY = re.compile(r"&[#\w]+;")


def template_words(source):
    """English words a template writes outside translation tags, markup and variables."""
    text = TRANSLATED.sub(" ", source)
    text = TEMPLATE_TAG.sub(" ", text)
    text = ENTITY.sub(" ", MARKUP.sub(" ", text))
    return sorted({w for w in ENGLISH_WORD.findall(text) if not w.isupper()})


def test_templates_write_no_words():
    from pathlib import Path

    from django.conf import settings

    found = {}
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        if "admin" in path.parts:
            continue
        words = template_words(path.read_text())
        if words:
            found[str(path.relative_to(settings.BASE_DIR))] = words
    assert found == {}


def test_the_template_check_finds_a_word_written_outside_a_tag():
    assert template_words('<p>{% translate "Source" %} Status: {{ x }}</p>') == ["Status"]
    assert template_words("{% blocktranslate %}Status{% endblocktranslate %}") == []
