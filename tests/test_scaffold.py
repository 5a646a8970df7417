"""`build.py new news "Titel"` starts an item in both languages, never overwriting one."""

from __future__ import annotations

from conftest import run_build
from htmlview import read


def test_new_news_writes_both_languages_with_front_matter(tiny):
    result = run_build(tiny, "new", "news", "Övning: brand på Mjölby station", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr
    stem = "2026-11-20-ovning-brand-pa-mjolby-station"
    sv, en = tiny / f"content/news/{stem}.sv.md", tiny / f"content/news/{stem}.en.md"
    assert f"Wrote content/news/{stem}.sv.md" in result.stdout
    text = sv.read_text(encoding="utf-8")
    for line in [
        'title: "Övning: brand på Mjölby station"',
        "slug: ovning-brand-pa-mjolby-station",
        "date: 2026-11-20",
        "municipalities: [mjolby, odeshog]",
        "draft: true",
    ]:
        assert line in text.splitlines(), line
    assert "date: 2026-11-20" in en.read_text(encoding="utf-8").splitlines()


def test_the_date_is_the_builds_today(tiny):
    assert run_build(tiny, "new", "news", "Idag").returncode == 0  # SOURCE_DATE_EPOCH: 2026-11-18
    assert (tiny / "content/news/2026-11-18-idag.sv.md").is_file()


def test_a_new_item_builds_and_stays_unpublished_until_the_draft_line_goes(tiny):
    assert run_build(tiny, "new", "news", "Ny nyhet").returncode == 0
    assert run_build(tiny).returncode == 0
    assert not (tiny / "_site/nyheter/ny-nyhet").exists()
    for lang in ("sv", "en"):
        path = tiny / f"content/news/2026-11-18-ny-nyhet.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert read(tiny / "_site/nyheter/index.html").link_to("Ny nyhet").href == "/nyheter/ny-nyhet/"
    assert read(tiny / "_site/en/news/ny-nyhet/index.html").link_to("Svenska").href == "/nyheter/ny-nyhet/"


def test_new_refuses_to_overwrite(tiny):
    assert run_build(tiny, "new", "news", "Samma").returncode == 0
    sv = tiny / "content/news/2026-11-18-samma.sv.md"
    sv.write_text(sv.read_text(encoding="utf-8") + "Redaktörens text.\n", encoding="utf-8")
    (tiny / "content/news/2026-11-18-samma.en.md").unlink()
    result = run_build(tiny, "new", "news", "Samma")
    assert result.returncode == 1
    assert "content/news/2026-11-18-samma.sv.md already exists; nothing was written" in result.stderr
    assert "Redaktörens text." in sv.read_text(encoding="utf-8")
    assert not (tiny / "content/news/2026-11-18-samma.en.md").exists()  # all or nothing


def test_new_with_wrong_arguments_is_a_usage_error(tiny):
    for args in (["new"], ["new", "news"], ["new", "page", "X"], ["new", "news", "A", "B"], ["build", "news"]):
        result = run_build(tiny, *args)
        assert result.returncode == 2, args
    assert run_build(tiny, "new", "news", "!!!").returncode == 1  # no letters to name the file from
    assert sorted(p.name for p in (tiny / "content/news").iterdir()) == [
        "2020-01-10-enheten-vaxer.en.md",
        "2020-01-10-enheten-vaxer.sv.md",
    ]


def test_each_language_gets_its_own_slug_and_comments_in_its_language(tiny):
    result = run_build(tiny, "new", "news", "Övning i Boxholm", "--en", "Exercise in Boxholm", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr
    sv = (tiny / "content/news/2026-11-20-ovning-i-boxholm.sv.md").read_text(encoding="utf-8")
    en = (tiny / "content/news/2026-11-20-ovning-i-boxholm.en.md").read_text(encoding="utf-8")
    assert "slug: ovning-i-boxholm" in sv.splitlines() and 'title: "Övning i Boxholm"' in sv.splitlines()
    assert "slug: exercise-in-boxholm" in en.splitlines() and 'title: "Exercise in Boxholm"' in en.splitlines()
    assert "# Ta bort nästa rad när nyheten är klar; den publiceras på sitt datum." in sv
    assert "(/nyheter/ovning-i-boxholm/)" in sv and "(/en/news/exercise-in-boxholm/)" in en
    assert "Remove the next line" not in sv and "municipalities the item concerns" not in sv
    assert "Awaiting translation" not in en
    for path in (tiny / "content/news").glob("2026-11-20-*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    assert run_build(tiny, "--now", "2026-11-20").returncode == 0
    assert (
        read(tiny / "_site/en/news/exercise-in-boxholm/index.html").link_to("Svenska").href
        == "/nyheter/ovning-i-boxholm/"
    )
    assert (
        read(tiny / "_site/nyheter/ovning-i-boxholm/index.html").link_to("English").href
        == "/en/news/exercise-in-boxholm/"
    )


def test_without_en_the_english_file_awaits_translation(tiny):
    result = run_build(tiny, "new", "news", "Övning i Boxholm", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert "The English file has the Swedish title until you translate it" in result.stdout
    en = (tiny / "content/news/2026-11-20-ovning-i-boxholm.en.md").read_text(encoding="utf-8").splitlines()
    assert en[1] == "# Awaiting translation: write the title in English, then the slug from it."
    assert 'title: "Övning i Boxholm"' in en


def test_a_published_item_with_the_scaffolds_text_fails_check(tiny):
    assert run_build(tiny, "new", "news", "Övning i Boxholm", "--now", "2026-11-20").returncode == 0
    result = run_build(tiny, "check", "--strict", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr  # a draft may hold it all
    stem = "content/news/2026-11-20-ovning-i-boxholm"
    for lang in ("sv", "en"):
        path = tiny / f"{stem}.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = run_build(tiny, "check", "--now", "2026-11-10")  # scheduled: it will be published on its date
    assert result.returncode == 1
    for line in (
        f"{stem}.sv.md:6: the summary is still the placeholder 'Skriv en sammanfattning på en eller två meningar.'",
        f"{stem}.sv.md:11: the text is still the placeholder 'Skriv nyheten här.'",
        f"{stem}.en.md:7: the summary is still the placeholder 'Write a summary of one or two sentences.'",
        f"{stem}.en.md:3: the title is the same as in {stem}.sv.md ('Övning i Boxholm'): translate it",
    ):
        assert line in result.stderr, (line, result.stderr)


def test_an_english_address_made_from_the_swedish_title_is_a_warning(tiny):
    assert run_build(tiny, "new", "news", "Övning i Boxholm", "--now", "2026-11-20").returncode == 0
    stem = "content/news/2026-11-20-ovning-i-boxholm"
    sv, en = tiny / f"{stem}.sv.md", tiny / f"{stem}.en.md"
    sv.write_text(
        sv.read_text(encoding="utf-8")
        .replace("draft: true\n", "")
        .replace("Skriv nyheten här.", "Text.")
        .replace("Skriv en sammanfattning på en eller två meningar.", "Kort."),
        encoding="utf-8",
    )
    en.write_text(
        en.read_text(encoding="utf-8")
        .replace("draft: true\n", "")
        .replace("Write the news item here.", "Text.")
        .replace("Write a summary of one or two sentences.", "Short.")
        .replace('title: "Övning i Boxholm"', 'title: "Exercise in Boxholm"'),
        encoding="utf-8",
    )
    result = run_build(tiny, "check", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert (
        f"{stem}.en.md:5: warning: the address /en/news/ovning-i-boxholm/ is made from the title in {stem}.sv.md: "
        "write the slug from this file's title (slug: exercise-in-boxholm)"
    ) in result.stderr


def test_an_english_title_without_letters_writes_nothing(tiny):
    result = run_build(tiny, "new", "news", "Övning", "--en", "!!!")
    assert result.returncode == 1
    assert "build.py new: the title '!!!' (--en) has no letters or digits to make a slug from" in result.stderr
    assert sorted(p.name for p in (tiny / "content/news").iterdir()) == [
        "2020-01-10-enheten-vaxer.en.md",
        "2020-01-10-enheten-vaxer.sv.md",
    ]
