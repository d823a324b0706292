"""A Japanese page reads in Japanese, an English page in English.

Every public page of the seed data is fetched in both languages and its visible text
(and the attributes a reader meets: title, alt, aria-label, placeholder) is read. Text
marked as another language (`lang="en"` on a Japanese page: the title of an English
publication, a note recorded only in English, a locator in its source's language) is the
content it is and is left out; everything else must be in the page's language:
- on a Japanese page, no English word (acronyms such as NPT or CSV, country codes and
  numbers are not words);
- on an English page, no kana or kanji.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNREAD = {"script", "style", "code", "head"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Za-z]*\b")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]+")
ADDRESS = re.compile(r"(https?://|www\.)\S+")
# Names that are the same in both languages.
NAMES = {"Treaty", "Tracker", "Atom"}


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


def foreign_words(html, language):
    parser = PageText(language)
    parser.feed(html)
    text = ADDRESS.sub(" ", " ".join(parser.text))
    if language == "ja":
        words = {w for w in ENGLISH_WORD.findall(text) if w not in NAMES and not w.isupper()}
    else:
        words = set(JAPANESE.findall(text))
    return sorted(words)


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
    found = {}
    for url in public_pages():
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}lang={language}")
        assert response.status_code in (200, 400, 404), url
        words = foreign_words(response.content.decode(), language)
        if words:
            found[url] = words[:15]

    assert found == {}
