"""The tiny site the engine's tests build: it is valid, and it owes nothing to the real portal's content."""

from conftest import REPO, run_build
from tinysite import SPLIT, split_site


def test_tiny_site_builds_and_checks_clean(tiny):
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors" in result.stdout
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert (tiny / "_site/index.html").is_file()
    assert (tiny / "_site/en/about/index.html").is_file()
    assert (tiny / "_site/nyheter/enheten-vaxer/index.html").is_file()


def test_tiny_site_has_its_own_content_and_data(tiny):
    """Only the interface strings come from the real data/: an editor's change to the
    portal's content/ or data/ cannot reach a test built on the tiny site."""
    for name in ("content", "data"):
        for path in (tiny / name).rglob("*"):
            rel = path.relative_to(tiny)
            if path.is_file() and rel.parts[:2] != ("data", "i18n") and (REPO / rel).is_file():
                assert path.read_bytes() != (REPO / rel).read_bytes(), f"{rel} is a copy of the real portal's file"


def test_the_split_variant_builds_and_checks_clean_and_is_not_the_portals_data(tmp_path):
    root = split_site(tmp_path / "split")
    result = run_build(root, "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "data/collaboration.yaml").read_bytes() == (SPLIT / "data/collaboration.yaml").read_bytes()
    for path in SPLIT.rglob("*"):
        rel = path.relative_to(SPLIT)
        if path.is_file() and (REPO / rel).is_file():
            assert path.read_bytes() != (REPO / rel).read_bytes(), f"{rel} is a copy of the real portal's file"
