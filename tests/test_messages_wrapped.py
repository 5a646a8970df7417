"""Every message about content and data goes through `_()`, so it can be said in Swedish.

A problem's message written as a plain string or an f-string would reach editors in
English only: this test names each one. `scripts/wrap_messages.py FILE…` wraps them
(English text and named values as they were); then translate them (docs/architecture.md,
"Messages in two languages").
"""

from __future__ import annotations

import ast
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import wrap_messages  # noqa: E402


def test_no_problem_message_is_a_bare_string():
    bare = []
    # Every module of every stage package (load/, model/, render/, …), not just the top folder's.
    for path in sorted((REPO / "portal").rglob("*.py")):
        for line, text in wrap_messages.bare_messages(path.read_text(encoding="utf-8")):
            bare.append(f"{path.relative_to(REPO).as_posix()}:{line}: {text}")
    assert not bare, "messages not wrapped in _() (run scripts/wrap_messages.py on the file):\n" + "\n".join(bare)


def test_the_wrapper_keeps_the_english_text_and_names_the_values(tmp_path):
    source = (
        "def f(ctx, node, name, ids):\n"
        "    ctx.error(node.line, f\"'{name}' is '{node['id']}' (known: {', '.join(ids)})\")\n"
        "    ctx.warn(None, 'plain text')\n"
    )
    wrapped = wrap_messages.wrap(source)
    assert wrapped == (
        "def f(ctx, node, name, ids):\n"
        "    ctx.error(node.line, _(\"'{name}' is '{id}' (known: {ids})\", name=name, id=node['id'], ids=', '.join(ids)))\n"
        '    ctx.warn(None, _("plain text"))\n'
    )
    ast.parse(wrapped)
    assert wrap_messages.bare_messages(wrapped) == []
