"""The build's messages exist in Swedish and English (issue #13, item 3).

The catalogue test extracts every message from portal/ with Babel, as the
README says to, and fails on any that lacks its Swedish translation, has other
{placeholders} than its English text, or is missing from the compiled .mo.
"""

from __future__ import annotations

import re
import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import REPO
from portal import messages
from portal.messages import _, _n, say
from portal.problems import Problem

PO = REPO / "portal/locale/sv/LC_MESSAGES/portal.po"
MO = REPO / "portal/locale/sv/LC_MESSAGES/portal.mo"
KEYWORDS = {"_": None, "_n": (1, 2)}


def extracted() -> set:
    found = set()
    for _path, _line, msgid, _comments, _context in extract_from_dir(
        str(REPO / "portal"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(msgid if isinstance(msgid, str) else tuple(msgid))
    return found


def _ids(catalogue) -> dict:
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalogue if m.id}


def placeholders(text) -> set:
    texts = [text] if isinstance(text, str) else list(text)
    return {name for t in texts for name in re.findall(r"\{(\w*)[^{}]*\}", t.replace("{{", "").replace("}}", ""))}


def test_every_message_has_a_swedish_translation_with_the_same_placeholders():
    catalogue = _ids(read_po(PO.open("rb"), locale="sv"))
    wanted = extracted()
    assert len(wanted) > 150
    missing = sorted(map(str, wanted - catalogue.keys()))
    assert not missing, "not in portal.po (run pybabel extract and update, see portal/messages.py):\n" + "\n".join(
        missing
    )
    for msgid in wanted:
        entry = catalogue[msgid]
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert all(strings) and not entry.fuzzy, f"no Swedish translation for {msgid!r}"
        assert placeholders(strings) == placeholders(msgid), f"other placeholders in the translation of {msgid!r}"


def test_the_compiled_catalogue_matches_the_po_file():
    compiled = _ids(read_mo(MO.open("rb")))
    written = _ids(read_po(PO.open("rb"), locale="sv"))

    def strings(entries):
        return {k: m.string if isinstance(m.string, str) else tuple(m.string) for k, m in entries.items() if m.string}

    assert strings(compiled) == strings(written), (
        "portal.mo is older than portal.po: run pybabel compile -d portal/locale -D portal"
    )


def test_english_is_the_text_itself_and_swedish_is_looked_up():
    message = _("'{name}' is '{text}', which is not a real date", name="date", text="2026-02-30")
    assert message == "'date' is '2026-02-30', which is not a real date"
    assert say(message, "en") == message
    assert say(message, "sv") == "'date' är '2026-02-30', som inte är ett verkligt datum"
    nested = _(
        "'{name}' is '{value}': {hint}",
        name="slug",
        value="A B",
        hint=_("use lower-case letters a-z, digits and hyphens"),
    )
    assert say(nested, "sv") == "'slug' är 'A B': använd små bokstäver a-z, siffror och bindestreck"
    assert say(_n("{n} warning", "{n} warnings", 2, n=2), "sv") == "2 varningar"
    assert say("a plain text stays as it is", "sv") == "a plain text stays as it is"
    problem = Problem("content/news/x.sv.md", 4, _("file is empty"), "warning")
    assert str(problem) == "content/news/x.sv.md:4: warning: file is empty"
    assert problem.text("sv") == "content/news/x.sv.md:4: varning: filen är tom"  # path:line: never changes


def test_the_terminal_language_comes_from_the_environment():
    assert messages.language_from_environment({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert messages.language_from_environment({"LANG": "sv_SE.UTF-8", "LC_ALL": "C.UTF-8"}) == "en"
    assert messages.language_from_environment({"LC_MESSAGES": "sv_FI", "LANG": "en_GB.UTF-8"}) == "sv"
    assert messages.language_from_environment({"LANG": "C.UTF-8"}) == "en"
    assert messages.language_from_environment({}) == "en"


def _run(root, *args, lang="C.UTF-8"):
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": lang},
    )


def test_check_speaks_swedish_under_a_swedish_lang_or_with_lang_sv(tiny):
    news = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
    news.write_text(
        news.read_text(encoding="utf-8").replace("date: 2020-01-10", "date: 2026-02-30", 1), encoding="utf-8"
    )
    where = "content/news/2020-01-10-enheten-vaxer.sv.md:4: "
    swedish = _run(tiny, "check", lang="sv_SE.UTF-8")
    assert swedish.returncode == 1
    assert swedish.stderr.splitlines() == [where + "'date' är '2026-02-30', som inte är ett verkligt datum", "1 fel."]
    assert _run(tiny, "check", "--lang", "sv").stderr == swedish.stderr
    english = _run(tiny, "check", "--lang", "en", lang="sv_SE.UTF-8")
    assert english.stderr.splitlines() == [where + "'date' is '2026-02-30', which is not a real date", "1 error."]


def test_build_summary_and_new_in_swedish(tiny):
    result = _run(tiny, "new", "news", "Övning", lang="sv_SE.UTF-8")
    assert result.returncode == 0
    assert "Skrev content/news/2026-11-18-ovning.sv.md" in result.stdout
    result = _run(tiny, "check", "--lang", "sv")
    assert result.returncode == 0 and result.stdout.startswith("Inga fel i ")


def test_seconds_are_written_with_the_languages_decimal_sign(tiny):
    swedish = _run(tiny, "build", "--no-search", "--lang", "sv")
    assert swedish.returncode == 0, swedish.stderr
    assert re.fullmatch(r"Byggde \d+ sidor och \d+ andra filer till _site/ på \d+,\d\d s\n", swedish.stdout), (
        swedish.stdout
    )
    english = _run(tiny, "build", "--no-search", "--no-cache", "--lang", "en")
    assert re.fullmatch(r"Built \d+ pages and \d+ other files into _site/ in \d+\.\d\d s\n", english.stdout), (
        english.stdout
    )
    # Only decimals change: a byte's number in hexadecimal, a count, stay as they are.
    assert say(_("is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8", byte=255), "sv").startswith(
        "är inte UTF-8-text (byte 0xff)"
    )
    assert say(_n("{n} warning", "{n} warnings", 1200, n=1200), "sv") == "1200 varningar"


def test_the_github_format_follows_the_language_too():
    problem = Problem("data/site.yaml", 2, _("file is empty"))
    from portal import cli

    messages.set_terminal_language("sv")
    try:
        assert cli.github_annotation(problem) == "::error file=data/site.yaml,line=2::filen är tom"
    finally:
        messages.set_terminal_language(None)
