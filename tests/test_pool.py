"""Markdown converted on every core (issue #14): `--jobs N` processes, the same bytes as one,
the time limit in every process, and a process that dies reported at its page."""

from __future__ import annotations

import datetime as dt
import filecmp
import os

import pytest

from conftest import run_build
from newsitems import write_pair
from portal import cli, pipeline
from portal.render import markup

PARAGRAPH = (
    "Trygghetsvärdarna i Mjölby, Boxholm och Ödeshög går kvällsrundor, [läs mer](../pages/om.sv.md) "
    "och svarar på frågor om **trygghet** i centrum. | kolumn |\n\n"
)
HOSTILE = "\n" + "[" * 20000 + "\n"
NOW = dt.date(2026, 11, 30)


def add_items(root, count: int) -> None:
    """`count` news items in both languages (the same text in both), about 9 kB of markdown each."""
    body = "## Rubrik\n\n" + PARAGRAPH * 60 + "| a | b |\n|---|---|\n| 1 | 2 |\n"
    for i in range(count):
        write_pair(root, f"2025-01-{1 + i % 28:02d}-nyhet-{i}", f"2025-01-{1 + i % 28:02d}", body=f"{i}\n\n{body}")


def texts_of(root) -> list:
    return [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in sorted((root / "content").rglob("*.md"))]


def files(folder) -> list:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_site_is_byte_identical_built_in_one_process_or_several(tiny):
    add_items(tiny, 60)
    assert sum(map(len, set(texts_of(tiny)))) > markup.POOL_FROM  # big enough for the pool
    builds = {}
    for name, args in {"one": ["--jobs", "1"], "two": ["--jobs", "2"], "default": []}.items():
        result = run_build(tiny, "--out", name, "--no-cache", *args)  # each renders every page
        assert result.returncode == 0, result.stderr
        builds[name] = tiny / name
    names = files(builds["one"])
    assert len(names) > 100
    for other in ("two", "default"):
        assert files(builds[other]) == names
        same, different, errors = filecmp.cmpfiles(builds["one"], builds[other], names, shallow=False)
        assert different == [] and errors == []


def test_a_site_that_size_converts_its_markdown_in_a_pool(tiny, monkeypatch):
    add_items(tiny, 60)
    started = []
    monkeypatch.setattr(
        markup, "_Pool", lambda texts, jobs, real=markup._Pool: started.append(jobs) or real(texts, jobs)
    )
    markup.convert.cache_clear()
    result = pipeline.check(pipeline.Options(root=tiny, now=NOW, jobs=2))
    assert started == [2] and not result.problems.errors
    started.clear()
    markup.convert.cache_clear()
    pipeline.check(pipeline.Options(root=tiny, now=NOW, jobs=1))
    assert started == []  # one job: no other process


def test_a_tiny_site_does_not_pay_for_starting_processes(tiny, monkeypatch):
    started = []
    monkeypatch.setattr(markup, "_Pool", lambda *args: started.append(args))
    markup.convert.cache_clear()
    assert not pipeline.check(pipeline.Options(root=tiny, now=NOW, jobs=8)).problems.errors
    assert started == []


@pytest.fixture
def small_pool(monkeypatch):
    """The pool for any amount of text, and a one-second time limit (the processes are forked, so
    they see it too; spawned ones would keep ten seconds and only be slower)."""
    monkeypatch.setattr(markup, "POOL_FROM", 0)
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1)
    markup.convert.cache_clear()
    yield
    markup.convert.cache_clear()


def test_a_page_markdown_cannot_finish_is_stopped_in_its_process_and_reported_with_the_others(tiny, small_pool):
    add_items(tiny, 6)
    page = tiny / "content/pages/enheten.sv.md"
    page.write_text(page.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    other = tiny / "content/pages/om.sv.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n[saknas](finns-inte.sv.md)\n", encoding="utf-8")
    result = pipeline.check(pipeline.Options(root=tiny, now=NOW, jobs=2))
    said = [str(problem) for problem in result.problems.errors]
    slow = [line for line in said if "took more than 10 seconds" in line]
    assert len(slow) == 1 and slow[0].startswith("content/pages/enheten.sv.md:"), said
    assert any(line.startswith("content/pages/om.sv.md:") and "finns-inte.sv.md" in line for line in said), said
    assert len(said) == 2, said


def test_a_process_that_dies_is_reported_at_its_page_plainly(tiny, small_pool, monkeypatch, capfd, alone):
    if not alone:  # run, and passed, in a process of its own (conftest.alone)
        return
    add_items(tiny, 6)
    page = tiny / "content/pages/enheten.sv.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDÖ HÄR\n", encoding="utf-8")
    real = markup._convert_here

    def dies_on_one_page(text):
        if "DÖ HÄR" in text:
            os._exit(9)  # as if the system had killed it for its memory
        return real(text)

    monkeypatch.setattr(markup, "_convert_here", dies_on_one_page)  # what the forked processes run
    result = pipeline.check(pipeline.Options(root=tiny, now=NOW, jobs=2))
    said = [str(problem) for problem in result.problems.errors]
    assert said == [
        f"content/pages/enheten.sv.md:{result.site.page('enheten', 'sv').body_line}: "
        "the markdown could not be converted (the converter stopped)"
    ]
    assert "Traceback" not in capfd.readouterr().err
    assert len(result.outputs) > 20  # every other page was made


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_jobs_must_be_one_or_more(jobs, capsys):
    assert cli.run(["build", "--jobs", jobs, "--lang", "en"]) == cli.EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"build.py: --jobs should be 1 or more, not {jobs}"


def test_jobs_has_help(capsys):
    assert cli.run(["build", "--help"]) == cli.EXIT_OK
    out = " ".join(capsys.readouterr().out.split())  # as argparse wraps it
    assert "--jobs N" in out and "the number of cores" in out
    assert cli.parse(["check", "-j", "3"]).jobs == 3


def test_the_processes_end_of_themselves_when_the_build_is_done(small_pool):
    texts = [f"## {i}\n\n{PARAGRAPH}" for i in range(20)]
    with markup.converting_ahead(texts, 2):
        workers = list(markup._ahead.workers)
        assert [markup.convert(text)[0] for text in texts] == [markup._convert_here(text)[0] for text in texts]
    assert markup._ahead is None
    assert [worker.process.exitcode for worker in workers] == [0, 0]  # asked to stop, not killed
