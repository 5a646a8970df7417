"""Write news items into a copy of the portal, as an editor would commit them."""

from __future__ import annotations

from pathlib import Path


def write_item(
    root: Path,
    stem: str,
    lang: str,
    title: str,
    date: str,
    *,
    municipalities=("mjolby",),
    draft: bool = False,
    slug: str | None = None,
    summary: str | None = None,
    body: str = "Text of the item.",
    extra: str = "",
) -> Path:
    path = root / "content/news" / f"{stem}.{lang}.md"
    lines = [
        "---",
        f'title: "{title}"',
        f"date: {date}",
        f'summary: "{summary or "Summary of " + title}"',
        f"municipalities: [{', '.join(municipalities)}]",
    ]
    if slug:
        lines.append(f"slug: {slug}")
    if draft:
        lines.append("draft: true")
    if extra:
        lines.append(extra.rstrip("\n"))
    path.write_text("\n".join(lines) + "\n---\n" + body + "\n", encoding="utf-8")
    return path


def write_pair(root: Path, stem: str, date: str, **kwargs) -> None:
    """The same item in Swedish and English: 'Nyhet <stem>' and 'News <stem>'."""
    write_item(root, stem, "sv", f"Nyhet {stem}", date, **kwargs)
    write_item(root, stem, "en", f"News {stem}", date, **kwargs)


def site_text(folder: Path) -> str:
    """Every file of a built site as one text, to search for anything that leaked."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())
