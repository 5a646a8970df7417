"""Reproducible builds: the same sources give the same bytes, wherever and
whenever they are built, so anyone can check that the published site is what
the repository says; and nothing about the machine that built it leaks out."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conftest import REPO, copy_portal
from tinysite import tiny_site

EPOCH = 1795000000  # 2026-11-18 11:06 UTC


def build(root, epoch, tz):
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(epoch), "LANG": "C.UTF-8", "TZ": tz, "HOME": str(root)},
    )
    assert result.returncode == 0, result.stderr
    return root / "_site"


def hashes(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_in_different_folders_at_different_times_are_byte_identical(tmp_path):
    first = copy_portal(tmp_path / "a")
    second = copy_portal(tmp_path / "elsewhere" / "another-checkout")
    # Files copied later have other modification times; the build must not read them.
    for path in second.rglob("*"):
        os.utime(path, (EPOCH, EPOCH))

    site_a = build(first, EPOCH, "UTC")
    time.sleep(1.1)  # a later second on the clock
    site_b = build(second, EPOCH + 5 * 3600, "Pacific/Kiritimati")  # hours later, and tomorrow there

    a, b = hashes(site_a), hashes(site_b)
    assert len(a) >= 40
    assert a == b


def test_the_output_names_no_local_path_host_or_build_time(tmp_path):
    root = copy_portal(tmp_path / "checkout-7f3a")
    site = build(root, EPOCH, "UTC")
    clock = time.gmtime()
    forbidden = [
        str(root),
        str(tmp_path),
        str(REPO),
        "checkout-7f3a",
        "/home/",
        str(Path.home()) + "/",
        tempfile.gettempdir() + "/",
        time.strftime("%Y-%m-%dT%H:%M", clock),
        time.strftime("%H:%M:%S", clock),
    ]
    host = socket.gethostname()
    if len(host) >= 6 and host not in ("localhost", "localhost.localdomain"):
        forbidden.append(host)
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.parent.name.startswith("decap-cms-"):
            # The web editor's bundle, copied unchanged from the pinned npm package; it names
            # the machine Decap's own CI built it on (/home/runner/…), never this one.
            assert (
                path.name == "LICENSE"
                or path.read_bytes() == (REPO / "node_modules/decap-cms/dist" / path.name).read_bytes()
            )
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [f"{path.relative_to(site)}: {word}" for word in forbidden if word in text]
    assert found == []


def test_alerts_moved_and_expired_pages_build_byte_identical_at_two_moments_in_their_window(tmp_path):
    roots = [tiny_site(tmp_path / "a"), tiny_site(tmp_path / "b")]
    for root in roots:
        (root / "data/alerts.yaml").write_text(
            "- level: warning\n  start: 2026-11-18T01:00+01:00\n  end: 2026-11-20T00:00+01:00\n"
            "  text:\n    sv: Prov.\n    en: Test.\n",
            encoding="utf-8",
        )
        page = root / "content/pages/kontakt.sv.md"
        page.write_text(
            page.read_text(encoding="utf-8").replace(
                "---\n", "---\naliases: [/gammal-kontakt/, /k.html]\nexpires: 2026-11-01\n", 1
            ),
            encoding="utf-8",
        )
    a = hashes(build(roots[0], EPOCH, "UTC"))
    b = hashes(build(roots[1], EPOCH + 5 * 3600, "Pacific/Kiritimati"))
    assert {"_redirects", "gammal-kontakt/index.html", "k.html"} <= set(a)
    assert "Prov." in (roots[0] / "_site/index.html").read_text(encoding="utf-8")
    assert a == b
