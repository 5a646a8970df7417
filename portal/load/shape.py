"""Declared shapes for data files and front matter.

A shape turns the located values of `yamlnodes` into Python values (str, Decimal,
date, bool, dicts of those) and reports every mismatch as a problem at the
line where the value stands. Unknown keys are errors too: a typo such as
`titel:` should not be silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from portal.load.yamlnodes import Mapping, Scalar, Sequence
from portal.messages import _
from portal.problems import Problems

INVALID = object()  # returned where a value could not be converted


class Ctx:
    """Where values come from (a repository-relative path) and where problems go."""

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems

    def error(self, line, message):
        self.problems.error(self.path, line, message)


def _line(node):
    return getattr(node, "line", None)


def _describe(node) -> str:
    if isinstance(node, Mapping):
        return _("a mapping (key: value)")
    if isinstance(node, Sequence):
        return _("a list")
    if node is None:
        return _("nothing")
    if isinstance(node, Scalar) and node.is_null:
        return _("an empty value") if not str(node) else _("'{value}', which YAML reads as no value", value=str(node))
    return f"'{node}'"


class Shape:
    def convert(self, node, ctx: Ctx, name: str):
        raise NotImplementedError


class Text(Shape):
    """A single line of text (or several with multiline=True)."""

    def __init__(self, multiline: bool = False, pattern: str | None = None, hint: str = ""):
        self.multiline = multiline
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint

    def convert(self, node, ctx, name):
        if not isinstance(node, Scalar) or node.is_null:
            ctx.error(_line(node), _("'{name}' should be text, not {node}", name=name, node=_describe(node)))
            return INVALID
        value = str(node).strip()
        if not value:
            ctx.error(node.line, _("'{name}' is empty", name=name))
            return INVALID
        if "\x00" in value:
            ctx.error(node.line, _("'{name}' contains a NUL character", name=name))
            return INVALID
        if not self.multiline and "\n" in value:
            ctx.error(node.line, _("'{name}' should be a single line", name=name))
            return INVALID
        if self.pattern and not self.pattern.fullmatch(value):
            ctx.error(node.line, _("'{name}' is '{value}': {hint}", name=name, value=value, hint=self.hint))
            return INVALID
        return value


class Id(Text):
    def __init__(self):
        super().__init__(
            pattern=r"[a-z0-9]+(?:[-_][a-z0-9]+)*",
            hint=_("use lower-case letters a-z, digits and hyphens"),
        )


class Slug(Text):
    """A URL segment: refuses `..`, slashes, backslashes and anything that could escape."""

    def __init__(self):
        super().__init__(
            pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*",
            hint=_("a slug is lower-case letters a-z, digits and single hyphens (no '/', '..' or spaces)"),
        )


class Url(Text):
    def __init__(self):
        super().__init__(
            pattern=r"https?://[^\s<>\"'\\]+",
            hint=_("write a full address starting with https:// or http://"),
        )


class Number(Shape):
    """An exact decimal (4.7, 1.135): read from the text as written, never a float."""

    def convert(self, node, ctx, name):
        if not isinstance(node, Scalar) or node.is_null:
            ctx.error(_line(node), _("'{name}' should be a number, not {node}", name=name, node=_describe(node)))
            return INVALID
        text = str(node).strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            hint = _(" (write decimals with a point: 4.7)") if "," in text else ""
            ctx.error(node.line, _("'{name}' should be a number, not '{text}'{hint}", name=name, text=text, hint=hint))
            return INVALID
        return Decimal(text)  # the pattern above leaves nothing Decimal could refuse


class Date(Shape):
    def convert(self, node, ctx, name):
        if not isinstance(node, Scalar) or node.is_null:
            ctx.error(
                _line(node), _("'{name}' should be a date (YYYY-MM-DD), not {node}", name=name, node=_describe(node))
            )
            return INVALID
        text = str(node).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            ctx.error(node.line, _("'{name}' should be a date written YYYY-MM-DD, not '{text}'", name=name, text=text))
            return INVALID
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            ctx.error(node.line, _("'{name}' is '{text}', which is not a real date", name=name, text=text))
            return INVALID


class Bool(Shape):
    def convert(self, node, ctx, name):
        text = str(node).strip().lower() if isinstance(node, Scalar) else None
        if text in ("true", "false"):
            return text == "true"
        ctx.error(_line(node), _("'{name}' should be true or false, not {node}", name=name, node=_describe(node)))
        return INVALID


class OneOf(Text):
    def __init__(self, *choices: str):
        super().__init__()
        self.choices = choices

    def convert(self, node, ctx, name):
        value = super().convert(node, ctx, name)
        if value is INVALID:
            return INVALID
        if value not in self.choices:
            ctx.error(
                node.line,
                _(
                    "'{name}' is '{value}'; it should be one of: {choices}",
                    name=name,
                    value=value,
                    choices=", ".join(self.choices),
                ),
            )
            return INVALID
        return value


class ListOf(Shape):
    def __init__(self, item: Shape, min_items: int = 0):
        self.item = item
        self.min_items = min_items

    def convert(self, node, ctx, name):
        if not isinstance(node, Sequence):
            ctx.error(_line(node), _("'{name}' should be a list, not {node}", name=name, node=_describe(node)))
            return INVALID
        if len(node) < self.min_items:
            ctx.error(node.line, _("'{name}' needs at least {min_items} item(s)", name=name, min_items=self.min_items))
            return INVALID
        out = [self.item.convert(item, ctx, f"{name}[{i + 1}]") for i, item in enumerate(node)]
        return INVALID if any(v is INVALID for v in out) else out


class Record(dict):
    """A converted mapping that still knows where it and each key stood."""

    line: int
    lines: dict

    def line_of(self, key):
        return self.lines.get(key, self.line)


class Field:
    def __init__(self, shape: Shape, required: bool = True, default=None):
        self.shape = shape
        self.required = required
        self.default = default


class Fields(Shape):
    """A mapping with declared keys."""

    def __init__(self, **fields: Field | Shape):
        self.fields = {k: f if isinstance(f, Field) else Field(f) for k, f in fields.items()}

    def convert(self, node, ctx, name):
        if not isinstance(node, Mapping):
            ctx.error(
                _line(node), _("'{name}' should be a mapping (key: value), not {node}", name=name, node=_describe(node))
            )
            return INVALID
        out = Record()
        out.line = node.line
        out.lines = dict(node.lines)
        ok = True
        for key in node:
            if key not in self.fields:
                known = ", ".join(self.fields)
                ctx.error(
                    node.line_of(key),
                    _("unknown key '{key}' in '{name}' (known keys: {known})", key=key, name=name, known=known),
                )
                ok = False
        for key, spec in self.fields.items():
            # An optional key left empty counts as not given: the web editor writes `slug: ''`
            # for a field typed in and cleared again.
            blank = isinstance(node.get(key), Scalar) and (node[key].is_null or not str(node[key]).strip())
            if key not in node or (blank and not spec.required):
                if spec.required:
                    ctx.error(node.line, _("'{name}' is missing the required key '{key}'", name=name, key=key))
                    ok = False
                else:
                    out[key] = spec.default
                continue
            value = spec.shape.convert(node[key], ctx, key)
            ok = ok and value is not INVALID
            out[key] = value
        return out if ok else INVALID


class PerLanguage(Shape):
    """Text given once per site language: {sv: …, en: …}."""

    def __init__(self, languages: tuple[str, ...], multiline: bool = False, text: Text | None = None):
        self.languages = languages
        self.text = text or Text(multiline=multiline)

    def convert(self, node, ctx, name):
        if not isinstance(node, Mapping):
            ctx.error(
                _line(node),
                _(
                    "'{name}' should give the text per language ({languages}), not {node}",
                    name=name,
                    languages=", ".join(self.languages),
                    node=_describe(node),
                ),
            )
            return INVALID
        out = Record()
        out.line = node.line
        out.lines = dict(node.lines)
        ok = True
        for key in node:
            if key not in self.languages:
                ctx.error(
                    node.line_of(key),
                    _(
                        "'{name}' has text in '{key}', which is not a site language ({languages})",
                        name=name,
                        key=key,
                        languages=", ".join(self.languages),
                    ),
                )
                ok = False
        for lang in self.languages:
            if lang not in node:
                ctx.error(node.line, _("'{name}' has no text in '{lang}'", name=name, lang=lang))
                ok = False
                continue
            value = self.text.convert(node[lang], ctx, f"{name}.{lang}")
            ok = ok and value is not INVALID
            out[lang] = value
        return out if ok else INVALID


class TextOrPerLanguage(Shape):
    """A name the same in every language ("Östgöta Correspondenten") or given per language
    ({sv: Mjölby kommun, en: Mjölby Municipality}); the first is text, the second a Record."""

    def __init__(self, languages: tuple[str, ...]):
        self.text, self.per_language = Text(), PerLanguage(languages)

    def convert(self, node, ctx, name):
        shape = self.per_language if isinstance(node, Mapping) else self.text
        return shape.convert(node, ctx, name)


def convert(node, shape: Shape, ctx: Ctx, name: str = "file"):
    return shape.convert(node, ctx, name)


class DateTime(Shape):
    """A moment: a date and a time with its time zone (2026-12-01T08:00+01:00).

    The zone is required: "08:00" alone means one hour in Sweden in winter and
    another in summer, and the build runs in UTC.
    """

    HINT = _("such as 2026-12-01T08:00+01:00 (+01:00 in Swedish winter time, +02:00 in summer time)")

    def convert(self, node, ctx, name):
        if not isinstance(node, Scalar) or node.is_null:
            ctx.error(
                _line(node),
                _(
                    "'{name}' should be a date and time with a time zone, {HINT}, not {node}",
                    name=name,
                    HINT=self.HINT,
                    node=_describe(node),
                ),
            )
            return INVALID
        text = str(node).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", text):
            ctx.error(
                node.line,
                _(
                    "'{name}' should be a date and time with a time zone, {HINT}, not '{text}'",
                    name=name,
                    HINT=self.HINT,
                    text=text,
                ),
            )
            return INVALID
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            ctx.error(node.line, _("'{name}' is '{text}', which is not a real date and time", name=name, text=text))
            return INVALID
        if value.tzinfo is None:
            ctx.error(
                node.line,
                _("'{name}' is '{text}', with no time zone: add one, {HINT}", name=name, text=text, HINT=self.HINT),
            )
            return INVALID
        return value


class LinkTarget(Text):
    """A link an editor writes in a data file: a full address, or a path inside the site (/nyheter/)."""

    def __init__(self):
        super().__init__(
            pattern=r"https?://[^\s<>\"'\\]+|/(?!/)[^\s<>\"'\\]*",
            hint=_(
                "write a full address starting with https://, or a path on this site starting with / (such as /nyheter/)"
            ),
        )


class SitePath(Text):
    """An address on this site as an old link wrote it, without the domain: /om-oss/gammal-sida/.

    Only plain segments: no '..', no query or fragment, nothing that could name a file outside the site.
    """

    def __init__(self):
        super().__init__(
            pattern=r"/?(?!\.{1,2}(?:/|$))[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?",
            hint=_(
                "write the old address on this site without the domain, such as /om-oss/gammal-sida/ "
                "(letters a-z, digits, '-', '_', '.' and '/'; no '..', '?' or '#')"
            ),
        )
