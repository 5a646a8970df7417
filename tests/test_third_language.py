"""A third language is one entry in data/site.yaml and one file in data/i18n (issue #16, item 6).

Nothing about the site's languages is written in the engine: the tiny site (tests/tinysite.py)
with German added builds German pages, German interface strings, open data with
German columns, a catalogue that names German, and a preview error page in German;
a German file that lacks strings makes `check` name each one and the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from types import SimpleNamespace

import yaml

from conftest import run_build
from portal.load import strings
from portal.model import opendata
from portal.preview import serve
from portal.problems import Problems

GERMAN = {  # key -> its German text; the other keys keep the English text
    "skip": "Zum Inhalt springen",
    "home": "Startseite",
    "news.title": "Nachrichten",
    "notfound.title": "Seite nicht gefunden",
    "opendata.title": "Offene Daten",
    "opendata.csv": "CSV (UTF-8, durch Kommas getrennt, Kopfzeile)",
    "redirect.title": "Diese Seite ist umgezogen",
    "preview.error_title": "Die Seite konnte nicht gebaut werden",
    "preview.error_lead": "Die Vorschau zeigt die Fehler unten. Korrigieren Sie die Datei und speichern Sie.",
    "new.summary": "Schreiben Sie eine Zusammenfassung in ein oder zwei Sätzen.",
    "check.vague_link_texts": "hier klicken; hier; mehr",
}
PAGE = """---
title: Die Testseite
description: Die Startseite der Testseite.
updated: 2020-02-01
template: home.html
---
Mjölby und Ödeshög arbeiten für die Sicherheit zusammen. Wer sie erreicht, steht [hier](kontakt.sv.md).
"""


def _set(tree: dict, key: str, value: str) -> None:
    *parents, last = key.split(".")
    for part in parents:
        tree = tree[part]
    tree[last] = value


def add_german(root, drop=()) -> None:
    """German in data/site.yaml, every per-language text in data/ (the English words for now),
    data/i18n/de.yaml (English with GERMAN's changes, less the keys in `drop`) and a German start page."""
    site = root / "data/site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "    title: The test site\n",
            "    title: The test site\n  - code: de\n    name: Deutsch\n    locale: de\n    title: Die Testseite\n",
            1,
        ),
        encoding="utf-8",
    )
    for path in sorted((root / "data").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        # `en: text` on its own line, and `{sv: …, en: …}` in a line: a `de:` beside it.
        text = re.sub(
            r"^( *)(- )?en: (.*)\n", lambda m: m[0] + f"{m[1]}{'  ' if m[2] else ''}de: {m[3]}\n", text, flags=re.M
        )
        text = re.sub(r"(\ben: ([^,}]*))\}", r"\1, de: \2}", text)
        # The open data's per-language columns are described too: label_de beside label_en.
        text = re.sub(
            r"^( +)(\w+)_en:\n((?:\1 +.*\n)+)", lambda m: m[0] + f"{m[1]}{m[2]}_de:\n{m[3]}", text, flags=re.M
        )
        text = re.sub(r"^( +)(\w+)_en: (\{.*\})\n", lambda m: m[0] + f"{m[1]}{m[2]}_de: {m[3]}\n", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    texts = yaml.safe_load((root / "data/i18n/en.yaml").read_text(encoding="utf-8"))
    for key, value in GERMAN.items():
        _set(texts, key, value)
    for key in drop:
        *parents, last = key.split(".")
        tree = texts
        for part in parents:
            tree = tree[part]
        del tree[last]
    (root / "data/i18n/de.yaml").write_text(
        yaml.safe_dump(texts, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (root / "content/pages/index.de.md").write_text(PAGE, encoding="utf-8")


def test_a_third_language_gets_its_pages_strings_open_data_catalogue_and_error_page(tiny):
    add_german(tiny)
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"

    home = (site / "de/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in home
    assert "Die Testseite" in home and "arbeiten für die Sicherheit zusammen" in home
    assert "Zum Inhalt springen" in home and "Startseite" in home
    assert "Nachrichten" in (site / "de/news/index.html").read_text(encoding="utf-8")
    assert "Seite nicht gefunden" in (site / "404.html").read_text(encoding="utf-8")
    assert "Offene Daten" in (site / "de/open-data/index.html").read_text(encoding="utf-8")

    rows = list(csv.reader(io.StringIO((site / "data/staffing.csv").read_text(encoding="utf-8"))))
    assert rows[0][:8] == ["id", "as_of", "label_sv", "label_en", "label_de", "unit_sv", "unit_en", "unit_de"]
    assert all(row[rows[0].index("label_de")] for row in rows[1:])
    assert list(json.loads((site / "data/municipalities.json").read_text(encoding="utf-8"))[0]) == [
        "id",
        "name_sv",
        "name_en",
        "name_de",
        "role",
    ]
    assert (
        "covers_de"
        in json.loads((site / "data/agreements.schema.json").read_text(encoding="utf-8"))["items"]["properties"]
    )

    rdf = (site / "data/catalog.rdf").read_text(encoding="utf-8")
    assert "http://publications.europa.eu/resource/authority/language/DEU" in rdf
    assert (
        'xml:lang="de">CSV (UTF-8, durch Kommas getrennt, Kopfzeile)' not in rdf
    )  # the distribution says "Title: text."
    assert re.search(
        r'<dcterms:description xml:lang="de">[^<]*: CSV \(UTF-8, durch Kommas getrennt, Kopfzeile\)\.</dcterms:description>',
        rdf,
    )

    checked = run_build(tiny, "check")
    assert "content/pages/index.de.md:7: warning: the link text 'hier' says nothing out of context" in checked.stderr, (
        checked.stderr
    )

    new = run_build(tiny, "new", "news", "Övning i Ödeshög", "--now", "2026-11-20")
    assert new.returncode == 0, new.stderr
    german = (tiny / "content/news/2026-11-20-ovning-i-odeshog.de.md").read_text(encoding="utf-8")
    assert f'summary: "{GERMAN["new.summary"]}"' in german and "draft: true" in german

    title, lead = serve.error_text(strings.read(tiny), "de")
    assert (title, lead) == (GERMAN["preview.error_title"], GERMAN["preview.error_lead"])
    assert serve.error_text(strings.read(tiny), "sv")[0] == "Sidan kunde inte byggas"


def test_check_names_each_string_the_third_language_lacks_and_its_file(tiny):
    dropped = ("news.title", "preview.error_lead", "check.vague_link_texts", "chart.together")
    add_german(tiny, drop=dropped)
    result = run_build(tiny, "check")
    assert result.returncode == 1, result.stderr
    for key in dropped:
        line = f"data/i18n/de.yaml: the interface string '{key}' is missing (it is in data/i18n/sv.yaml:"
        assert result.stderr.count(line) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_string_no_language_has_that_the_build_needs_is_named_in_every_file(tiny):
    for code in ("sv", "en"):
        path = tiny / f"data/i18n/{code}.yaml"
        path.write_text(
            re.sub(r"^redirect:\n(  .*\n)+", "", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
        )
    result = run_build(tiny)
    assert result.returncode == 1
    for code in ("sv", "en"):
        for key in ("redirect.title", "redirect.text"):
            assert (
                f"data/i18n/{code}.yaml: the interface string '{key}' is missing: the build itself uses it"
                in result.stderr
            )
    assert "Traceback" not in result.stderr


def test_one_lookup_fills_placeholders_safely_and_names_the_key_and_file():
    table = {"de": {"news.year": "Nachrichten aus {year}", "bad": "{year.__class__}{jahr}"}}
    assert strings.text(table, "de", "news.year", year=2026) == "Nachrichten aus 2026"
    for key, values, message in (
        ("news.title", {}, "the interface string 'news.title' is not in data/i18n/de.yaml"),
        ("bad", {"year": 1}, "the interface string 'bad' has the placeholder {jahr}, which is not one of: year"),
    ):
        try:
            strings.text(table, "de", key, **values)
        except strings.StringMissing as exc:
            assert str(exc) == message and exc.path == "data/i18n/de.yaml"
        else:
            raise AssertionError(f"{key} should be missing")


def test_a_language_the_catalogue_cannot_name_is_a_problem_in_site_yaml():
    problems = Problems()
    config = SimpleNamespace(languages=(SimpleNamespace(code="sv"), SimpleNamespace(code="xx")))
    opendata.check_languages(config, problems)
    assert [p.text() for p in problems.errors] == [
        "data/site.yaml: the open data catalogue cannot name the language 'xx': add its EU vocabulary code to LANGUAGE_CODES in portal/model/opendata.py"
    ]
