"""Write stage: all or nothing, never outside the output folder."""

from __future__ import annotations

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
