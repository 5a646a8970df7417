"""A page's markdown: held in memory, or read again from its file when the page is rendered.

A build that runs once (`build`, `check`) reads each body when it renders the page, not from
load to the end: at 5,000 news items the bodies were 96 MB of the model's 121 MB, and every
render process copied the part it touched. What it keeps of a body is the SHA-256 of its
text and where the body starts in the file. A file that no longer holds that body when the
page is rendered (saved during the build) raises `Changed`, reported at the file: the build
stops, rather than publish a page newer than the lists, links and feeds made from the old one.

`serve` holds the texts (`held`): it renders a saved page first, from memory, and a file saved
while it renders belongs to the next rebuild.

Two bodies are equal when their texts are. Only `digest` is compared, hashed and, as the one
field compared, digested by the build cache: a page's key is the same whether its text is held.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from portal.messages import _


def normal(data: bytes) -> str:
    """A file's bytes as the text load reads: UTF-8, a BOM dropped, every line ending `\\n`."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Changed(Exception):
    """The file no longer holds the body read from it at load."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name
        self.message = _("changed while the site was being built; build again")


@dataclass(frozen=True)
class Body:
    digest: str  # SHA-256 of the text: what equality, hashing and the cache's digest see
    held: str | None = field(default=None, compare=False, repr=False)  # the text, if kept in memory
    path: str | None = field(default=None, compare=False)  # else: the file's absolute path,
    start: int = field(default=0, compare=False)  # where the body starts in its text,
    name: str = field(default="", compare=False)  # and its repository-relative name, for `Changed`

    @classmethod
    def of(cls, text: str) -> Body:
        return cls(digest_of(text), held=text)

    @classmethod
    def in_file(cls, text: str, path: str, start: int, name: str, hold: bool) -> Body:
        """The body `text`, which starts at `start` in the text of the file at `path`."""
        if hold:
            return cls.of(text)
        return cls(digest_of(text), path=path, start=start, name=name)

    def text(self) -> str:
        if self.held is not None:
            return self.held
        try:
            with open(self.path, "rb") as f:
                found = normal(f.read())[self.start :]
        except (OSError, UnicodeDecodeError):
            raise Changed(self.name) from None
        if digest_of(found) != self.digest:
            raise Changed(self.name)
        return found
