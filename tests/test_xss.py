"""Nothing in content can make the published site run someone else's script.

The usual XSS payloads go into every free-text value of the data files and the
interface strings, into the front matter of a page and a news item, and into
markdown as raw HTML and links. The test then reads EVERY file the build wrote
(pages, feeds, sitemap, JSON/CSV exports, anything added later) with the
reader that file will meet (a browser, a feed reader, a JSON parser, a
spreadsheet) and fails on anything a payload made executable.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from conftest import run_build

# Each payload carries a marker ("xss…") so that what it would create can be told from the site's own markup.
PAYLOAD = (
    "=cmd|' /C calc'!A0 "  # spreadsheet formula injection, at the start of a CSV cell
    '<script>alert("xss1")</script>'
    "\"><img src=https://example.org/xss2.png onerror=alert('xss2')>"
    "]]></title><svg onload=alert('xss3')>"
    "'-alert('xss4')-'"
    "</script><script>alert('xss5')</script>"
)
BODY = f"""
Text {PAYLOAD}

<script>alert("xss6")</script>
<img src="https://example.org/xss7.png" onerror="alert('xss7')">
<a href="javascript:alert('xss8')">a</a> <a href="JaVaScRiPt:alert('xss9')">b</a>
<a href="data:text/html,<script>alert('xss10')</script>">c</a>
<iframe src="https://example.org/xss11"></iframe>
<form action="https://example.org/xss12"><input name="xss12"></form>
<p style="background:url(javascript:alert('xss13'))" onclick="alert('xss13')">p</p>
[link](javascript:alert('xss14'))
![bild](javascript:alert('xss15'))
"""

# Free-text keys of the data files: the values people read. Ids, slugs, dates, numbers and URLs are
# checked by their shapes and cannot hold a payload at all (the catalogue shows that).
TEXT_KEY = re.compile(r"^(\s*(?:- )?)(sv|en|title|publisher|name|label|unit|summary|description)(:\s+)(.+)$")
SLUG = re.compile(r"[a-z0-9-]+")


def inject_yaml(text: str) -> str:
    out = []
    for line in text.split("\n"):
        m = TEXT_KEY.match(line)
        value = m and m[4].strip()
        if m and not SLUG.fullmatch(value.strip("'\"")) and value[0] not in "[{|>&*!#":
            plain = value[1:-1] if value[0] in "'\"" and value[-1] == value[0] else value
            line = f"{m[1]}{m[2]}{m[3]}{json.dumps(PAYLOAD + ' ' + plain, ensure_ascii=False)}"
        out.append(line)
    return "\n".join(out)


def inject_strings(text: str) -> str:
    """Every interface string gets the payload too (placeholders such as {formula} stay)."""
    out = []
    for line in text.split("\n"):
        m = re.match(r"^(\s*[\w.-]+:\s+)(.+)$", line)
        if m and m[2][0] not in "[{|>&*!#":
            value = m[2]
            plain = value[1:-1] if value[0] in "'\"" and value[-1] == value[0] else value
            line = f"{m[1]}{json.dumps(PAYLOAD + ' ' + plain, ensure_ascii=False)}"
        out.append(line)
    return "\n".join(out)


def poison(root) -> None:
    for path in sorted((root / "data").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(inject_strings(text) if "i18n" in path.parts else inject_yaml(text), encoding="utf-8")
    for path in sorted((root / "content").rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        path.write_text(f"---\n{inject_yaml(front)}---\n{body}\n{BODY}", encoding="utf-8")


# --- the readers --------------------------------------------------------------------------------


class Browser(HTMLParser):
    """What a browser would run: scripts, event handlers, javascript: addresses, frames, forms."""

    def __init__(self, where: str):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.found = []
        self.script = None  # the type of the script element we are in

    def flag(self, what):
        self.found.append(f"{self.where}: {what}")

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.flag(f"an event handler {name}= on <{tag}>")
            if (
                name in ("href", "src", "action", "formaction", "xlink:href", "srcset")
                and value
                and re.match(r"\s*(javascript|data|vbscript):", value, re.I)
                and not value.startswith("data:image/")
            ):
                self.flag(f"a {value.split(':')[0]}: address in <{tag} {name}=>")
        own_search = (
            tag == "form" and dict(attrs).get("role") == "search" and (dict(attrs).get("action") or "").startswith("/")
        )
        if tag in ("iframe", "object", "embed", "form", "base") and not own_search:  # the search page's form is ours
            self.flag(f"a <{tag}> element")
        if tag == "script":
            self.script = dict(attrs).get("type", "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None

    def handle_data(self, data):
        if self.script is None:
            return
        if "json" in self.script:
            try:
                json.loads(data)  # a payload that broke out of JSON-LD would not parse
            except ValueError:
                self.flag("a JSON script that a payload broke")
        elif "xss" in data:
            self.flag(f"script text from a payload: {data[:60]}")


def read_html(where: str, text: str) -> list:
    browser = Browser(where)
    browser.feed(text)
    browser.close()
    return browser.found


def read_xml(where: str, text: str) -> list:
    """A feed reader: well-formed XML; text marked as HTML is HTML to it, and read as such."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        return [f"{where}: not well-formed XML any more ({exc})"]
    found = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("script", "iframe", "object", "embed"):
            found.append(f"{where}: a <{local}> element")
        for name in element.attrib:
            if name.rsplit("}", 1)[-1].startswith("on"):
                found.append(f"{where}: an event handler {name}= on <{local}>")
        # Atom marks HTML with type="html"; RSS's <description> and <content:encoded> are HTML by custom.
        html_text = element.get("type") in ("html", "text/html") or (
            root.tag == "rss" and local in ("description", "encoded")
        )
        if html_text and element.text:
            found += read_html(f"{where} <{local}>", element.text)
    return found


def read_csv(where: str, text: str) -> list:
    """A spreadsheet runs a cell that starts with = + - @ (unless it is a number)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                found.append(f"{where}: a cell a spreadsheet would run as a formula: {cell[:40]}")
    return found


def read_json(where: str, text: str) -> list:
    try:
        json.loads(text)
    except ValueError as exc:
        return [f"{where}: not valid JSON any more ({exc})"]
    return []


def read_other(where: str, text: str) -> list:
    """Anything else (text, scripts, styles): a payload must not appear in it as markup."""
    return [f"{where}: a raw payload" for raw in ('<script>alert("xss', "onerror=alert(") if raw in text]


def read_yaml(where: str, text: str) -> list:
    """The web editor's config.yml: data that Decap shows as text (React escapes it), so a
    payload in a label is harmless as long as it stays one YAML string."""
    import yaml

    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [f"{where}: not valid YAML any more ({exc})"]
    return []


READERS = {
    ".html": read_html,
    ".htm": read_html,
    ".svg": read_xml,
    ".xml": read_xml,
    ".rdf": read_xml,
    ".atom": read_xml,
    ".rss": read_xml,
    ".csv": read_csv,
    ".json": read_json,
    ".yml": read_yaml,
}


def scan(site) -> tuple[list, int]:
    found, scanned = [], 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and other binary files: no payload text can reach them
        scanned += 1
        reader = READERS.get(path.suffix.lower(), read_other)
        found += reader(path.relative_to(site).as_posix(), text)
    return found, scanned


# --- the tests ------------------------------------------------------------------------------------


def test_payloads_in_every_field_reach_no_reader_as_code(portal):
    poison(portal)
    result = run_build(portal)
    assert result.returncode == 0, result.stderr
    site = portal / "_site"

    found, scanned = scan(site)

    assert found == []
    # The payloads did reach the outputs, escaped: a test that injects nothing proves nothing.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        "&lt;script&gt;alert(&#34;xss1&#34;)&lt;/script&gt;" in home or "&lt;script&gt;alert(&quot;xss1&quot;)" in home
    )
    assert scanned >= 40
    texts = {
        p.suffix for p in site.rglob("*") if p.is_file() and "xss1" in p.read_text(encoding="utf-8", errors="ignore")
    }
    assert {".html", ".xml", ".csv", ".json"} <= texts


def test_check_warns_where_the_sanitizer_removed_raw_html(tiny):
    page = tiny / "content/pages/kontakt.sv.md"
    text = page.read_text(encoding="utf-8")
    lines_before = text.count("\n")
    page.write_text(
        text + '\n<script>alert(1)</script>\n<p onclick="x()">hej</p>\n[a](javascript:alert(1))\n'
        '<iframe src="https://example.org/"></iframe>\n<style>p{}</style>\n<form><input></form>\n'
        'Text <a href="javascript:x()" onclick="y()">a</a>\n',
        encoding="utf-8",
    )
    result = run_build(tiny, "check")
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    n = lines_before + 2
    assert result.returncode == 0, result.stderr
    assert (
        f"content/pages/kontakt.sv.md:{n}: warning: raw HTML <script> was removed: it is not allowed on the site"
        in warnings
    )
    assert (
        f"content/pages/kontakt.sv.md:{n + 1}: warning: the attribute onclick= on <p> was removed: it is not allowed on the site"
        in warnings
    )
    assert (
        f"content/pages/kontakt.sv.md:{n + 2}: warning: the javascript: address in href= on <a> was removed: "
        "only http, https, mailto, tel addresses are allowed"
    ) in warnings
    assert (
        f"content/pages/kontakt.sv.md:{n + 3}: warning: raw HTML <iframe> was removed: it is not allowed on the site"
        in warnings
    )
    assert (
        f"content/pages/kontakt.sv.md:{n + 4}: warning: raw HTML <style> was removed: it is not allowed on the site"
        in warnings
    )
    assert (
        f"content/pages/kontakt.sv.md:{n + 5}: warning: raw HTML <form> was removed: it is not allowed on the site"
        in warnings
    )
    assert (
        f"content/pages/kontakt.sv.md:{n + 6}: warning: the attribute onclick= on <a> was removed: it is not allowed on the site"
        in warnings
    )
    assert any(w.startswith(f"content/pages/kontakt.sv.md:{n + 6}: warning: the javascript: address") for w in warnings)


def test_what_editors_need_survives_the_sanitizer(tiny):
    page = tiny / "content/pages/kontakt.sv.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + """
## Egen rubrik {#egen-rubrik}

| Kommun | Tjänster |
|--------|---------:|
| Ödeshög | 1,135 |

<p lang="en">In English</p>

```python
print("<hej>")
```
""",
        encoding="utf-8",
    )
    result = run_build(tiny, "check")
    assert result.returncode == 0 and ": warning: " not in result.stderr, result.stderr
    assert run_build(tiny).returncode == 0
    html = (tiny / "_site/kontakt/index.html").read_text(encoding="utf-8")
    assert '<h2 id="egen-rubrik">Egen rubrik</h2>' in html
    assert "<table>" in html and "<th>Kommun</th>" in html and '<td data-label="Tjänster">1,135</td>' in html
    assert '<p lang="en">In English</p>' in html
    assert (
        '<code class="language-python">print(&quot;&lt;hej&gt;&quot;)' in html
        or '<code class="language-python">print("&lt;hej&gt;")' in html
    )
