"""Load stage: files read safely, front matter split with the right lines."""

from __future__ import annotations

from portal.load import sources as load
from portal.problems import Problems


def make(tmp_path, rel, data):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_bom_and_crlf_are_accepted(tmp_path):
    make(tmp_path, "content/pages/a.sv.md", "\ufeff---\r\ntitle: A\r\n---\r\nText\r\n".encode())
    sources, problems = load.load(tmp_path)
    assert [p for p in problems.errors if "content" in p.path] == []
    (page,) = sources.content
    assert page.front["title"] == "A" and page.body.text() == "Text\n" and page.body_line == 4


def test_binary_file_with_md_name_is_refused(tmp_path):
    make(tmp_path, "content/pages/a.sv.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    _, problems = load.load(tmp_path)
    assert "content/pages/a.sv.md: is a binary file, not text; only UTF-8 text belongs here" in [
        str(p) for p in problems.errors
    ]


def test_file_over_the_size_limit_is_refused_by_size(tmp_path):
    make(tmp_path, "content/pages/a.sv.md", b"---\ntitle: A\n---\n" + b"x" * (load.MAX_FILE_BYTES + 1))
    _, problems = load.load(tmp_path)
    assert "content/pages/a.sv.md: file is 1.0 MB; the limit is 1 MB" in [str(p) for p in problems.errors]


def test_file_of_exactly_the_size_limit_is_read(tmp_path):
    head = b"---\ntitle: A\n---\n"
    make(tmp_path, "content/pages/a.sv.md", head + b"x" * (load.MAX_FILE_BYTES - len(head)))
    sources, problems = load.load(tmp_path)
    assert [p for p in problems.errors if "content" in p.path] == [] and len(
        sources.content[0].body.text()
    ) == load.MAX_FILE_BYTES - len(head)


def test_front_matter_lines_count_from_the_file(tmp_path):
    problems = Problems()
    front, body, body_line = load.split_front_matter("x.md", "---\na: 1\nb: 2\n---\n# Hi\n", problems)
    assert front.line_of("b") == 3 and body_line == 5


def test_content_outside_a_section_is_refused(tmp_path):
    make(tmp_path, "content/a.sv.md", "---\ntitle: A\n---\n")
    _, problems = load.load(tmp_path)
    assert "content/a.sv.md: put content files in a section folder" in str(problems.errors[0])


def test_symlink_out_of_the_repository_is_refused(tmp_path):
    outside = make(tmp_path, "secret.txt", "password")
    (tmp_path / "repo/content/pages").mkdir(parents=True)
    (tmp_path / "repo/content/pages/a.sv.md").symlink_to(outside)
    _, problems = load.load(tmp_path / "repo")
    assert "is a link to a file outside the repository" in str(problems.errors[0])
