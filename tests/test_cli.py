"""The command-line contract other tools and CI rely on."""
from __future__ import annotations

import hashlib

from conftest import run_build
from htmlview import read


def test_build_writes_the_site_to_site_folder(portal):
    result = run_build(portal)
    assert result.returncode == 0, result.stderr
    assert (portal / "_site/index.html").is_file()
    assert "Built" in result.stdout


def test_build_command_is_the_default(portal):
    assert run_build(portal, "build").returncode == 0
    assert (portal / "_site/en/index.html").is_file()


def test_out_writes_elsewhere(portal):
    assert run_build(portal, "--out", "public").returncode == 0
    assert (portal / "public/index.html").is_file()
    assert not (portal / "_site").exists()


def test_base_url_sets_links_and_canonical_address(portal):
    assert run_build(portal, "--base-url", "https://example.org/trygghet/").returncode == 0
    page = read(portal / "_site/en/index.html")
    assert page.link_to("Svenska").href == "/trygghet/"
    canonical = next(link for link in page.head_links if link.get("rel") == "canonical")
    assert canonical["href"] == "https://example.org/trygghet/en/"


def test_check_writes_nothing(portal):
    result = run_build(portal, "check")
    assert result.returncode == 0, result.stderr
    assert not (portal / "_site").exists()


def test_wrong_command_line_exits_2(portal):
    assert run_build(portal, "bulid").returncode == 2
    assert run_build(portal, "--port", "many").returncode == 2
    assert run_build(portal, "--base-url", "example.org").returncode == 2


def test_the_same_input_gives_byte_identical_output(portal):
    def digest(folder):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    first = run_build(portal, "--out", "one")
    second = run_build(portal, "--out", "two")
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    one, two = digest(portal / "one"), digest(portal / "two")
    assert "index.html" in one and "en/index.html" in one  # a whole site, not two empty folders
    assert one == two


def test_refuses_to_replace_a_folder_it_did_not_make(portal):
    result = run_build(portal, "--out", "content")
    assert result.returncode == 1
    assert "refusing to replace this folder" in result.stderr
    assert (portal / "content/pages/index.sv.md").is_file()
