"""A tiny site for the engine's tests, made for them and independent of the real portal's content.

Its content/ and data/ live in tests/fixtures/tiny/ (a handful of short files: two
languages, four pages, one news item, two made-up municipalities). The templates,
static files and interface strings (data/i18n/) are the real ones: templates are the
product, and the strings are not what these tests are about. Editing a sentence in the
portal's content/ or a figure in its data/ therefore changes nothing here.

A test that needs a variant writes its own few lines on top:

    (tiny / "data/staffing.yaml").write_text(...)
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tiny"
SPLIT = Path(__file__).resolve().parent / "fixtures" / "split"


def tiny_site(root: Path, **files: str) -> Path:
    """Write the tiny site to root and return root.

    `files` maps a path in the site to a text that replaces or adds that file:
    tiny_site(root, **{"data/alerts.yaml": "[]"}).
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "data", root / "data")
    shutil.copytree(REPO / "data" / "i18n", root / "data" / "i18n")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def split_site(root: Path) -> Path:
    """The tiny site with a funding split (tests/fixtures/split, written over it); returns root.

    Three municipalities: Mjölby hosts, Boxholm has an undated agreement with it, then a dated
    one brings in Ödeshög. Made-up decimal figures: 6.3 posts in total (from a newspaper),
    Ödeshög pays for 2.1 (from Mjölby's announcement), what Mjölby and Boxholm each pay is
    not published, so the two pay 4.2 together; 1.1 posts came with the agreement. The
    page 'samverkan' lists the municipalities (template collaboration.html).
    """
    tiny_site(root)
    shutil.copytree(SPLIT, root, dirs_exist_ok=True)
    return root


def add_municipality(root: Path, mid: str, sv: str, en: str, place: str) -> None:
    """A third (or further) partner municipality, for tests of lists per municipality."""
    path = root / "data/collaboration.yaml"
    text = path.read_text(encoding="utf-8")
    entry = f"  - id: {mid}\n    name:\n      sv: {sv}\n      en: {en}\n    role: partner\n    place: {place}\n"
    path.write_text(text.replace("\nagreements:\n", entry + "\nagreements:\n", 1), encoding="utf-8")
