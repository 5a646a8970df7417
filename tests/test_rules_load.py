"""Every rule of the load stage (portal/load/sources.py), one small test each, on a few files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.load import sources as load
from portal.load.body import Changed
from portal.problems import Problems

LIMIT = load.MAX_FILE_BYTES


@pytest.fixture(autouse=True)
def fresh_cache():
    """load.py remembers split front matter (for `serve`); each test checks the code, not a memory of it."""
    load._split_remembered.cache_clear()


def make(root: Path, rel: str, data) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def read(root: Path, rel: str, data):
    path = make(root, rel, data)
    problems = Problems()
    text = load.read_text(root, path, problems)
    return text, [str(p) for p in problems.items]


def messages(root: Path) -> list[str]:
    return [str(p) for p in load.load(root)[1].items]


# --- read_text ----------------------------------------------------------------------------------


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    text, problems = read(tmp_path, "a.md", b"x" * LIMIT)
    assert problems == [] and len(text) == LIMIT


def test_one_byte_over_the_limit_is_refused_by_its_size(tmp_path):
    assert read(tmp_path, "a.md", b"x" * (LIMIT + 1)) == (None, ["a.md: file is 1.0 MB; the limit is 1 MB"])


def test_the_size_is_given_in_megabytes(tmp_path):
    assert read(tmp_path, "a.md", b"x" * 2_600_000)[1] == ["a.md: file is 2.6 MB; the limit is 1 MB"]


def fstat_says(monkeypatch, size):
    monkeypatch.setattr(load.os, "fstat", lambda fd: SimpleNamespace(st_size=size))


def test_a_file_that_grew_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"x" * (LIMIT + 10))
    fstat_says(monkeypatch, 100)  # as if it was 100 bytes when looked at, and grew since
    problems = Problems()
    assert load.read_text(tmp_path, path, problems) is None
    assert [str(p) for p in problems.items] == ["a.md: file is over the limit of 1 MB"]


def test_a_file_that_grew_to_exactly_the_limit_while_read_is_read_whole(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"x" * LIMIT)
    fstat_says(monkeypatch, 100)
    problems = Problems()
    assert load.read_text(tmp_path, path, problems) == "x" * LIMIT and problems.items == []


def test_a_file_that_grew_a_little_while_read_is_read_whole(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"0123456789abcdefghij")
    fstat_says(monkeypatch, 5)
    problems = Problems()
    assert load.read_text(tmp_path, path, problems) == "0123456789abcdefghij" and problems.items == []


def test_the_size_is_rounded_to_a_tenth(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"x")
    fstat_says(monkeypatch, 1_050_000)
    problems = Problems()
    assert load.read_text(tmp_path, path, problems) is None
    assert [str(p) for p in problems.items] == ["a.md: file is 1.1 MB; the limit is 1 MB"]


class SpyFile:
    """A file that records how much each read asks for."""

    def __init__(self, path, reads):
        self.file, self.reads = open(path, "rb"), reads  # noqa: SIM115 - closed by __exit__

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def fileno(self):
        return self.file.fileno()

    def read(self, size=-1):
        self.reads.append(size)
        return self.file.read(size)


def spy_on_reads(monkeypatch) -> list:
    reads = []
    monkeypatch.setattr(load, "open", lambda path, mode: SpyFile(path, reads), raising=False)
    return reads


def test_a_file_is_read_in_one_read_of_its_size_not_the_limit(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"0123456789")
    reads = spy_on_reads(monkeypatch)
    assert load.read_text(tmp_path, path, Problems()) == "0123456789"
    assert reads == [11]


def test_a_file_that_grew_is_read_on_to_the_limit_at_most(tmp_path, monkeypatch):
    path = make(tmp_path, "a.md", b"x" * (LIMIT + 10))
    fstat_says(monkeypatch, 100)
    reads = spy_on_reads(monkeypatch)
    assert load.read_text(tmp_path, path, Problems()) is None
    assert reads == [101, LIMIT + 1 - 101]


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\r\n\r\n", "\ufeff\n".encode()])
def test_an_empty_or_whitespace_file_is_empty(tmp_path, data):
    assert read(tmp_path, "a.md", data) == (None, ["a.md: file is empty"])


def test_a_nul_byte_makes_a_binary_file(tmp_path):
    assert read(tmp_path, "a.md", b"text\x00")[1] == ["a.md: is a binary file, not text; only UTF-8 text belongs here"]


def test_bad_utf8_is_reported_with_its_line_and_byte(tmp_path):
    assert read(tmp_path, "a.md", b"a\nb\n\xe9t\xe9\n") == (
        None,
        ["a.md:3: is not UTF-8 text (byte 0xe9); save it as UTF-8"],
    )


def test_a_bom_is_dropped_and_line_ends_become_newlines(tmp_path):
    assert read(tmp_path, "a.md", "\ufeffa\r\nb\rc\n".encode()) == ("a\nb\nc\n", [])


def test_a_folder_cannot_be_read(tmp_path):
    (tmp_path / "a.md").mkdir()
    problems = Problems()
    assert load.read_text(tmp_path, tmp_path / "a.md", problems) is None
    assert [str(p) for p in problems.items] == ["a.md: cannot be read: Is a directory"]


def test_the_callers_name_is_used(tmp_path):
    path = make(tmp_path, "a.md", b"")
    problems = Problems()
    load.read_text(tmp_path, path, problems, name="content/x.md")
    assert [str(p) for p in problems.items] == ["content/x.md: file is empty"]


def test_a_link_out_is_refused_when_read_directly(tmp_path):
    outside = make(tmp_path, "secret.txt", "password")
    (tmp_path / "repo/data").mkdir(parents=True)
    (tmp_path / "repo/data/a.yaml").symlink_to(outside)
    problems = Problems()
    assert load.read_text(tmp_path / "repo", tmp_path / "repo/data/a.yaml", problems) is None
    assert [str(p) for p in problems.items] == [f"data/a.yaml: {load.LINK_OUT}"]


def test_a_link_inside_the_site_folders_is_read(tmp_path):
    target = make(tmp_path, "static/a.txt", "hej")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/b.txt").symlink_to(target)
    problems = Problems()
    assert load.read_text(tmp_path, tmp_path / "data/b.txt", problems) == "hej" and problems.items == []


def test_a_link_into_git_is_refused(tmp_path):
    secret = make(tmp_path, ".git/config", "[credential]")
    (tmp_path / "static").mkdir()
    (tmp_path / "static/config.txt").symlink_to(secret)
    make(tmp_path, "templates/base.html", "x")
    assert messages(tmp_path) == [f"static/config.txt: {load.LINK_OUT}"]


# --- YAML and front matter ------------------------------------------------------------------------


def test_a_yaml_error_is_reported_at_its_line(tmp_path):
    path = make(tmp_path, "data/a.yaml", "a: 1\nb: [x\n")
    problems = Problems()
    assert load.read_yaml(tmp_path, path, problems) is None
    assert [str(p) for p in problems.items] == [
        "data/a.yaml:2: a list in square brackets opens on this line and is never closed: add ']' at its end"
    ]


def test_an_unreadable_yaml_file_is_reported_once(tmp_path):
    path = make(tmp_path, "data/a.yaml", "  \n")
    problems = Problems()
    assert load.read_yaml(tmp_path, path, problems) is None
    assert [str(p) for p in problems.items] == ["data/a.yaml: file is empty"]


def split(text):
    problems = Problems()
    result = load.split_front_matter("a.md", text, problems)
    return result, [str(p) for p in problems.items]


def test_front_matter_must_open_the_file():
    assert split("title: x\n---\n") == (
        None,
        ["a.md:1: the file should start with front matter: a line '---', the fields, and another '---'"],
    )


def test_front_matter_must_be_closed():
    assert split("---\ntitle: x\n") == (None, ["a.md:1: front matter is not closed: add a line '---' after the fields"])


def test_empty_front_matter_is_not_fields():
    assert split("---\n---\nText\n") == (None, ["a.md:2: front matter should be fields written 'name: value'"])


def test_front_matter_must_be_fields():
    assert split("---\n- a\n---\n") == (None, ["a.md:2: front matter should be fields written 'name: value'"])


def test_front_matter_yaml_errors_count_lines_from_the_file():
    assert split("---\na: 1\nb: [x\n---\n")[1] == [
        "a.md:3: a list in square brackets opens on this line and is never closed: add ']' at its end"
    ]


def test_the_body_starts_after_the_closing_line():
    (front, body, line), problems = split(" --- \na: 1\n---  \n# Hi\n\ntext\n")
    assert problems == [] and front == {"a": "1"} and body == "# Hi\n\ntext\n" and line == 4


# --- what load() takes from each folder -----------------------------------------------------------


def site(tmp_path, files: dict) -> Path:
    make(tmp_path, "templates/base.html", "x")
    for rel, data in files.items():
        make(tmp_path, rel, data)
    return tmp_path


def test_dotfiles_and_dot_folders_in_static_stay_out_of_the_site(tmp_path):
    root = site(
        tmp_path,
        {
            "static/.env": "SECRET=1",
            "static/.well-known/x.txt": "x",
            "static/a/.DS_Store": "x",
            "static/a/b.css": "b{}",
        },
    )
    sources, problems = load.load(root)
    assert problems.items == [] and [name for name, _ in sources.static] == ["a/b.css"]


@pytest.mark.parametrize(
    "name", ["a.HTML", "a.Svg", "a.xhtml", "a.htm", "a.xml", "a.shtml", "a.xsl", "a.xslt", "a.xht"]
)
def test_markup_in_static_is_scanned_for_scripts_whatever_the_case_of_its_suffix(tmp_path, name):
    root = site(tmp_path, {f"static/{name}": "<p>ok</p>\n<script>alert(1)</script>\n"})
    sources, problems = load.load(root)
    assert sources.static == []
    assert [str(p) for p in problems.items] == [
        (
            f"static/{name}:2: contains a script or a frame (<script>, <iframe>, <object>, an on…= attribute or a "
            "javascript: address), which would run on the site's address"
        )
    ]


@pytest.mark.parametrize(
    "markup",
    [
        "<iframe src=x>",
        "<p onclick = 'x'>",
        "<a href='&#106;avascript:x'>",
        "<BASE href=x>",
        "<a href='java\nscript:x'>",
        "<embed src=x>",
        "<object>",
        "<frame>",
    ],
)
def test_each_kind_of_script_is_found(tmp_path, markup):
    root = site(tmp_path, {"static/a.html": markup})
    assert load.load(root)[0].static == []


def test_markup_without_a_script_is_kept(tmp_path):
    root = site(
        tmp_path,
        {
            "static/a.html": "<p>Scripts are described, not run: javascript is a language.</p>",
            "static/b.js": "<script>",
        },
    )
    sources, problems = load.load(root)
    assert problems.items == [] and [n for n, _ in sources.static] == ["a.html", "b.js"]


def test_unreadable_markup_in_static_is_left_out(tmp_path):
    root = site(tmp_path, {"static/a.svg": b"\x00"})
    sources, problems = load.load(root)
    assert sources.static == [] and [str(p) for p in problems.items] == [
        "static/a.svg: is a binary file, not text; only UTF-8 text belongs here"
    ]


def test_data_files_are_read_by_name(tmp_path):
    root = site(
        tmp_path,
        {"data/site.yaml": "a: 1\n", "data/i18n/sv.yaml": "b: 2\n", "data/x/y.yaml": "c: 3\n", "data/notes.txt": "x"},
    )
    sources, problems = load.load(root)
    assert problems.items == []
    assert sources.data == {"site": ("data/site.yaml", {"a": "1"}), "x/y": ("data/x/y.yaml", {"c": "3"})}
    assert sources.strings == {"sv": ("data/i18n/sv.yaml", {"b": "2"})}


def test_a_yml_data_file_is_named(tmp_path):
    assert messages(site(tmp_path, {"data/site.yml": "a: 1\n"})) == [
        "data/site.yml: data files end in .yaml; rename it"
    ]


def test_a_broken_data_file_is_broken_not_missing(tmp_path):
    sources, problems = load.load(site(tmp_path, {"data/site.yaml": "a: [\n"}))
    assert sources.broken == {"site"} and not sources.missing("site") and sources.missing("other")
    assert sources.data_file("site", problems, "x") is None
    assert [str(p) for p in problems.items][1:] == []
    sources.data_file("other", problems, "it says what")
    assert str(problems.items[-1]) == "data/other.yaml: is missing: it says what"


@pytest.mark.parametrize(
    "rel, message",
    [
        ("content/pages/a.sv.txt", "only markdown files (.md) belong in content/; put images and files in static/"),
        ("content/pages/a.md", "a content file is named name.LANG.md, e.g. om-samverkan.sv.md"),
        (
            "content/pages/Om_Oss.sv.md",
            "a content file's name becomes its address: use lower-case letters a-z, digits and hyphens, e.g. om-samverkan.sv.md",
        ),
        ("content/a.sv.md", "put content files in a section folder: content/pages/ or content/news/"),
    ],
)
def test_content_file_names(tmp_path, rel, message):
    assert messages(site(tmp_path, {rel: "---\ntitle: A\n---\n"})) == [f"{rel}: {message}"]


def test_a_content_file_is_split_into_its_parts(tmp_path):
    sources, problems = load.load(
        site(tmp_path, {"content/news/2019-a.en.md": "---\ntitle: A\n---\nText\n", "content/pages/.draft.sv.md": "x"})
    )
    assert problems.items == []
    (f,) = sources.content
    assert (f.path, f.section, f.stem, f.lang, f.front, f.body.text(), f.body_line) == (
        "content/news/2019-a.en.md",
        "news",
        "2019-a",
        "en",
        {"title": "A"},
        "Text\n",
        4,
    )
    assert f.front_text == "---\ntitle: A\n---\n"


def test_a_content_file_with_bad_front_matter_is_left_out(tmp_path):
    sources, problems = load.load(site(tmp_path, {"content/pages/a.sv.md": "title: A\n", "content/pages/b.sv.md": ""}))
    assert sources.content == [] and [str(p) for p in problems.items] == [
        "content/pages/a.sv.md:1: the file should start with front matter: a line '---', the fields, and another '---'",
        "content/pages/b.sv.md: file is empty",
    ]
    assert sources.root == tmp_path


GOOD = {"data/z.yaml": "z: 1\n", "content/pages/z.sv.md": "---\ntitle: Z\n---\n", "static/z.css": "z"}


@pytest.mark.parametrize(
    "bad, data",
    [
        ("data/a.yaml", "a: [\n"),
        ("data/x/a.yaml", "a: [\n"),
        ("data/a.yml", "a: 1\n"),
        ("data/a.txt", "a"),
        ("content/a.sv.md", "---\ntitle: A\n---\n"),
        ("content/pages/a.txt", "x"),
        ("content/pages/a.md", "---\ntitle: A\n---\n"),
        ("content/pages/A.sv.md", "---\ntitle: A\n---\n"),
        ("content/pages/a.sv.md", ""),
        ("content/pages/a.sv.md", "no front matter\n"),
        ("static/a.html", "<script>x</script>"),
        ("static/a.svg", b"\x00"),
    ],
)
def test_a_bad_file_does_not_stop_the_files_after_it(tmp_path, bad, data):
    sources, _ = load.load(site(tmp_path, {bad: data, **GOOD}))
    assert (
        "z" in sources.data
        and [f.stem for f in sources.content] == ["z"]
        and [n for n, _ in sources.static] == ["z.css"]
    )


def test_a_broken_data_file_in_a_folder_is_broken_by_its_full_name(tmp_path):
    assert load.load(site(tmp_path, {"data/x/y.yaml": "a: [\n"}))[0].broken == {"x/y"}


def test_a_link_out_does_not_stop_the_files_after_it(tmp_path):
    outside = make(tmp_path, "secret.txt", "x")
    root = tmp_path / "repo"
    make(root, "templates/base.html", "x")
    make(root, "static/b.css", "b")
    make(root, "data/b.yaml", "b: 1\n")
    (root / "static/a.txt").symlink_to(outside)
    (root / "data/a.yaml").symlink_to(outside)
    sources, problems = load.load(root)
    assert [n for n, _ in sources.static] == ["b.css"] and list(sources.data) == ["b"]
    assert [str(p) for p in problems.items] == [f"data/a.yaml: {load.LINK_OUT}", f"static/a.txt: {load.LINK_OUT}"]


def test_templates_are_required(tmp_path):
    make(tmp_path, "data/a.yaml", "a: 1\n")
    sources, problems = load.load(tmp_path)
    assert sources.templates is None and [str(p) for p in problems.items] == [
        "templates: the templates/ folder is missing"
    ]


def test_a_link_out_in_templates_is_refused(tmp_path):
    outside = make(tmp_path, "secret.txt", "x")
    root = tmp_path / "repo"
    make(root, "templates/base.html", "x")
    (root / "templates/x.html").symlink_to(outside)
    sources, problems = load.load(root)
    assert sources.templates == root / "templates" and [str(p) for p in problems.items] == [
        f"templates/x.html: {load.LINK_OUT}"
    ]


def test_a_folder_link_out_is_refused_and_one_inside_is_skipped(tmp_path):
    outside = tmp_path / "outside"
    make(outside, "x.css", "x")
    root = tmp_path / "repo"
    make(root, "templates/base.html", "x")
    make(root, "static/css/a.css", "a")
    (root / "static/out").symlink_to(outside, target_is_directory=True)
    (root / "static/again").symlink_to(root / "static/css", target_is_directory=True)
    sources, problems = load.load(root)
    assert [n for n, _ in sources.static] == ["css/a.css"] and [str(p) for p in problems.items] == [
        f"static/out: {load.LINK_OUT}"
    ]


def test_a_linked_site_folder_that_leads_out_is_refused(tmp_path):
    outside = tmp_path / "outside"
    make(outside, "x.css", "x")
    root = tmp_path / "repo"
    make(root, "templates/base.html", "x")
    (root / "static").symlink_to(outside, target_is_directory=True)
    sources, problems = load.load(root)
    assert sources.static == [] and [str(p) for p in problems.items] == [f"static: {load.LINK_OUT}"]


def test_a_file_link_inside_the_site_is_kept(tmp_path):
    root = site(tmp_path, {"static/a.css": "a"})
    os.symlink(root / "static/a.css", root / "static/b.css")
    assert [n for n, _ in load.load(root)[0].static] == ["a.css", "b.css"]


def test_files_are_listed_in_a_stable_order(tmp_path):
    root = site(tmp_path, {"static/b.css": "b", "static/a/z.css": "z", "static/c.css": "c"})
    assert [n for n, _ in load.load(root)[0].static] == ["a/z.css", "b.css", "c.css"]


# --- what `serve` keeps between loads: bodies, file identities, files read again ---------------------

PAGE = "content/pages/a.sv.md"


def test_a_load_that_runs_once_holds_no_body_and_keeps_no_identity(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)  # as if the file had been saved long ago
    (f,) = load.load(site(tmp_path, {PAGE: "---\ntitle: A\n---\nText\n"}))[0].content
    assert f.body.held is None and f.identity is None


def test_a_load_that_remembers_holds_each_body_and_keeps_its_files_identity(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\nText\n"})
    (f,) = load.load(root, remember=True)[0].content
    st = os.stat(root / PAGE)
    assert f.body.held == "Text\n"
    assert f.identity == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def test_a_file_changed_less_than_stable_ns_before_it_is_read_has_no_identity(tmp_path):
    path = make(tmp_path, "a.md", "x")
    st = os.stat(path)
    settled = max(st.st_mtime_ns, st.st_ctime_ns) + load.STABLE_NS
    assert load._identity(path, now=settled - 1) is None
    assert load._identity(path, now=settled) == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def test_a_load_lends_the_files_as_the_earlier_one_read_them_and_reads_those_saved_since(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\n", "content/pages/b.sv.md": "---\ntitle: B\n---\n"})
    earlier, _ = load.load(root, remember=True)
    make(root, "content/pages/b.sv.md", "---\ntitle: Bee\n---\n")
    sources, problems = load.load(root, earlier, remember=True)
    a, b = sources.content
    assert problems.items == [] and a is earlier.content[0] and b.front == {"title": "Bee"}


def test_a_file_that_became_a_link_to_no_file_is_not_lent(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\n"})
    earlier, _ = load.load(root, remember=True)
    (root / PAGE).unlink()
    (root / PAGE).symlink_to(root / "content/pages/gone.sv.md")
    sources, problems = load.load(root, earlier, remember=True)
    assert sources.content == []
    assert [str(p) for p in problems.items] == [f"{PAGE}: cannot be read: No such file or directory"]


def test_a_body_read_when_rendered_from_a_file_saved_since_load_names_the_file(tmp_path):
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\nText\n"})
    (f,) = load.load(root)[0].content
    make(root, PAGE, "---\ntitle: A\n---\nSaved since\n")
    with pytest.raises(Changed) as raised:
        f.body.text()
    assert raised.value.name == PAGE


def test_a_file_read_again_is_as_a_load_reads_it_now_with_its_body_held(tmp_path):
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\nText\n"})
    (old,) = load.load(root)[0].content
    make(root, PAGE, "---\ntitle: A\n---\nNew text\n")
    problems = Problems()
    new = load.reread(root, old, problems)
    assert problems.items == [] and new == load.load(root)[0].content[0] and new.body.held == "New text\n"


def test_a_file_read_again_with_a_problem_is_reported(tmp_path):
    root = site(tmp_path, {PAGE: "---\ntitle: A\n---\n"})
    (old,) = load.load(root)[0].content
    make(root, PAGE, "")
    problems = Problems()
    assert load.reread(root, old, problems) is None
    assert [str(p) for p in problems.items] == [f"{PAGE}: file is empty"]


def test_a_file_read_again_that_became_a_link_out_is_refused(tmp_path):
    outside = make(tmp_path, "secret.sv.md", "---\ntitle: Hemlig\n---\nsecret\n")
    root = site(tmp_path / "repo", {PAGE: "---\ntitle: A\n---\n"})
    (old,) = load.load(root)[0].content
    (root / PAGE).unlink()
    (root / PAGE).symlink_to(outside)
    problems = Problems()
    assert load.reread(root, old, problems) is None
    assert [str(p) for p in problems.items] == [f"{PAGE}: {load.LINK_OUT}"]
