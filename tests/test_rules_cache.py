"""Every rule of the build cache (portal/render/cache.py), one small test each: which page of the
last good build may be shown again, how .cache/ is read (trusted, or ignored whole), written whole
or added to as a journal, and the canonical digests of values. A wrong rule here shows citizens a
stale or foreign page, so each test reads as the rule it pins.

A `PageCache` is driven here as pipeline.py drives it (environment, likely_stale, render_page,
written, commit, save, then a new PageCache reading the folder back), on a site of a few pages
made by hand in tmp_path and a stand-in for the renderer: each page reads its title, the template
base.html and the keys it names, and is published as a few bytes of HTML."""

from __future__ import annotations

import array
import dataclasses
import datetime as dt
import decimal
import enum
import fcntl
import hashlib
import importlib.metadata
import json
import os
import pickle
import platform
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pytest

import portal
from portal import __version__, code_digest
from portal.output import Output
from portal.problems import Problem, Problems
from portal.render import cache as page_cache
from portal.render.cache import Entry, PageCache, Stored


@pytest.fixture(autouse=True)
def fresh_memory():
    """cache.py remembers which types are dataclasses and their fields; each test checks the code."""
    page_cache._DATACLASS.clear()
    page_cache._FIELDS.clear()


# --- a site of a few pages, and a renderer that records what each page reads -------------------


@dataclass(frozen=True)
class Page:
    output: str
    title: str
    reads: tuple = ()  # keys it reads besides its title and the template base.html
    shows: tuple = ()  # the assets whose published names it carries (their own paths)
    source: str | None = None
    url: str = ""


class Site:
    def __init__(self, templates: Path, pages: list, **values):
        self.templates, self.pages = templates, pages
        self.__dict__.update(values)


class Renderer:
    """Stands for render/pages.py: `environment(templates)` and `render_page(env, site, page, problems)`."""

    def __init__(self):
        self.rendered, self.environments, self.sites = [], 0, []
        self.renames = {}  # asset path -> its published name, as the assets stage writes it into pages

    def environment(self, templates):
        self.environments += 1
        return SimpleNamespace(recorded=None, template_problems=None, templates=templates)

    def render_page(self, env, site, page, problems):
        self.rendered.append(page.output)
        self.sites.append(site)
        env.recorded.update({("field", page.output, "title"), ("template", "base.html"), *page.reads})
        if page.title.startswith("!"):
            problems.warn(page.output, 3, f"a warning on {page.output}")
        if page.title == "boom":
            raise RuntimeError("template failed")
        return Output(page.output, html(page, self.renames))


def html(page: Page, renames: dict) -> bytes:
    assets = "".join(f'<link href="/{renames[path]}">' for path in page.shows)
    return f'<html>{assets}<h1 id="top">{page.title}</h1><a href="/{page.output}#top">me</a></html>'.encode()


def describe(data: bytes) -> tuple:
    """(links, ids) of a page, as the link check reads them."""
    text = data.decode()
    return re.findall(r'href="([^"]*)"', text), re.findall(r'id="([^"]*)"', text)


@pytest.fixture
def renderer(monkeypatch) -> Renderer:
    made = Renderer()
    monkeypatch.setattr(page_cache, "render", made)
    return made


@pytest.fixture
def templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<html>{{ content }}</html>", encoding="utf-8")
    return folder


def site(templates: Path, *pages: Page, **values) -> Site:
    return Site(templates, list(pages or (Page("a.html", "A"), Page("b.html", "B"))), **({"name": "Portal"} | values))


def build(cache: PageCache, site: Site, out: Path, renames=None, stream=None, save=True):
    """A build as pipeline.build makes it: the pages rendered (or reused), each written into `out`
    as it is rendered (`stream`; by default with a cache in .cache/, as pipeline) or at the end,
    then the cache committed and saved."""
    stream = cache.folder is not None if stream is None else stream
    cache.renames = renames if renames is not None else {}
    page_cache.render.renames = cache.renames
    cache.likely_stale(site)
    env = cache.environment(site)
    problems, outputs = Problems(), []
    for page in site.pages:
        output = cache.render_page(env, site, page, problems)
        file = out / page.output
        file.parent.mkdir(parents=True, exist_ok=True)
        file.unlink(missing_ok=True)  # a new file, as write.py makes it: a stored page is never written into
        if output.reused and output.data is None:
            os.link(output.copy_from, file)
        else:
            file.write_bytes(output.data)
            if stream and not output.reused:
                light = Output(page.output, written=True)
                cache.written(page.output, light, output.data, file, describe(output.data))
                output = light
        outputs.append(output)
    cache.commit()
    if save:
        cache.save(outputs, out, describe)
    return outputs, problems


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / ".cache" / "one"


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "_site"


def index(folder: Path) -> Path:
    return folder / page_cache.INDEX


def lines(folder: Path) -> list:
    return [json.loads(line) for line in index(folder).read_text(encoding="utf-8").splitlines()]


def objects(folder: Path) -> list:
    return sorted(p.name for p in (folder / page_cache.OBJECTS).iterdir())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rebuilt(folder, site, out, renderer, **more) -> list:
    """A new process's build from what .cache/ holds: the pages it rendered."""
    renderer.rendered.clear()
    build(PageCache(folder), site, out, **more)
    return renderer.rendered


def read_index(folder: Path) -> dict:
    """path -> its record in the index, its rows given as {key: digest}, every line applied in order."""
    table, pages = [], {}
    for kind, value in lines(folder)[1:]:
        if kind == "keys":
            table += [(json.dumps(key), found) for key, found in value]
        elif kind == "pages":
            pages.update(value)
        elif kind == "gone":
            for path in value:
                del pages[path]
    return {path: page | {"keys": dict(table[n] for n in page["keys"])} for path, page in pages.items()}


def row(key) -> str:
    return json.dumps(list(key) if isinstance(key, tuple) else key)


TEMPLATE = sha(b"<html>{{ content }}</html>")
NO_ASSETS = page_cache.digest([])


# --- the engine: a cache made by another is foreign -----------------------------------------------


def test_the_engines_code_is_known_by_every_python_file_under_it_by_path_and_bytes(tmp_path):
    digest = code_digest.__wrapped__  # worked out anew each time (a process reads its code once)
    engine = tmp_path / "portal"
    (engine / "render").mkdir(parents=True)
    (engine / "__init__.py").write_text("x = 1\n")
    (engine / "render/pages.py").write_text("def f(): return 1\n")
    first = digest(engine)
    (engine / "render/pages.py").write_text("def f(): return 2\n")
    second = digest(engine)
    (engine / "render/pages.py").rename(engine / "render/other.py")
    third = digest(engine)
    assert len({first, second, third}) == 3
    (engine / "render/notes.txt").write_text("not code")  # nor is a compiled file or a catalogue
    assert digest(engine) == third
    assert code_digest() == digest(Path(portal.__file__).parent)  # the engine that runs, read once


def test_the_engine_is_the_format_the_portal_python_and_the_libraries_that_make_pages():
    assert page_cache.engine() == {
        "format": 4,
        "portal": __version__,
        "code": code_digest(),
        "python": platform.python_version(),
        "libraries": {name: importlib.metadata.version(name) for name in page_cache.LIBRARIES},
    }
    assert page_cache.LIBRARIES == ("Markdown", "nh3", "Jinja2", "MarkupSafe", "PyYAML", "Babel", "Pillow")


def test_same_is_identity_or_equality():
    nan = float("nan")
    assert page_cache.same(nan, nan)  # the very object: not compared
    assert page_cache.same([1], [1])
    assert not page_cache.same([1], [2])
    assert not page_cache.same(nan, float("nan"))


def test_the_folder_of_a_kind_of_build_is_named_by_its_address_and_drafts(tmp_path):
    name = hashlib.sha256(b'["https://x.se/", false]').hexdigest()[:16]
    assert page_cache.folder(tmp_path, "https://x.se/", False) == tmp_path / ".cache" / name
    assert page_cache.folder(str(tmp_path), "https://x.se/", False) == tmp_path / ".cache" / name
    assert page_cache.folder(tmp_path, "https://x.se/", True) != page_cache.folder(tmp_path, "https://x.se/", False)
    assert page_cache.folder(tmp_path, None, False).name == hashlib.sha256(b"[null, false]").hexdigest()[:16]


def test_clear_removes_the_whole_cache_and_minds_no_missing_one(tmp_path):
    (tmp_path / ".cache/one/pages").mkdir(parents=True)
    (tmp_path / ".cache/one/pages/x").write_text("x")
    page_cache.clear(str(tmp_path))
    assert not (tmp_path / ".cache").exists()
    page_cache.clear(tmp_path)  # nothing there: no error


# --- a cold build, kept, and read back by the next process -----------------------------------------


def test_a_new_cache_with_no_folder_holds_nothing_and_renders_every_page(renderer, templates, out):
    cache = PageCache()
    assert (cache.folder, cache.entries, cache.stored, cache.journal, cache.changed) == (None, {}, {}, None, None)
    assert cache.likely_stale(site(templates)) == site(templates).pages
    assert cache.changed is None  # nothing to compare with yet
    build(cache, site(templates), out)
    assert renderer.rendered == ["a.html", "b.html"]
    assert not (out.parent / ".cache").exists()  # in memory only


def test_a_cold_build_keeps_each_page_its_keys_digests_links_ids_and_file(renderer, templates, out, folder):
    cache = PageCache(folder)
    assert cache.entries == {} and cache.journal is None
    _, problems = build(
        cache, site(templates, Page("a.html", "!A"), Page("b.html", "B", reads=(("site", "name"),))), out
    )
    assert renderer.rendered == ["a.html", "b.html"]
    head, *_ = lines(folder)
    assert head == ["head", {"format": 4, "engine": page_cache.engine(), "templates": {"base.html": TEMPLATE}}]
    a, b = (out / "a.html").read_bytes(), (out / "b.html").read_bytes()
    assert read_index(folder) == {
        "a.html": {
            "keys": {
                row(("field", "a.html", "title")): page_cache.digest("!A"),
                row(("template", "base.html")): page_cache.digest(TEMPLATE),
            },
            "problems": [["a.html", 3, "a warning on a.html", "warning"]],
            "file": [sha(a), len(a), (out / "a.html").stat().st_mtime_ns],
            "links": ["/a.html#top"],
            "ids": ["top"],
            "assets": [],
            "names": NO_ASSETS,
        },
        "b.html": {
            "keys": {
                row(("field", "b.html", "title")): page_cache.digest("B"),
                row(("template", "base.html")): page_cache.digest(TEMPLATE),
                row(("site", "name")): page_cache.digest("Portal"),
            },
            "problems": [],
            "file": [sha(b), len(b), (out / "b.html").stat().st_mtime_ns],
            "links": ["/b.html#top"],
            "ids": ["top"],
            "assets": [],
            "names": NO_ASSETS,
        },
    }
    assert objects(folder) == sorted([sha(a), sha(b)])
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    # The output's page and the stored one are one file, not a copy.
    assert (folder / "pages" / sha(a)).stat().st_ino == (out / "a.html").stat().st_ino
    assert [str(p) for p in problems.items] == ["a.html:3: warning: a warning on a.html"]
    assert not cache.dirty  # saved


def test_the_next_process_reuses_every_unchanged_page_as_stored(renderer, templates, out, folder):
    first = site(templates, Page("a.html", "!A"), Page("b.html", "B"))
    build(PageCache(folder), first, out)
    cache = PageCache(folder)
    assert sorted(cache.entries) == ["a.html", "b.html"]
    assert cache.checked_templates == {"base.html": TEMPLATE}
    a = (out / "a.html").read_bytes()
    entry, record = cache.stored["a.html"]
    assert entry is cache.entries["a.html"]
    assert entry.output == Output("a.html", copy_from=folder / "pages" / sha(a), reused=True)
    assert set(entry.recorded) == {("field", "a.html", "title"), ("template", "base.html")}
    assert entry.problems == (Problem("a.html", 3, "a warning on a.html", "warning"),)
    assert isinstance(entry.rows, array.array) and sorted(entry.rows) == sorted(
        n for n, (key, _d) in enumerate(cache.table) if key in entry.recorded
    )
    assert record == Stored(
        sha(a), len(a), (out / "a.html").stat().st_mtime_ns, ("/a.html#top",), ("top",), (), NO_ASSETS
    )
    renderer.rendered.clear()
    assert cache.likely_stale(first) == []
    outputs, problems = build(cache, first, out)
    assert renderer.rendered == []
    assert outputs == [cache.entries["a.html"].output, cache.entries["b.html"].output]
    assert [str(p) for p in problems.items] == ["a.html:3: warning: a warning on a.html"]  # its warnings again
    assert cache.links() == {"a.html": (("/a.html#top",), ("top",)), "b.html": (("/b.html#top",), ("top",))}


def test_the_template_problems_are_not_looked_for_again_when_the_templates_are_those_checked(
    renderer, templates, out, folder
):
    build(PageCache(folder), site(templates), out)
    cache = PageCache(folder)
    env = cache.environment(site(templates))
    assert env.template_problems == Problems()
    (templates / "base.html").write_text("<html>other</html>", encoding="utf-8")
    assert PageCache(folder).environment(site(templates)).template_problems is None


# --- which stored page the next process may show again ---------------------------------------------


def test_a_page_whose_title_changed_is_rendered_again_and_no_other(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    changed = site(templates, Page("a.html", "A2"), Page("b.html", "B"))
    cache = PageCache(folder)
    assert cache.likely_stale(changed) == [changed.pages[0]]
    renderer.rendered.clear()
    build(cache, changed, out)
    assert renderer.rendered == ["a.html"]
    assert (out / "a.html").read_bytes() == html(changed.pages[0], {})
    assert rebuilt(folder, changed, out, renderer) == []


def test_a_page_that_read_a_value_of_the_site_is_rendered_again_when_it_changed(renderer, templates, out, folder):
    pages = (Page("a.html", "A"), Page("b.html", "B", reads=(("site", "name"),)))
    build(PageCache(folder), site(templates, *pages), out)
    assert rebuilt(folder, site(templates, *pages, name="Portalen"), out, renderer) == ["b.html"]
    assert rebuilt(folder, site(templates, *pages, name="Portalen"), out, renderer) == []


def test_a_changed_template_renders_every_page_that_loaded_it(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    (templates / "base.html").write_text("<html>new</html>", encoding="utf-8")
    assert rebuilt(folder, site(templates), out, renderer) == ["a.html", "b.html"]
    assert lines(folder)[0][1]["templates"] == {"base.html": sha(b"<html>new</html>")}


def test_a_row_found_unchanged_for_one_page_does_not_hide_a_changed_one_of_the_next(renderer, templates, out, folder):
    # b.html's rows: the template (judged unchanged with a.html) and its title, numbered after it.
    build(PageCache(folder), site(templates), out)
    cache = PageCache(folder)
    numbers = {key: n for n, (key, _d) in enumerate(cache.table)}
    assert numbers[("template", "base.html")] < numbers[("field", "b.html", "title")]
    assert rebuilt(folder, site(templates, Page("a.html", "A"), Page("b.html", "B2")), out, renderer) == ["b.html"]


def test_each_row_is_judged_once_a_build_unchanged_or_moved(renderer, templates, out, folder):
    build(PageCache(folder), site(templates, Page("a.html", "A"), Page("b.html", "B"), Page("c.html", "C")), out)
    cache = PageCache(folder)
    numbers = {key: n for n, (key, _d) in enumerate(cache.table)}
    cache.likely_stale(site(templates, Page("a.html", "A2"), Page("b.html", "B"), Page("c.html", "C")))
    assert cache.moved == {numbers[("field", "a.html", "title")]}
    assert cache.fine == {numbers[key] for key in numbers if key != ("field", "a.html", "title")}
    # A page whose rows were all judged unchanged, or one of them moved, is not judged row by row again.
    cache.table = None
    assert cache._rows_changed(cache.entries["b.html"].rows) is False
    assert cache._rows_changed(cache.entries["a.html"].rows) is True


def test_a_new_page_is_rendered_and_a_page_gone_leaves_the_index_and_its_file_the_cache(
    renderer, templates, out, folder
):
    build(PageCache(folder), site(templates), out)
    old_b = sha((out / "b.html").read_bytes())
    later = site(templates, Page("a.html", "A"), Page("c.html", "C"))
    assert rebuilt(folder, later, out, renderer) == ["c.html"]
    assert sorted(read_index(folder)) == ["a.html", "c.html"]
    assert old_b not in objects(folder)
    assert sorted(PageCache(folder).entries) == ["a.html", "c.html"]


def test_a_stored_page_touched_but_the_same_bytes_is_hashed_again_and_kept(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    os.utime(out / "a.html", ns=(1_000_000_000, 1_000_000_000))
    cache = PageCache(folder)
    assert cache.likely_stale(site(templates)) == []
    assert cache.intact == {"a.html", "b.html"}


def test_a_stored_page_edited_by_hand_is_dropped_and_rendered_again(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    with (out / "a.html").open("ab") as f:  # the output's page is the stored one: a hard link
        f.write(b"<!-- edited -->")
    assert rebuilt(folder, site(templates), out, renderer) == ["a.html"]
    assert b"edited" not in (out / "a.html").read_bytes()
    assert rebuilt(folder, site(templates), out, renderer) == []


def test_a_stored_page_of_the_same_size_and_time_is_trusted_without_hashing(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    st = (out / "a.html").stat()
    data = (out / "a.html").read_bytes()
    with (out / "a.html").open("r+b") as f:
        f.write(data.upper()[: len(data)])
    os.utime(out / "a.html", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rebuilt(folder, site(templates), out, renderer) == []


def test_a_stored_page_whose_file_is_gone_is_rendered_again(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    (folder / "pages" / sha((out / "a.html").read_bytes())).unlink()
    cache = PageCache(folder)
    cache.check_stored()
    assert cache.intact == {"b.html"}
    assert rebuilt(folder, site(templates), out, renderer) == ["a.html"]


def test_a_stored_page_found_intact_is_not_looked_at_again_in_that_build(renderer, templates, out, folder):
    build(PageCache(folder), site(templates), out)
    cache = PageCache(folder)
    cache.check_stored()  # while the site is made (pipeline)
    assert cache.intact == {"a.html", "b.html"}
    (folder / "pages" / sha((out / "a.html").read_bytes())).unlink()
    assert cache.likely_stale(site(templates)) == []
    cache.discard()  # after the build: the next one looks again
    assert cache.intact == set()
    assert cache.stale(site(templates).pages[0]) is True


def test_check_stored_looks_only_at_pages_read_from_the_cache(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    cache.check_stored()  # its entries are this process's own now: nothing to look at
    assert cache.intact == set()


def test_a_page_whose_asset_has_another_name_is_rendered_again_when_rendered_not_before(
    renderer, templates, out, folder
):
    pages = (Page("a.html", "A", shows=("css/site.css",)), Page("b.html", "B"))
    build(PageCache(folder), site(templates, *pages), out, renames={"css/site.css": "css/site.f5d1e7d4.css"})
    record = read_index(folder)["a.html"]
    assert record["assets"] == ["css/site.css"]
    assert record["names"] == page_cache.digest([("css/site.css", "css/site.f5d1e7d4.css")])
    assert read_index(folder)["b.html"]["assets"] == []
    renamed = {"css/site.css": "css/site.0a1b2c3d.css"}
    cache = PageCache(folder)
    assert cache.likely_stale(site(templates, *pages)) == []  # the names are not settled yet
    renderer.rendered.clear()
    build(cache, site(templates, *pages), out, renames=renamed)
    assert renderer.rendered == ["a.html"]
    assert b"site.0a1b2c3d.css" in (out / "a.html").read_bytes()
    assert rebuilt(folder, site(templates, *pages), out, renderer, renames=renamed) == []
    # The same names: nothing again.
    assert rebuilt(folder, site(templates, *pages), out, renderer, renames=dict(renamed)) == []


def test_a_page_rendered_in_this_process_keeps_its_names_unless_an_asset_is_renamed(renderer, templates, out, folder):
    pages = (Page("a.html", "A", shows=("css/site.css",)), Page("b.html", "B"))
    cache = PageCache(folder)
    build(cache, site(templates, *pages), out, renames={"css/site.css": "css/site.f5d1e7d4.css"}, stream=False)
    record = cache.stored["a.html"][1]
    renderer.rendered.clear()
    build(cache, site(templates, *pages), out, renames={"css/site.css": "css/site.f5d1e7d4.css"}, stream=False)
    assert renderer.rendered == [] and cache.stored["a.html"][1] is record
    before = index(folder).read_bytes()
    changed = (pages[0], Page("b.html", "B2"))
    build(cache, site(templates, *changed), out, renames={"css/site.css": "css/site.f5d1e7d4.css"}, stream=False)
    assert cache.stored["a.html"][1] is record
    added = index(folder).read_bytes()[len(before) :].decode()
    assert '"b.html":' in added and '"a.html":' not in added


# --- .cache/ is trusted only as this engine writes it: anything else is ignored whole -------------


def rewrite(folder: Path, change) -> None:
    """The index with its lines (parsed) changed by `change(lines)`, written back a line each."""
    found = lines(folder)
    change(found)
    index(folder).write_text("".join(json.dumps(line) + "\n" for line in found), encoding="utf-8")


def ignored(folder: Path) -> bool:
    cache = PageCache(folder)
    return (cache.entries, cache.stored, cache.checked_templates, cache.table, cache.journal) == (
        {},
        {},
        None,
        [],
        None,
    )


def page_record(found: list, path="a.html") -> dict:
    return next(value for kind, value in found if kind == "pages")[path]


def keys_line(found: list) -> list:
    return next(value for kind, value in found if kind == "keys")


@pytest.fixture
def kept(renderer, templates, out, folder) -> Path:
    """A cache of two pages, kept by a cold build."""
    build(PageCache(folder), site(templates), out)
    assert not ignored(folder)
    return folder


def test_a_cache_read_back_as_written_is_trusted(kept):
    rewrite(kept, lambda found: None)
    cache = PageCache(kept)
    assert sorted(cache.entries) == ["a.html", "b.html"] and cache.journal is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda found: found[0][1].update(format=3),
        lambda found: found[0][1]["engine"].update(portal="0.0.0-other"),
        lambda found: found[0][1]["engine"].update(code="0" * 64),
        lambda found: found[0][1]["engine"].update(python="2.7.18"),
        lambda found: found[0][1]["engine"]["libraries"].update(Jinja2="2.0"),
        lambda found: found[0].__setitem__(0, "heads"),
        lambda found: found.insert(1, ["keyz", []]),
        lambda found: found[0][1]["templates"].update({"base.html": 7}),
        lambda found: found[0][1].update(templates=[]),
        lambda found: found[0][1].pop("engine"),
        lambda found: keys_line(found).append([{"a": 1}, "d"]),
        lambda found: keys_line(found).append([["field", {"a": 1}], "d"]),
        lambda found: keys_line(found).append([["field", "x"], 5]),
        lambda found: keys_line(found).append(["field"]),
        lambda found: page_record(found)["file"].__setitem__(0, "../../../etc/passwd"),
        lambda found: page_record(found)["file"].__setitem__(0, page_record(found)["file"][0].upper()),
        lambda found: page_record(found)["file"].__setitem__(0, page_record(found)["file"][0][:-1]),
        lambda found: page_record(found)["file"].__setitem__(0, page_record(found)["file"][0] + "0"),
        lambda found: page_record(found)["file"].__setitem__(1, "12"),
        lambda found: page_record(found)["file"].__setitem__(1, 12.0),
        lambda found: page_record(found)["file"].__setitem__(1, True),
        lambda found: page_record(found)["file"].__setitem__(2, "12"),
        lambda found: page_record(found)["file"].__setitem__(2, 12.0),
        lambda found: page_record(found)["file"].append(1),
        lambda found: page_record(found).update(file=5),
        lambda found: page_record(found)["keys"].append(-1),
        lambda found: page_record(found)["keys"].append(2**40),
        lambda found: page_record(found)["keys"].append(99),
        lambda found: page_record(found)["keys"].append("0"),
        lambda found: page_record(found)["problems"].append(["a.html", "3", "x", "warning"]),
        lambda found: page_record(found)["problems"].append(["a.html", 3, "x", "fatal"]),
        lambda found: page_record(found).update(links="/a.html"),
        lambda found: page_record(found)["links"].append(5),
        lambda found: page_record(found).update(ids={"top": 1}),
        lambda found: page_record(found)["ids"].append(None),
        lambda found: page_record(found).update(assets=5),
        lambda found: page_record(found)["assets"].append(5),
        lambda found: page_record(found).update(names=5),
        lambda found: page_record(found).pop("names"),
        lambda found: page_record(found).pop("file"),
        lambda found: found.append(["gone", 5]),
    ],
    ids=[
        "another format",
        "another portal version",
        "other engine code",
        "another python",
        "another library version",
        "no head first",
        "a line of another kind",
        "a template's hash not a text",
        "templates not a mapping",
        "no engine",
        "a key that is a mapping",
        "a key holding a mapping",
        "a digest not a text",
        "a row with no digest",
        "a path out of the cache",
        "a name not in lower case",
        "a name too short",
        "a name too long",
        "a size as a text",
        "a size as a float",
        "a size as a boolean",
        "a time as a text",
        "a time as a float",
        "a file of four parts",
        "a file that is a number",
        "a row below the first",
        "a row past any number",
        "a row past the table",
        "a row as a text",
        "a problem's line as a text",
        "a problem of another severity",
        "links as a text",
        "a link not a text",
        "ids as a mapping",
        "an id not a text",
        "assets as a number",
        "an asset not a text",
        "names not a text",
        "no names",
        "no file",
        "gone not a list",
    ],
)
def test_a_cache_this_engine_would_not_write_is_ignored_whole(kept, renderer, templates, out, change):
    rewrite(kept, change)
    assert ignored(kept)
    assert rebuilt(kept, site(templates), out, renderer) == ["a.html", "b.html"]  # cold, and right


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data[:-1],  # the last line cut short: another process died writing it
        lambda data: data[: data.index(b"\n") + 5] + b"\n",  # a line cut short inside
        lambda data: b"",
        lambda data: b"\n",
        lambda data: b"not json at all\n",
        lambda data: data.replace(b"\n", b"\n[5]\n", 1),
        lambda data: data + b'["keys",' + b"[" * 100_000 + b"]" * 100_000 + b"]\n",
        lambda data: b"\xff" + data,
    ],
    ids=[
        "last line cut",
        "a line cut inside",
        "empty",
        "an empty line",
        "not json",
        "a line of one part",
        "too deep",
        "not UTF-8",
    ],
)
def test_an_index_that_does_not_parse_is_ignored_whole(kept, spoil):
    index(kept).write_bytes(spoil(index(kept).read_bytes()))
    assert ignored(kept)


def test_no_index_or_no_folder_is_an_empty_cache(kept, tmp_path):
    index(kept).unlink()
    assert ignored(kept)
    assert ignored(tmp_path / "nowhere")


def test_an_index_cut_short_after_a_line_is_a_cache_of_the_pages_it_names(kept):
    found = lines(kept)
    index(kept).write_text(json.dumps(found[0]) + "\n", encoding="utf-8")  # only its head
    cache = PageCache(kept)
    assert (cache.entries, cache.table, cache.checked_templates) == ({}, [], {"base.html": TEMPLATE})
    assert cache.journal.whole == index(kept).stat().st_size


def test_later_lines_add_rows_replace_records_and_drop_pages_gone(kept, out):
    found = lines(kept)
    a = page_record(found)
    other = dict(a, keys=[len(keys_line(found))], ids=["other"])
    extra = [["keys", [[["site", "name"], "d1"]]], ["pages", {"a.html": other}], ["gone", ["b.html", "c.html"]]]
    text = "".join(json.dumps(line) + "\n" for line in found + extra)
    index(kept).write_text(text, encoding="utf-8")
    cache = PageCache(kept)
    assert list(cache.entries) == ["a.html"]
    assert cache.entries["a.html"].recorded == (("site", "name"),)
    assert list(cache.entries["a.html"].rows) == [len(keys_line(found))]
    assert cache.stored["a.html"][1].ids == ("other",)
    assert cache.table[-1] == (("site", "name"), "d1")
    assert len(cache.table) == len(keys_line(found)) + 1
    # The journal as read: its head, the file's identity, its rows, its pages, and what was written whole.
    whole = len("".join(json.dumps(line) + "\n" for line in found).encode())
    assert cache.journal.head == json.dumps(found[0])
    assert cache.journal.identity == page_cache._identity(index(kept))
    assert cache.journal.table == cache.table and cache.journal.table is not cache.table
    assert cache.journal.paths == {"a.html"}
    assert cache.journal.whole == whole


def test_keys_and_texts_read_back_are_the_values_written(kept):
    found = lines(kept)
    keys_line(found).append([["call", "pages_in", [["page", "x"], 2, None, True, 1.5], []], "d9"])
    keys_line(found).append(["plain", "d10"])
    keys_line(found).append([7, "d11"])
    index(kept).write_text("".join(json.dumps(line) + "\n" for line in found), encoding="utf-8")
    table = PageCache(kept).table
    assert table[-3:] == [
        (("call", "pages_in", (("page", "x"), 2, None, True, 1.5), ()), "d9"),
        ("plain", "d10"),
        (7, "d11"),
    ]
    assert type(table[-3][0][2][4]) is float and table[-3][0][2][3] is True


# --- the index: written whole, or the pages that changed added at its end (_Journal) --------------


def test_the_index_written_whole_is_its_head_its_pages_and_its_rows(kept, out):
    text = index(kept).read_text(encoding="utf-8")
    head, pages, keys = text.splitlines()
    assert text.endswith("\n") and text.count("\n") == 3
    assert pages.startswith('["pages",{"a.html":{"keys":[') and ',"b.html":{' in pages
    assert keys.startswith('["keys",[[')
    assert " " not in pages + keys  # no spaces between items: 30 MB at 5,000 news items
    found = lines(kept)
    rows = keys_line(found)
    assert len(rows) == 3  # each key once: the template is read by both pages
    assert rows[: len(page_record(found)["keys"])] == [rows[n] for n in page_record(found)["keys"]]
    assert page_record(found)["keys"] == sorted(page_record(found)["keys"])
    assert page_record(found, "b.html")["keys"] == sorted(page_record(found, "b.html")["keys"])
    journal = PageCache(kept).journal
    assert journal.whole == len(text.encode()) and journal.paths == {"a.html", "b.html"}
    assert [name for name in os.listdir(kept) if name.startswith(".index-")] == []


def test_texts_are_kept_as_they_are_not_escaped(renderer, templates, out, folder):
    build(PageCache(folder), site(templates, Page("å.html", "Ödeshög")), out)
    text = index(folder).read_text(encoding="utf-8")
    assert '"å.html":' in text and "\\u" not in text
    assert rebuilt(folder, site(templates, Page("å.html", "Ödeshög")), out, renderer) == []


def test_the_journal_this_process_wrote_is_what_it_holds(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    journal = cache.journal
    assert journal.identity == page_cache._identity(index(folder))
    assert journal.whole == index(folder).stat().st_size
    assert journal.paths == {"a.html", "b.html"}
    assert journal.head == index(folder).read_text(encoding="utf-8").splitlines()[0]
    assert [key for key, _d in journal.table] == [tuple(key) for key, _d in keys_line(lines(folder))]
    assert [found for _k, found in journal.table] == [found for _k, found in keys_line(lines(folder))]


@pytest.mark.parametrize("same_process", [True, False])
def test_a_few_pages_changed_are_added_at_the_end_of_the_index(renderer, templates, out, folder, same_process):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    before = index(folder).read_bytes()
    inode = index(folder).stat().st_ino
    later = site(templates, Page("a.html", "A2"), Page("b.html", "B"))
    build(cache if same_process else PageCache(folder), later, out)
    after = index(folder).read_bytes()
    assert index(folder).stat().st_ino == inode and after.startswith(before)
    added = [json.loads(line) for line in after[len(before) :].decode().splitlines()]
    a = (out / "a.html").read_bytes()
    template = [tuple(key) for key, _d in keys_line(lines(folder))].index(("template", "base.html"))
    assert added == [
        ["keys", [[["field", "a.html", "title"], page_cache.digest("A2")]]],
        [
            "pages",
            {
                "a.html": {
                    "keys": sorted([template, 3]),  # the new row, numbered after the three written whole
                    "problems": [],
                    "file": [sha(a), len(a), (out / "a.html").stat().st_mtime_ns],
                    "links": ["/a.html#top"],
                    "ids": ["top"],
                    "assets": [],
                    "names": NO_ASSETS,
                }
            },
        ],
    ]
    assert rebuilt(folder, later, out, renderer) == []
    assert PageCache(folder).stored["a.html"][1].sha == sha(a)


def test_a_page_gone_is_added_as_gone_and_a_page_kept_is_not_written_again(kept, renderer, templates, out):
    before = index(kept).read_bytes()
    build(PageCache(kept), site(templates, Page("a.html", "A")), out)
    added = index(kept).read_bytes()[len(before) :].decode()
    assert added == '["gone",["b.html"]]\n'
    assert sorted(PageCache(kept).entries) == ["a.html"]


def test_a_build_with_nothing_new_leaves_the_index_as_it_was(kept, renderer, templates, out):
    before = index(kept).stat()
    cache = PageCache(kept)
    build(cache, site(templates), out)
    assert cache.dirty is False
    assert index(kept).stat().st_mtime_ns == before.st_mtime_ns and index(kept).stat().st_size == before.st_size


def test_rows_added_are_numbered_on_from_the_last(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out)
    build(cache, site(templates, Page("a.html", "A3"), Page("b.html", "B2")), out)
    found = lines(folder)
    assert [kind for kind, _v in found] == ["head", "pages", "keys", "keys", "pages", "keys", "pages"]
    assert len(cache.journal.table) == 6
    assert cache.journal.table[-2:] == [
        (("field", "a.html", "title"), page_cache.digest("A3")),
        (("field", "b.html", "title"), page_cache.digest("B2")),
    ]
    assert sorted(found[-1][1]) == ["a.html", "b.html"]
    assert rebuilt(folder, site(templates, Page("a.html", "A3"), Page("b.html", "B2")), out, renderer) == []
    assert rebuilt(folder, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, renderer) == [
        "a.html",
        "b.html",
    ]


def test_an_index_another_process_rewrote_is_written_whole_not_added_to(renderer, templates, out, folder):
    held = PageCache(folder)
    build(held, site(templates), out)
    other = site(templates, Page("a.html", "A"), Page("b.html", "B"), Page("c.html", "C"))
    build(PageCache(folder), other, out)  # the same cache folder, saved from another process: an addition
    inode = index(folder).stat().st_ino
    build(held, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out)
    assert index(folder).stat().st_ino != inode
    assert [kind for kind, _v in lines(folder)] == ["head", "pages", "keys"]
    assert rebuilt(folder, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, renderer) == []


def test_an_index_gone_is_written_whole(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    index(folder).unlink()
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out)
    assert [kind for kind, _v in lines(folder)] == ["head", "pages", "keys"]
    assert sorted(read_index(folder)) == ["a.html", "b.html"]


def test_changed_templates_write_the_index_whole(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out)
    (templates / "base.html").write_text("<html>new</html>", encoding="utf-8")
    build(cache, site(templates), out)
    assert [kind for kind, _v in lines(folder)] == ["head", "pages", "keys"]
    assert lines(folder)[0][1]["templates"] == {"base.html": sha(b"<html>new</html>")}


def journal_on(folder: Path, pages: list, size: int, whole: int):
    """The journal of the index in `folder` as if it were `size` bytes, `whole` of them written whole."""
    journal = PageCache(folder).journal
    return page_cache._Journal(journal.head, (0, size, 0), list(journal.table), set(journal.paths), whole)


@pytest.mark.parametrize(("slack", "whole"), [(0, 4000), (0, 4003), (3000, 40)])
def test_the_index_is_added_to_while_additions_weigh_at_most_a_quarter_of_it_or_the_slack(
    kept, renderer, templates, out, monkeypatch, slack, whole
):
    monkeypatch.setattr(page_cache, "_JOURNAL_SLACK", slack)
    cache = PageCache(kept)
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, save=False)
    pages = cache._kept_pages({p: Output(p, written=True) for p in cache.entries}, out, kept / "pages", describe, {})
    data = index(kept).read_bytes()
    assert journal_on(kept, pages, 10**6, 10**6).append(index(kept), pages, cache._digest)
    added = len(index(kept).read_bytes()) - len(data)
    allowed = max(slack, whole // 4)
    for size, appended in ((whole + allowed - added, True), (whole + allowed - added + 1, False)):
        index(kept).write_bytes(data)
        journal = journal_on(kept, pages, size, whole)
        assert journal.append(index(kept), pages, cache._digest) is appended
        assert len(index(kept).read_bytes()) == len(data) + (added if appended else 0)
        assert journal.paths == ({"a.html", "b.html"})
        if appended:
            assert journal.identity == page_cache._identity(index(kept))
        else:
            assert journal.identity == (0, size, 0)


def test_the_slack_is_a_quarter_of_a_megabyte():
    assert page_cache._JOURNAL_SLACK == 256 * 1024


def test_once_additions_outweigh_a_quarter_the_index_is_written_whole_renumbered(
    kept, renderer, templates, out, monkeypatch
):
    monkeypatch.setattr(page_cache, "_JOURNAL_SLACK", 0)
    cache = PageCache(kept)
    for title in ("A2", "A3", "A4", "A5"):
        build(cache, site(templates, Page("a.html", title), Page("b.html", "B")), out)
    assert [kind for kind, _v in lines(kept)] == ["head", "pages", "keys"]
    assert len(keys_line(lines(kept))) == 3
    assert rebuilt(kept, site(templates, Page("a.html", "A5"), Page("b.html", "B")), out, renderer) == []


# --- the canonical form of a value: the same value gives the same digest in every process ---------


def form(text: str) -> str:
    """The digest of a canonical form written out."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Item:
    title: str
    when: object


@dataclass(frozen=True)
class Body:
    text: str
    held: object = dataclasses.field(default=None, compare=False)  # left out of equality, and of the digest


class Kind(enum.Enum):
    NEWS = "news"


class Number(int):
    pass


class Text(str):
    pass


class Texts(list):
    pass


class Pair(tuple):
    pass


class Mapping(dict):
    pass


@dataclass
class Tagged(str):  # a dataclass that is also a text: digested as the text
    note: str = ""


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("ab", "s2:ab;"),
        ("", "s0:;"),
        ("å;", "s2:å;;"),
        (None, "NoneType:None;"),
        (True, "bool:True;"),
        (False, "bool:False;"),
        (12, "int:12;"),
        (1.5, "float:1.5;"),
        ([], "list[]"),
        ((), "tuple[]"),
        ([1, "a"], "list[int:1;s1:a;]"),
        (("a", ("b",)), "tuple[s1:a;tuple[s1:b;]]"),
        (Item("a", 1), "CItem(title=s1:a;when=int:1;)"),
        (Item("a", [None]), "CItem(title=s1:a;when=list[NoneType:None;])"),
        (Body("x", held=5), "CBody(text=s1:x;)"),
        (Kind.NEWS, "EKind:'news';"),
        (Number(5), "Number:5;"),
        (Text("abc"), "s3:abc;"),
        (Tagged("abc"), "s3:abc;"),
        (b"ab", "b" + hashlib.sha256(b"ab").hexdigest() + ";"),
        (dt.date(2020, 1, 2), "date:2020-01-02;"),
        (dt.datetime(2020, 1, 2, 3, 4, 5), "datetime:2020-01-02T03:04:05;"),
        (dt.time(3, 4), "time:03:04:00;"),
        (decimal.Decimal("1.50"), "D1.50;"),
        (PurePosixPath("a/b"), "pa/b;"),
        (Texts(["a"]), "Texts[s1:a;]"),
        (Pair((1,)), "Pair[int:1;]"),
        ({"b": 1, "a": [2]}, "{s1:a;list[int:2;]s1:b;int:1;}"),
        ({}, "{}"),
        (Mapping(b=2, a=1), "{s1:a;int:1;s1:b;int:2;}"),
        ({"b", "a"}, "set{s1:a;,s1:b;}"),
        (frozenset({"a"}), "set{s1:a;}"),
        (set(), "set{}"),
    ],
    ids=repr,
)
def test_the_canonical_form_of_each_kind(value, canonical):
    assert page_cache.digest(value) == form(canonical)
    assert page_cache.digest(value, {}) == form(canonical)


def test_a_dict_key_or_set_item_that_is_not_a_text_stands_by_its_digest():
    one, two = page_cache.digest(1), page_cache.digest((1, 2))
    assert page_cache.digest({1: "a"}) == form(f"{{#{one}s1:a;}}")
    assert page_cache.digest({1, (1, 2)}) == form("set{" + ",".join(sorted([f"#{one}", f"#{two}"])) + "}")
    assert page_cache.digest({2: "b", 1: "a"}) == form(
        "{" + "".join(sorted([f"#{one}s1:a;", f"#{page_cache.digest(2)}s1:b;"])) + "}"
    )


def test_a_dataclass_or_a_long_tuple_inside_a_value_stands_by_its_digest_once_per_site():
    item, long, short = Item("a", 1), tuple(range(16)), tuple(range(15))
    nested = {}
    assert page_cache.digest([item, long, short], nested) == form(
        f"list[#{page_cache.digest(item)};#{page_cache.digest(long)};"
        + "tuple["
        + "".join(f"int:{n};" for n in range(15))
        + "]]"
    )
    assert nested == {id(item): (item, page_cache.digest(item)), id(long): (long, page_cache.digest(long))}
    # Met again: its digest as remembered, not worked out again.
    nested[id(item)] = (item, "remembered")
    assert page_cache.digest(item, nested) == "remembered"
    assert page_cache.digest([item], nested) == form("list[#remembered;]")
    assert page_cache.digest({"k": item}, nested) == form("{s1:k;#remembered;}")
    assert page_cache.digest(Item("b", item), nested) == form("CItem(title=s1:b;when=#remembered;)")
    # Without `nested`, every part is spelt out.
    assert page_cache.digest([item]) == form("list[CItem(title=s1:a;when=int:1;)]")
    # At the top a dataclass or a long tuple is spelt out, and remembered.
    nested = {}
    assert page_cache.digest(long, nested) == form("tuple[" + "".join(f"int:{n};" for n in range(16)) + "]")
    assert page_cache.digest(short, nested) == page_cache.digest(short) and nested == {
        id(long): (long, page_cache.digest(long))
    }
    assert page_cache.digest([1], nested) == form("list[int:1;]") and len(nested) == 1
    assert page_cache.digest(Text("a"), nested) == form("s1:a;") and len(nested) == 1
    # A dict's key or a set's item is digested as it is anywhere else in the site.
    nested, inner = {}, Item("b", item)
    assert page_cache.digest({inner: 1}, nested) == form(f"{{#{page_cache.digest(inner, {})}int:1;}}")
    assert page_cache.digest(inner, {}) == form(f"CItem(title=s1:b;when=#{page_cache.digest(item)};)")
    assert set(nested) == {id(inner), id(item)}
    nested = {}
    assert page_cache.digest({inner}, nested) == form(f"set{{#{page_cache.digest(inner, {})}}}")
    assert set(nested) == {id(inner), id(item)}


def test_what_is_worth_digesting_once_per_site():
    assert page_cache._shared(tuple(range(16))) and not page_cache._shared(tuple(range(15)))
    assert not page_cache._shared(list(range(16))) and not page_cache._shared(Pair(range(16)))
    assert page_cache._shared(Item("a", 1)) and not page_cache._shared(Item) and not page_cache._shared("a")


def test_each_type_is_asked_once_whether_it_is_a_dataclass_and_which_fields_count():
    page_cache.digest([Item("a", 1), Body("x"), decimal.Decimal(1), Item("b", 2)])
    assert page_cache._DATACLASS == {Item: True, Body: True, decimal.Decimal: False}
    assert page_cache._FIELDS == {Item: ("title", "when"), Body: ("text",)}
    assert page_cache._is_dataclass(Tagged) is False and page_cache._DATACLASS[Tagged] is False
    # What was found is what counts from then on.
    page_cache._FIELDS[Item] = ("title",)
    assert page_cache.digest(Item("a", 1)) == form("CItem(title=s1:a;)")
    page_cache._DATACLASS[Body] = False
    with pytest.raises(page_cache.Undigestible, match="^Body$"):
        page_cache.digest(Body("x"))


def test_a_value_with_no_canonical_form_is_named_by_its_type():
    with pytest.raises(page_cache.Undigestible, match="^object$"):
        page_cache.digest({"a": [object()]})
    with pytest.raises(page_cache.Undigestible, match="^Renderer$"):
        page_cache.digest(Renderer())


def test_a_long_value_is_hashed_in_parts_as_if_whole():
    values = [Item(str(n), n) for n in range(3000)]
    canonical = "list[" + "".join(f"CItem(title=s{len(str(n))}:{n};when=int:{n};)" for n in range(3000)) + "]"
    assert page_cache.digest(values) == form(canonical)
    assert page_cache.digest({str(n): n for n in range(5000)}) == form(
        "{"
        + "".join(f"s{len(k)}:{k};int:{k};" for k in sorted(map(str, range(5000)), key=lambda k: f"s{len(k)}:{k};"))
        + "}"
    )
    hashing = page_cache._Hashing()
    hashing.parts.extend(["a"] * 4095)
    hashing.spill()
    assert len(hashing.parts) == 4095
    hashing.parts.append("b")
    hashing.spill()
    assert hashing.parts == [] and hashing.hexdigest() == hashlib.sha256(b"a" * 4095 + b"b").hexdigest()


def test_a_lone_surrogate_is_hashed_as_written():
    assert page_cache.digest("\udc80") == form("s1:\udc80;")


# --- the JSON of .cache/ ----------------------------------------------------------------------------


def test_json_is_compact_and_keeps_texts_as_they_are():
    assert page_cache._json({"å": [1, None], "b": "ö"}) == '{"å":[1,null],"b":"ö"}'


def test_a_key_is_written_as_json_of_plain_values_only():
    assert page_cache._key_json(("field", ("a", 1), None, True, 1.5)) == ["field", ["a", 1], None, True, 1.5]
    assert page_cache._key_json("page") == "page"
    for bad, name in (
        (["a"], "list"),
        (Text("a"), "Text"),
        (("a", PurePosixPath("b")), "PurePosixPath"),
        (Number(1), "Number"),
    ):
        with pytest.raises(page_cache.Undigestible, match=f"^{name}$"):
            page_cache._key_json(bad)


def test_a_key_read_back_is_a_tuple_of_one_object_per_text():
    key = page_cache._key(json.loads('["field", "a.html", ["x", 1], [], null, true, 1.5]'))
    assert key == ("field", "a.html", ("x", 1), (), None, True, 1.5)
    assert key[0] is page_cache._key(json.loads('["field"]'))[0]
    assert key[2][0] is page_cache._key(json.loads('"x"'))
    assert page_cache._key(json.loads('["a", "b"]')) == ("a", "b")
    assert page_cache._key(7) == 7 and page_cache._key(None) is None
    for bad in ({"a": 1}, ["a", {"b": 1}], [["a", {}]], b"a"):
        with pytest.raises(ValueError, match="^not a key$"):
            page_cache._key(bad)


def test_texts_read_back_are_one_object_each():
    texts = page_cache._texts(json.loads('["/a", "/b"]'))
    assert texts == ("/a", "/b") and texts[0] is page_cache._texts(json.loads('["/a"]'))[0]
    assert page_cache._texts([]) == ()
    with pytest.raises(ValueError, match="^not texts$"):
        page_cache._texts(("a",))
    with pytest.raises(TypeError):
        page_cache._texts(["a", 1])
    assert page_cache._text("a") == "a"
    for bad in (1, None, Text("a"), ["a"]):
        with pytest.raises(ValueError, match="^not a text$"):
            page_cache._text(bad)


def test_a_record_in_the_index_holds_the_page_but_its_rows():
    entry = Entry(Output("a.html"), (("k",),), (Problem("a.md", 2, "odd", "warning"),))
    record = Stored("ab" * 32, 10, 20, ("/x",), ("i",), ("css/site.css",), "n")
    assert page_cache._fields(entry, record) == {
        "problems": [["a.md", 2, "odd", "warning"]],
        "file": ["ab" * 32, 10, 20],
        "links": ["/x"],
        "ids": ["i"],
        "assets": ["css/site.css"],
        "names": "n",
    }


def test_a_files_identity_is_its_inode_size_and_time(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    st = (tmp_path / "f").stat()
    assert page_cache._identity(tmp_path / "f") == (st.st_ino, 3, st.st_mtime_ns)
    assert page_cache._identity(tmp_path / "none") is None


# --- in one process (`serve`): compared as objects, no hashing on a save ------------------------------


def test_in_one_process_a_page_is_rendered_again_only_when_something_it_read_changed(renderer, templates, out):
    cache = PageCache()
    pages = [Page("a.html", "A"), Page("b.html", "B", reads=(("site", "name"),))]
    build(cache, site(templates, *pages), out)
    assert cache.keys == {
        ("field", "a.html", "title"),
        ("field", "b.html", "title"),
        ("site", "name"),
        ("template", "base.html"),
    }
    for changed, redone in (
        (site(templates, *pages), []),
        (site(templates, *pages, name="Portalen"), ["b.html"]),
        (site(templates, Page("a.html", "A2"), pages[1], name="Portalen"), ["a.html"]),
        (site(templates, Page("a.html", "A2"), pages[1], Page("c.html", "C"), name="Portalen"), ["c.html"]),
    ):
        renderer.rendered.clear()
        build(cache, changed, out)
        assert renderer.rendered == redone
    assert cache.changed == set()


def test_a_key_first_read_in_a_later_build_is_judged_from_then_on(renderer, templates, out):
    cache = PageCache()
    build(cache, site(templates), out)
    reads_name = (Page("a.html", "A", reads=(("site", "name"),)), Page("b.html", "B"))
    build(cache, site(templates, Page("a.html", "A2", reads=(("site", "name"),)), Page("b.html", "B")), out)
    assert ("site", "name") in cache.keys
    renderer.rendered.clear()
    build(cache, site(templates, Page("a.html", "A2", reads=(("site", "name"),)), reads_name[1], name="Other"), out)
    assert renderer.rendered == ["a.html"]


def test_a_process_started_on_the_cache_judges_every_key_its_pages_read(renderer, templates, out, folder):
    pages = (Page("a.html", "A", reads=(("site", "name"),)), Page("b.html", "B"))
    build(PageCache(folder), site(templates, *pages), out)
    cache = PageCache(folder)
    build(cache, site(templates, *pages), out)  # every page as stored
    assert cache.keys == {
        ("field", "a.html", "title"),
        ("field", "b.html", "title"),
        ("site", "name"),
        ("template", "base.html"),
    }
    assert all(entry.rows is None for entry in cache.entries.values())  # compared as the others from now on
    assert all(cache.stored[path][0] is entry for path, entry in cache.entries.items())
    renderer.rendered.clear()
    build(cache, site(templates, *pages, name="Portalen"), out)
    assert renderer.rendered == ["a.html"]


def test_the_environment_is_made_again_only_when_a_template_changed(renderer, templates, out):
    cache = PageCache()
    first = site(templates)
    env = cache.environment(first)
    assert cache.environment(first) is env  # the same site: what was rendered is kept
    cache.render_page(env, first, first.pages[0], Problems())
    cache.environment(first)
    assert list(cache.fresh) == ["a.html"]
    assert cache.environment(site(templates)) is env and cache.fresh == {}
    assert env.template_problems is None  # no checked templates: looked for as usual
    assert env.templates == templates
    (templates / "base.html").write_text("<html>new</html>", encoding="utf-8")
    assert cache.environment(site(templates)) is not env and renderer.environments == 2
    assert cache.env_templates == {"base.html": sha(b"<html>new</html>")}


def test_a_page_rendered_in_this_build_is_given_again_with_its_warnings(renderer, templates, out):
    cache = PageCache()
    one = site(templates, Page("a.html", "!A"))
    env = cache.environment(one)
    first, second = Problems(), Problems()
    output = cache.render_page(env, one, one.pages[0], first)
    assert cache.render_page(env, one, one.pages[0], second) is output
    assert renderer.rendered == ["a.html"] and cache.rendered == ["a.html"] and renderer.sites == [one]
    assert first.items == second.items == [Problem("a.html", 3, "a warning on a.html", "warning")]
    entry = cache.fresh["a.html"]
    assert (entry.output, set(entry.recorded), entry.problems, entry.rows) == (
        output,
        {("field", "a.html", "title"), ("template", "base.html")},
        (Problem("a.html", 3, "a warning on a.html", "warning"),),
        None,
    )
    assert env.recorded is None  # recording ends with the page


def test_a_page_that_fails_to_render_ends_the_recording_and_is_not_kept(renderer, templates, out):
    cache = PageCache()
    one = site(templates, Page("a.html", "boom"))
    env = cache.environment(one)
    with pytest.raises(RuntimeError):
        cache.render_page(env, one, one.pages[0], Problems())
    assert env.recorded is None and cache.fresh == {} and cache.rendered == []


def test_a_newer_save_stops_the_build_before_its_next_page_is_rendered(renderer, templates, out):
    cache = PageCache()
    build(cache, site(templates), out)
    cache.stop = threading.Event()
    changed = site(templates, Page("a.html", "A"), Page("b.html", "B2"))
    env = cache.environment(changed)
    assert cache.render_page(env, changed, changed.pages[0], Problems()).path == "a.html"
    cache.stop.set()
    cache.render_page(env, changed, changed.pages[0], Problems())  # kept: not stopped
    with pytest.raises(page_cache.Cancelled):
        cache.render_page(env, changed, changed.pages[1], Problems())
    assert renderer.rendered == ["a.html", "b.html"]
    with pytest.raises(page_cache.Cancelled):
        cache.environment(site(templates))


def test_judging_the_keys_stops_for_a_newer_save_every_4096_keys(renderer, templates, out):
    cache = PageCache()
    build(cache, site(templates), out)
    cache.keys = {("site", f"k{n}") for n in range(4097)}
    cache.stop, asked = threading.Event(), []

    def old(key):  # a save comes while the first key is judged
        asked.append(key)
        cache.stop.set()
        return None

    cache.old = old
    with pytest.raises(page_cache.Cancelled):
        cache.environment(site(templates))
    assert len(asked) == 4096


def test_stopped_only_when_the_event_is_set():
    cache = PageCache()
    cache.stopped()
    cache.stop = threading.Event()
    cache.stopped()
    cache.stop.set()
    with pytest.raises(page_cache.Cancelled):
        cache.stopped()


def test_the_links_of_the_pages_shown_as_stored_are_those_read_when_they_were_kept(kept, renderer, templates, out):
    cache = PageCache(kept)
    changed = site(templates, Page("a.html", "A2"), Page("b.html", "B"))
    env = cache.environment(changed)
    for page in changed.pages:
        cache.render_page(env, changed, page, Problems())
    assert cache.links() == {"b.html": (("/b.html#top",), ("top",))}
    assert PageCache(kept).links() == {}  # none shown yet


def test_hold_reads_the_stored_pages_shown_into_memory(kept, renderer, templates, out):
    cache = PageCache(kept)
    build(cache, site(templates, Page("a.html", "A"), Page("b.html", "B2")), out, stream=False)
    b = cache.entries["b.html"]
    data = (out / "a.html").read_bytes()
    cache.hold()
    held = cache.entries["a.html"]
    assert held.output == Output("a.html", data, reused=True) and cache.stored["a.html"][0] is held
    assert cache.entries["b.html"] is b  # rendered here: its bytes are held already
    (kept / "pages" / sha(data)).unlink()
    renderer.rendered.clear()
    outputs, _ = build(cache, site(templates, Page("a.html", "A"), Page("b.html", "B2")), out, save=False)
    assert renderer.rendered == [] and outputs[0].data == data


# --- a page kept as it was written, by the process that rendered it ----------------------------------


def test_a_page_written_is_kept_at_once_by_a_second_name_of_its_file(renderer, templates, out, folder):
    cache = PageCache(folder)
    one = site(templates)
    env = cache.environment(one)
    for n, page in enumerate(one.pages, 1):
        data = cache.render_page(env, one, page, Problems()).data
        (out / page.output).parent.mkdir(parents=True, exist_ok=True)
        (out / page.output).write_bytes(data)
        light = Output(page.output, written=True)
        cache.written(page.output, light, data, out / page.output, (["/x", "/y"], {"z", "a"}))
        record, name = cache.records[page.output]
        assert name == f".new-{sha(data)}-{os.getpid()}-{n}" and cache.kept_count == n
        assert (folder / "pages" / name).stat().st_ino == (out / page.output).stat().st_ino
        st = (out / page.output).stat()
        assert record == Stored(sha(data), len(data), st.st_mtime_ns, ("/x", "/y"), ("a", "z"), (), NO_ASSETS)
        assert cache.fresh[page.output].output is light
    cache.commit()
    cache.save([Output(p.output, written=True) for p in one.pages], out, describe)
    assert objects(folder) == sorted(sha((out / p.output).read_bytes()) for p in one.pages)
    assert cache.entries["a.html"].output == Output(
        "a.html", copy_from=folder / "pages" / sha((out / "a.html").read_bytes()), reused=True
    )
    assert cache.stored["a.html"] == (cache.entries["a.html"], cache.stored["a.html"][1])
    assert cache.records == {}


def test_a_page_written_whose_file_cannot_be_linked_is_kept_as_a_copy(renderer, templates, out, folder):
    cache = PageCache(folder)
    one = site(templates, Page("a.html", "A"))
    env = cache.environment(one)
    data = cache.render_page(env, one, one.pages[0], Problems()).data
    cache.written("a.html", Output("a.html", written=True), data, out / "gone.html", ([], []))
    record, name = cache.records["a.html"]
    assert (folder / "pages" / name).read_bytes() == data and record.size == len(data)


def test_a_leftover_of_the_same_name_is_replaced_by_the_written_file(renderer, templates, out, folder):
    cache = PageCache(folder)
    one = site(templates, Page("a.html", "A"))
    env = cache.environment(one)
    data = cache.render_page(env, one, one.pages[0], Problems()).data
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / f".new-{sha(data)}-{os.getpid()}-1").write_bytes(b"left by a killed build")
    out.mkdir()
    (out / "a.html").write_bytes(data)
    cache.written("a.html", Output("a.html", written=True), data, out / "a.html", ([], []))
    _record, name = cache.records["a.html"]
    assert (folder / "pages" / name).stat().st_ino == (out / "a.html").stat().st_ino


def test_a_page_written_is_not_kept_at_once_when_not_html_or_with_no_folder_to_keep_it_in(
    renderer, templates, out, folder
):
    for cache, found in ((PageCache(folder), None), (PageCache(), ([], [])), (PageCache(folder / "file"), ([], []))):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "file").write_text("a file where the folder would be")
        one = site(templates, Page("a.html", "A"))
        env = cache.environment(one)
        data = cache.render_page(env, one, one.pages[0], Problems()).data
        light = Output("a.html", written=True)
        cache.written("a.html", light, data, out / "a.html", found)
        assert cache.records == {} and cache.fresh["a.html"].output is light


def test_a_page_shown_as_stored_is_not_written_again(kept, renderer, templates, out):
    cache = PageCache(kept)
    one = site(templates)
    env = cache.environment(one)
    stored = cache.render_page(env, one, one.pages[0], Problems())
    cache.written("a.html", Output("a.html", written=True), b"x", out / "a.html", ([], []))
    assert cache.fresh["a.html"].output is stored and cache.records == {}
    cache.written("c.html", Output("c.html", written=True), b"x", out / "c.html", ([], []))  # not rendered: nothing
    assert "c.html" not in cache.fresh


def test_a_failed_build_removes_what_it_kept_on_its_way(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out, save=False)
    names = [name for _r, name in cache.records.values()]
    assert len(names) == 2 and all((folder / "pages" / name).exists() for name in names)
    cache.discard()
    assert cache.records == {} and objects(folder) == []
    PageCache().discard()  # in memory: nothing to remove


def test_what_a_killed_build_left_is_removed_by_the_next_save(kept, renderer, templates, out):
    (kept / "pages" / ".new-left-1-1").write_text("x")
    (kept / "pages" / ("0" * 64)).write_text("x")
    build(PageCache(kept), site(templates, Page("a.html", "A2"), Page("b.html", "B")), out)
    assert objects(kept) == sorted(sha((out / p).read_bytes()) for p in ("a.html", "b.html"))


# --- what save keeps ------------------------------------------------------------------------------


def test_a_page_not_published_is_not_kept(renderer, templates, out, folder):
    cache = PageCache(folder)
    outputs, _ = build(cache, site(templates), out, save=False)
    cache.save(outputs[1:], out, describe)
    assert sorted(read_index(folder)) == ["b.html"] and sorted(cache.stored) == ["b.html"]


def test_a_page_rendered_in_memory_is_kept_from_its_bytes_by_a_second_name_of_its_file(
    renderer, templates, out, folder
):
    cache = PageCache(folder)
    outputs, _ = build(cache, site(templates), out, stream=False)
    a = (out / "a.html").read_bytes()
    assert objects(folder) == sorted(sha((out / p).read_bytes()) for p in ("a.html", "b.html"))
    assert (folder / "pages" / sha(a)).stat().st_ino == (out / "a.html").stat().st_ino
    assert cache.entries["a.html"].output == outputs[0]  # its bytes held: not made a stored page here
    st = (out / "a.html").stat()
    assert cache.stored["a.html"][1] == Stored(
        sha(a), len(a), st.st_mtime_ns, ("/a.html#top",), ("top",), (), NO_ASSETS
    )
    assert [name for name in os.listdir(folder / "pages") if name.startswith(".")] == []
    assert rebuilt(folder, site(templates), out, renderer) == []


def test_a_page_whose_published_file_differs_from_its_bytes_is_kept_as_a_copy_of_its_bytes(
    renderer, templates, out, folder
):
    cache = PageCache(folder)
    outputs, _ = build(cache, site(templates), out, stream=False, save=False)
    (out / "a.html").write_bytes(b"<html>other</html>")
    cache.save(outputs, out, describe)
    stored = folder / "pages" / sha(outputs[0].data)
    assert stored.read_bytes() == outputs[0].data and stored.stat().st_ino != (out / "a.html").stat().st_ino
    (out / "b.html").unlink()
    cache.dirty = True
    cache.stored = {}
    cache.save(outputs, out, describe)  # no published file at all: a copy too
    assert (folder / "pages" / sha(outputs[1].data)).read_bytes() == outputs[1].data


def test_a_page_written_but_not_kept_on_its_way_is_kept_from_its_published_file(renderer, templates, out, folder):
    cache = PageCache(folder)
    one = site(templates, Page("a.html", "A"))
    env = cache.environment(one)
    data = cache.render_page(env, one, one.pages[0], Problems()).data
    out.mkdir()
    (out / "a.html").write_bytes(data)
    cache.written("a.html", Output("a.html", written=True), data, out / "a.html", None)  # not HTML: not kept now
    cache.commit()
    cache.save(
        [Output("a.html", written=True)], out, lambda data: pytest.fail("known"), {"a.html": (["/k"], ["z", "y"])}
    )
    record = cache.stored["a.html"][1]
    assert (record.sha, record.links, record.ids) == (sha(data), ("/k",), ("y", "z"))
    assert cache.entries["a.html"].output == Output("a.html", copy_from=folder / "pages" / sha(data), reused=True)


def test_a_stored_page_with_no_record_held_is_kept_from_its_stored_file(kept, renderer, templates, out):
    cache = PageCache(kept)
    outputs, _ = build(cache, site(templates, Page("a.html", "A"), Page("b.html", "B2")), out, save=False)
    record = cache.stored.pop("a.html")[1]
    data = (out / "a.html").read_bytes()
    (out / "a.html").unlink()
    (out / "a.html").write_bytes(b"<html>another</html>")
    cache.save(outputs, out, describe)
    assert cache.stored["a.html"][1].sha == record.sha
    assert (kept / "pages" / record.sha).read_bytes() == data


def test_the_save_makes_the_folders_it_needs_and_minds_none_there(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(cache, site(templates), out, stream=False)
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, stream=False)
    assert sorted(read_index(folder)) == ["a.html", "b.html"]


def test_nothing_is_saved_in_memory_or_with_nothing_new(renderer, templates, out, folder):
    cache = PageCache()
    build(cache, site(templates), out)
    cache.save([], out, describe)
    assert not folder.parent.exists()
    cache = PageCache(folder)
    cache.save([], out, describe)
    assert not folder.exists()


def test_a_page_that_read_a_key_with_no_json_form_is_not_kept_and_rendered_again(renderer, templates, out, folder):
    odd = ("call", "pages_in", (PurePosixPath("x"),), ())
    pages = (Page("a.html", "A", reads=(odd,)), Page("b.html", "B", reads=(odd,)), Page("c.html", "C"))
    cache = PageCache(folder)
    build(cache, site(templates, *pages, pages_in=lambda path: path.name), out)
    assert sorted(read_index(folder)) == ["c.html"]
    assert sorted(cache.entries) == ["c.html"]  # written: forgotten here too
    renderer.rendered.clear()
    build(cache, site(templates, *pages, pages_in=lambda path: path.name), out)
    assert renderer.rendered == ["a.html", "b.html"]
    cache = PageCache(folder)
    build(cache, site(templates, *pages, pages_in=lambda path: path.name), out, stream=False)
    assert sorted(cache.entries) == ["a.html", "b.html", "c.html"]  # held in memory: shown again here


def test_a_page_whose_record_cannot_be_written_is_not_kept(renderer, templates, out, folder, monkeypatch):
    monkeypatch.setattr(
        Problems, "warn", lambda self, path, line, message: self.items.append(Problem(path, line, object()))
    )
    cache = PageCache(folder)
    build(cache, site(templates, Page("a.html", "!A"), Page("b.html", "B")), out)
    assert sorted(read_index(folder)) == ["b.html"]


def test_a_page_whose_file_cannot_be_kept_is_not(renderer, templates, out, folder):
    cache = PageCache(folder)
    outputs, _ = build(cache, site(templates), out, stream=False, save=False)
    cache.save([Output("a.html", written=True), outputs[1]], out / "nowhere", describe)
    assert sorted(read_index(folder)) == ["b.html"]
    assert "a.html" in cache.entries  # not written in this build: its bytes are still held


def test_a_record_held_is_written_again_only_when_new(renderer, templates, out, folder):
    cache = PageCache(folder)
    build(
        cache,
        site(templates, Page("a.html", "A", shows=("css/site.css",)), Page("b.html", "B")),
        out,
        stream=False,
        renames={"css/site.css": "css/site.aaaa1111.css"},
    )
    record = cache.stored["a.html"][1]
    # Another name for the asset, and b.html changed (something to save): a.html, held in memory with
    # its bytes, is kept again as published now.
    renames = {"css/site.css": "css/site.bbbb2222.css"}
    outputs, _ = build(
        cache,
        site(templates, Page("a.html", "A", shows=("css/site.css",)), Page("b.html", "B2")),
        out,
        stream=False,
        renames=renames,
        save=False,
    )
    published = html(Page("a.html", "A", shows=("css/site.css",)), renames)
    (out / "a.html").unlink()
    (out / "a.html").write_bytes(published)
    cache.save([Output("a.html", published), outputs[1]], out, describe)
    again = cache.stored["a.html"][1]
    assert again != record and again.sha == sha(published)
    assert again.names == page_cache.digest([("css/site.css", "css/site.bbbb2222.css")])
    assert read_index(folder)["a.html"]["file"][0] == sha(published)


# --- the assets a page shows, by their own paths ---------------------------------------------------


def test_the_assets_a_page_shows_are_found_by_their_published_names():
    cache = PageCache()
    cache.renames = {
        "css/site.css": "css/site.f5d1e7d4.css",
        "js/app.js": "js/app.0a0b0c0d.js",
        "img/logo.svg": "img/logo.f5d1e7d4.svg",
        "other/site.css": "other/site.f5d1e7d4.css",
        "LICENSE": "LICENSE.abcdef12",
    }
    assert cache._assets_in(b'<link href="/css/site.f5d1e7d4.css"><script src="js/app.0a0b0c0d.js">') == (
        "css/site.css",
        "js/app.js",
        "other/site.css",  # the same published name: either may be the one shown
    )
    assert cache._assets_in(b"<img src=logo.f5d1e7d4.svg>") == ("img/logo.svg",)
    assert cache._assets_in(b"site.css app.js f5d1e7d4 .0a0b0c0d.") == ()
    assert cache._assets_in(b"other.f5d1e7d4.css LICENSE.abcdef12 site.F5D1E7D4.css") == ()
    assert cache._assets_in(b"") == ()
    cache.renames = {"css/site.css": "css/site.99999999.css"}  # a new plan: looked for anew
    assert cache._assets_in(b"site.99999999.css site.f5d1e7d4.css") == ("css/site.css",)


def test_the_names_of_a_pages_assets_are_digested_once_per_plan():
    cache = PageCache()
    cache.renames = {"css/site.css": "css/site.f5d1e7d4.css"}
    assert cache._names(("css/site.css", "x.js")) == page_cache.digest(
        [("css/site.css", "css/site.f5d1e7d4.css"), ("x.js", None)]
    )
    assert cache._names([]) == NO_ASSETS
    cache.names_seen[(id(cache.renames), ("a",))] = "remembered"
    assert cache._names(["a"]) == "remembered"
    cache.renames = {"a": "a.1"}
    assert cache._names(["a"]) == page_cache.digest([("a", "a.1")])


# --- in a process that renders pages for the build (render/workers.py) -------------------------------


def test_a_worker_hands_over_what_it_learnt_of_each_page_once(kept, renderer, templates, out):
    changed = site(templates, Page("a.html", "A2"), Page("b.html", "B"), Page("c.html", "C"))
    main, worker = PageCache(kept), PageCache(kept)
    main.environment(changed)
    env = worker.environment(changed)
    problems = Problems()
    for page in changed.pages:
        data = worker.render_page(env, changed, page, problems).data
        if data is not None:
            (out / page.output).unlink(missing_ok=True)
            (out / page.output).write_bytes(data)
            worker.written(page.output, Output(page.output, written=True), data, out / page.output, (["/l"], ["i"]))
    a = pickle.loads(pickle.dumps(worker.carry("a.html")))  # sent between processes
    assert worker.carry("b.html") == ("reused", None, None, {})
    c = pickle.loads(pickle.dumps(worker.carry("c.html")))
    assert a[0] == "read" and c[0] == "rendered"  # only the last one rendered is known as such
    assert a[3] == {} and c[3] == {
        ("field", "c.html", "title"): page_cache.digest("C"),
        ("template", "base.html"): page_cache.digest(TEMPLATE),
    }
    assert list(worker.fresh) == ["b.html"] and worker.records == {}  # handed over, but the one named
    main.receive("a.html", ("rendered", a[1], a[2], {("field", "a.html", "title"): page_cache.digest("A2")}))
    main.receive("b.html", ("reused", None, None, {}))
    main.receive("c.html", c)
    assert main.rendered == ["a.html", "c.html"] and main.fresh["b.html"] is main.entries["b.html"]
    assert main.digests[("field", "c.html", "title")] == page_cache.digest("C")
    # One object per key, and per text, as when rendered here.
    assert set(main.fresh["a.html"].recorded) == set(a[1].recorded)
    assert set(main.fresh["c.html"].recorded) == set(c[1].recorded)
    template = next(key for key in main.fresh["a.html"].recorded if key[0] == "template")
    assert [key for key in main.fresh["c.html"].recorded if key == template][0] is template
    assert all(main.key_objects[key] is key for key in main.fresh["c.html"].recorded)
    assert main.records["c.html"][0].links == ("/l",) and main.records["c.html"][1] == c[2][1]
    assert main.records["c.html"][0].links[0] is sys.intern("/l") and main.records["c.html"][0].ids[0] is sys.intern(
        "i"
    )
    main.commit()
    main.save([Output(p.output, written=True) for p in changed.pages], out, describe)
    assert read_index(kept)["c.html"]["file"][0] == sha((out / "c.html").read_bytes())
    assert rebuilt(kept, changed, out, renderer) == []


def test_a_worker_sends_the_digest_of_each_key_once(renderer, templates, out, folder):
    one = site(
        templates, Page("a.html", "A", reads=(("site", "name"),)), Page("b.html", "B", reads=(("site", "name"),))
    )
    worker = PageCache(folder)
    env = worker.environment(one)
    sent = []
    for page in one.pages:
        worker.render_page(env, one, page, Problems())
        sent.append(worker.carry(page.output)[3])
    assert sent == [
        {
            ("field", "a.html", "title"): page_cache.digest("A"),
            ("site", "name"): page_cache.digest("Portal"),
            ("template", "base.html"): page_cache.digest(TEMPLATE),
        },
        {("field", "b.html", "title"): page_cache.digest("B")},
    ]
    memory = PageCache()
    env = memory.environment(one)
    memory.render_page(env, one, one.pages[0], Problems())
    assert memory.carry("a.html")[0] == "rendered" and memory.carry("x.html")[3] == {}  # in memory: no digests


def test_a_key_whose_value_has_no_canonical_form_is_digested_as_undigestible(renderer, templates, out):
    cache = PageCache()
    cache.environment(site(templates, odd=object()))
    assert cache._digest(("site", "odd")) == "undigestible"
    assert cache._digest(("site", "name")) == page_cache.digest("Portal")
    assert cache.digests == {("site", "odd"): "undigestible", ("site", "name"): page_cache.digest("Portal")}
    cache.digests[("site", "name")] = "remembered"
    assert cache._digest(("site", "name")) == "remembered"


class Odd:
    """A value with no canonical form (a plain object), equal by what it holds."""

    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        return isinstance(other, Odd) and other.n == self.n


def test_a_page_that_read_a_value_with_no_canonical_form_is_not_kept_for_the_next_process(
    renderer, templates, out, folder
):
    pages = (Page("a.html", "A"), Page("b.html", "B", reads=(("site", "odd"),)))
    build(PageCache(folder), site(templates, *pages, odd=Odd(1)), out)
    assert sorted(read_index(folder)) == ["a.html"]  # b.html's "undigestible" would match any value
    assert rebuilt(folder, site(templates, *pages, odd=Odd(2)), out, renderer) == ["b.html"]
    assert b"B" in (out / "b.html").read_bytes()


def test_a_keys_value_is_digested_with_what_the_site_met_already(renderer, templates, out):
    item = Item("a", 1)
    cache = PageCache()
    cache.environment(site(templates, items=[item]))
    assert cache._digest(("site", "items")) == form(f"tuple[#{page_cache.digest(item)};]")
    assert cache.nested == {id(item): (item, page_cache.digest(item))}


def test_discard_minds_a_file_already_gone_and_a_cache_that_kept_nothing(kept, renderer, templates, out):
    PageCache(kept).discard()
    assert len(objects(kept)) == 2
    cache = PageCache(kept)
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B2")), out, save=False)
    first, second = (name for _r, name in cache.records.values())
    (kept / "pages" / first).unlink()
    cache.discard()
    assert not (kept / "pages" / second).exists()


def test_a_page_shown_as_stored_with_no_record_held_is_judged_by_its_keys_and_held(kept, renderer, templates, out):
    cache = PageCache(kept)
    build(cache, site(templates), out)
    del cache.stored["a.html"]
    assert cache.likely_stale(site(templates)) == []
    assert cache.stale(site(templates).pages[0]) is False
    cache.hold()
    assert cache.entries["a.html"].output.data == (out / "a.html").read_bytes()


def test_hold_reads_each_stored_page_once_and_leaves_a_page_written_but_not_kept(renderer, templates, out, folder):
    cache = PageCache(folder)
    outputs, _ = build(cache, site(templates), out, save=False)
    cache.save(outputs[1:], out, describe)
    assert cache.entries["a.html"].output == Output("a.html", written=True)  # not kept: as written
    cache.hold()
    assert cache.entries["a.html"].output == Output("a.html", written=True)
    assert cache.entries["b.html"].output.data == (out / "b.html").read_bytes()
    for name in objects(folder):
        (folder / "pages" / name).unlink()
    cache.hold()  # held already: not read again


def test_objects_another_process_pruned_meanwhile_are_no_error(kept, renderer, templates, out, monkeypatch):
    listed = Path.iterdir

    def iterdir(self):  # the other process removes a stale object between the listing and its removal
        yield from listed(self)
        yield self / ("1" * 64)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    build(PageCache(kept), site(templates, Page("a.html", "A2"), Page("b.html", "B")), out)
    assert sorted(read_index(kept)) == ["a.html", "b.html"]


def test_the_index_is_made_in_its_own_folder_then_renamed(kept, renderer, templates, out, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(out.parent / "no-such-folder"))
    (templates / "base.html").write_text("<html>new</html>", encoding="utf-8")  # written whole
    build(PageCache(kept), site(templates), out)
    assert lines(kept)[0][1]["templates"] == {"base.html": sha(b"<html>new</html>")}


def test_the_index_of_published_names_is_made_once_per_plan():
    cache = PageCache()
    cache.renames = {"css/site.css": "css/site.f5d1e7d4.css"}
    assert cache._assets_in(b"site.f5d1e7d4.css") == ("css/site.css",)
    cache.renames["js/app.js"] = "js/app.0a0b0c0d.js"  # the same plan, as far as this cache knows
    assert cache._assets_in(b"app.0a0b0c0d.js") == ()


# --- the index's lock: another process's save is waited for --------------------------------------


def done_while_locked(folder: Path, how: int, action, patience: float) -> bool:
    """Whether `action()` was done within `patience` seconds while another open file held the
    index's lock `how` (it must be done once the lock is let go, in any case)."""
    done = threading.Event()
    with open(folder / (page_cache.INDEX + ".lock"), "a") as other:
        fcntl.flock(other, how)
        worker = threading.Thread(target=lambda: (action(), done.set()))
        worker.start()
        finished = done.wait(patience)
    worker.join(10)
    assert done.is_set()
    return finished


def test_a_save_waits_while_another_process_reads_or_writes_the_index(kept, renderer, templates, out):
    cache = PageCache(kept)
    build(cache, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, save=False)
    outputs = [Output(path, written=True) for path in ("a.html", "b.html")]
    assert not done_while_locked(kept, fcntl.LOCK_SH, lambda: cache.save(outputs, out, describe), 0.3)
    assert rebuilt(kept, site(templates, Page("a.html", "A2"), Page("b.html", "B")), out, renderer) == []


def test_a_read_waits_while_another_process_adds_to_the_index_and_shares_with_readers(kept):
    assert not done_while_locked(kept, fcntl.LOCK_EX, lambda: PageCache(kept), 0.3)
    assert done_while_locked(kept, fcntl.LOCK_SH, lambda: PageCache(kept), 10)


def test_an_index_whose_lock_cannot_be_had_is_read_as_it_is(kept):
    (kept / (page_cache.INDEX + ".lock")).unlink()
    (kept / (page_cache.INDEX + ".lock")).mkdir()  # cannot be opened to lock: as a folder this process cannot write
    assert sorted(PageCache(kept).entries) == ["a.html", "b.html"]
