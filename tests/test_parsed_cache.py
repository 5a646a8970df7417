"""The front matters parsed before (.cache/parsed.json): a content file whose bytes an earlier
load parsed is not parsed again, and the site made from what was kept is the one parsing makes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import edit, same_node
from portal import pipeline
from portal.load import parsed as parsed_cache
from portal.load import sources as load
from portal.load.yamlnodes import Sequence
from portal.render import cache as page_cache

NEWS_SV = "content/news/2020-01-10-enheten-vaxer.sv.md"
NOW = dt.date(2026, 11, 30)


def options(root: Path, out: str = "_site", **more) -> pipeline.Options:
    return pipeline.Options(root=root, out=root / out, now=NOW, search=False, **more)


def files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def kept(root: Path) -> Path:
    return root / page_cache.FOLDER / parsed_cache.NAME


def is_kept(root: Path, name: str) -> bool:
    """The file's bytes have a line in .cache/parsed.json."""
    digest = hashlib.sha256((root / name).read_bytes()).hexdigest()
    return f'["{digest}",' in kept(root).read_text(encoding="utf-8")


def load_and_keep(root: Path):
    """A load with the front matters kept before, whose own are put in place for the next."""
    parsed = parsed_cache.Parsed(kept(root))
    sources, _ = load.load(root, parsed=parsed)
    parsed_cache.put_in_place(parsed.write())
    return sources


def build(root: Path, **more) -> pipeline.Result:
    result = pipeline.build(options(root, **more))
    assert not result.problems.errors, result.problems.sorted()
    return result


def test_a_second_load_parses_no_file_and_a_build_after_an_edit_parses_that_file_only(tiny, parses):
    build(tiny)
    assert len(parses) == len(list((tiny / "content").rglob("*.md")))
    parses.clear()
    build(tiny)
    assert parses == []
    before = (tiny / NEWS_SV).read_bytes()
    edit(tiny / NEWS_SV, "Ödeshög och Mjölby", "Boxholm, Ödeshög och Mjölby")
    build(tiny)
    assert parses == [NEWS_SV]
    assert is_kept(tiny, NEWS_SV)
    (tiny / NEWS_SV).write_bytes(before)  # the text as it was before the edit is no longer kept
    parses.clear()
    build(tiny)
    assert parses == [NEWS_SV]


def test_what_was_kept_is_what_parsing_gives_line_for_line(tiny, parses):
    edit(
        tiny / NEWS_SV,
        "sources: [mjolby-news]\n",
        "sources:\n  - mjolby-news\nimage:\n  src: /bilder/a.png\n  alt: 'Ett \"citat\"'\n",
    )
    cold, _ = load.load(tiny)
    load_and_keep(tiny)
    parses.clear()
    warm = load_and_keep(tiny)
    assert parses == []
    assert [f.path for f in warm.content] == [f.path for f in cold.content]
    for a, b in zip(cold.content, warm.content, strict=True):
        assert same_node(a.front, b.front), a.path
        assert (a.body_line, a.front_text, a.body.digest) == (b.body_line, b.front_text, b.body.digest)
        assert b.body.text() == a.body.text()
    news = next(f for f in warm.content if f.path == NEWS_SV)
    assert type(news.front["sources"]) is Sequence and news.front["sources"].line == 8
    assert news.front["image"]["alt"].line == 11 and not news.front["image"]["alt"].plain


def test_a_mistake_in_a_kept_front_matter_is_reported_at_its_line(tiny, parses):
    build(tiny)
    edit(tiny / "data/sources.yaml", "- id: mjolby-news\n", "- id: mjolby-nyheter\n")  # the item cites it
    parses.clear()
    result = pipeline.build(options(tiny))
    assert parses == []  # the item's front matter is the one kept
    said = {(p.path, p.line) for p in result.problems.errors}
    assert (NEWS_SV, 7) in said, result.problems.sorted()


def test_a_failed_build_keeps_nothing_it_parsed(tiny, parses):
    build(tiny)
    before = kept(tiny).read_bytes()
    edit(tiny / NEWS_SV, "date: 2020-01-10", "date: 2020-02-30")
    result = pipeline.build(options(tiny))
    assert [(p.path, p.line) for p in result.problems.errors] == [(NEWS_SV, 4)]
    assert kept(tiny).read_bytes() == before
    assert [p.name for p in kept(tiny).parent.iterdir() if p.name.startswith(parsed_cache.DRAFT)] == []
    parses.clear()
    pipeline.build(options(tiny))
    assert parses == [NEWS_SV]


def test_a_draft_left_behind_is_removed_by_a_later_build_and_one_of_a_running_build_is_not(tiny):
    """A process apart that fails, or a killed build, may leave its draft; a day on, it is no one's."""
    build(tiny)
    left, running = kept(tiny).parent / f"{parsed_cache.DRAFT}left", kept(tiny).parent / f"{parsed_cache.DRAFT}now"
    left.write_text("{}\n", encoding="utf-8")
    running.write_text("{}\n", encoding="utf-8")
    day_ago = time.time() - parsed_cache.LEFT_BEHIND - 60
    os.utime(left, (day_ago, day_ago))
    edit(tiny / NEWS_SV, "Ödeshög och Mjölby", "Boxholm, Ödeshög och Mjölby")
    build(tiny)
    assert not left.exists() and running.exists()


def test_a_file_that_does_not_load_is_not_kept_and_says_so_every_time(tiny, parses):
    edit(tiny / NEWS_SV, "title: Enheten växer", "title: 'Enheten växer")
    for _ in range(2):
        parses.clear()
        parsed = parsed_cache.Parsed(kept(tiny))
        _, problems = load.load(tiny, parsed=parsed)
        parsed_cache.put_in_place(parsed.write())
        assert [(p.path, p.line) for p in problems.errors] == [(NEWS_SV, 2)]
        assert NEWS_SV in parses
    assert not is_kept(tiny, NEWS_SV) and is_kept(tiny, NEWS_SV.replace(".sv.", ".en."))


def test_a_preview_started_on_kept_front_matters_holds_each_body_as_written(tiny, parses):
    build(tiny)
    parses.clear()
    result = pipeline.build(options(tiny, out="_preview"))
    assert parses == []
    news = next(f for f in result.sources.content if f.path == NEWS_SV)
    assert news.body.held == "Ödeshög och Mjölby har ett avtal.\n"


def test_a_checkout_with_its_cache_restored_parses_nothing(tiny, tmp_path, parses):
    """As CI does: only .cache/ is kept between runs, and every file is new to the disk."""
    build(tiny)
    fresh = tmp_path / "checkout"
    for name in ("content", "data", "templates", "static", page_cache.FOLDER):
        shutil.copytree(tiny / name, fresh / name, copy_function=shutil.copyfile)
    parses.clear()
    build(fresh)
    assert parses == []
    build(fresh, out="_cold", cache=False)
    assert files(fresh / "_site") == files(fresh / "_cold")


def spoil_head(file: Path) -> None:
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    file.write_text(lines[0].replace('"format": 1', '"format": 0') + "".join(lines[1:]), encoding="utf-8")


def spoil_line(file: Path, change, whole=False) -> None:
    """The news item's line, its front matter changed by `change` (a JSON value -> another;
    `whole`: the line's text -> another)."""
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines[1:], 1):
        entry = json.loads(line)
        if entry[3].startswith("---\ntitle: Enheten växer"):
            if whole:
                lines[n] = change(line)
            else:
                entry[1] = change(entry[1])
                lines[n] = json.dumps(entry, ensure_ascii=False) + "\n"
    file.write_text("".join(lines), encoding="utf-8")


SPOILS = {
    "cut short": lambda file: spoil_line(file, lambda line: line[:-40] + "\n", whole=True),
    "another format": spoil_head,
    "another file's digest": lambda file: spoil_line(file, lambda line: line[:66] + "0" + line[66:], whole=True),
    "not a mapping at the top": lambda file: spoil_line(file, lambda front: {"q": 2, "v": [front["v"][0][2]]}),
    "a value that is not text": lambda file: spoil_line(
        file, lambda front: {"m": 2, "v": [["title", 2, [2020, 2, True]], *front["v"][1:]]}
    ),
    "a key twice": lambda file: spoil_line(
        file, lambda front: {"m": 2, "v": [*front["v"], ["title", 9, ["Annan rubrik", 9, True]]]}
    ),
    "a line that is not a number": lambda file: spoil_line(file, lambda front: {"m": "2", "v": front["v"]}),
    "nested too deep": lambda file: spoil_line(
        file, lambda front: {"m": 2, "v": [["title", 2, json.loads('{"q": 2, "v": [' * 30 + "]}" * 30)]]}
    ),
}


@pytest.mark.parametrize("spoil", SPOILS.values(), ids=SPOILS.keys())
def test_a_spoilt_or_foreign_parse_cache_is_not_trusted_and_the_file_is_parsed(tiny, spoil, parses):
    build(tiny)
    spoil(kept(tiny))
    parses.clear()
    build(tiny)
    assert NEWS_SV in parses
    build(tiny, out="_cold", cache=False)
    assert files(tiny / "_site") == files(tiny / "_cold")


def test_a_file_no_longer_there_is_no_longer_kept(tiny):
    load_and_keep(tiny)
    lines = len(kept(tiny).read_text(encoding="utf-8").splitlines())
    (tiny / "content/pages/lattlast.sv.md").unlink()
    load_and_keep(tiny)
    assert len(kept(tiny).read_text(encoding="utf-8").splitlines()) == lines - 1


def test_a_parse_cache_that_cannot_be_written_only_slows_the_next_build(tiny, parses):
    kept(tiny).mkdir(parents=True)  # a folder where the file goes: replacing it fails
    build(tiny)
    parses.clear()
    build(tiny)
    assert NEWS_SV in parses
    assert [p.name for p in kept(tiny).parent.iterdir() if p.name.startswith(parsed_cache.DRAFT)] == []


def test_a_build_that_runs_once_keeps_what_it_parsed_in_its_process_apart(tiny, alone):
    if not alone:
        return  # run in a pytest process of its own, and passed there (conftest.alone)
    pipeline.build(options(tiny, once=True))
    first = kept(tiny).read_bytes()
    assert is_kept(tiny, NEWS_SV)
    written = kept(tiny).stat().st_ino
    pipeline.build(options(tiny, out="_again", once=True))
    # Nothing parsed, nothing left out: not written again (a new file would be another inode).
    assert kept(tiny).stat().st_ino == written and kept(tiny).read_bytes() == first
    assert files(tiny / "_again") == files(tiny / "_site")


def test_check_reads_what_was_kept_and_writes_nothing(tiny, parses):
    pipeline.review(options(tiny))
    assert not (tiny / page_cache.FOLDER).exists()
    build(tiny)
    before = files(tiny / page_cache.FOLDER)
    parses.clear()
    edit(tiny / NEWS_SV, "Ödeshög och Mjölby", "Boxholm, Ödeshög och Mjölby")
    pipeline.review(options(tiny))
    assert parses == [NEWS_SV] and files(tiny / page_cache.FOLDER) == before
