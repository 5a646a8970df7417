"""Tables on phones and on desktops, in a real browser, on every page that has one.

Phones (320 px): every cell is on screen, or inside a region that visibly says it
scrolls; reflowed rows show each cell's column header before it. Desktops (1280 px):
tables use the page's width, dates and values stay on one line, and running text
keeps a readable measure.

The site is the tiny site with a funding split (tinysite.split_site): every kind of table
the templates make (the split, the figures, the unit over time, the open data fields)
and a table written in Markdown on the page 'samverkan', in both languages.
"""

from __future__ import annotations

import pytest

from browser import DESKTOP, Site, serve, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}

# Every table cell that is not wholly on screen and not inside a scrolling region
# that says so (a visible .scroll-cue naming the region, and a sticky first column).
CLIPPED_CELLS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    if (!cell.getClientRects().length || cell.closest('thead') && getComputedStyle(cell.closest('thead')).position === 'absolute') continue;
    const box = cell.getBoundingClientRect();
    if (box.left >= -0.5 && box.right <= width + 0.5) continue;
    let region = cell.parentElement;
    while (region && !['auto', 'scroll'].includes(getComputedStyle(region).overflowX)) region = region.parentElement;
    const cue = region && document.getElementById(region.getAttribute('aria-describedby') || '');
    const cueVisible = cue && cue.getClientRects().length > 0 && cue.textContent.trim() !== '';
    const first = cell.parentElement.firstElementChild;
    const firstStays = first && getComputedStyle(first).position === 'sticky';
    if (region && region.scrollWidth > region.clientWidth && cueVisible && firstStays) continue;
    out.push(`${cell.tagName.toLowerCase()} "${cell.textContent.trim().slice(0, 30)}" spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
  }
  return out;
}"""

# Each body cell of a reflowed table: its label as shown, and its column's header.
LABELS = """() => Array.from(document.querySelectorAll('main table')).flatMap(table => {
  const headers = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim().replace(/\\s+/g, ' '));
  return Array.from(table.querySelectorAll('tbody tr, tfoot tr')).flatMap(row =>
    Array.from(row.children).map((cell, i) => cell.tagName === 'TD' ? {
      text: cell.textContent.trim().slice(0, 30),
      header: headers[i] || '',
      shown: getComputedStyle(cell, '::before').content,
      display: getComputedStyle(cell).display,
    } : null).filter(Boolean));
})"""


def pages_with_tables(site) -> list[str]:
    return [
        path
        for path in site.pages()
        if "<table" in (site.folder / (path + "index.html" if not path.endswith(".html") else path)).read_text()
    ]


@pytest.fixture(scope="module")
def tiny_live(split_built):
    """The tiny site with a funding split, served on 127.0.0.1 on a free port."""
    with serve(split_built) as origin:
        yield Site(split_built, origin)


def clipped_cells(chromium, site) -> list[str]:
    """Every table cell on the site's pages that a 320 px phone cuts off."""
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    for path in pages_with_tables(site):
        visit(page, site.url(path))
        problems += [f"/{path}: {cell}" for cell in page.evaluate(CLIPPED_CELLS)]
    context.close()
    return problems


def unlabelled_cells(chromium, site) -> list[str]:
    """Every table cell on the site's pages that a 320 px phone does not reflow under its column header."""
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    for path in pages_with_tables(site):
        visit(page, site.url(path))
        cells = page.evaluate(LABELS)
        assert cells, f"/{path}: no table cells found"
        for cell in cells:
            if cell["display"] != "block":
                problems.append(f"/{path}: the cell '{cell['text']}' is not reflowed (display: {cell['display']})")
            elif not cell["header"] or cell["header"] not in cell["shown"]:
                problems.append(
                    f"/{path}: the cell '{cell['text']}' shows {cell['shown']}, not its header '{cell['header']}'"
                )
    context.close()
    return problems


def test_the_site_has_tables_to_check(tiny_live):
    # The staffing page, the agreements over time, open data and the Markdown table, in both languages.
    assert pages_with_tables(tiny_live) == [
        "avtal/",
        "en/agreements/",
        "en/collaboration/",
        "en/open-data/",
        "en/staffing/",
        "enheten/",
        "oppna-data/",
        "samverkan/",
    ]


def test_no_table_cell_is_clipped_at_320_px(tiny_live, chromium):
    problems = clipped_cells(chromium, tiny_live)
    assert not problems, "\n".join(problems)


def test_reflowed_rows_show_each_cells_column_header_at_320_px(tiny_live, chromium):
    problems = unlabelled_cells(chromium, tiny_live)
    assert not problems, "\n".join(problems)


# At 1280 px: how wide tables and paragraphs are, and table dates or values that wrap.
DESKTOP_LAYOUT = """() => {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const main = document.querySelector('main .content, main .wrap');
  const paragraphs = Array.from(document.querySelectorAll('main p')).filter(p => !p.closest('table, figure'));
  return {
    column: main ? main.getBoundingClientRect().width : 0,
    tables: Array.from(document.querySelectorAll('main table')).map(t => t.getBoundingClientRect().width),
    widestText: Math.max(0, ...paragraphs.map(p => p.getBoundingClientRect().width)) / rem,
    wrapped: Array.from(document.querySelectorAll('main table time, main table .value'))
      .filter(el => el.getClientRects().length > 1).map(el => el.textContent.trim()),
  };
}"""


def test_on_a_desktop_tables_use_the_width_and_text_keeps_a_readable_measure(tiny_live, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for path in tiny_live.pages():
        visit(page, tiny_live.url(path))
        layout = page.evaluate(DESKTOP_LAYOUT)
        if layout["widestText"] > 46:
            problems.append(
                f"/{path}: a paragraph is {layout['widestText']:.0f}rem wide (more than about 75 characters a line)"
            )
        for width in layout["tables"]:
            if width < 0.95 * layout["column"] or width < 56 * 16:
                problems.append(f"/{path}: a table is {width:.0f} px wide in a {layout['column']:.0f} px page")
        if layout["wrapped"]:
            problems.append(f"/{path}: dates or values in tables wrap over lines: {layout['wrapped']}")
    context.close()
    assert not problems, "\n".join(problems)


def test_reflowed_tables_are_still_tables_to_a_screen_reader(tiny_live, chromium):
    # The same accessibility tree at 320 px as at 1280 px: rows, column and row headers,
    # cells, and no label text added to a cell's name (the labels have empty alt text).
    trees = {}
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = chromium.new_context(viewport=viewport)
        page = context.new_page()
        for path in pages_with_tables(tiny_live):
            visit(page, tiny_live.url(path))
            trees[name, path] = [table.aria_snapshot() for table in page.locator("main table").all()]
        context.close()
    problems = []
    for path in pages_with_tables(tiny_live):
        phone, desktop = trees["phone", path], trees["desktop", path]
        if phone != desktop:
            problems.append(f"/{path}: the tables read differently at 320 px:\n{phone}\n---\n{desktop}")
        if not all("columnheader" in tree and "- cell" in tree for tree in phone):
            problems.append(f"/{path}: a table at 320 px has no column headers or cells: {phone}")
    assert not problems, "\n".join(problems)


# --- the real portal, end to end: its own tables, with its own long words, fit a phone -----------


def test_the_portals_tables_fit_a_phone(live_site, chromium):
    assert len(pages_with_tables(live_site)) >= 6  # unit, agreements, open data, in both languages
    problems = clipped_cells(chromium, live_site) + unlabelled_cells(chromium, live_site)
    assert not problems, "\n".join(problems)
