"""Every rule of the "nothing has changed since the last build" check (portal/uptodate.py), one
small test each, on tmp_path: what makes the key differ, and what makes a kept build no longer
up to date. A wrong rule here leaves a stale public site, so each test reads as the rule it pins."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from pathlib import Path

import pytest

from portal import uptodate
from portal.messages import _, say
from portal.model.alerts import Alert
from portal.problems import Problems

MOMENT = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))
SETTINGS = ["_site", None, False, True, "2026-11-18"]  # what cli passes: out, base URL, drafts, search, date
SAVED = 1_795_000_000_000_000_000  # 2026-11-17, in ns: when the site's files were saved


def site(root: Path) -> Path:
    """A site with a file in each of the four folders the build reads, and its output, saved a
    day ago: like make, the key tells an edit by the file's times, and where the file system's
    times are coarse (a kernel without multigrain timestamps) an edit in the same tick of its
    clock as the save before it keeps them."""
    for path, text in {
        "data/site.yaml": "title: x\n",
        "content/news/a.sv.md": "---\ntitle: a\n---\nText\n",
        "static/logo.svg": "<svg/>",
        "templates/base.html": "<html></html>",
        "_site/index.html": "<!DOCTYPE html>",
        "_site/css/site.css": "body{}",
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        os.utime(root / path, ns=(SAVED, SAVED))
    return root


@pytest.fixture(autouse=True)
def engine(tmp_path_factory, monkeypatch) -> Path:
    """A small engine of its own for each test: the real portal/ may change while the tests run
    (an edit, mutmut's notes beside the code), which would make two keys of one site differ."""
    folder = tmp_path_factory.mktemp("engine")
    (folder / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(uptodate, "ENGINE", folder)
    return folder


def key(root: Path, settings=SETTINGS) -> str:
    return uptodate.key(root, settings)


def kept(root: Path, moment=MOMENT, schedule=(), problems=None, pages=5, files=2) -> None:
    """A good build made at `moment`, remembered as cli does after it."""
    outcome = uptodate.Outcome(problems or Problems(), pages, files)
    uptodate.remember(root, "_site", key(root), moment, schedule, outcome)


def up_to_date(root: Path, moment=MOMENT, settings=SETTINGS) -> uptodate.Outcome | None:
    return uptodate.nothing_to_do(root, Path("_site"), key(root, settings), moment)


def alert(start: dt.datetime, end: dt.datetime) -> Alert:
    return Alert("warning", {"sv": "Vattnet är avstängt."}, None, start, end, 1)


def state(root: Path) -> dict:
    return json.loads((root / uptodate.STATE).read_text(encoding="utf-8"))


def edit_state(root: Path, **changes) -> None:
    (root / uptodate.STATE).write_text(json.dumps(state(root) | changes), encoding="utf-8")


def later(path: Path, ns: int = 1_000_000) -> None:
    """The file's modification time moved on, its bytes left as they are (what `touch` does)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + ns))


def in_name_order(monkeypatch, locked=(), vanishing=()):
    """os.scandir giving its entries in name order (the walk must be right in any order the file
    system gives them), raising EACCES for the folders named in `locked` and deleting the files
    named in `vanishing` just before the walk comes to them (deleted while it runs)."""
    real = os.scandir

    class Listing:
        def __init__(self, entries):
            self.entries = entries

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def __iter__(self):
            for entry in self.entries:
                if entry.name in vanishing:
                    os.unlink(entry.path)
                yield entry

    def scandir(path):
        if Path(path).name in locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        with real(path) as listing:
            return Listing(sorted(listing, key=lambda e: e.name))

    monkeypatch.setattr(os, "scandir", scandir)


# --- the key: what the build reads ---------------------------------------------------------------


def test_nothing_changed_gives_the_same_key(tmp_path):
    site(tmp_path)
    assert key(tmp_path) == key(tmp_path)


def test_a_file_edited_to_other_bytes_of_the_same_size_makes_the_key_differ(tmp_path):
    path = site(tmp_path) / "content/news/a.sv.md"
    before = key(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("Text", "Txet"), encoding="utf-8")
    assert key(tmp_path) != before


def test_a_file_touched_with_the_same_bytes_makes_the_key_differ(tmp_path):
    site(tmp_path)
    before = key(tmp_path)
    later(tmp_path / "templates/base.html")
    assert key(tmp_path) != before


def test_a_file_replaced_by_the_same_bytes_and_time_makes_the_key_differ(tmp_path):
    path = site(tmp_path) / "templates/base.html"
    st, text = path.stat(), path.read_bytes()
    before = key(tmp_path)
    # A restored backup: the same size and time, another file. Put in place by a rename, so it
    # cannot get the old file's inode number back, and only its inode and change time tell it
    # apart (a file system with coarse times may give both files one change time).
    copy = path.with_name("base.html.restored")
    copy.write_bytes(text)
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    copy.replace(path)
    assert path.stat().st_ino != st.st_ino
    assert key(tmp_path) != before


@pytest.mark.parametrize("folder", uptodate.SITE_FOLDERS)
def test_a_file_added_deep_in_any_of_the_four_folders_makes_the_key_differ(tmp_path, folder):
    site(tmp_path)
    (tmp_path / folder / "a" / "b").mkdir(parents=True)
    before = key(tmp_path)
    (tmp_path / folder / "a" / "b" / "new.txt").write_text("", encoding="utf-8")
    assert key(tmp_path) != before


@pytest.mark.parametrize("folder", uptodate.SITE_FOLDERS)
def test_a_file_deleted_from_any_of_the_four_folders_makes_the_key_differ(tmp_path, folder):
    site(tmp_path)
    files = [p for p in (tmp_path / folder).rglob("*") if p.is_file()]
    before = key(tmp_path)
    files[0].unlink()
    assert key(tmp_path) != before


def test_what_the_build_writes_and_files_outside_the_four_folders_leave_the_key_as_it_is(tmp_path):
    site(tmp_path)
    before = key(tmp_path)
    (tmp_path / "_site/index.html").write_text("<!DOCTYPE html><p>new", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache/pages.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    assert key(tmp_path) == before


def test_another_option_or_another_day_makes_the_key_differ(tmp_path):
    site(tmp_path)
    keys = {
        key(tmp_path, SETTINGS),
        key(tmp_path, ["_site", None, False, True, "2026-11-19"]),
        key(tmp_path, ["_site", "https://example.org/", False, True, "2026-11-18"]),
        key(tmp_path, ["_site", None, True, True, "2026-11-18"]),
        key(tmp_path, ["_site", None, False, False, "2026-11-18"]),
        key(tmp_path, ["public", None, False, True, "2026-11-18"]),
    }
    assert len(keys) == 6


def test_a_folder_missing_an_empty_folder_and_a_file_in_its_place_are_three_keys(tmp_path):
    site(tmp_path)
    for path in (tmp_path / "static").iterdir():
        path.unlink()
    (tmp_path / "static").rmdir()
    missing = key(tmp_path)
    (tmp_path / "static").write_text("", encoding="utf-8")
    a_file = key(tmp_path)
    (tmp_path / "static").unlink()
    (tmp_path / "static").mkdir()
    assert len({missing, a_file, key(tmp_path)}) == 3


def test_a_repository_moved_as_a_whole_is_still_up_to_date(tmp_path):
    """Files are named by their place in the site, not by the site's place on the disk."""
    first = site(tmp_path / "first")
    kept(first)
    moved = first.rename(tmp_path / "moved")
    assert state(moved)["key"] == key(moved)
    assert up_to_date(moved) is not None


def test_the_engine_changed_makes_the_key_differ_but_pythons_own_cache_of_it_does_not(tmp_path, monkeypatch, engine):
    site(tmp_path / "site")
    (engine / "__pycache__").mkdir()
    (engine / "render" / "__pycache__").mkdir(parents=True)
    for name in ("render/pages.py", "templates.html", "__pycache__/x.pyc"):
        (engine / name).write_text("", encoding="utf-8")
    in_name_order(monkeypatch)  # __pycache__ comes before the engine's other files
    before = key(tmp_path / "site")
    (engine / "__pycache__/x.pyc").write_text("compiled", encoding="utf-8")
    (engine / "render/__pycache__/pages.cpython-311.pyc").write_text("compiled", encoding="utf-8")
    assert key(tmp_path / "site") == before  # importing the engine writes these
    for name in ("__init__.py", "render/pages.py", "templates.html"):
        later(engine / name)
        assert key(tmp_path / "site") != before, name
        before = key(tmp_path / "site")


# --- the walk ------------------------------------------------------------------------------------


def test_a_folder_that_cannot_be_read_is_noted_and_the_files_beside_it_still_count(tmp_path, monkeypatch):
    site(tmp_path)
    (tmp_path / "static/a").mkdir()
    (tmp_path / "static/a/x.css").write_text("", encoding="utf-8")
    (tmp_path / "static/b").mkdir()
    in_name_order(monkeypatch, locked={"b"})  # b is walked first (the last folder found)
    rows = uptodate._files(tmp_path / "static")
    assert ("/b", errno.EACCES) in rows
    assert [row[0] for row in rows] == ["/a", "/a/x.css", "/b", "/b", "/logo.svg"]
    before = key(tmp_path)
    later(tmp_path / "static/a/x.css")
    assert key(tmp_path) != before


def test_a_file_deleted_while_the_files_are_walked_is_noted_and_the_walk_goes_on(tmp_path, monkeypatch):
    for name in ("a.md", "b.md~", "c.md"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    in_name_order(monkeypatch, vanishing={"b.md~"})
    rows = uptodate._files(tmp_path)
    assert rows[1] == ("/b.md~", errno.ENOENT)
    assert [row[0] for row in rows] == ["/a.md", "/b.md~", "/c.md"]


def test_a_link_is_described_by_itself_not_by_what_it_leads_to(tmp_path):
    """As the build reads it: a link is an entry of its own (load refuses one that leads out)."""
    (tmp_path / "logo.png").symlink_to("not-yet-made.png")
    [(name, *_rest, mode)] = uptodate._files(tmp_path)
    assert name == "/logo.png" and stat.S_ISLNK(mode)


def test_a_link_to_a_folder_is_not_walked_its_files_count_by_their_own_path(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img/a.png").write_bytes(b"png")
    (tmp_path / "pictures").symlink_to("img")
    (tmp_path / "all").symlink_to(".")
    assert [row[0] for row in uptodate._files(tmp_path)] == ["/all", "/img", "/img/a.png", "/pictures"]


# --- library versions ----------------------------------------------------------------------------


def test_a_library_folder_written_with_underscores_or_dots_is_the_same_project(tmp_path, monkeypatch):
    (tmp_path / "zope_interface-6.4.dist-info").mkdir()
    (tmp_path / "Ruamel.Yaml-0.18.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert uptodate._versions(("zope.interface", "ruamel-yaml")) == ["6.4", "0.18"]


def test_a_library_installed_some_other_way_is_found_and_one_not_installed_is_none(tmp_path, monkeypatch):
    (tmp_path / "legacy_lib.egg-info").mkdir()
    (tmp_path / "legacy_lib.egg-info/PKG-INFO").write_text(
        "Metadata-Version: 2.1\nName: legacy-lib\nVersion: 2.5\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert uptodate._versions(("legacy-lib", "no-such-library")) == ["2.5", None]


def test_a_version_is_everything_after_the_names_hyphen(tmp_path, monkeypatch):
    (tmp_path / "nh3-0.3-1.dist-info").mkdir()  # a legacy version with a hyphen in it
    (tmp_path / "some-legacy-tool-1.0.dist-info").mkdir()  # another project's odd name: no error
    monkeypatch.syspath_prepend(str(tmp_path))
    assert uptodate._versions(("nh3",)) == ["0.3-1"]


def test_a_place_on_sys_path_that_is_not_a_folder_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "libs/nh3-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "libs"))
    monkeypatch.syspath_prepend(str(tmp_path / "gone"))
    monkeypatch.syspath_prepend(str(tmp_path / "libs.zip"))
    (tmp_path / "libs.zip").write_bytes(b"PK")
    assert uptodate._versions(("nh3",)) == ["99.0"]


def test_the_empty_place_on_sys_path_is_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "nh3-99.0.dist-info").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend("")
    assert uptodate._versions(("nh3",)) == ["99.0"]


def test_a_new_version_of_any_library_that_makes_the_output_makes_the_key_differ(tmp_path, monkeypatch):
    site(tmp_path / "site")
    before = key(tmp_path / "site")
    # The pages' libraries, the catalogue's, and Pagefind's two: the package, and the binary it
    # runs (pagefind_bin), which writes the index and can be upgraded alone. Named here, not taken
    # from uptodate.LIBRARIES: whether each is in that list is what this test asks.
    made_by = (
        "Markdown",
        "nh3",
        "Jinja2",
        "MarkupSafe",
        "PyYAML",
        "Babel",
        "Pillow",
        "rdflib",
        "pagefind",
        "pagefind_bin",
    )
    for name in made_by:
        libs = tmp_path / f"libs-{name}"
        (libs / f"{name}-999.0.dist-info").mkdir(parents=True)
        with monkeypatch.context() as changed:
            changed.syspath_prepend(str(libs))
            assert key(tmp_path / "site") != before, name


# --- up to date: the kept build ------------------------------------------------------------------


def test_a_build_with_nothing_changed_is_up_to_date_and_says_the_last_builds_warnings_and_notices(tmp_path):
    site(tmp_path)
    problems = Problems()
    problems.warn("data/site.yaml", 3, _("warning: "))
    problems.notice(
        _("the build cache in .cache/ could not be kept ({reason}); the next build renders every page", reason="x")
    )
    kept(tmp_path, problems=problems, pages=5, files=2)
    outcome = up_to_date(tmp_path)
    assert (outcome.pages, outcome.files) == (5, 2)
    assert outcome.problems.items == problems.items and outcome.problems.notices == problems.notices
    assert say(outcome.problems.items[0].message, "sv") == say(_("warning: "), "sv") != "warning: "
    assert up_to_date(tmp_path, MOMENT + dt.timedelta(days=300)) is not None  # no alert: no end to it


def test_another_key_is_not_up_to_date(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    assert up_to_date(tmp_path, settings=["_site", "https://example.org/", False, True, "2026-11-18"]) is None
    later(tmp_path / "data/site.yaml")
    assert up_to_date(tmp_path) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda out: (out / "index.html").write_text("<!DOCTYPE html!", encoding="utf-8"),  # the same size
        lambda out: later(out / "index.html"),
        lambda out: (out / "index.html").unlink(),
        lambda out: (out / "css/extra.css").write_text("", encoding="utf-8"),
        lambda out: (out / "css/site.css").rename(out / "css/moved.css"),
        lambda out: __import__("shutil").rmtree(out),
    ],
    ids=["edited by hand", "touched", "deleted", "added", "renamed", "output folder deleted"],
)
def test_an_output_file_changed_by_hand_means_not_up_to_date(tmp_path, change):
    site(tmp_path)
    kept(tmp_path)
    change(tmp_path / "_site")
    assert up_to_date(tmp_path) is None


def test_the_clock_gone_back_is_not_up_to_date(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    assert up_to_date(tmp_path, MOMENT - dt.timedelta(microseconds=1)) is None


def test_the_next_alert_change_time_ends_being_up_to_date(tmp_path):
    site(tmp_path)
    starts = dt.datetime(2026, 11, 18, 12, tzinfo=CET)  # 11:00 UTC, written in its own zone
    kept(tmp_path, schedule=(alert(starts, starts + dt.timedelta(hours=6)),))
    assert up_to_date(tmp_path, starts - dt.timedelta(microseconds=1)) is not None
    assert up_to_date(tmp_path, starts) is None
    assert up_to_date(tmp_path, starts + dt.timedelta(hours=1)) is None


def test_the_end_of_an_alert_running_now_ends_being_up_to_date(tmp_path):
    site(tmp_path)
    ends = dt.datetime(2026, 11, 18, 13, tzinfo=dt.UTC)
    kept(tmp_path, schedule=(alert(MOMENT - dt.timedelta(hours=1), ends),))
    assert up_to_date(tmp_path, ends - dt.timedelta(microseconds=1)) is not None
    assert up_to_date(tmp_path, ends) is None


def test_the_nearest_of_all_alert_changes_counts_and_past_ones_none(tmp_path):
    site(tmp_path)
    hour = dt.timedelta(hours=1)
    schedule = (
        alert(MOMENT + 5 * hour, MOMENT + 9 * hour),
        alert(MOMENT - 9 * hour, MOMENT - 5 * hour),  # over before the build
        alert(MOMENT + 2 * hour, MOMENT + 3 * hour),
    )
    kept(tmp_path, schedule=schedule)
    assert up_to_date(tmp_path, MOMENT + 2 * hour - dt.timedelta(microseconds=1)) is not None
    assert up_to_date(tmp_path, MOMENT + 2 * hour) is None


def test_an_alert_that_starts_at_the_builds_moment_is_shown_by_it_so_its_end_is_the_next_change(tmp_path):
    site(tmp_path)
    ends = MOMENT + dt.timedelta(hours=4)
    kept(tmp_path, schedule=(alert(MOMENT, ends),))
    assert up_to_date(tmp_path, MOMENT) is not None
    assert up_to_date(tmp_path, ends - dt.timedelta(microseconds=1)) is not None
    assert up_to_date(tmp_path, ends) is None


# --- the kept state ------------------------------------------------------------------------------


def test_no_kept_state_is_not_up_to_date(tmp_path):
    site(tmp_path)
    assert up_to_date(tmp_path) is None


def test_a_kept_state_that_is_not_json_is_ignored(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    (tmp_path / uptodate.STATE).write_text("{", encoding="utf-8")
    assert up_to_date(tmp_path) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"format": uptodate.FORMAT + 1},
        {"pages": "5"},
        {"files": "2"},
        {"pages": True},
        {"pages": 5.0, "files": 2.0},
        {"problems": [["data/site.yaml", 3, "broken", "error"]]},
        {"problems": [["data/site.yaml", 3, "odd", "fatal"]]},
        {"notices": [{"msgid": 3, "plural": None, "count": None, "values": {}}]},
        {"moment": "yesterday"},
        {"until": "soon"},
        {"output": None},
    ],
    ids=[
        "another format",
        "pages not a number",
        "files not a number",
        "pages true",
        "counts not whole",
        "an error",
        "no such severity",
        "a notice not a message",
        "a moment not a time",
        "an end not a time",
        "no output",
    ],
)
def test_a_kept_state_this_engine_would_not_write_is_not_up_to_date(tmp_path, changes):
    site(tmp_path)
    kept(tmp_path)
    assert up_to_date(tmp_path) is not None
    edit_state(tmp_path, **changes)
    assert up_to_date(tmp_path) is None


def test_a_kept_state_with_a_part_missing_is_not_up_to_date(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    for name in list(state(tmp_path)):
        kept(tmp_path)
        whole = state(tmp_path)
        del whole[name]
        (tmp_path / uptodate.STATE).write_text(json.dumps(whole), encoding="utf-8")
        assert up_to_date(tmp_path) is None, name


def test_a_build_is_kept_beside_the_build_cache_in_cache(tmp_path):
    site(tmp_path)
    (tmp_path / ".cache/pages").mkdir(parents=True)  # the build cache is there already
    kept(tmp_path)
    assert up_to_date(tmp_path) is not None
    kept(tmp_path, pages=6)  # and a second good build replaces it
    assert up_to_date(tmp_path).pages == 6
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == ["last-build.json", "pages"]


def test_a_state_that_cannot_be_written_leaves_none_so_the_next_build_builds(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    (tmp_path / ".cache" / f".last-build.json.{os.getpid()}").mkdir()  # where it is written first
    kept(tmp_path, pages=6)
    assert not (tmp_path / uptodate.STATE).exists()
    assert up_to_date(tmp_path) is None


def test_an_outcome_that_cannot_be_kept_leaves_no_state(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    kept(tmp_path, pages=object())
    assert not (tmp_path / uptodate.STATE).exists()


def test_forget_means_the_next_build_builds_and_forgetting_twice_is_no_error(tmp_path):
    site(tmp_path)
    kept(tmp_path)
    uptodate.forget(tmp_path)
    assert up_to_date(tmp_path) is None
    uptodate.forget(tmp_path)
    assert not (tmp_path / uptodate.STATE).exists()
