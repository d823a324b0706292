"""The reference the exports are measured against: psql's `\\copy` of a SELECT that gives
the same rows and cells as the site's CSV (names, dates at their precision, neutralised
formulas), in the export's own order (`ParticipationExport.ordering`,
`TreatyActionExport.ordering`: the lists' stable order, text compared byte by byte), so the
ratio says what the site adds over the database's own fastest output."""

from django.utils import translation
from django_countries import countries

FORMULA_START = "('=', '+', '-', '@', E'\\t', E'\\r')"


def text(column):
    return f"CASE WHEN left({column}, 1) IN {FORMULA_START} THEN '''' || {column} ELSE {column} END"


def partial(on, precision):
    return (
        f"CASE {precision} WHEN 'day' THEN to_char({on}, 'YYYY-MM-DD') "
        f"WHEN 'month' THEN to_char({on}, 'YYYY-MM') WHEN 'year' THEN to_char({on}, 'YYYY') "
        "ELSE '' END"
    )


def quoted(value):
    return "'" + str(value).replace("'", "''") + "'"


def names():
    rows = {}
    for language in ("en", "ja"):
        with translation.override(language):
            for code, name in countries:
                rows.setdefault(code, {})[language] = str(name)
    values = ", ".join(
        f"({quoted(code)}, {quoted(n['en'])}, {quoted(n['ja'])})" for code, n in rows.items()
    )
    return f"names(code, en, ja) AS (VALUES {values})"


def participations():
    return f"""WITH {names()}
SELECT p.id, t.slug AS treaty, c.code AS iso2, {text("n.en")} AS country_en,
       {text("n.ja")} AS country_ja, p.status,
       CASE WHEN p.required_for_entry_into_force THEN 'true' ELSE 'false' END
         AS required_for_entry_into_force,
       {text("p.note_en")} AS note_en, {text("p.note_ja")} AS note_ja,
       coalesce(s.slug, '') AS source, {text("p.locator")} AS locator,
       {partial("p.as_of_on", "p.as_of_precision")} AS as_of
FROM treaties_participation p
JOIN treaties_treaty t ON t.id = p.treaty_id
JOIN treaties_country c ON c.id = p.country_id
LEFT JOIN names n ON n.code = c.code
LEFT JOIN core_source s ON s.id = p.source_id
ORDER BY t.display_order NULLS LAST, t.slug COLLATE "C", c.code COLLATE "C", p.id"""


def actions():
    return f"""SELECT a.id, a.participation_id, t.slug AS treaty, c.code AS iso2,
       a.action_type AS action, {partial("a.date_on", "a.date_precision")} AS date,
       coalesce(to_char(a.effective_on, 'YYYY-MM-DD'), '') AS effective,
       {text("a.depositary")} AS depositary, {text("a.note_en")} AS note_en,
       {text("a.note_ja")} AS note_ja, coalesce(s.slug, '') AS source,
       {text("a.locator")} AS locator, {partial("a.as_of_on", "a.as_of_precision")} AS as_of
FROM treaties_treatyaction a
JOIN treaties_participation p ON p.id = a.participation_id
JOIN treaties_treaty t ON t.id = p.treaty_id
JOIN treaties_country c ON c.id = p.country_id
LEFT JOIN core_source s ON s.id = a.source_id
ORDER BY t.display_order NULLS LAST, t.slug COLLATE "C", c.code COLLATE "C", a.date_on, a.id"""
