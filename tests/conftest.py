"""Fixtures: a tiny site made for the engine's tests, the real portal copied to a temporary
folder for the tests about its content, and a way to run build.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tinysite import split_site, tiny_site

REPO = Path(__file__).resolve().parents[1]
SITE_DIRS = ("content", "data", "templates", "static")


def copy_portal(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_DIRS:
        shutil.copytree(REPO / name, dest / name)
    return dest


# scripts/test runs the browser tests in a pytest process beside the others; these files run
# there too (marker `beside`), so the two take about as long. The others took 722 s and the
# browser tests 361 s of a fresh-clone run (2026-12-02); these took about 170 s of the first.
# None of them forks (`alone`), which a process with a browser test's server in it would
# run again in a process of its own.
BESIDE_THE_BROWSER_TESTS = frozenset(
    {
        "test_incremental.py",
        "test_up_to_date.py",
        "test_serve.py",
        "test_serve_hostile_save.py",
        "test_fuzz.py",
        "test_full_disk.py",
    }
)


def pytest_collection_modifyitems(session, config, items):
    """The tests that fork (`alone`) run first, before a browser test's server leaves a thread in
    this process: each then runs here, not again in a pytest process of its own (3-4 s each)."""
    items.sort(key=lambda item: "alone" not in getattr(item, "fixturenames", ()))
    for item in items:
        if item.path.name in BESIDE_THE_BROWSER_TESTS:
            item.add_marker(pytest.mark.beside)


@pytest.fixture
def alone(request) -> bool:
    """For a test of what a build does when it forks (render/workers.py, markup's pool): the
    build forks only from a process with one thread, and earlier tests (a preview's server)
    may have left threads in this one. True: this process has one thread, run the test here.
    False: the test was run on its own in a fresh pytest process, and passed there."""
    if threading.active_count() == 1 or os.environ.get("PORTAL_TEST_ALONE"):
        return True
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PORTAL_TEST_ALONE": "1"},
    )
    assert done.returncode == 0 and "\n1 passed" in done.stdout, done.stdout[-4000:] + done.stderr[-2000:]
    return False


def edit(path: Path, old: str, new: str) -> None:
    """Change the first `old` in the file at `path` to `new`, as an editor's save; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def site_pages(site: Path) -> list[Path]:
    """The site's own pages: every HTML file but Pagefind's and the web editor's (admin/)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("pagefind", "admin"))


def run_build(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run build.py as an editor would, from the site's top folder."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"},
    )


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A fresh tiny site (tests/tinysite.py) that a test may change: for tests of the engine's rules."""
    return tiny_site(tmp_path / "tiny")


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory) -> Path:
    """The tiny site, built once for the whole session; read it, don't change it."""
    return built_site(tiny_site(tmp_path_factory.mktemp("tiny_built") / "tiny"))


@pytest.fixture(scope="session")
def split_built(tmp_path_factory) -> Path:
    """The tiny site with a funding split between three municipalities (tinysite.split_site),
    built once for the whole session; read it, don't change it."""
    return built_site(split_site(tmp_path_factory.mktemp("split_built") / "tiny"))


@pytest.fixture
def portal(tmp_path) -> Path:
    """A fresh copy of the real portal that a test may change."""
    return copy_portal(tmp_path / "portal")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The real portal, built once for the whole session; read it, don't change it."""
    return built_site(copy_portal(tmp_path_factory.mktemp("built") / "portal"))


def built_site(root: Path) -> Path:
    """Build the site in `root` as an editor would; its output folder (the build must succeed)."""
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "_site"


@pytest.fixture(scope="session")
def live_site(built):
    """The real portal (with its search index) served on 127.0.0.1 on a free port."""
    import browser  # imports Playwright: only the browser tests need it

    with browser.serve(built) as origin:
        yield browser.Site(built, origin)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, for one test module. Not longer: while Playwright's
    sync API runs it marks the thread's asyncio loop as running, which breaks tests
    that run their own loop (tornado in test_serve.py)."""
    import browser

    with browser.chromium() as launched:
        yield launched


@pytest.fixture
def parses(monkeypatch) -> list:
    """The content files whose text a load splits and parses, in the order it does (a file taken
    from the front matters kept before, load/parsed.py, is not among them)."""
    from portal.load import sources

    met = []
    real = sources._front_matter

    def counting(name, text, problems):
        met.append(name)
        return real(name, text, problems)

    monkeypatch.setattr(sources, "_front_matter", counting)
    return met


def same_node(a, b) -> bool:
    """Equal YAML values (yamlnodes), each with the same line and quoting, as the model reads them."""
    from portal.load.yamlnodes import Mapping, Scalar

    if type(a) is not type(b) or a != b or getattr(a, "line", None) != getattr(b, "line", None):
        return False
    if type(a) is Scalar:
        return a.plain == b.plain
    if type(a) is Mapping:
        return a.lines == b.lines and all(same_node(a[key], b[key]) for key in a)
    return all(same_node(x, y) for x, y in zip(a, b, strict=True))
