"""Write stage: all or nothing, never outside the output folder."""

from __future__ import annotations

import fcntl
import os

from portal import write
from portal.output import Output
from portal.problems import Problems


def test_output_is_swapped_in_whole(tmp_path):
    out = tmp_path / "_site"
    problems = Problems()
    write.write([Output("a/index.html", b"one")], out, problems)
    write.write([Output("b/index.html", b"two")], out, problems)
    assert problems.errors == []
    assert (out / "b/index.html").read_bytes() == b"two" and not (out / "a").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]  # no temporary folder left behind


def test_paths_outside_the_output_are_refused(tmp_path):
    problems = Problems()
    write.write([Output("../evil.html", b"x")], tmp_path / "_site", problems)
    assert "would be written outside the output folder" in str(problems.errors[0])
    assert not (tmp_path / "evil.html").exists() and not (tmp_path / "_site").exists()


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path):
    leftover = tmp_path / ".portal-tmp-_site-abc123"
    leftover.mkdir()
    write.write([Output("index.html", b"x")], tmp_path / "_site", Problems())
    assert not leftover.exists()


def _build_kept(out, keep, outputs, problems=None):
    """One build as pipeline does it with a build cache: staged in the kept site, swapped in."""
    problems = problems or Problems()
    with write.staging(out, keep) as folder:
        write.write(outputs, out, problems, folder=folder)
    return problems


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_with_a_kept_site_the_next_build_changes_only_what_differs_and_removes_the_rest(tmp_path):
    out, keep = tmp_path / "_site", tmp_path / ".cache" / "x" / "site"
    stored = tmp_path / "stored.html"
    stored.write_bytes(b"kept page")
    first = [
        Output("a/index.html", b"one"),
        Output("b", b"file"),
        Output("c/index.html", copy_from=stored, reused=True),
    ]
    assert _build_kept(out, keep, first).errors == []
    assert not keep.exists() or not any(keep.iterdir())  # the first build had no site to replace
    second = [Output("a/index.html", b"two"), Output("b/index.html", b"now a folder"), *first[2:]]
    assert _build_kept(out, keep, second).errors == []
    # The third build is made in the first one's site, kept since the second build's swap:
    third = [Output("a", b"a file now"), Output("b/index.html", b"now a folder"), *first[2:]]
    assert _build_kept(out, keep, third).errors == []
    assert _tree(out) == {
        "a": b"a file now",
        "b/index.html": b"now a folder",
        "c/index.html": b"kept page",
        write.MARKER: (out / write.MARKER).read_bytes(),
    }
    assert (out / "c/index.html").stat().st_ino == stored.stat().st_ino  # the cache's page, not a copy
    assert _tree(keep)["a/index.html"] == b"two"  # the second build's site, kept for the next
    assert stored.read_bytes() == b"kept page"  # never written through another name
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "_site", "stored.html"]
    # The fourth is made in the second's site: a file it has already is not written again.
    os.utime(keep / "b/index.html", ns=(946_684_800 * 10**9,) * 2)  # 2000-01-01: a new file would be dated now
    assert _build_kept(out, keep, second).errors == []
    assert (out / "b/index.html").stat().st_mtime_ns == 946_684_800 * 10**9
    assert (out / "a/index.html").read_bytes() == b"two" and not (out / "a").is_file()


def test_a_file_of_the_kept_site_is_replaced_never_written_into(tmp_path):
    """The kept site's files are the published site's and the cache's by other names."""
    out, keep = tmp_path / "_site", tmp_path / "keep" / "site"
    keep.mkdir(parents=True)
    (keep / write.MARKER).write_text("made by build.py")
    shared = tmp_path / "published.html"
    shared.write_bytes(b"published")
    (keep / "page.html").hardlink_to(shared)
    with write.staging(out, keep) as folder:
        write.put(folder, Output("page.html", b"new"))
        write.write([Output("page.html", written=True)], out, Problems(), folder=folder)
    assert (out / "page.html").read_bytes() == b"new"
    assert shared.read_bytes() == b"published"


def test_a_kept_site_in_use_by_another_build_is_not_shared(tmp_path):
    out, keep = tmp_path / "_site", tmp_path / "keep" / "site"
    keep.parent.mkdir()
    lock = os.open(keep.parent / "site.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as another build holds it (a lock per open file, even in one process)
    try:
        with write.staging(out, keep) as folder:
            assert folder is not None and folder.name.startswith(".portal-tmp-")
            write.write([Output("index.html", b"x")], out, Problems(), folder=folder)
    finally:
        os.close(lock)
    assert (out / "index.html").read_bytes() == b"x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "keep"]


def test_a_kept_site_with_a_link_in_it_is_not_used_nor_followed(tmp_path):
    """A cache restored from elsewhere is not trusted: through a link in the kept site a build
    would write, and remove files, outside it."""
    out, keep = tmp_path / "_site", tmp_path / "keep" / "site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("someone's file")
    keep.mkdir(parents=True)
    (keep / write.MARKER).write_text("made by build.py")
    (keep / "nyheter").symlink_to(outside, target_is_directory=True)
    problems = _build_kept(out, keep, [Output("nyheter/index.html", b"news"), Output("index.html", b"home")])
    assert problems.errors == []
    assert (outside / "index.html").read_text() == "someone's file"
    assert _tree(out) == {
        "nyheter/index.html": b"news",
        "index.html": b"home",
        write.MARKER: (out / write.MARKER).read_bytes(),
    }
