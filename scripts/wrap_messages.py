#!/usr/bin/env python3
"""Wrap the problem messages of portal modules in `_()`, so they can be translated.

    .venv/bin/python scripts/wrap_messages.py portal/alerts.py …

turns every message written as a string or an f-string in a `….error(…)`,
`….warn(…)` or `….notice(…)` call (and in the exceptions that carry messages) into
`_("… {name} …", name=value)`: the English text stays byte for byte the same,
each value gets a name (the variable, attribute or key it came from; check the
names read well for a translator) and the module gets `from .messages import _`.
Then extract, translate and compile (docs/architecture.md, "Messages in two languages").
tests/test_messages_wrapped.py uses `bare_messages` to name any left unwrapped.
"""

from __future__ import annotations

import ast
import keyword
import re
import sys
from pathlib import Path

CALL_ATTRS = {"error", "warn", "notice"}
CALL_NAMES = {"YamlError", "MarkupError", "BadNow", "TemplateFailure"}


def _message_args(tree):
    """The message argument (the last positional one) of each call that reports a problem."""
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        f = call.func
        reports = (isinstance(f, ast.Attribute) and f.attr in CALL_ATTRS) or (
            isinstance(f, ast.Name) and f.id in CALL_NAMES
        )
        if reports and call.args and _bare(call.args[-1]):
            yield call.args[-1]
        # A shape's hint ends up inside its error message (load/shape.py: "'{name}' is '{value}': {hint}").
        for named in call.keywords:
            if named.arg == "hint" and _bare(named.value):
                yield named.value


def _bare(arg) -> bool:
    """A string or f-string literal, or two of them joined by +, not a `_()` message."""
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        return _bare(arg.left) or _bare(arg.right)
    return isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))


def bare_messages(source: str) -> list:
    """(line, text) of each message still written as a plain string or f-string."""
    return [(arg.lineno, ast.get_source_segment(source, arg)) for arg in _message_args(ast.parse(source))]


def _name_for(expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return _name_for(expr.value)
    if isinstance(expr, ast.Call):
        f = expr.func
        if isinstance(f, ast.Attribute) and f.attr == "join" and expr.args:
            return _name_for(expr.args[0])
        if isinstance(f, ast.Attribute):
            return _name_for(f.value)
        if expr.args:
            return _name_for(expr.args[0])
    if isinstance(expr, ast.BinOp):
        return _name_for(expr.left)
    if isinstance(expr, ast.IfExp):
        return _name_for(expr.body)
    if isinstance(expr, ast.BoolOp):
        return _name_for(expr.values[0])
    if isinstance(expr, (ast.GeneratorExp, ast.ListComp)):
        return _name_for(expr.elt)
    return "value"


def _format(node, source):
    """(format string, [(name, value source)]) of a string or f-string node."""
    if isinstance(node, ast.Constant):
        return node.value.replace("{", "{{").replace("}", "}}"), []
    parts, values, used = [], [], {}
    for v in node.values:
        if isinstance(v, ast.Constant):
            parts.append(v.value.replace("{", "{{").replace("}", "}}"))
            continue
        code = ast.get_source_segment(source, v.value)
        name = re.sub(r"\W", "_", _name_for(v.value)).strip("_") or "value"
        if name[0].isdigit() or keyword.iskeyword(name) or name == "_":
            name = "value"
        base, i = name, 2
        while name in used and used[name] != code:
            name, i = f"{base}{i}", i + 1
        if name not in used:
            used[name] = code
            values.append((name, code))
        conversion = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[v.conversion]
        spec = ""
        if v.format_spec is not None:
            spec = ":" + "".join(c.value for c in v.format_spec.values if isinstance(c, ast.Constant))
        parts.append("{" + name + conversion + spec + "}")
    return "".join(parts), values


def _quoted(text: str) -> str:
    return '"' + repr(text)[1:-1].replace("\\'", "'").replace('"', '\\"') + '"' if repr(text)[0] == "'" else repr(text)


def wrap(source: str) -> str:
    """The source with every bare message wrapped in `_()`."""
    edits = []
    for arg in _message_args(ast.parse(source)):
        text, values = _format(arg, source)
        if isinstance(arg, ast.Constant):
            text = arg.value  # no placeholders: braces stay single
        call = "_(" + _quoted(text) + "".join(f", {n}={code}" for n, code in values) + ")"
        edits.append((arg.lineno, arg.col_offset, arg.end_lineno, arg.end_col_offset, call))
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")
    for first, col, last, end_col, call in sorted(edits, reverse=True):
        data = data[: starts[first - 1] + col] + call.encode("utf-8") + data[starts[last - 1] + end_col :]
    return data.decode("utf-8")


def main(paths) -> int:
    for name in paths:
        path = Path(name)
        source = path.read_text(encoding="utf-8")
        wrapped = wrap(source)
        if wrapped == source:
            continue
        if not re.search(r"^from \.messages import .*\b_\b", wrapped, re.M):
            lines = wrapped.split("\n")
            last = max(
                i
                for i, line in enumerate(lines)
                if line.startswith(("from ", "import ")) and not line.startswith("from __future__")
            )
            lines.insert(last + 1, "from .messages import _")
            wrapped = "\n".join(lines)
        path.write_text(wrapped, encoding="utf-8")
        print(f"{name}: {len(bare_messages(source))} message(s) wrapped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
