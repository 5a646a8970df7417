"""A build run again with nothing changed has nothing to do (portal/uptodate.py): it says so,
says the last build's warnings and notices again, and leaves _site/ as it was. Any change to
what the build reads, its options, its date or alerts, or the output builds as ever."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import edit, run_build
from portal import uptodate
from portal.messages import _, say
from portal.problems import Problems

UP_TO_DATE = "Nothing has changed since the last build"
BUILT = "Built "


def snapshot(site):
    """Every file of the output with its bytes and inode: a build that did nothing leaves both."""
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_ino)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_a_second_build_with_nothing_changed_says_so_and_leaves_the_output_as_it_was(tiny):
    first = run_build(tiny)
    assert first.returncode == 0 and BUILT in first.stdout, first.stderr
    before = snapshot(tiny / "_site")
    again = run_build(tiny)
    assert again.returncode == 0, again.stderr
    assert UP_TO_DATE in again.stdout and BUILT not in again.stdout
    pages = first.stdout.split("Built ")[1].split(" pages")[0]
    assert f"({pages} pages and " in again.stdout  # the same counts as the build it stands for
    assert snapshot(tiny / "_site") == before


def test_it_is_said_in_swedish(tiny):
    assert run_build(tiny).returncode == 0
    again = run_build(tiny, "--lang", "sv")
    assert "Inget har ändrats sedan förra bygget: _site/ är aktuell" in again.stdout


def _touch(tiny):
    path = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))


def _same_text_new_file(tiny):
    path = tiny / "templates/base.html"
    text = path.read_bytes()
    stat = path.stat()
    path.unlink()
    path.write_bytes(text)  # the same bytes, size and time: another file (inode, change time)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


CHANGES = {
    "a news item edited": lambda tiny: edit(
        tiny / "content/news/2020-01-10-enheten-vaxer.sv.md", "title: Enheten växer", "title: Enheten växer mer"
    ),
    "a file touched": _touch,
    "a template replaced by the same bytes": _same_text_new_file,
    "a data file edited": lambda tiny: edit(tiny / "data/staffing.yaml", "\n", "\n# a comment\n"),
    "a static file added": lambda tiny: (tiny / "static/extra.txt").write_text("new", encoding="utf-8"),
    "a page of the output deleted": lambda tiny: (tiny / "_site/index.html").unlink(),
    "a page of the output changed": lambda tiny: (tiny / "_site/index.html").write_text("x", encoding="utf-8"),
    "the build cache deleted": lambda tiny: __import__("shutil").rmtree(tiny / ".cache"),
    "the kept state is not JSON": lambda tiny: (tiny / uptodate.STATE).write_text("{", encoding="utf-8"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_to_what_the_build_reads_or_wrote_builds_again(tiny, change):
    assert run_build(tiny).returncode == 0
    CHANGES[change](tiny)
    again = run_build(tiny)
    assert again.returncode == 0, again.stderr
    assert BUILT in again.stdout and UP_TO_DATE not in again.stdout
    assert (tiny / "_site/index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert UP_TO_DATE in run_build(tiny).stdout  # and once built, up to date again


@pytest.mark.parametrize(
    "first, second",
    [
        (["--now", "2026-11-18"], ["--now", "2026-11-19"]),  # the next day: scheduled items appear
        ([], ["--base-url", "https://example.org/"]),
        ([], ["--no-search"]),
        ([], ["--drafts"]),
        ([], ["--out", "public"]),
    ],
    ids=["the next day", "another address", "without search", "with drafts", "another output folder"],
)
def test_other_options_or_another_day_build_again(tiny, first, second):
    assert run_build(tiny, *first).returncode == 0
    again = run_build(tiny, *second)
    assert again.returncode == 0, again.stderr
    assert BUILT in again.stdout


def test_no_cache_always_builds(tiny):
    assert run_build(tiny).returncode == 0
    assert BUILT in run_build(tiny, "--no-cache").stdout
    assert BUILT in run_build(tiny).stdout  # --no-cache rewrote the output: the kept state is not trusted


def test_the_key_names_each_library_by_the_version_installed(tmp_path, monkeypatch):
    import importlib.metadata

    assert uptodate._versions(uptodate.LIBRARIES) == [importlib.metadata.version(n) for n in uptodate.LIBRARIES]
    # Another version of a library installed (a folder earlier on sys.path): another key, so the build builds.
    before = uptodate.key(tmp_path, {})
    (tmp_path / "libs" / "nh3-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "libs"))
    assert uptodate._versions(("nh3", "no-such-library")) == ["99.0", None]
    assert uptodate.key(tmp_path, {}) != before


ALERT = """\
- level: warning
  start: 2026-11-18T12:00+01:00
  end: 2026-11-18T18:00+01:00
  text:
    sv: Vattnet är avstängt på Storgatan.
    en: The water is off on Storgatan.
"""


def test_an_alert_that_starts_between_two_builds_is_shown_by_the_second(tiny):
    (tiny / "data/alerts.yaml").write_text(ALERT, encoding="utf-8")
    assert run_build(tiny, "--now", "2026-11-18T09:00+01:00").returncode == 0
    assert "Storgatan" not in (tiny / "_site/index.html").read_text(encoding="utf-8")
    assert UP_TO_DATE in run_build(tiny, "--now", "2026-11-18T11:59+01:00").stdout  # before it starts
    started = run_build(tiny, "--now", "2026-11-18T12:00+01:00")
    assert BUILT in started.stdout
    assert "Storgatan" in (tiny / "_site/index.html").read_text(encoding="utf-8")
    assert UP_TO_DATE in run_build(tiny, "--now", "2026-11-18T17:00+01:00").stdout
    assert BUILT in run_build(tiny, "--now", "2026-11-18T18:00+01:00").stdout  # it ended


def test_a_failed_build_is_not_remembered_and_a_fixed_one_builds(tiny):
    assert run_build(tiny).returncode == 0
    edit(tiny / "data/staffing.yaml", "\n", "\n  bad: [\n")
    assert run_build(tiny).returncode == 1
    assert run_build(tiny).returncode == 1  # still wrong: not "up to date"
    edit(tiny / "data/staffing.yaml", "\n  bad: [\n", "\n")
    assert BUILT in run_build(tiny).stdout


def test_the_last_builds_warnings_and_notices_are_said_again_in_the_readers_language(tmp_path):
    site, out = tmp_path, tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    problems = Problems()
    problems.warn("data/site.yaml", 3, _("warning: "))
    problems.notice(
        _("the build cache in .cache/ could not be kept ({reason}); the next build renders every page", reason="x")
    )
    moment = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)
    uptodate.remember(site, "_site", "key", moment, (), uptodate.Outcome(problems, 5, 2))
    outcome = uptodate.nothing_to_do(site, "_site", "key", moment)
    assert outcome.problems.items == problems.items and outcome.problems.notices == problems.notices
    assert (outcome.pages, outcome.files) == (5, 2)
    assert say(outcome.problems.items[0].message, "sv") == say(_("warning: "), "sv") != "warning: "
    assert uptodate.nothing_to_do(site, "_site", "other key", moment) is None
    assert uptodate.nothing_to_do(site, "_site", "key", moment - dt.timedelta(seconds=1)) is None  # the clock went back
