"""serve tells the editor what check would about the files just saved, and when a broken save is fixed."""

from __future__ import annotations

from conftest import edit
from servetools import fetch, serving, wait_for


def test_after_a_broken_save_is_fixed_serve_says_so(tiny):
    with serving(tiny) as (origin, terminal):
        edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 5,2\n")
        wait_for(lambda: fetch(origin + "/en/")[0] == 500, "the error page")
        wait_for(lambda: any("The site was not updated" in line for line in terminal), "the terminal's error")
        assert not any(line.startswith("Fixed:") for line in terminal)
        edit(tiny / "data/staffing.yaml", "value: 5,2\n", "value: 5\n")
        wait_for(lambda: "Fixed: the site is up to date again.\n" in terminal, "the terminal to say it is fixed")


def test_a_saved_page_without_translation_or_with_an_outdated_one_is_mentioned(tiny):
    with serving(tiny) as (origin, terminal):
        page = tiny / "content/pages/ny-sida.sv.md"
        page.write_text("---\ntitle: Ny sida\nupdated: 2026-11-01\n---\nText.\n", encoding="utf-8")
        wait_for(lambda: fetch(origin + "/ny-sida/")[0] == 200, "the new page")
        expected = (
            "content/pages/ny-sida.sv.md: warning: has no translation into 'en' (add content/pages/ny-sida.en.md)\n"
        )
        wait_for(lambda: expected in terminal, "the missing translation")
        assert not any("enheten" in line for line in terminal)  # only the files just saved

        edit(tiny / "content/pages/enheten.sv.md", "updated: 2020-02-01", "updated: 2020-02-05")
        outdated = (
            "content/pages/enheten.en.md:5: warning: may be outdated: it was updated 2020-02-01, but the original "
            "content/pages/enheten.sv.md was updated 2020-02-05"
        )
        wait_for(lambda: any(line.startswith(outdated) for line in terminal), "the outdated translation")


def test_the_error_page_gives_the_problems_in_the_language_of_the_page_being_edited(tiny):
    with serving(tiny) as (origin, terminal):
        news = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
        edit(news, "date: 2020-01-10", "date: 2026-02-30")
        status, page = wait_for(lambda: (r := fetch(origin + "/en/"))[0] == 500 and r, "the error page")
        assert '<html lang="sv">' in page
        assert (
            "content/news/2020-01-10-enheten-vaxer.sv.md:4: 'date' är '2026-02-30', som inte är ett verkligt datum"
            in page
        )
        # The terminal keeps its own language (LANG=C.UTF-8 here: English), at the same path:line.
        assert any(
            "content/news/2020-01-10-enheten-vaxer.sv.md:4: 'date' is '2026-02-30', which is not a real date" in line
            for line in terminal
        )
        edit(news, "date: 2026-02-30", "date: 2020-01-10")
        edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 5,2\n")
        status, page = wait_for(lambda: (r := fetch(origin + "/"))[0] == 500 and "5,2" in r[1] and r, "the data error")
        assert "ska vara ett tal, inte" in page and "(skriv decimaler med punkt: 4.7)" in page
        status, page = fetch(origin + "/en/")
        assert "should be a number, not" in page
