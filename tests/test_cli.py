"""The command-line contract other tools and CI rely on."""

from __future__ import annotations

import hashlib

from conftest import run_build
from htmlview import read


def test_build_writes_the_site_to_site_folder(tiny):
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert (tiny / "_site/index.html").is_file()
    assert "Built" in result.stdout


def test_build_command_is_the_default(tiny):
    assert run_build(tiny, "build").returncode == 0
    assert (tiny / "_site/en/index.html").is_file()


def test_out_writes_elsewhere(tiny):
    assert run_build(tiny, "--out", "public").returncode == 0
    assert (tiny / "public/index.html").is_file()
    assert not (tiny / "_site").exists()


def test_base_url_sets_links_and_canonical_address(tiny):
    assert run_build(tiny, "--base-url", "https://example.org/trygghet/").returncode == 0
    page = read(tiny / "_site/en/index.html")
    assert page.link_to("Svenska").href == "/trygghet/"
    canonical = next(link for link in page.head_links if link.get("rel") == "canonical")
    assert canonical["href"] == "https://example.org/trygghet/en/"


def test_check_writes_nothing(tiny):
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert not (tiny / "_site").exists()


def test_wrong_command_line_exits_2(tiny):
    assert run_build(tiny, "bulid").returncode == 2
    assert run_build(tiny, "--port", "many").returncode == 2
    assert run_build(tiny, "--base-url", "example.org").returncode == 2


def test_the_same_input_gives_byte_identical_output(tiny):
    def digest(folder):
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    first = run_build(tiny, "--out", "one")
    second = run_build(tiny, "--out", "two")
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    one, two = digest(tiny / "one"), digest(tiny / "two")
    assert "index.html" in one and "en/index.html" in one  # a whole site, not two empty folders
    assert one == two


def test_refuses_to_replace_a_folder_it_did_not_make(tiny):
    result = run_build(tiny, "--out", "content")
    assert result.returncode == 1
    assert "refusing to replace this folder" in result.stderr
    assert (tiny / "content/pages/index.sv.md").is_file()
