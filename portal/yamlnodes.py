"""YAML to plain values that remember their line.

Scalars stay strings (a `Scalar` that knows its line and whether it was quoted);
the declared shapes in `shape` turn them into dates, decimals and booleans. That
keeps YAML 1.1's surprises out (`NO` is not False, `1.10` is not 1.1), and
every value an editor wrote can be traced back to a line.

Anchors and aliases are refused: they are how a "billion laughs" file expands
to gigabytes, and a content file has no need for them. Duplicate keys are an
error rather than last-one-wins.
"""
from __future__ import annotations

import yaml

try:  # libyaml is ~3.5x faster; the pure loader gives the same nodes.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader


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


def parse(text: str, line_offset: int = 0):
    """Parse one YAML document into Mapping/Sequence/Scalar values.

    `line_offset` is added to every line, for YAML that starts further down a
    file (front matter). Raises YamlError with a 1-based line.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise YamlError(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"YAML syntax error: {exc}") from None
    if node is None:
        return None
    return _convert(node, line_offset, set())


def _convert(node, offset: int, seen: set):
    line = node.start_mark.line + 1 + offset
    if id(node) in seen:
        raise YamlError(line, "YAML anchors and aliases (&name, *name) are not allowed")
    if getattr(node, "anchor", None):
        raise YamlError(line, "YAML anchors and aliases (&name, *name) are not allowed")
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            raise YamlError(line, f"YAML tag {node.tag} is not allowed")
        return Scalar(node.value, line, plain=node.style is None)
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        out = Sequence(_convert(item, offset, seen) for item in node.value)
        out.line = line
        return out
    if isinstance(node, yaml.MappingNode):
        out = Mapping()
        out.line = line
        out.lines = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_line, "a key must be plain text")
            key = key_node.value
            if key == "<<":
                raise YamlError(key_line, "YAML merge keys (<<) are not allowed")
            if key in out:
                raise YamlError(
                    key_line,
                    f"duplicate key '{key}' (first at line {out.lines[key]})",
                )
            out.lines[key] = key_line
            out[key] = _convert(value_node, offset, seen)
        return out
    raise YamlError(line, "unsupported YAML node")  # pragma: no cover


# Tags the composer assigns to untagged scalars; an explicit tag such as
# !!python/object is refused (the safe loader would refuse it too, later).
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
