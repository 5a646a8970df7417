"""YAML to plain values that remember their line.

Scalars stay strings (a `Scalar` that knows its line and whether it was quoted);
the declared shapes in `shape` turn them into dates, decimals and booleans. That
keeps YAML 1.1's surprises out (`NO` is not False, `1.10` is not 1.1), and
every value an editor wrote can be traced back to a line.

Anchors and aliases are refused: they are how a "billion laughs" file expands
to gigabytes, and a content file has no need for them. Tags (`!!python/object`)
are refused too, and so is nesting deeper than MAX_DEPTH. Duplicate keys are an
error rather than last-one-wins.
"""

from __future__ import annotations

import re

import yaml

from portal.messages import _

try:  # libyaml is ~3.5x faster; the pure loader gives the same nodes.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader

# What besides a text settles what `parse` makes of it (load/parsed.py keeps parses by the text).
PARSER = f"PyYAML {yaml.__version__}" + (" with libyaml" if _Loader is not yaml.SafeLoader else "")


class YamlError(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class Scalar(str):
    """A YAML scalar kept as text, with its line (1-based) and quoting."""

    line: int
    plain: bool

    def __new__(cls, value: str, line: int, plain: bool):
        obj = super().__new__(cls, value)
        obj.line = line
        obj.plain = plain
        return obj

    def __reduce__(self):
        # Pickled whole, line and quoting too: a build's site comes from another process (apart.py).
        return Scalar, (str(self), self.line, self.plain)

    @property
    def is_null(self) -> bool:
        return self.plain and str(self) in ("", "~", "null", "Null", "NULL")


class Mapping(dict):
    """A YAML mapping; `line` is where it starts, `lines[key]` where each key is."""

    line: int
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class Sequence(list):
    line: int


UNCLOSED_QUOTE = _(
    "a quotation mark (\" or ') opens a value on this line and is never closed: "
    "add the same mark at the end of the value, or remove it"
)
# What PyYAML says when a quoted value runs on to the end of the text (or of the document).
_RAN_ON = ("found unexpected end of stream", "found unexpected document indicator")
MAX_DEPTH = 20  # real files nest 5 levels; a deeper one is a mistake or an attack


def parse(text: str, line_offset: int = 0):
    """Parse one YAML document into Mapping/Sequence/Scalar values.

    `line_offset` is added to every line, for YAML that starts further down a
    file (front matter). Raises YamlError with a 1-based line.

    Values are built straight from the parser's events, in a loop rather than
    by recursion, so neither an alias bomb nor a 10,000-level nesting can
    expand in memory or exhaust the stack: both are refused at their line.
    """
    try:
        return _build(yaml.parse(text, Loader=_Loader), line_offset)
    except yaml.MarkedYAMLError as exc:
        if exc.context == "while scanning a quoted scalar" and exc.context_mark and exc.problem in _RAN_ON:
            # PyYAML reports where the file ended; the editor's mistake is where the quote opened.
            raise YamlError(exc.context_mark.line + 1 + line_offset, UNCLOSED_QUOTE) from None
        mark = exc.problem_mark or exc.context_mark
        if mark and _char_at(text, mark) == "\t":
            problem = _("a tab character; indent with spaces, not tabs")
        else:
            plain = _in_plain_words(exc, text)
            if plain is not None:
                at, message = plain
                raise YamlError(at + 1 + line_offset, message) from None
            problem = exc.problem or exc.context or _("not valid YAML")  # PyYAML's own words stay English
        line = mark.line + 1 + line_offset if mark else None
        raise YamlError(line, _("YAML syntax error: {problem}", problem=problem)) from None
    except yaml.YAMLError as exc:
        raise YamlError(None, _("YAML syntax error: {exc}", exc=exc)) from None


NO_COLON = _("this line has no ':' after its key: write the key, a colon and a space, then the value")
COLON_IN_VALUE = _("a value with ': ' in it must be in quotes: write it as \"…\"")
NOT_LINED_UP = _("this line is not lined up with the lines above it: indent the keys of one group by as many spaces")
NOT_LINED_UP_LIST = _("this line is not lined up with the list above it: start each item with '- ' as far in")
UNCLOSED_LIST = _("a list in square brackets opens on this line and is never closed: add ']' at its end")
UNCLOSED_GROUP = _("a group in curly brackets opens on this line and is never closed: add '}' at its end")


def _in_plain_words(exc, text: str):
    """(0-based line, message) for the syntax errors editors make most, in words they know and at
    the line they made them on; None for the rest. PyYAML's words differ with and without libyaml,
    so each is known by the context both give (and the problem's start both share)."""
    context, mark, opened = exc.context, exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    if context == "while scanning a simple key" and opened is not None:  # a key with no colon before the next line
        return opened.line, NO_COLON
    if (exc.problem or "").startswith("mapping values are not allowed"):
        lines = _lines(text)
        if ": " in lines[mark.line][: mark.column]:
            return mark.line, COLON_IN_VALUE  # title: Kl 10: möte
        above = [n for n in range(mark.line) if lines[n].strip()]
        if above and ":" not in lines[above[-1]] and not lines[above[-1]].lstrip().startswith("-"):
            return above[-1], NO_COLON  # the key line before ran on into this one
        return mark.line, NOT_LINED_UP
    if context == "while parsing a block mapping":
        return mark.line, NOT_LINED_UP
    if context == "while parsing a block collection":
        return mark.line, NOT_LINED_UP_LIST
    if context == "while parsing a flow sequence" and opened is not None:
        return opened.line, UNCLOSED_LIST
    if context == "while parsing a flow mapping" and opened is not None:
        return opened.line, UNCLOSED_GROUP
    if context == "while scanning for the next token":  # a character no value may start with
        return mark.line, _(
            "a value cannot start with '{char}': put the whole value in quotes", char=_char_at(text, mark)
        )
    return None


# The line breaks PyYAML counts in its marks: a text pasted with U+2028 (LINE SEPARATOR) has more
# lines to it than to str.split("\n"), and a mark's line must index the same list.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str) -> list:
    return _BREAK.split(text)


def _char_at(text: str, mark) -> str:
    lines = _lines(text)
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _build(events, offset: int):
    # One pass over 20 events per front matter, 10,000 files at 5,000 news items: the kinds
    # are told apart by their exact type, the commonest (a scalar) first.
    root = None
    stack = []  # open collections, innermost last
    pending = []  # per open mapping: the key waiting for its value, or None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START:
            line = event.start_mark.line + 1 + offset
            if event.anchor is not None:
                raise YamlError(line, _("YAML anchors and aliases (&name, *name) are not allowed"))
            if event.tag is not None:
                raise YamlError(line, _("YAML tags such as {tag} are not allowed", tag=event.tag))
            if kind is _SCALAR:
                node = Scalar(event.value, line, event.style in _PLAIN)
            elif kind is _SEQUENCE_START:
                node = Sequence()
                node.line = line
            else:
                node = Mapping()
                node.line = line
                node.lines = {}
            if not stack:
                root = node
            elif type(stack[-1]) is Sequence:
                stack[-1].append(node)
            elif pending[-1] is None:
                _check_key(stack[-1], node, line)
                pending[-1] = node
            else:
                stack[-1][str(pending[-1])] = node
                pending[-1] = None
            if kind is not _SCALAR:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, _("YAML is nested more than {depth} levels deep", depth=MAX_DEPTH))
                stack.append(node)
                if kind is _MAPPING_START:
                    pending.append(None)
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            if type(stack.pop()) is Mapping:
                pending.pop()
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                line = event.start_mark.line + 1 + offset
                raise YamlError(line, _("only one YAML document is allowed here (a second '---' starts another)"))
        elif kind is yaml.AliasEvent:
            line = event.start_mark.line + 1 + offset
            raise YamlError(line, _("YAML anchors and aliases (&name, *name) are not allowed"))
        # else: the stream's and the document's other ends
    return root


_SCALAR, _MAPPING_START, _SEQUENCE_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
# An unquoted, non-block scalar: the pure loader gives it the style None, libyaml's
# CSafeLoader the style '' (a quoted one has ' or ", a block one | or >).
_PLAIN = (None, "")


def _check_key(mapping: Mapping, key, line: int) -> None:
    if not isinstance(key, Scalar):
        raise YamlError(line, _("a key must be plain text"))
    if key == "<<" and key.plain:
        raise YamlError(line, _("YAML merge keys (<<) are not allowed"))
    if key in mapping.lines:
        raise YamlError(line, _("duplicate key '{key}' (first at line {line})", key=key, line=mapping.lines[key]))
    mapping.lines[str(key)] = line


def dump(data) -> str:
    """Plain data as YAML text, keys in their order (the web editor's config.yml, cms.py)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
