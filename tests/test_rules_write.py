"""Every rule of the write stage (portal/write.py), one small test each, on tmp_path."""

from __future__ import annotations

import errno
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


MADE = b"made by build.py; the next build replaces this folder\n"  # the MARKER's text


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files(folder: Path, paths: list[str]) -> Path:
    for path in paths:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(path)
    return folder


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


# --- failures said plainly ----------------------------------------------------------------------


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_an_output_folder_that_cannot_be_made_beside_the_target_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(write.tempfile, "mkdtemp", no_space)
    problems = Problems()
    write.write([Output("a.html", b"x")], tmp_path / "_site", problems)
    assert messages(problems) == [f"{tmp_path / '_site'}: no space left on device; nothing was written"]


def test_a_site_that_cannot_be_swapped_in_leaves_the_previous_one(tmp_path, monkeypatch):
    out = tmp_path / "_site"
    write.write([Output("old.html", b"old")], out, Problems())
    monkeypatch.setattr(write, "swap", no_space)
    problems = Problems()
    write.write([Output("new.html", b"new")], out, problems)
    assert messages(problems) == [
        f"{out}: no space left on device (putting the new site in place); the previous site is as it was"
    ]
    assert (out / "old.html").exists() and not (out / "new.html").exists()


def test_a_failure_after_the_files_names_the_marker(tmp_path):
    problems = Problems()
    write.write([Output(f"{write.MARKER}/x", b"x")], tmp_path / "_site", problems)
    assert messages(problems) == [
        f"{tmp_path / '_site'}: is a directory (writing {write.MARKER}); the previous site is as it was"
    ]


def test_a_reason_without_a_strerror_is_the_error_itself():
    assert write.reason(OSError("No room")) == "no room"


def test_an_output_folder_outside_the_working_folder_is_shown_whole(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert write.shown(tmp_path / "_site") == str(tmp_path / "_site")
    assert write.shown(tmp_path / "elsewhere/_site") == "_site"


# --- streamed pages and the staging folder --------------------------------------------------------


def test_pages_put_in_the_staging_folder_are_kept_and_the_rest_written_beside_them(tmp_path):
    out = tmp_path / "_site"
    problems = Problems()

    def finish(folder):
        (folder / "index.json").write_text("{}")

    with write.staging(out) as folder:
        written = write.put(folder, Output("a/index.html", b"streamed"))
        assert written == Output("a/index.html", written=True)
        write.write([written, Output("b.html", b"rest")], out, problems, finish, folder=folder)
    assert problems.items == []
    assert tree(out) == {"a/index.html": b"streamed", "b.html": b"rest", "index.json": b"{}", write.MARKER: MADE}


@pytest.mark.parametrize("keep", [None, "keep/site"])
def test_there_is_no_staging_folder_for_a_target_that_would_be_refused(tmp_path, keep):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/page.md").write_text("work")
    with write.staging(tmp_path / "content", keep and tmp_path / keep) as folder:
        assert folder is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_the_staging_folder_is_made_beside_the_target_even_in_folders_not_made_yet_and_removed_after(tmp_path):
    out = tmp_path / "a/b/_site"
    with write.staging(out) as folder:
        # Beside the target, so the swap is a rename on one disk; its parents made as needed.
        assert folder is not None and folder.parent == out.parent and folder.is_dir()
        (folder / "page.html").write_text("x")
    assert not folder.exists() and list(out.parent.iterdir()) == []


def test_the_kept_site_is_used_for_a_target_in_folders_not_made_yet_and_stays(tmp_path):
    keep = tmp_path / "cache/site"
    with write.staging(tmp_path / "a/b/_site", keep) as folder:
        assert folder == keep
        (folder / "page.html").write_text("x")
    assert tree(keep) == {"page.html": b"x"} and (tmp_path / "a/b").is_dir()


def test_the_kept_sites_lock_is_a_plain_file_readable_by_all_and_writable_by_its_owner(tmp_path):
    old = os.umask(0)
    try:
        with write.staging(tmp_path / "_site", tmp_path / "cache/site"):
            pass
    finally:
        os.umask(old)
    assert mode(tmp_path / "cache/site.lock") == 0o644


# --- the kept site: a build writes only what differs into the site before the last -------------


def test_a_kept_site_that_is_a_link_is_replaced_by_a_folder_never_followed(tmp_path):
    outside = files(tmp_path / "outside", ["index.html"])
    keep = tmp_path / "keep/site"
    keep.parent.mkdir()
    keep.symlink_to(outside, target_is_directory=True)
    with write.staging(tmp_path / "_site", keep) as folder:
        assert folder == keep and not keep.is_symlink() and list(keep.iterdir()) == []
    assert tree(outside) == {"index.html": b"index.html"}


def test_a_kept_site_with_a_link_in_it_is_emptied_and_used(tmp_path):
    outside = files(tmp_path / "outside", ["index.html"])
    keep = files(tmp_path / "keep/site", ["a.html"])
    (keep / "nyheter").symlink_to(outside, target_is_directory=True)
    with write.staging(tmp_path / "_site", keep) as folder:
        assert folder == keep and list(keep.iterdir()) == []
    assert tree(outside) == {"index.html": b"index.html"}


def test_a_kept_site_of_folders_and_files_only_is_plain(tmp_path):
    site = files(tmp_path / "site", ["a.html", "b/c/d.html"])
    assert write._plain(site)
    os.mkfifo(site / "b/c/pipe")
    assert not write._plain(site)
    (site / "b/c/pipe").unlink()
    (site / "b/link").symlink_to(site / "a.html")
    assert not write._plain(site)


def test_only_the_files_that_differ_are_written_into_a_kept_site(tmp_path):
    keep = files(tmp_path / "keep/site", ["same.html", "changed.html", "old.html", "old/deep/x.html"])
    stored = tmp_path / "stored.html"
    stored.write_bytes(b"kept page")
    (keep / "reused.html").hardlink_to(stored)
    same = (keep / "same.html").stat().st_ino
    out = tmp_path / "_site"
    problems = Problems()
    with write.staging(out, keep) as folder:
        outputs = [
            Output("same.html", b"same.html"),  # first: the files after it are written all the same
            Output("changed.html", b"new"),
            Output("reused.html", copy_from=stored, reused=True),
            Output("linked/index.html", copy_from=stored, reused=True),
        ]
        write.write(outputs, out, problems, folder=folder)
    assert problems.items == []
    assert tree(out) == {
        "same.html": b"same.html",
        "changed.html": b"new",
        "reused.html": b"kept page",
        "linked/index.html": b"kept page",
        write.MARKER: MADE,
    }
    assert (out / "same.html").stat().st_ino == same  # not written again
    assert (out / "reused.html").stat().st_ino == stored.stat().st_ino
    assert (out / "linked/index.html").stat().st_ino == stored.stat().st_ino


def test_a_stored_page_that_cannot_be_linked_is_copied(tmp_path, monkeypatch):
    stored = tmp_path / "stored.html"
    stored.write_bytes(b"kept page")
    monkeypatch.setattr(write.os, "link", lambda a, b: no_space())
    write._link(stored, tmp_path / "copy.html")
    assert (tmp_path / "copy.html").read_bytes() == b"kept page"
    assert (tmp_path / "copy.html").stat().st_ino != stored.stat().st_ino


# --- _same: is the kept site's file already the output? --------------------------------------------


@pytest.fixture
def kept(tmp_path):
    stored = tmp_path / "stored.html"
    stored.write_bytes(b"page")
    (tmp_path / "linked.html").hardlink_to(stored)
    (tmp_path / "copy.html").write_bytes(b"page")
    (tmp_path / "longer.html").write_bytes(b"page!")
    (tmp_path / "other.html").write_bytes(b"PAGE")
    (tmp_path / "folder.html").mkdir()
    return tmp_path


def test_a_reused_page_is_the_same_only_as_the_stored_file_itself(kept):
    reused = Output("x", copy_from=kept / "stored.html", reused=True)
    assert write._same(str(kept / "linked.html"), reused)
    assert not write._same(str(kept / "copy.html"), reused)
    assert not write._same(str(kept / "missing.html"), reused)


@pytest.mark.parametrize("how", ["bytes", "copied"])
def test_an_output_is_the_same_as_a_file_with_its_bytes(kept, how):
    o = Output("x", b"page") if how == "bytes" else Output("x", copy_from=kept / "stored.html")
    assert write._same(str(kept / "copy.html"), o)
    assert not write._same(str(kept / "longer.html"), o)
    assert not write._same(str(kept / "other.html"), o)
    assert not write._same(str(kept / "folder.html"), o)
    assert not write._same(str(kept / "missing.html"), o)


# --- _clear_way: room for a new file where a kept site has something else --------------------------


def test_a_kept_sites_file_where_a_folder_must_be_is_removed(tmp_path):
    files(tmp_path, ["a/b", "c", "d/e/f/g.html"])
    write._clear_way(tmp_path, "a/b/c/index.html")
    write._clear_way(tmp_path, "c/d/index.html")
    assert (
        (tmp_path / "a/b/c").is_dir() and (tmp_path / "c/d").is_dir() and not (tmp_path / "a/b/c/index.html").exists()
    )


def test_a_kept_sites_folder_where_the_file_goes_is_removed(tmp_path):
    files(tmp_path, ["a/index.html/x/y.html"])
    write._clear_way(tmp_path, "a/index.html")
    assert tree(tmp_path) == {} and (tmp_path / "a").is_dir()


def test_a_link_in_the_way_is_removed_not_followed(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/a").symlink_to(tmp_path / "missing")
    (tmp_path / "site/b.html").symlink_to(files(tmp_path, ["outside.html"]) / "outside.html")
    write._clear_way(tmp_path / "site", "a/index.html")
    write._clear_way(tmp_path / "site", "b.html")
    assert (tmp_path / "site/a").is_dir() and not (tmp_path / "site/a").is_symlink()
    assert not (tmp_path / "site/b.html").exists() and (tmp_path / "outside.html").exists()


# --- _remove_others: what the new site does not have goes --------------------------------------------


def test_every_file_the_new_site_does_not_have_is_removed_with_the_folders_it_leaves_empty(tmp_path):
    site = files(tmp_path / "site", [write.MARKER, "index.html", "old.html", "a/keep.html", "a/old.html"])
    files(site, ["b/c/d/old.html", "e/old.html", "f/g/old.html", "f/h/old.html", "a/i/old.html", "a/j/old.html"])
    write._remove_others(site, {"index.html", "a/keep.html"})
    assert tree(site) == {
        write.MARKER: write.MARKER.encode(),
        "index.html": b"index.html",
        "a/keep.html": b"a/keep.html",
    }
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()) == ["a"]


def test_a_link_in_a_kept_site_is_removed_not_followed(tmp_path):
    outside = files(tmp_path / "outside", ["index.html", "sub/x.html"])
    site = files(tmp_path / "site", ["index.html"])
    (site / "nyheter").symlink_to(outside, target_is_directory=True)
    (site / "page.html").symlink_to(outside / "index.html")
    write._remove_others(site, {"index.html", "nyheter/index.html"})
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert tree(outside) == {"index.html": b"index.html", "sub/x.html": b"sub/x.html"}


def test_a_folder_written_into_since_the_walk_is_kept(tmp_path, monkeypatch):
    site = files(tmp_path / "site", ["a/old.html"])
    real_rmdir = os.rmdir

    def rmdir(path):
        (Path(path) / "new.html").write_text("new")  # as a page written meanwhile
        real_rmdir(path)

    monkeypatch.setattr(write.os, "rmdir", rmdir)
    write._remove_others(site, set())
    assert tree(site) == {"a/new.html": b"new"}


def test_a_file_gone_since_the_walk_is_no_error(tmp_path, monkeypatch):
    site = files(tmp_path / "site", ["a/old.html"])
    real_unlink = os.unlink

    def unlink(path):
        real_unlink(path)
        real_unlink(path)  # as if removed meanwhile: the second says it is not there

    monkeypatch.setattr(write.os, "unlink", unlink)
    write._remove_others(site, set())
    assert list(site.iterdir()) == []
