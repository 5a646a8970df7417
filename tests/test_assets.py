"""Cache-safe assets: stylesheets, scripts and images are published under content-hashed names."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from conftest import run_build
from htmlview import read
from portal.outputs import assets
from tinysite import tiny_site

HASHED = re.compile(r"\.([0-9a-f]{8})\.[a-z0-9]+$")
# A 1×1 transparent PNG, and the same picture with one byte of its colour changed.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def published_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def local_references(site: Path) -> set[str]:
    """Every href/src of every page that stays on the site, as a path inside the output."""
    found = set()
    for page in site.rglob("*.html"):
        view = read(page)
        refs = [link.href for link in view.links] + [link["href"] for link in view.head_links]
        refs += [img["src"] for img in view.images] + [s["src"] for s in view.scripts if "src" in s]
        found |= {urlsplit(r).path.lstrip("/") for r in refs if r.startswith("/")}
    return found


def test_assets_are_published_under_the_hash_of_their_bytes(tiny_built):
    files = published_files(tiny_built)
    fingerprinted = [path for path in files if path.startswith("assets/")]
    assert {re.sub(HASHED, "", p) for p in fingerprinted} == {
        "assets/site",
        "assets/favicon",
        "assets/search",
        "assets/excerpt",
        "assets/highlight",
    }
    for path in fingerprinted:
        digest = HASHED.search(path).group(1)
        # The name changes exactly when the published bytes do: safe to cache for a year.
        assert digest == hashlib.sha256(files[path]).hexdigest()[:8], path
    assert "assets/site.css" not in files and "assets/favicon.svg" not in files


def test_pages_name_the_fingerprinted_files_and_keep_their_own_addresses(tiny_built):
    files = published_files(tiny_built)
    referenced = {r for r in local_references(tiny_built) if r.startswith("assets/")}
    # the stylesheet, the icon, the search script, the script that marks searched words
    assert len(referenced) == 4 and referenced <= set(files)
    page = read(tiny_built / "index.html")
    stylesheet = next(link["href"] for link in page.head_links if link.get("rel") == "stylesheet")
    assert HASHED.search(stylesheet) and stylesheet.startswith("/assets/site.")
    # HTML is never fingerprinted; the host files GitHub Pages looks for are there.
    assert {"index.html", "en/index.html", "om/index.html", "404.html", ".nojekyll"} <= set(files)
    assert not any(HASHED.search(p) for p in files if p.endswith(".html"))


def test_the_same_sources_give_the_same_names_and_bytes_anywhere(tiny_built, tmp_path):
    other = tiny_site(tmp_path / "somewhere" / "else")
    result = run_build(other)
    assert result.returncode == 0, result.stderr
    first, second = published_files(tiny_built), published_files(other / "_site")
    assert sorted(first) == sorted(second)
    assert first == second


def test_a_changed_image_renames_itself_and_the_stylesheet_that_uses_it(tiny):
    (tiny / "static/assets/dots.png").write_bytes(PNG)
    css = tiny / "static/assets/site.css"
    css.write_text(css.read_text() + "\n.site-header { background-image: url('dots.png'); }\n")
    assert run_build(tiny).returncode == 0
    before = published_files(tiny / "_site")
    (tiny / "static/assets/dots.png").write_bytes(PNG[:-20] + bytes([PNG[-20] ^ 1]) + PNG[-19:])
    assert run_build(tiny).returncode == 0
    after = published_files(tiny / "_site")

    def named(files, stem):
        return next(p for p in files if p.startswith(f"assets/{stem}."))

    assert named(before, "dots") != named(after, "dots")
    assert named(before, "site") != named(after, "site")  # its url() now names the new picture
    assert named(before, "favicon") == named(after, "favicon")  # unchanged files keep their names
    stylesheet = after[named(after, "site")].decode()
    assert f"url('{named(after, 'dots').removeprefix('assets/')}')" in stylesheet
    assert "dots.png" not in stylesheet


def test_images_scripts_and_imported_stylesheets_from_anywhere_are_rewritten(tiny):
    (tiny / "static/bilder").mkdir()
    (tiny / "static/bilder/karta.png").write_bytes(PNG)
    (tiny / "static/assets/utskrift.css").write_text("main { background: url(../bilder/karta.png) no-repeat; }\n")
    (tiny / "static/assets/app.js").write_text("document.documentElement.classList.add('js');\n")
    css = tiny / "static/assets/site.css"
    css.write_text('@import "utskrift.css";\n' + css.read_text())
    base = tiny / "templates/base.html"
    base.write_text(
        base.read_text().replace(
            "{% block head %}", "<script src=\"{{ asset('assets/app.js') }}\" defer></script>\n{% block head %}"
        )
    )
    page = tiny / "content/pages/om.sv.md"
    page.write_text(
        page.read_text()
        + "\n![Karta över kommunerna](/bilder/karta.png)\n\nFilen heter `/bilder/karta.png` i källan.\n"
    )

    result = run_build(tiny)
    assert result.returncode == 0, result.stderr  # the link checker agrees: nothing points at an old name
    site = tiny / "_site"
    files = published_files(site)
    karta = next(p for p in files if p.startswith("bilder/karta."))
    utskrift = next(p for p in files if p.startswith("assets/utskrift."))
    app = next(p for p in files if p.startswith("assets/app."))
    view = read(site / "om/index.html")
    assert [img["src"] for img in view.images] == ["/" + karta]
    assert "Filen heter /bilder/karta.png i källan." in view.text  # words about a file are left alone
    assert [s["src"] for s in view.scripts if "highlight" not in s["src"]] == ["/" + app]
    stylesheet = next(files[p].decode() for p in files if p.startswith("assets/site."))
    assert stylesheet.startswith(f'@import "{utskrift.removeprefix("assets/")}";')
    assert f"url(../{karta})" in files[utskrift].decode()


def test_an_html_file_from_static_gets_its_references_rewritten_too(tiny):
    (tiny / "static/kampanj.html").write_text(
        '<!DOCTYPE html><html lang="sv"><title>Kampanj</title><link rel="stylesheet" href="assets/site.css"><p>Hej</p></html>'
    )
    assert run_build(tiny).returncode == 0
    site = tiny / "_site"
    stylesheet = next(link["href"] for link in read(site / "kampanj.html").head_links)
    assert HASHED.search(stylesheet) and (site / stylesheet).is_file()


def test_names_browsers_ask_for_by_heart_are_kept(tiny):
    (tiny / "static/favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    assert run_build(tiny).returncode == 0
    assert (tiny / "_site/favicon.ico").read_bytes() == b"\x00\x00\x01\x00"


def test_stylesheets_that_import_each_other_are_an_error(tiny):
    (tiny / "static/assets/a.css").write_text('@import "b.css";\n')
    (tiny / "static/assets/b.css").write_text('@import url("a.css");\n')
    shutil.rmtree(tiny / "_site", ignore_errors=True)
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        "static/assets/a.css: stylesheets import each other in a circle: assets/a.css → assets/b.css → assets/a.css"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tiny / "_site").exists()


# --- the rewriting itself, on small inputs ----------------------------------------------

BASE = "https://example.org/trygghet/"
RENAMES = {"assets/site.css": "assets/site.0123abcd.css", "bilder/a b.png": "bilder/a b.89abcdef.png"}


def rewrite(html_text: str, page_folder: str = "nyheter") -> str:
    return assets.rewrite_html(html_text, "/trygghet/" + page_folder, urlsplit(BASE), RENAMES)


def test_every_way_of_writing_a_url_to_an_asset_is_rewritten():
    assert (
        rewrite('<link rel="stylesheet" href="/trygghet/assets/site.css">')
        == '<link rel="stylesheet" href="/trygghet/assets/site.0123abcd.css">'
    )
    assert rewrite("<link href='../assets/site.css?v=2#x'>") == '<link href="../assets/site.0123abcd.css?v=2#x">'
    assert (
        rewrite("<link href=https://example.org/trygghet/assets/site.css>")
        == '<link href="https://example.org/trygghet/assets/site.0123abcd.css">'
    )
    assert rewrite(
        '<img src="../bilder/a%20b.png" srcset="../bilder/a%20b.png 1x, /trygghet/assets/site.css 2x" alt="">'
    ) == (
        '<img src="../bilder/a%20b.89abcdef.png" srcset="../bilder/a%20b.89abcdef.png 1x, /trygghet/assets/site.0123abcd.css 2x" alt="">'
    )
    assert rewrite('<meta property="og:image" content="https://example.org/trygghet/bilder/a%20b.png">') == (
        '<meta property="og:image" content="https://example.org/trygghet/bilder/a%20b.89abcdef.png">'
    )
    assert (
        rewrite('<img alt="a > b" src="../bilder/a%20b.png">') == '<img alt="a > b" src="../bilder/a%20b.89abcdef.png">'
    )
    assert rewrite("<SCRIPT SRC='/trygghet/assets/site.css' defer>let a = '/trygghet/assets/site.css';</SCRIPT>") == (
        "<SCRIPT src=\"/trygghet/assets/site.0123abcd.css\" defer>let a = '/trygghet/assets/site.css';</SCRIPT>"
    )


def test_urls_that_are_not_the_asset_are_left_exactly_as_written():
    untouched = [
        '<link href="https://other.example/trygghet/assets/site.css">',  # another host
        '<link href="/assets/site.css">',  # outside the base path
        '<a href="/trygghet/assets/site.css.map">map</a>',
        '<p title="/trygghet/assets/site.css">/trygghet/assets/site.css</p>',
        '<pre><code>&lt;link href="/trygghet/assets/site.css"&gt;</code></pre>',
        "<script>const a = '<img src=\"/trygghet/assets/site.css\">';</script>",
        '<!-- <link href="/trygghet/assets/site.css"> -->',
    ]
    for text in untouched:
        assert rewrite(text) == text


def test_feeds_get_absolute_urls_rewritten_and_nothing_else():
    xml = (
        "<feed><logo>https://example.org/trygghet/bilder/a%20b.png</logo>"
        '<link href="https://example.org/trygghet/assets/site.css.map"/><title>assets/site.css</title></feed>'
    )
    assert assets.rewrite_absolute(xml, BASE, RENAMES) == xml.replace("a%20b.png", "a%20b.89abcdef.png")
