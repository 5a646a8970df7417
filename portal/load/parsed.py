"""What earlier loads parsed: each content file's front matter, found by the SHA-256 of its bytes.

Parsing 10,000 front matters is most of a warm build's loading (1.5 of 1.7 s at 5,000 news
items). A file's bytes settle all that `load` makes of it: its text, its front matter with each
value's line and quoting, where its body starts and the body's digest. So a file whose bytes
were parsed before is not parsed again, wherever it is and whatever its time says. That holds
in a fresh checkout with its .cache/ restored (CI), where no file's time or inode is the same.

Only a file that loaded without a problem is kept: one with a problem is parsed again, and
says it again. The file (`.cache/parsed.json`) is JSON lines: a head naming its format and the
YAML parser, then one line per content file. Nothing in it is trusted that cannot be checked: a
head that is not this engine's, or a line that is not exactly what `_front` accepts, counts as
not there (its file is parsed). When a file was parsed or one it held was not loaded, the
process that loads writes a new one beside it (`write`), which the build puts in its place once
it has succeeded (`put_in_place`) and drops if not: a failed build leaves .cache/ as it was.
A cache that cannot be read or written only slows a load.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

from portal import __version__, code_digest
from portal.load.yamlnodes import MAX_DEPTH, PARSER, Mapping, Scalar, Sequence

FORMAT = 1  # of the lines below; a change makes every older file foreign
NAME = "parsed.json"  # in .cache/
DRAFT = ".parsed-"  # a new one, until the build that wrote it has succeeded
LEFT_BEHIND = 24 * 3600  # seconds: a draft older than this is removed by the next build that succeeds
_SHA256 = re.compile(r"[0-9a-f]{64}")


def head() -> str:
    """What else than a file's bytes settles what it parses into."""
    return json.dumps({"format": FORMAT, "portal": __version__, "code": code_digest(), "parser": PARSER})


class Parsed:
    """The front matters parsed before (`get`), and those of this load (`keep`), for the next."""

    def __init__(self, file: Path):
        self.file = file
        self.lines = {}  # digest of a file's bytes -> its line, as read (not decoded until asked for)
        self.used = {}  # digest -> line, of the files this load met: what `write` writes
        self.changed = False
        with contextlib.suppress(OSError, UnicodeDecodeError):
            with open(file, encoding="utf-8") as f:
                if f.readline().rstrip("\n") != head():
                    return
                for line in f:  # the digest is the line's first field: ["<64 hex>", …
                    self.lines[line[2:66]] = line

    def get(self, digest: str) -> tuple | None:
        """(front matter, line of the body, text before the body, the body's SHA-256), or None."""
        line = self.lines.get(digest)
        if line is None:
            return None
        try:
            found = _entry(json.loads(line), digest)
        except (ValueError, TypeError, RecursionError):  # not a line this engine wrote
            found = None
        if found is None:
            del self.lines[digest]
            return None
        self.used[digest] = line
        return found

    def keep(self, digest: str, front: Mapping, body_line: int, front_text: str, body_digest: str) -> None:
        line = json.dumps([digest, _encoded(front), body_line, front_text, body_digest], ensure_ascii=False)
        self.used[digest] = line + "\n"
        self.changed = True

    def write(self) -> Path | None:
        """A new file for the next load, beside the kept one, if this load parsed a file or left
        one out (None: nothing to write, or it could not be written)."""
        if not self.changed and len(self.used) == len(self.lines):
            return None
        draft = None
        try:
            self.file.parent.mkdir(exist_ok=True)  # .cache/, in the site's folder
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.file.parent, prefix=DRAFT, delete=False
            ) as f:
                draft = Path(f.name)
                f.write(head() + "\n")
                f.writelines(self.used.values())
            return draft
        except OSError:  # a read-only or full disk: the next load parses again
            drop(draft)
            return None


def put_in_place(draft: Path | None) -> None:
    """The build succeeded: what its load wrote (`Parsed.write`) is what the next one reads."""
    if draft is None:
        return
    try:
        os.replace(draft, draft.parent / NAME)
    except OSError:
        drop(draft)
    # A draft whose build never came back for it (a process apart that failed and whose site was
    # made again here, or a killed build); one as old as this belongs to no build still running.
    for left in draft.parent.glob(DRAFT + "*"):
        with contextlib.suppress(OSError):
            if time.time() - left.stat().st_mtime > LEFT_BEHIND:
                left.unlink()


def drop(draft: Path | None) -> None:
    """The build failed (or its file was put in place already): nothing of it stays."""
    if draft is not None:
        with contextlib.suppress(OSError):
            draft.unlink(missing_ok=True)


def _encoded(node):
    kind = type(node)
    if kind is Scalar:
        return [str(node), node.line, node.plain]
    if kind is Mapping:
        return {"m": node.line, "v": [[key, node.lines[key], _encoded(value)] for key, value in node.items()]}
    if kind is Sequence:
        return {"q": node.line, "v": [_encoded(item) for item in node]}
    raise TypeError(kind.__name__)


def _entry(value, digest: str) -> tuple | None:
    if type(value) is not list or len(value) != 5 or value[0] != digest:
        return None
    _, front, body_line, front_text, body_digest = value
    if type(body_line) is not int or type(front_text) is not str or type(body_digest) is not str:
        return None
    if not _SHA256.fullmatch(body_digest) or "m" not in front:  # the top is a mapping
        return None
    return _front(front, 1), body_line, front_text, body_digest


def _front(value, depth: int):
    """The node a value of `_encoded` stands for; ValueError if it is not one (which one does not
    matter: the line counts as not there)."""
    if depth > MAX_DEPTH:
        raise ValueError
    if type(value) is list:
        text, line, plain = value
        if type(text) is not str or type(line) is not int or type(plain) is not bool:
            raise ValueError
        return Scalar(text, line, plain)
    if type(value) is not dict or len(value) != 2 or type(value.get("v")) is not list:
        raise ValueError
    if "q" in value:
        node = Sequence(_front(item, depth + 1) for item in value["v"])
        node.line = _line(value["q"])
        return node
    node = Mapping()
    node.line, node.lines = _line(value["m"]), {}
    for key, line, item in value["v"]:
        if type(key) is not str or key in node:
            raise ValueError
        node.lines[key] = _line(line)
        node[key] = _front(item, depth + 1)
    return node


def _line(value) -> int:
    if type(value) is not int:
        raise ValueError
    return value
