"""A full disk, or a folder the build may not write, at any stage of the build: one plain
message naming the folder and the cause, exit 1, the previous site byte for byte as it
was, and no temporary folder or half-written file left behind.

Each stage's fault is faked in-process (ENOSPC raised where that stage writes), so these
run on any machine. The last test also fills a real small file system, where this machine
lets the tests mount one (as root)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, edit
from portal import cli, pipeline, write
from portal.outputs import search
from portal.render import cache as page_cache
from portal.render import markup

NO_SPACE = os.strerror(errno.ENOSPC)  # "No space left on device"


def full(*args, **kwargs):
    raise OSError(errno.ENOSPC, NO_SPACE)


def build(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """build.py build in this process (so a fault can be put in its way): (exit code, stderr)."""
    monkeypatch.chdir(root)
    code = cli.main(["build", "--lang", "en", "--now", "2026-11-30", *args])
    return code, capsys.readouterr().err


def staged(path: Path) -> bool:
    """A file of the new site being made: in a new folder beside _site/, or in the site before
    last, kept in .cache/ (write.staging's `keep`)."""
    text = str(path)
    return ".portal-tmp-" in text or ("/.cache/" in text and f"/{pipeline.KEPT_SITE}/" in text)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list:
    """Temporary files and folders a build makes on its way: none may stay."""
    names = (".portal-tmp-", ".portal-part-", ".pagefind-", ".index-")
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.name.startswith(names))


@pytest.fixture
def built(tiny, monkeypatch, capsys) -> tuple[Path, dict]:
    """The tiny site built once, then a news item edited: the next build has something to write."""
    code, err = build(tiny, monkeypatch, capsys)
    assert code == 0, err
    before = snapshot(tiny / "_site")
    edit(
        next((tiny / "content/news").glob("*.sv.md")),
        "Ödeshög och Mjölby har ett avtal.",
        "En ny mening först. Ödeshög och Mjölby har ett avtal.",
    )
    return tiny, before


def assert_refused_plainly(root: Path, before: dict, code: int, err: str, where: str) -> None:
    assert code == 1, err
    assert err.startswith(f"{where}: "), err
    assert "internal error" not in err and "Traceback" not in err, err
    assert snapshot(root / "_site") == before  # the previous site, byte for byte
    assert leftovers(root) == []


def test_pages_that_cannot_be_written_leave_the_previous_site(built, monkeypatch, capsys):
    root, before = built
    real = Path.write_bytes

    def write_bytes(path, data):
        if staged(path) and path.suffix == ".html":
            full()
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    code, err = build(root, monkeypatch, capsys)
    assert_refused_plainly(root, before, code, err, "_site")
    assert "no space left on device (writing " in err and "the previous site is as it was" in err


def test_files_that_cannot_be_copied_leave_the_previous_site(built, monkeypatch, capsys):
    # Static files are copied, and pages the build cache kept are linked (or copied).
    root, before = built
    monkeypatch.setattr(write.shutil, "copyfile", full)
    monkeypatch.setattr(write.os, "link", full)
    code, err = build(root, monkeypatch, capsys)
    assert_refused_plainly(root, before, code, err, "_site")
    assert "no space left on device" in err


def test_an_output_folder_that_cannot_be_made_is_said_plainly(built, monkeypatch, capsys):
    root, before = built
    monkeypatch.setattr(write.tempfile, "mkdtemp", full)  # neither a new folder beside _site/ …
    real_mkdir = Path.mkdir

    def mkdir(path, *args, **kwargs):  # … nor the site kept in .cache/
        if staged(path / "x"):
            full()
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    code, err = build(root, monkeypatch, capsys)
    assert_refused_plainly(root, before, code, err, "_site")
    assert "no space left on device; nothing was written" in err


def test_a_site_that_cannot_be_swapped_in_leaves_the_previous_one(built, monkeypatch, capsys):
    root, before = built
    monkeypatch.setattr(write, "swap", full)
    code, err = build(root, monkeypatch, capsys)
    assert_refused_plainly(root, before, code, err, "_site")
    assert "(putting the new site in place)" in err


def test_a_search_index_cut_short_by_a_full_disk_leaves_the_previous_site(built, monkeypatch, capsys):
    root, before = built

    def run_out_of_space(command, stop):  # what Pagefind leaves: its script written, its entry file empty
        into = Path(command[command.index("--output-path") + 1])
        into.mkdir(parents=True, exist_ok=True)
        (into / "pagefind.js").write_text("// pagefind")
        (into / "pagefind-entry.json").write_text("")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(search, "_run", run_out_of_space)
    code, err = build(root, monkeypatch, capsys)
    assert_refused_plainly(root, before, code, err, "search index")
    assert "is incomplete" in err and "is the disk full?" in err


def test_workers_that_cannot_start_leave_the_markdown_to_the_build_itself(built, monkeypatch, capsys):
    root, _before = built
    code, err = build(root, monkeypatch, capsys, "--no-cache", "--jobs", "1", "--out", "one")
    assert code == 0, err
    monkeypatch.setattr(markup, "POOL_FROM", 0)  # the tiny site would not start the pool
    monkeypatch.setattr(markup, "_Pool", full)
    markup.convert.cache_clear()
    code, err = build(root, monkeypatch, capsys, "--no-cache", "--jobs", "2", "--out", "two")
    assert code == 0 and err == "", err
    assert snapshot(root / "two") == snapshot(root / "one")


@pytest.mark.parametrize("how", ["written whole", "added to"])
def test_a_build_cache_that_cannot_be_kept_is_a_notice_and_the_site_is_built(built, monkeypatch, capsys, how):
    root, _before = built

    class FillsUp:  # the cache's index: its first piece written (half of it, added to), then the disk is full
        def __init__(self, opened, *args, **kwargs):
            self.file, self.pieces = opened(*args, **kwargs), 0

        def write(self, text):
            self.pieces += 1
            if how == "added to":
                self.file.write(text[: len(text) // 2])
                full()
            return self.file.write(text) if self.pieces == 1 else full()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    if how == "written whole":  # a build that found no index writes it whole
        (index,) = (root / page_cache.FOLDER).glob(f"*/{page_cache.INDEX}")
        index.unlink()
        fdopen = os.fdopen
        monkeypatch.setattr(page_cache.os, "fdopen", lambda *a, **k: FillsUp(fdopen, *a, **k))
    else:  # a warm build after an edit adds the pages it rendered to the index

        def opens(file, mode="r", *args, **kwargs):
            return (FillsUp if mode == "ab" else lambda opened, *a, **k: opened(*a, **k))(
                open, file, mode, *args, **kwargs
            )

        monkeypatch.setattr(page_cache, "open", opens, raising=False)
    code, err = build(root, monkeypatch, capsys)
    assert code == 0, err
    assert "the build cache in .cache/ could not be kept (no space left on device)" in err
    assert any("En ny mening först." in p.read_text(encoding="utf-8") for p in (root / "_site").rglob("*.html"))
    assert leftovers(root) == []
    monkeypatch.undo()
    code, err = build(root, monkeypatch, capsys)  # the next build, with room again, is whole
    assert code == 0, err


def _can_mount(folder: Path) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if done.returncode == 0:
        subprocess.run(["umount", str(folder)], check=True)
    return done.returncode == 0


def test_a_real_full_file_system(tiny, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _can_mount(disk):
        pytest.skip(
            "this machine does not let the tests mount a small file system (needs root); the faked faults above still ran"
        )
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"}
    out = disk / "_site"

    def run():
        command = [sys.executable, str(REPO / "build.py"), "build", "--no-search", "--no-cache", "--out", str(out)]
        return subprocess.run(command, cwd=tiny, capture_output=True, text=True, env=env, timeout=120)

    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(disk)], check=True)
    try:
        first = run()
        assert first.returncode == 0, first.stderr
        before = snapshot(out)
        (tiny / "static/big.bin").write_bytes(os.urandom(8 * 1024 * 1024))  # the next site does not fit
        second = run()
        assert second.returncode == 1
        assert f"{out}: no space left on device (writing " in second.stderr, second.stderr
        assert "internal error" not in second.stderr
        assert snapshot(out) == before
        assert [p.name for p in disk.iterdir()] == ["_site"]  # no temporary folder left
    finally:
        subprocess.run(["umount", str(disk)], check=True)
