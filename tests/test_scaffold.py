"""`build.py new news "Titel"` starts an item in both languages, never overwriting one."""
from __future__ import annotations

from conftest import run_build
from htmlview import read


def test_new_news_writes_both_languages_with_front_matter(portal):
    result = run_build(portal, "new", "news", "Övning: brand på Mjölby station", "--now", "2026-11-20")
    assert result.returncode == 0, result.stderr
    stem = "2026-11-20-ovning-brand-pa-mjolby-station"
    sv, en = portal / f"content/news/{stem}.sv.md", portal / f"content/news/{stem}.en.md"
    assert f"Wrote content/news/{stem}.sv.md" in result.stdout
    text = sv.read_text(encoding="utf-8")
    for line in ['title: "Övning: brand på Mjölby station"', "slug: ovning-brand-pa-mjolby-station", "date: 2026-11-20",
                 "municipalities: [mjolby, boxholm, odeshog]", "draft: true"]:
        assert line in text.splitlines(), line
    assert "date: 2026-11-20" in en.read_text(encoding="utf-8").splitlines()


def test_the_date_is_the_builds_today(portal):
    assert run_build(portal, "new", "news", "Idag").returncode == 0  # SOURCE_DATE_EPOCH: 2026-11-18
    assert (portal / "content/news/2026-11-18-idag.sv.md").is_file()


def test_a_new_item_builds_and_stays_unpublished_until_the_draft_line_goes(portal):
    assert run_build(portal, "new", "news", "Ny nyhet").returncode == 0
    assert run_build(portal).returncode == 0
    assert not (portal / "_site/nyheter/ny-nyhet").exists()
    for lang in ("sv", "en"):
        path = portal / f"content/news/2026-11-18-ny-nyhet.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = run_build(portal)
    assert result.returncode == 0, result.stderr
    assert read(portal / "_site/nyheter/index.html").link_to("Ny nyhet").href == "/nyheter/ny-nyhet/"
    assert read(portal / "_site/en/news/ny-nyhet/index.html").link_to("Svenska").href == "/nyheter/ny-nyhet/"


def test_new_refuses_to_overwrite(portal):
    assert run_build(portal, "new", "news", "Samma").returncode == 0
    sv = portal / "content/news/2026-11-18-samma.sv.md"
    sv.write_text(sv.read_text(encoding="utf-8") + "Redaktörens text.\n", encoding="utf-8")
    (portal / "content/news/2026-11-18-samma.en.md").unlink()
    result = run_build(portal, "new", "news", "Samma")
    assert result.returncode == 1
    assert "content/news/2026-11-18-samma.sv.md already exists; nothing was written" in result.stderr
    assert "Redaktörens text." in sv.read_text(encoding="utf-8")
    assert not (portal / "content/news/2026-11-18-samma.en.md").exists()  # all or nothing


def test_new_with_wrong_arguments_is_a_usage_error(portal):
    for args in (["new"], ["new", "news"], ["new", "page", "X"], ["new", "news", "A", "B"], ["build", "news"]):
        result = run_build(portal, *args)
        assert result.returncode == 2, args
    assert run_build(portal, "new", "news", "!!!").returncode == 1  # no letters to name the file from
    assert sorted(p.name for p in (portal / "content/news").iterdir()) == [
        "2019-09-26-odeshog-ansluter.en.md", "2019-09-26-odeshog-ansluter.sv.md"]
