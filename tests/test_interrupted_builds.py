"""A build killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous `_site/` byte for byte as it was, or, if the kill came after the swap,
the complete new site; never a mix. The next build succeeds and removes what
the killed ones left beside the output."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time

from conftest import REPO, run_build

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
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("    title: Testsajten", "    title: Tryggare", 1),
        encoding="utf-8",
    )
    # The site that build makes, built whole into another folder; and how long a build takes.
    began = time.monotonic()
    assert run_build(tiny, "--out", str(tmp_path / "reference")).returncode == 0
    duration = time.monotonic() - began
    new = snapshot(tmp_path / "reference")
    assert new != old

    rng = random.Random(7)
    outcomes = []
    hit_while_writing = False
    previous = old
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
        assert now in (previous, new), "the output is a mix of two sites"
        outcomes.append("old" if now == old else "new")
        hit_while_writing = hit_while_writing or (now == old and begun(tiny))
        previous = now
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
