"""The site's interface strings (data/i18n/<lang>.yaml), looked up one way: `text`.

Templates (`t`), the news lists, the feeds, the charts, the catalogue, the redirect
pages, the preview's error page, `new` and `check` all ask `text` for a string in
a language; it fills the string's {name} placeholders and nothing else, and a
string that is not there is a `StringMissing` naming the key and the file.

The build checks every language's file before it uses any (model.build_config):
a key one language has and another lacks, and a key in `NEEDED` that a language
lacks, are problems `path: message` then, so a lookup here fails only for a key
a template asks for that no language has.

Not to be confused with portal/messages.py: those are the build's own messages
to the editor (gettext); these are the words of the site its readers see.
"""

from __future__ import annotations

import re
from pathlib import Path

from portal.load.sources import read_yaml
from portal.load.yamlnodes import Mapping, Scalar, Sequence
from portal.messages import _
from portal.problems import Problems

PLACEHOLDER = re.compile(r"\{(\w*)\}")

# The keys the engine itself looks up (templates ask for theirs when they render).
# check reports a language file that lacks any of them; the lookups below then never fail.
NEEDED = (
    "news.title",
    "news.page_title",
    "news.year",
    "news.archive",
    "news.about",
    "news.about_page_title",
    "news.source",
    "notfound.title",
    "timeline.title",
    "timeline.description",
    "opendata.title",
    "opendata.description",
    "opendata.csv",
    "opendata.json",
    "chart.title",
    "chart.alt_start",
    "chart.together",
    "chart.unknown_split",
    "chart.unattributed",
    "list.and",
    "list.or",
    "sources.several",
    "sources.published",
    "sources.updated",
    "sources.undated",
    "sources.provenance",
    "sources.kind.announcement",
    "sources.kind.news-article",
    "sources.kind.web-page",
    "alert.information",
    "alert.warning",
    "alert.more",
    "alert.n112",
    "alert.n11313",
    "alert.n11414",
    "alert.krisinformation_url",
    "redirect.title",
    "redirect.text",
    "preview.error_title",
    "preview.error_lead",
    "new.summary",
    "new.body",
    "new.awaiting",
    "new.slug",
    "new.municipalities",
    "new.draft",
    "check.vague_link_texts",
)


class StringMissing(Exception):
    """An interface string that is not in its language's file, or a placeholder no value fills."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message, self.path = message, path


def path(lang: str) -> str:
    """The file that holds a language's interface strings."""
    return f"data/i18n/{lang}.yaml"


def text(strings, lang: str, key: str, /, **values) -> str:
    """The string `key` in the language `lang`, its {name} placeholders filled from `values`.

    `strings` is the site's Config or its `strings` (language code -> key -> text).
    """
    table = getattr(strings, "strings", strings)
    found = table.get(lang, {}).get(key)
    if found is None:
        raise StringMissing(_("the interface string '{key}' is not in {path}", key=key, path=path(lang)), path(lang))
    return fill(found, key, values, lang)


def placeholders(strings, lang: str, key: str, /) -> set:
    """The names of the {name} placeholders in the string `key` (none when it is not there)."""
    return set(PLACEHOLDER.findall(getattr(strings, "strings", strings).get(lang, {}).get(key, "")))


def fill(template: str, key: str, values: dict, lang: str = "") -> str:
    """Put values into {name} placeholders; nothing else (str.format would let a string
    an editor wrote, such as '{formula.__class__}', reach into Python objects)."""

    def value(match):
        if match[1] not in values:
            raise StringMissing(
                _(
                    "the interface string '{key}' has the placeholder {{{name}}}, which is not one of: {names}",
                    key=key,
                    name=match[1],
                    names=", ".join(sorted(values)) or _("none"),
                ),
                path(lang),
            )
        return str(values[match[1]])

    return PLACEHOLDER.sub(value, template)


def words(strings, lang: str, key: str, /) -> tuple:
    """A string that lists words, one per line or separated by ';' (check's vague link texts)."""
    return tuple(w.strip() for w in re.split(r"[;\n]", text(strings, lang, key)) if w.strip())


def flatten(node, prefix, ctx, out) -> None:
    """A language file's nested keys as one level, into `out`: {"news.title": (text, line)}.
    Anything but text is a problem told to `ctx` (None: left out)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            flatten(value, f"{prefix}{key}.", ctx, out)
    elif isinstance(node, Scalar) and not node.is_null and str(node).strip():
        out[prefix[:-1]] = (str(node).strip(), node.line)
    elif ctx is not None:
        ctx.error(getattr(node, "line", None), _("string '{prefix}' should be text", prefix=prefix[:-1]))


def read(root) -> dict:
    """language code -> key -> text, as data/i18n/ has them now: for the preview's error page
    and `new`, which need a few strings when the site as a whole may not build."""
    root, out = Path(root), {}
    for file in sorted((root / "data" / "i18n").glob("*.yaml")):
        node = read_yaml(root, file, Problems())
        flat = {}
        if node is not None:
            flatten(node, "", None, flat)
        out[file.stem] = {key: value for key, (value, _line) in flat.items()}
    order = {code: i for i, code in enumerate(configured_languages(root))}
    return dict(sorted(out.items(), key=lambda item: order.get(item[0], len(order))))


def configured_languages(root) -> list:
    """The language codes data/site.yaml lists, default first, read without building the site
    (empty when the file does not say)."""
    root = Path(root)
    node = read_yaml(root, root / "data" / "site.yaml", Problems()) if (root / "data" / "site.yaml").is_file() else None
    languages = node.get("languages") if isinstance(node, Mapping) else None
    if not isinstance(languages, Sequence):
        return []
    return [str(lang["code"]) for lang in languages if isinstance(lang, Mapping) and "code" in lang]


def missing_needed(strings: dict) -> list:
    """(language, key) for each key in NEEDED that no language has (one that some
    language has is reported, for the others, as a key they lack)."""
    absent = [key for key in NEEDED if not any(key in table for table in strings.values())]
    return [(lang, key) for lang in strings for key in absent]
