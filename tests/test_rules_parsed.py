"""Every rule of the front matters kept between loads (portal/load/parsed.py, and where
load/sources.py takes them), one small test each, on a few files in tmp_path. The builds that
use them are tests/test_parsed_cache.py."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import same_node
from portal import __version__, code_digest
from portal.load import parsed as kept
from portal.load import sources as load
from portal.load.yamlnodes import Sequence

REPO = Path(__file__).resolve().parents[1]
ITEM = "content/news/a.sv.md"
TEXT = "---\ntitle: 'Rubrik'\nlist:\n  - ett\nnested:\n  key: värde\n---\nBrödtext.\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    """load.py remembers split front matter (for `serve`); each test checks the code, not a memory of it."""
    load._split_remembered.cache_clear()


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "templates").mkdir()
    write(tmp_path, ITEM, TEXT)
    return tmp_path


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def file(root: Path) -> Path:
    return root / ".cache" / kept.NAME


def loaded(root: Path, remember: bool = False):
    """(the content files, the problems), with the front matters kept before; what this load
    parsed is put in place for the next, as a build that succeeds does."""
    parsed = kept.Parsed(file(root))
    sources, problems = load.load(root, remember=remember, parsed=parsed)
    kept.put_in_place(parsed.write())
    return sources.content, [str(p) for p in problems.items]


def digest_of(root: Path, name: str) -> str:
    return hashlib.sha256((root / name).read_bytes()).hexdigest()


def lines(root: Path) -> list:
    return file(root).read_text(encoding="utf-8").splitlines()


def test_a_file_loaded_before_is_not_parsed_and_is_as_parsing_made_it(site, parses):
    [first], _ = loaded(site)
    parses.clear()
    [again], problems = loaded(site)
    assert parses == [] and problems == []
    assert same_node(first.front, again.front) and type(again.front["list"]) is Sequence
    assert not again.front["title"].plain and again.front["nested"]["key"].line == 6
    assert (again.body_line, again.front_text, again.body.digest) == (
        first.body_line,
        first.front_text,
        first.body.digest,
    )
    assert again.body.held is None and again.body.text() == "Brödtext.\n"
    assert (again.body.path, again.body.start, again.body.name) == (first.body.path, first.body.start, ITEM)


def test_a_file_loaded_before_is_the_same_content_file_as_one_parsed(site, parses):
    [first], _ = loaded(site)
    parses.clear()
    [again], _ = loaded(site)
    assert parses == [] and again == first


def test_a_load_that_holds_bodies_holds_the_text_of_a_file_loaded_before(site, parses, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)  # the file was written just now
    [first], _ = loaded(site, remember=True)
    parses.clear()
    [again], _ = loaded(site, remember=True)
    assert parses == [] and again.body.held == "Brödtext.\n"
    assert again.identity == first.identity is not None


def test_only_the_bytes_count_not_the_name_or_the_time(site, parses):
    loaded(site)
    (site / ITEM).rename(site / "content/news/b.sv.md")
    os.utime(site / "content/news/b.sv.md", (1, 1))
    parses.clear()
    [moved], _ = loaded(site)
    assert parses == [] and moved.path == "content/news/b.sv.md" and moved.body.name == moved.path


def test_a_changed_file_is_parsed_and_its_old_text_is_left_out(site, parses):
    loaded(site)
    old = digest_of(site, ITEM)
    write(site, ITEM, TEXT.replace("Rubrik", "Ny rubrik"))
    parses.clear()
    [item], _ = loaded(site)
    assert parses == [ITEM] and item.front["title"] == "Ny rubrik"
    assert [line[2:66] for line in lines(site)[1:]] == [digest_of(site, ITEM)] != [old]


def test_a_file_loaded_before_stays_kept_when_another_is_parsed(site, parses):
    loaded(site)
    write(site, "content/news/b.sv.md", TEXT.replace("Rubrik", "Annan"))
    parses.clear()
    loaded(site)
    assert parses == ["content/news/b.sv.md"]
    assert sorted(line[2:66] for line in lines(site)[1:]) == sorted(
        [digest_of(site, ITEM), digest_of(site, "content/news/b.sv.md")]
    )


def test_a_file_with_a_problem_is_not_kept(site):
    write(site, "content/news/b.sv.md", "---\ntitle: [\n---\ntext\n")
    _, problems = loaded(site)
    assert problems and [line[2:66] for line in lines(site)[1:]] == [digest_of(site, ITEM)]


def test_what_a_load_parsed_is_written_as_a_draft_beside_the_kept_file(site):
    parsed = kept.Parsed(file(site))
    load.load(site, parsed=parsed)
    draft = parsed.write()
    assert draft.parent == file(site).parent and draft.name.startswith(kept.DRAFT) and not file(site).exists()


def test_nothing_is_written_when_nothing_was_parsed_or_left_out(site):
    loaded(site)
    parsed = kept.Parsed(file(site))
    load.load(site, parsed=parsed)
    assert parsed.write() is None


def test_the_file_starts_with_a_head_naming_its_format_and_the_parser(site):
    loaded(site)
    assert json.loads(lines(site)[0]) == {
        "format": kept.FORMAT,
        "portal": __version__,
        "code": code_digest(),
        "parser": kept.PARSER,
    }


HEADS = {
    "another format": lambda head: head.replace(f'"format": {kept.FORMAT}', '"format": 0'),
    "other engine code": lambda head: head.replace(code_digest(), "0" * 64),
    "a space after it": lambda head: head + " ",
    "text after it": lambda head: head + "X",
}


@pytest.mark.parametrize("spoil", HEADS.values(), ids=HEADS.keys())
def test_a_file_with_another_head_is_not_read(site, parses, spoil):
    loaded(site)
    head, *rest = lines(site)
    file(site).write_text("\n".join([spoil(head), *rest]) + "\n", encoding="utf-8")
    parses.clear()
    loaded(site)
    assert parses == [ITEM]


def test_a_file_that_is_not_utf8_is_not_read(site, parses):
    loaded(site)
    file(site).write_bytes(file(site).read_bytes() + b"\xff\n")
    parses.clear()
    _, problems = loaded(site)
    assert parses == [ITEM] and problems == []


# A machine whose locale is not UTF-8 (as Windows' cp1252): what open() uses when told no
# encoding. In a process of its own, as Python starts in UTF-8 mode in a bare C locale (PEP 540)
# and then opens every file as UTF-8 whatever the locale is set to later.
IN_ASCII = """
import hashlib, json, locale, sys
from pathlib import Path
from portal.load import parsed as kept, sources as load
root = Path(sys.argv[1])
for _ in range(2):
    parsed = kept.Parsed(root / ".cache" / kept.NAME)
    load.load(root, parsed=parsed)
    kept.put_in_place(parsed.write())
found = kept.Parsed(root / ".cache" / kept.NAME).get(hashlib.sha256((root / sys.argv[2]).read_bytes()).hexdigest())
print(json.dumps({
    "encoding": locale.getpreferredencoding(False),
    "kept": found is not None,
    "value": found and found[0]["nested"]["key"],
}))
"""


def test_the_file_is_utf8_whatever_the_locale(site):
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONPATH": str(REPO)}
    ran = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-c", IN_ASCII, str(site), ITEM], env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    said = json.loads(ran.stdout)
    assert said["encoding"] == "ANSI_X3.4-1968"  # it ran in an ASCII locale: the test is a test
    assert said["kept"] and said["value"] == "värde"  # written and read back as UTF-8 there
    assert "värde" in file(site).read_text(encoding="utf-8")


def entry(site: Path) -> list:
    loaded(site)
    return json.loads(lines(site)[1])


def spoilt(site: Path, value):
    """(what `get` finds, the Parsed) when the item's line is `value`: a JSON value, or a line's text."""
    head = lines(site)[0]
    line = value if type(value) is str else json.dumps(value, ensure_ascii=False)
    file(site).write_text(head + "\n" + line + "\n", encoding="utf-8")
    parsed = kept.Parsed(file(site))
    return parsed.get(digest_of(site, ITEM)), parsed


SPOILS = {
    "not JSON": lambda e: '["' + e[0] + '": 1}',
    "not a list": lambda e: '"x' + e[0] + '"',
    "an object of five fields": lambda e: '{"' + e[0] + '": 1, "a": 2, "b": 3, "c": 4, "d": 5}',
    "four fields": lambda e: e[:4],
    "a longer digest": lambda e: [e[0] + "0", *e[1:]],
    "a body line that is not a number": lambda e: [*e[:2], "8", *e[3:]],
    "a front text that is not text": lambda e: [*e[:3], 1, e[4]],
    "a body digest that is not one": lambda e: [*e[:4], "x" * 64],
    "a body digest that is not text": lambda e: [*e[:4], 1],
    "a front matter that is a list": lambda e: [e[0], ["Rubrik", 2, False], *e[2:]],
    "a front matter that is a sequence": lambda e: [e[0], {"q": 2, "v": []}, *e[2:]],
    "a mapping of three fields": lambda e: [e[0], {**e[1], "x": 1}, *e[2:]],
    "a mapping whose values are not a list": lambda e: [e[0], {"m": 2, "v": {}}, *e[2:]],
    "a mapping's line that is not a number": lambda e: [e[0], {"m": "2", "v": e[1]["v"]}, *e[2:]],
    "a key that is not text": lambda e: [e[0], {"m": 2, "v": [[1, 2, ["x", 2, True]]]}, *e[2:]],
    "a key twice": lambda e: [e[0], {"m": 2, "v": e[1]["v"] + e[1]["v"][:1]}, *e[2:]],
    "a key's line that is not a number": lambda e: [e[0], {"m": 2, "v": [["title", None, ["x", 2, True]]]}, *e[2:]],
    "a scalar that is not text": lambda e: [e[0], {"m": 2, "v": [["title", 2, [1, 2, True]]]}, *e[2:]],
    "a scalar's line that is not a number": lambda e: [e[0], {"m": 2, "v": [["title", 2, ["x", "2", True]]]}, *e[2:]],
    "a scalar's quoting that is not true or false": lambda e: [
        e[0],
        {"m": 2, "v": [["title", 2, ["x", 2, 1]]]},
        *e[2:],
    ],
    "a scalar of two fields": lambda e: [e[0], {"m": 2, "v": [["title", 2, ["x", 2]]]}, *e[2:]],
    "a sequence's line that is not a number": lambda e: [
        e[0],
        {"m": 2, "v": [["list", 3, {"q": None, "v": []}]]},
        *e[2:],
    ],
    "nested past YAML's limit": lambda e: [
        e[0],
        {"m": 2, "v": [["list", 3, json.loads('{"q": 3, "v": [' * 25 + "]}" * 25)]]},
        *e[2:],
    ],
    "mappings nested past YAML's limit": lambda e: [
        e[0],
        json.loads('{"m": 2, "v": [["a", 2, ' * 25 + '["x", 2, true]' + "]]}" * 25),
        *e[2:],
    ],
    "nested past Python's limit": lambda e: (
        '["' + e[0] + '", {"m": 2, "v": [["a", 2, ' + "[" * 100_000 + "]" * 100_000 + ']]}, 8, "", "' + e[4] + '"]'
    ),
}


@pytest.mark.parametrize("spoil", SPOILS.values(), ids=SPOILS.keys())
def test_a_line_that_is_not_exactly_a_front_matter_counts_as_not_there(site, spoil):
    found, parsed = spoilt(site, spoil(entry(site)))
    assert found is None and digest_of(site, ITEM) not in parsed.lines


def test_what_is_nested_as_deep_as_yaml_allows_is_kept(site, parses):
    deep = "---\ntitle: x\nlist:\n" + "".join("  " * n + "- \n" for n in range(1, 19)) + "---\ntext\n"
    write(site, ITEM, deep.replace("- \n---", "- x\n---"))
    [first], problems = loaded(site)
    assert problems == []
    parses.clear()
    [again], _ = loaded(site)
    assert parses == [] and same_node(first.front, again.front)


def test_a_draft_that_cannot_be_put_in_place_is_dropped(tmp_path):
    file(tmp_path).mkdir(parents=True)  # a folder where the file goes
    draft = file(tmp_path).parent / f"{kept.DRAFT}x"
    draft.write_text("{}\n", encoding="utf-8")
    kept.put_in_place(draft)
    assert not draft.exists() and file(tmp_path).is_dir()


def test_putting_nothing_in_place_or_dropping_nothing_does_nothing(tmp_path):
    kept.put_in_place(None)
    kept.drop(None)
    assert list(tmp_path.iterdir()) == []


NOW = 1_800_000_000


def test_a_draft_older_than_a_day_is_removed_when_another_is_put_in_place(site, monkeypatch):
    folder = file(site).parent
    folder.mkdir()
    older, day = folder / f"{kept.DRAFT}older", folder / f"{kept.DRAFT}day"
    for draft, age in ((older, kept.LEFT_BEHIND + 1), (day, kept.LEFT_BEHIND)):
        draft.write_text("{}\n", encoding="utf-8")
        os.utime(draft, (NOW - age, NOW - age))
    monkeypatch.setattr(kept, "time", SimpleNamespace(time=lambda: NOW))
    loaded(site)
    assert not older.exists() and day.exists() and file(site).exists()


def test_an_old_draft_that_cannot_be_removed_is_left(site):
    folder = file(site).parent
    stuck = folder / f"{kept.DRAFT}stuck"
    stuck.mkdir(parents=True)  # a folder: unlink fails
    os.utime(stuck, (1, 1))  # long ago
    loaded(site)
    assert stuck.is_dir() and file(site).exists()


def test_dropping_a_draft_that_cannot_be_removed_leaves_it(tmp_path):
    draft = tmp_path / f"{kept.DRAFT}x"
    draft.mkdir()  # a folder: unlink fails
    kept.drop(draft)
    assert draft.is_dir()


def test_a_cache_folder_that_cannot_be_made_writes_nothing(site):
    (site / ".cache").write_text("a file where the folder goes", encoding="utf-8")
    parsed = kept.Parsed(file(site))
    load.load(site, parsed=parsed)
    assert parsed.write() is None


def test_a_draft_that_cannot_be_written_whole_is_removed(site):
    parsed = kept.Parsed(file(site))
    load.load(site, parsed=parsed)
    # A disk too full for it: a limit on the size of a file, which then fails with EFBIG (no signal).
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (10, limit[1]))
    try:
        draft = parsed.write()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, handler)
    assert draft is None and list(file(site).parent.iterdir()) == []
