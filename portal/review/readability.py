"""Readability: LIX (läsbarhetsindex, Björnsson 1968) of a page's running text.

LIX = words per sentence + 100 × share of long words (more than six letters).
It counts only lengths, so the same formula gives a comparable score for
English (Anderson's work on LIX and RIX applied it to English unchanged):
the scale reads the same in both languages, roughly

    below 30 very easy (children's books, Lättläst) · 30–40 easy (fiction,
    popular press) · 40–50 medium (newspapers) · 50–60 hard (official texts)
    · above 60 very hard (academic and legal prose).

The text is read from a rendered page's <main>: every paragraph, list item,
heading and table cell is a block, and a block ends a sentence even without
a full stop (a heading or a list item is a sentence to a reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "blockquote",
    "div",
}
SKIP = {"script", "style", "nav", "code", "pre", "svg", "button", "form"}
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
LONG = 6  # letters: a word longer than this is long


@dataclass(frozen=True)
class Score:
    lix: float
    words: int
    sentences: int
    longest: str  # the sentence with the most words

    @property
    def rounded(self) -> int:
        return int(self.lix + 0.5)


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_main = 0
        self.skip = 0
        self.blocks, self.current = [], []

    def _end_block(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth_main += 1
        elif tag in SKIP:
            self.skip += 1
        elif tag in BLOCKS or tag == "br":
            self._end_block()

    def handle_endtag(self, tag):
        if tag == "main":
            self._end_block()
            self.depth_main -= 1
        elif tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if self.depth_main and not self.skip:
            self.current.append(data)


def blocks_of(html: str) -> list[str]:
    """The running text of a page's <main>, one string per block."""
    reader = _MainText()
    reader.feed(html)
    reader.close()
    return reader.blocks


def sentences(blocks: list[str]) -> list[str]:
    out = []
    for block in blocks:
        out.extend(s for s in _SENTENCE_END.split(block) if _WORD.search(s))
    return out


def score(blocks: list[str]) -> Score | None:
    """LIX of the text; None when it has no words."""
    found = sentences(blocks)
    words = [w for s in found for w in _WORD.findall(s)]
    if not words:
        return None
    long_words = sum(1 for w in words if len(w.replace("-", "")) > LONG)
    longest = max(found, key=lambda s: len(_WORD.findall(s)))
    return Score(len(words) / len(found) + 100 * long_words / len(words), len(words), len(found), longest)
