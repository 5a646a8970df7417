"""Every rule of the write stage (portal/write.py), one small test each, on tmp_path."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from portal import write
from portal.output import Output
from portal.problems import Problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- paths --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", "a/b/c.css", "a..b/x", "..a", "a/.well-known/x"])
def test_paths_inside_the_folder_are_safe(path):
    assert write.safe_relative(path)


@pytest.mark.parametrize("path", ["", "..", "../x", "a/../../x", "a/..", "/etc/passwd", "a\\..\\x", "a\\b", "a\x00b"])
def test_paths_that_could_leave_the_folder_are_not(path):
    assert not write.safe_relative(path)


@pytest.mark.parametrize("path", ["/abs.html", "a\\b.html", "../x.html"])
def test_write_refuses_an_unsafe_path_and_writes_nothing(tmp_path, path):
    problems = Problems()
    write.write([Output("ok.html", b"x"), Output(path, b"x")], tmp_path / "_site", problems)
    assert messages(problems) == [f"{path}: would be written outside the output folder; refused"]
    assert list(tmp_path.iterdir()) == []


def test_two_outputs_on_one_path_name_the_static_file_first():
    problems = Problems()
    write.clashes([Output("robots.txt", b"own"), Output("robots.txt", copy_from="x"), Output("a.html", b"a")], problems)
    assert messages(problems) == [
        "static/robots.txt: two files on one URL /robots.txt: static/robots.txt and the build's own /robots.txt"
    ]


def test_two_built_outputs_on_one_path():
    problems = Problems()
    write.clashes([Output("a.html", b"1"), Output("a.html", b"2")], problems)
    assert messages(problems) == [
        "the build's own /a.html: two files on one URL /a.html: the build's own /a.html and the build's own /a.html"
    ]


def test_a_clash_is_reported_once_per_extra_output():
    problems = Problems()
    write.clashes([Output("a", b"1"), Output("a", b"2"), Output("a", b"3")], problems)
    assert len(problems.items) == 2


# --- the target folder ----------------------------------------------------------------------------


def test_the_target_may_be_missing_or_empty_or_made_by_the_tool(tmp_path):
    problems = Problems()
    write.check_target(tmp_path / "missing", problems)
    (tmp_path / "empty").mkdir()
    write.check_target(tmp_path / "empty", problems)
    (tmp_path / "made").mkdir()
    (tmp_path / "made" / write.MARKER).write_text("")
    write.check_target(tmp_path / "made", problems)
    assert problems.items == []


def test_a_file_is_not_a_target(tmp_path):
    (tmp_path / "out").write_text("x")
    problems = Problems()
    write.write([Output("a.html", b"x")], tmp_path / "out", problems)
    assert messages(problems) == [f"{tmp_path / 'out'}: the output path is a file, not a folder"]
    assert (tmp_path / "out").read_text() == "x"


def test_a_folder_the_tool_did_not_make_is_never_replaced(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/page.md").write_text("work")
    problems = Problems()
    write.write([Output("a.html", b"x")], tmp_path / "content", problems)
    assert messages(problems) == [
        f"{tmp_path / 'content'}: refusing to replace this folder: it is not empty and was not made by build.py"
    ]
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["page.md"]


# --- writing --------------------------------------------------------------------------------------


def test_a_written_site_is_readable_by_a_web_server(tmp_path):
    out = tmp_path / "_site"
    src = tmp_path / "logo.svg"
    src.write_bytes(b"<svg/>")
    problems = Problems()
    write.write([Output("a/index.html", b"page"), Output("logo.svg", copy_from=src)], out, problems)
    assert problems.items == []
    assert mode(out) == 0o755
    assert (out / "a/index.html").read_bytes() == b"page" and (out / "logo.svg").read_bytes() == b"<svg/>"
    assert (out / write.MARKER).read_text() == "made by build.py; the next build replaces this folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "logo.svg"]


def test_the_output_may_be_in_a_folder_that_does_not_exist_yet(tmp_path):
    problems = Problems()
    write.write([Output("a.html", b"x")], tmp_path / "deep/er/_site", problems)
    assert problems.items == [] and (tmp_path / "deep/er/_site/a.html").read_bytes() == b"x"


def test_finish_sees_the_written_site_before_the_swap(tmp_path):
    seen = []

    def finish(folder):
        seen.append(
            ((folder / "a.html").read_bytes(), folder.name.startswith(".portal-tmp-_site-"), folder.parent == tmp_path)
        )
        (folder / "index.json").write_text("{}")

    write.write([Output("a.html", b"x")], tmp_path / "_site", Problems(), finish)
    assert seen == [(b"x", True, True)] and (tmp_path / "_site/index.json").read_text() == "{}"


def test_a_failed_finish_swaps_nothing_and_leaves_no_temporary_folder(tmp_path):
    out = tmp_path / "_site"
    write.write([Output("old.html", b"old")], out, Problems())
    problems = Problems()
    write.write([Output("new.html", b"new")], out, problems, lambda folder: problems.error("search", None, "failed"))
    assert (
        [p.name for p in tmp_path.iterdir()] == ["_site"]
        and (out / "old.html").exists()
        and not (out / "new.html").exists()
    )


def test_a_failed_write_leaves_the_old_site_and_no_temporary_folder(tmp_path):
    out = tmp_path / "_site"
    write.write([Output("old.html", b"old")], out, Problems())
    problems = Problems()
    write.write([Output("new.html", copy_from=tmp_path / "missing")], out, problems)
    [error] = problems.errors
    assert error.path == write.shown(out) and error.line is None
    assert error.message == "no such file or directory (writing new.html); the previous site is as it was"
    assert [p.name for p in tmp_path.iterdir()] == ["_site"] and (out / "old.html").exists()


def test_the_cleanup_deletes_only_this_builds_temporary_folders(tmp_path):
    mine = tmp_path / ".portal-tmp-_site-abc"
    other_output = tmp_path / ".portal-tmp-public-abc"
    prefix_only = tmp_path / ".portal-tmp-_sitex"
    unrelated = tmp_path / "_site-abc"
    for folder in (mine, other_output, prefix_only, unrelated):
        folder.mkdir()
        (folder / "f").write_text("x")
    write.write([Output("a.html", b"x")], tmp_path / "_site", Problems())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".portal-tmp-public-abc", ".portal-tmp-_sitex", "_site-abc", "_site"]
    )


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_build(tmp_path):
    (tmp_path / ".portal-tmp-_site-file").write_text("a file, not a folder: rmtree refuses it")
    problems = Problems()
    write.write([Output("a.html", b"x")], tmp_path / "_site", problems)
    assert problems.items == [] and (tmp_path / "_site/a.html").exists()


def test_the_cleanup_of_an_output_whose_parent_is_missing_does_nothing(tmp_path):
    write.clean_leftovers(tmp_path / "missing/_site")
    assert list(tmp_path.iterdir()) == []


def test_a_second_build_replaces_the_first(tmp_path):
    out = tmp_path / "_site"
    write.write([Output("a.html", b"1")], out, Problems())
    write.write([Output("b.html", b"2")], out, Problems())
    assert sorted(p.name for p in out.iterdir()) == [write.MARKER, "b.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


def test_the_swap_without_an_atomic_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    new, out = tmp_path / "new", tmp_path / "out"
    new.mkdir()
    (new / "n").write_text("new")
    out.mkdir()
    (out / "o").write_text("old")
    write.swap(new, out)
    assert (
        (out / "n").exists() and (new / "o").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["new", "out"]
    )


def test_the_atomic_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    (a / "x").write_text("a")
    b.mkdir()
    (b / "y").write_text("b")
    assert write._exchange(a, b) is True
    assert [p.name for p in b.iterdir()] == ["x"] and [p.name for p in a.iterdir()] == ["y"]


def test_the_atomic_exchange_works_with_relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x").write_text("a")
    (tmp_path / "b").mkdir()
    assert write._exchange(Path("a"), Path("b")) is True and (tmp_path / "b/x").exists()


def test_without_renameat2_there_is_no_atomic_exchange(tmp_path, monkeypatch):
    def no_libc(*args, **kwargs):
        raise OSError("no libc")

    monkeypatch.setattr(write.ctypes, "CDLL", no_libc)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert write._exchange(tmp_path / "a", tmp_path / "b") is False


def test_the_atomic_exchange_reports_a_failure(tmp_path):
    assert write._exchange(tmp_path / "missing-a", tmp_path / "missing-b") is False


# --- update ---------------------------------------------------------------------------------------


@pytest.fixture
def made(tmp_path):
    out = tmp_path / "_site"
    write.write(
        [Output("a/index.html", b"a"), Output("b/c/index.html", b"c"), Output("b/d.html", b"d")], out, Problems()
    )
    return out


def test_update_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "content").mkdir()
    problems = Problems()
    write.update(tmp_path / "content", {"a.html": b"x"}, [], problems)
    assert messages(problems) == [
        f"{tmp_path / 'content'}: the output folder was not made by build.py; refusing to update it"
    ]
    assert list((tmp_path / "content").iterdir()) == []


@pytest.mark.parametrize("changed, removed", [({"../x.html": b"x"}, []), ({}, ["/etc/passwd"]), ({"a\\b": b"x"}, [])])
def test_update_refuses_an_unsafe_path_and_changes_nothing(made, changed, removed):
    problems = Problems()
    write.update(made, {"a/index.html": b"new", **changed}, removed, problems)
    bad = next(iter(changed)) if changed else removed[0]
    assert messages(problems) == [f"{bad}: would be written outside the output folder; refused"]
    assert (made / "a/index.html").read_bytes() == b"a"


def test_update_writes_readable_files_and_leaves_no_part_files(made):
    problems = Problems()
    write.update(made, {"a/index.html": b"new", "e/f/index.html": b"f"}, [], problems)
    assert problems.items == []
    assert (made / "a/index.html").read_bytes() == b"new" and (made / "e/f/index.html").read_bytes() == b"f"
    assert mode(made / "a/index.html") == 0o644 and mode(made / "e/f/index.html") == 0o644
    assert not [p for p in made.rglob(".portal-part-*")]


def test_update_removes_files_and_the_folders_they_leave_empty(made):
    problems = Problems()
    write.update(made, {}, ["b/c/index.html", "missing.html"], problems)
    assert not (made / "b/c").exists() and (made / "b/d.html").exists()
    write.update(made, {}, ["b/d.html", "a/index.html"], problems)
    assert problems.items == [] and sorted(p.name for p in made.iterdir()) == [write.MARKER]


def test_update_writes_each_file_beside_its_target_and_renames_it_over(made, monkeypatch):
    renamed = []
    real_replace = os.replace

    def replace(src, dst):
        renamed.append((Path(src).parent, Path(src).name.startswith(".portal-part-"), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    write.update(made, {"b/c/index.html": b"new"}, [], Problems())
    assert renamed == [(made / "b/c", True, made / "b/c/index.html")]


def test_update_reports_a_file_it_cannot_write(made):
    (made / "a/index.html").unlink()
    (made / "a/index.html").mkdir()
    (made / "a/index.html/x").write_text("x")
    problems = Problems()
    write.update(made, {"a/index.html": b"x"}, [], problems)
    assert len(problems.items) == 1 and messages(problems)[0].startswith(
        f"{made}: could not update the output folder: "
    )


def test_update_reports_an_error_without_a_strerror(made, monkeypatch):
    def fail(*args):
        raise OSError("no room")

    monkeypatch.setattr(write.os, "replace", fail)
    problems = Problems()
    write.update(made, {"a/index.html": b"x"}, [], problems)
    assert messages(problems) == [f"{made}: could not update the output folder: no room"]


def test_a_writable_umask_does_not_change_the_modes(tmp_path):
    old = os.umask(0o077)
    try:
        write.write([Output("a.html", b"x")], tmp_path / "_site", Problems())
        assert mode(tmp_path / "_site") == 0o755
    finally:
        os.umask(old)
