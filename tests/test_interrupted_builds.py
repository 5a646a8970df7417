"""A build killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous `_site/` byte for byte as it was, or, if the kill came after the swap,
the complete new site; never a mix. The next build succeeds and removes what
the killed ones left beside the output."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, run_build
from newsitems import write_pair

KILLS = 8


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def start_build(root):
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py")],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"},
    )


def leftovers(root):
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".portal-tmp-"))


def begun(root):
    """The new site's first page, begun where a build makes it: a new folder beside _site/, or
    the site before last, kept in .cache/ (write.staging's `keep`)."""
    for page in [*root.glob(".portal-tmp-*/index.html"), *root.glob(".cache/*/site/index.html")]:
        try:
            if "Tryggare" in page.read_text(encoding="utf-8"):
                return True
        except OSError:
            pass
    return False


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(tiny, tmp_path):
    assert run_build(tiny).returncode == 0
    old = snapshot(tiny / "_site")
    # The next build changes every page (the site title is in each one's header).
    site_yaml = tiny / "data/site.yaml"
    old_text = site_yaml.read_text(encoding="utf-8")
    new_text = old_text.replace("    title: Testsajten", "    title: Tryggare", 1)
    site_yaml.write_text(new_text, encoding="utf-8")
    # The site that build makes, built whole into another folder; and how long a build takes.
    began = time.monotonic()
    assert run_build(tiny, "--out", str(tmp_path / "reference")).returncode == 0
    duration = time.monotonic() - began
    new = snapshot(tmp_path / "reference")
    assert new != old

    rng = random.Random(7)
    outcomes = []
    hit_while_writing = False
    for kill in range(KILLS):
        build = start_build(tiny)
        if kill % 2:
            # While it writes: the short stretch that matters, hard to hit by chance.
            _wait_for_writing(tiny, build, deadline=time.monotonic() + 10 * duration)
            time.sleep(rng.uniform(0, 0.01))
        else:
            time.sleep(rng.uniform(0.1, 1.0) * duration)  # anywhere from start-up to the end
        build.send_signal(signal.SIGKILL)
        build.wait()
        now = snapshot(tiny / "_site")
        # The site before the kill, or (the kill came after the swap) the new one whole; never a mix.
        assert now in (old, new), "the output is a mix of two sites"
        outcomes.append("old" if now == old else "new")
        hit_while_writing = hit_while_writing or (now == old and begun(tiny))
        if now == new:
            # Back to the old site, so that each kill is of a build that changes every page: after
            # one build finished, the next would have nothing to do, and no kill could land before
            # its swap (a busy machine's reference build made the random waits too long for that).
            site_yaml.write_text(old_text, encoding="utf-8")
            assert run_build(tiny).returncode == 0
            assert snapshot(tiny / "_site") == old
            site_yaml.write_text(new_text, encoding="utf-8")
    assert "old" in outcomes, f"no kill landed before the swap (a build takes {duration:.2f} s)"
    assert hit_while_writing, "no kill landed while the build was writing"

    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert snapshot(tiny / "_site") == new
    assert leftovers(tiny) == []


def _wait_for_writing(root, build, deadline):
    """Return once the build has begun writing the new site (or has ended, or time is up)."""
    while time.monotonic() < deadline and build.poll() is None and not begun(root):
        time.sleep(0.002)


def _children(pid: int) -> set:
    try:
        return {int(c) for c in (Path(f"/proc/{pid}/task/{pid}/children")).read_text().split()}
    except OSError:
        return set()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's first process may never reap what it inherits)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_killed_build_leaves_no_process_of_its_own_behind(tiny):
    """A build renders its pages in processes of its own (render/workers.py). Killed (SIGKILL,
    or SIGTERM, which runs no clean-up either), it closes nothing: those processes end by
    themselves within a few seconds, instead of waiting for it for ever."""
    for i in range(150):
        write_pair(tiny, f"2025-01-01-nyhet-{i}", "2025-01-01", body=f"Text {i} om **trygghet**.\n\n" * 40)
    build = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--jobs", "2", "--no-search", "--no-cache"],
        cwd=tiny,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"},
    )
    rendering = set()
    deadline = time.monotonic() + 60
    while len(rendering) < 2 and build.poll() is None and time.monotonic() < deadline:
        rendering = _children(build.pid)  # two at once: the render processes (the site is made by one)
        time.sleep(0.005)
    assert len(rendering) >= 2, "the build ended before its render processes were seen"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, rendering)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in rendering if _running(pid)]
    for pid in left:  # not to outlive the test either
        os.kill(pid, signal.SIGKILL)
    assert not left
