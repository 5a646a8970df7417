"""Charts drawn at build time as SVG files: no JavaScript, no chart library.

The funding split is a stacked bar. Each part has its own fill pattern and a
label in words beside its swatch, so colour is never the only way to tell the
parts apart; the part whose split between municipalities no source gives is
hatched, outlined with a dashed line and marked "?", so it cannot be mistaken
for a share of one municipality. Every chart comes in two widths: the narrow
one is picked by <picture> on small screens and at high zoom, where the wide
one's text would shrink. The page shows the same numbers in a <table>.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

from portal import formatting
from portal.load import strings as i18n
from portal.output import Output

SVG_NS = "http://www.w3.org/2000/svg"
INK = "#1b1b1b"
BRAND = "#0b4a6f"
PAPER = "#ffffff"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif"
# Patterns for published shares, in order; the unsplit remainder always gets "hatch".
KNOWN_FILLS = ("solid", "dots", "grid")
WIDTHS = {"wide": 640, "narrow": 340}

ET.register_namespace("", SVG_NS)


def path(lang_prefix: str, total_id: str, variant: str) -> str:
    """Where a funding chart lives in the site: charts/funding-total-posts.svg, en/charts/…-narrow.svg."""
    suffix = "" if variant == "wide" else f"-{variant}"
    return f"{lang_prefix}charts/funding-{total_id}{suffix}.svg"


def label(segment, collaboration, strings, lang: str) -> str:
    """Who pays for a part, in words: one municipality, several together, or nobody known."""
    names = [collaboration.municipality(m).name[lang] for m in segment.municipalities]
    if segment.known or len(names) == 1:  # one payer left: the rest is theirs, nothing is split between them
        return names[0]
    if not names:
        return i18n.text(strings, lang, "chart.unattributed")
    together = i18n.text(
        strings, lang, "chart.together", names=formatting.join_names(names, i18n.text(strings, lang, "list.and"))
    )
    return f"{together} ({i18n.text(strings, lang, 'chart.unknown_split')})"


def _el(parent, tag, **attrs):
    return ET.SubElement(
        parent, f"{{{SVG_NS}}}{tag}", {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )


def _patterns(defs):
    dots = _el(defs, "pattern", id="dots", width=8, height=8, patternUnits="userSpaceOnUse")
    _el(dots, "rect", width=8, height=8, fill=PAPER)
    _el(dots, "circle", cx=4, cy=4, r=2.2, fill=BRAND)
    grid = _el(defs, "pattern", id="grid", width=10, height=10, patternUnits="userSpaceOnUse")
    _el(grid, "rect", width=10, height=10, fill=PAPER)
    _el(grid, "path", d="M0 5H10M5 0V10", stroke=BRAND, stroke_width=2)
    hatch = _el(
        defs, "pattern", id="hatch", width=10, height=10, patternUnits="userSpaceOnUse", patternTransform="rotate(45)"
    )
    _el(hatch, "rect", width=10, height=10, fill=PAPER)
    _el(hatch, "path", d="M0 0V10", stroke=INK, stroke_width=3)


def _fill(kind: str) -> str:
    return BRAND if kind == "solid" else f"url(#{kind})"


def funding_svg(split, collaboration, strings, lang) -> dict:
    """{variant: SVG bytes} for one funding split, in one language."""
    return {variant: _draw(split, collaboration, strings, lang, width) for variant, width in WIDTHS.items()}


def _draw(split, collaboration, strings, lang, width) -> bytes:
    total = split.total
    num = lambda v: formatting.number(v, lang.locale)  # noqa: E731 - a local shorthand
    title = i18n.text(strings, lang.code, "chart.title", total=num(total.value))
    font, margin = 16, 10
    wrap = max(20, int((width - 2 * margin - 40) / (font * 0.55)))
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {"role": "img", "aria-labelledby": "title desc", "font-family": FONT, "font-size": str(font)},
    )
    _el(svg, "title", id="title").text = title
    desc = _el(svg, "desc", id="desc")
    defs = _el(svg, "defs")
    _patterns(defs)
    _el(svg, "rect", width="100%", height="100%", fill=PAPER)

    y = margin + font + 4
    for line in textwrap.wrap(title, wrap):
        _el(svg, "text", x=margin, y=y, fill=INK, font_weight="bold", font_size=font + 2).text = line
        y += font + 8
    bar_y, bar_h, bar_w = y + 22, 56, width - 2 * margin
    x, kinds, words = margin, iter(KNOWN_FILLS), []
    for seg in split.segments:
        kind = next(kinds, "dots") if seg.known else "hatch"
        w = float(seg.value / total.value) * bar_w
        # A sentence of the description and a legend line each: capitalised as the table's rows are.
        text = f"{formatting.sentence(label(seg, collaboration, strings, lang.code))}: {num(seg.value)} {total.unit[lang.code]}"
        words.append(text)
        _el(
            svg,
            "rect",
            x=f"{x:.1f}",
            y=bar_y,
            width=f"{w:.1f}",
            height=bar_h,
            fill=_fill(kind),
            stroke=INK,
            stroke_width=2,
            **({} if seg.known else {"stroke_dasharray": "6 4"}),
            class_=f"segment {kind}",
        )
        # The value above its part; "?" inside the part whose split is not published.
        _el(
            svg,
            "text",
            x=f"{x + w / 2:.1f}",
            y=bar_y - 8,
            fill=INK,
            text_anchor="middle",
            font_weight="bold",
            class_="value",
        ).text = num(seg.value)
        if not seg.known:
            _el(
                svg, "circle", cx=f"{x + w / 2:.1f}", cy=bar_y + bar_h / 2, r=15, fill=PAPER, stroke=INK, stroke_width=2
            )
            _el(
                svg,
                "text",
                x=f"{x + w / 2:.1f}",
                y=bar_y + bar_h / 2 + 6,
                fill=INK,
                text_anchor="middle",
                font_weight="bold",
                font_size=font + 2,
            ).text = "?"
        x += w
    # The legend: a swatch with the part's own pattern, then who pays and how much, in words.
    y = bar_y + bar_h + 28
    kinds = iter(KNOWN_FILLS)
    for seg, text in zip(split.segments, words):
        kind = next(kinds, "dots") if seg.known else "hatch"
        _el(
            svg,
            "rect",
            x=margin,
            y=y - font + 2,
            width=28,
            height=20,
            fill=_fill(kind),
            stroke=INK,
            stroke_width=2,
            **({} if seg.known else {"stroke_dasharray": "4 3"}),
        )
        for line in textwrap.wrap(text, wrap):
            _el(svg, "text", x=margin + 38, y=y + 2, fill=INK).text = line
            y += font + 6
        y += 10
    desc.text = " ".join(
        [
            i18n.text(strings, lang.code, "chart.alt_start", total=num(total.value), unit=total.unit[lang.code]),
            *[w + "." for w in words],
        ]
    )
    height = int(y)
    svg.set("viewBox", f"0 0 {width} {height}")
    svg.set("width", str(width))
    svg.set("height", str(height))
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def outputs(site) -> list:
    out = []
    for lang in site.config.languages:
        for split in site.staffing.splits:
            if split.total.value is None:
                continue
            for variant, data in funding_svg(split, site.collaboration, site.config, lang).items():
                out.append(Output(path(lang.prefix, split.total.id, variant), data))
    return out
