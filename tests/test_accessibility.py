"""WCAG 2.2 AA in a real browser, on every page of the built portal in both languages.

Each test walks every HTML page of the output (found on disk, so new pages are
checked too) and reports all failing pages together.
"""

from __future__ import annotations

import pytest

from browser import DESKTOP, axe_violations, visit

pytestmark = pytest.mark.browser

# What the focused element looks like; null when focus has left the page.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    index: Array.prototype.indexOf.call(document.querySelectorAll('*'), el),
    what: el.tagName.toLowerCase() + ' ' + (el.getAttribute('href') || el.id || el.textContent.trim().slice(0, 40)),
    className: el.className,
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    // On screen: wholly, or (for something taller than the window) in part.
    inView: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth
            && (box.height > innerHeight ? box.top < innerHeight && box.bottom > 0 : box.top >= -1 && box.bottom <= innerHeight + 1),
    top: box.top + scrollY,
    bottom: box.bottom + scrollY,
  };
}"""

# Every element a keyboard user should reach, in document order.
TABBABLE = """() => {
  const all = document.querySelectorAll('*');
  return Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'))
    .filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0
                  && getComputedStyle(el).visibility !== 'hidden')
    .map(el => Array.prototype.indexOf.call(all, el));
}"""


def tab_through(page, limit=300) -> list[dict]:
    """Press Tab until focus leaves the page; what was focused, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["index"] == seen[0]["index"]):
            return seen
        seen.append(focused)
    raise AssertionError(f"after {limit} presses of Tab focus had not left the page: a focus trap?")


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, DESKTOP], ids=["320px", "1280px"])
def test_axe_finds_no_wcag_2_2_a_or_aa_violations_on_any_page(live_site, chromium, viewport):
    # axe is injected as a script, which the pages' CSP rightly forbids: bypass it here only.
    context = chromium.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        problems += [f"/{path}: {v}" for v in axe_violations(page)]
    context.close()
    assert live_site.pages(), "no pages were found"
    assert not problems, "\n".join(problems)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        if not first or "skip-link" not in first["className"] or not first["inView"]:
            problems.append(f"/{path}: the first Tab stop is {first and first['what']}, not a visible skip link")
            continue
        page.keyboard.press("Enter")
        landed = page.evaluate(
            "() => [document.activeElement.id, location.hash, document.querySelector('main').getBoundingClientRect().top]"
        )
        if landed[:2] != ["main", "#main"]:
            problems.append(
                f"/{path}: after the skip link focus is on '{landed[0]}' and the address ends in '{landed[1]}'"
            )
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUSED)
        if after and after["top"] < page.evaluate(
            "document.querySelector('main').getBoundingClientRect().top + scrollY"
        ):
            problems.append(f"/{path}: the Tab after the skip link goes back above the main content ({after['what']})")
    context.close()
    assert not problems, "\n".join(problems)


def test_tab_reaches_everything_in_page_order_with_visible_focus(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        stops = tab_through(page)
        expected = page.evaluate(TABBABLE)
        if [s["index"] for s in stops] != expected:
            problems.append(
                f"/{path}: Tab visits {[s['what'] for s in stops]}, but the page has {len(expected)} "
                "interactive elements in another order (tabindex > 0, or something unreachable)"
            )
        for s in stops:
            if not s["indicator"]:
                problems.append(f"/{path}: focus on {s['what']} has no visible outline")
            if not s["inView"]:
                problems.append(f"/{path}: focused {s['what']} is not on screen")
        # Reading order: each stop starts no higher than the previous one, allowing for items on one row.
        for before, after in zip(stops[1:], stops[2:]):
            if after["top"] < before["top"] - 1 and after["bottom"] <= before["top"]:
                problems.append(f"/{path}: Tab jumps up from {before['what']} to {after['what']}")
    context.close()
    assert not problems, "\n".join(problems)


def test_language_switcher_goes_to_the_same_page_in_the_other_language(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        here = live_site.url(path)
        visit(page, here)
        lang = page.get_attribute("html", "lang")
        switch = page.locator(".language a[hreflang]")
        if switch.count() != 1:
            problems.append(f"/{path}: {switch.count()} language links, expected one")
            continue
        other = switch.get_attribute("hreflang")
        untranslated = page.locator(".language .no-translation").count() > 0
        switch.click()
        page.wait_for_load_state()
        if page.get_attribute("html", "lang") != other:
            problems.append(
                f"/{path}: the language link leads to a page in '{page.get_attribute('html', 'lang')}', not '{other}'"
            )
            continue
        if untranslated:
            # No translation: the page says so, and the link goes to the other language's start page.
            start = page.evaluate("() => document.querySelector('.site-title').href")
            if page.url != start:
                problems.append(f"/{path}: has no translation, but its language link goes to {page.url}, not {start}")
            continue
        back = page.locator(f".language a[hreflang='{lang}']")
        if back.count() != 1 or back.evaluate("a => a.href") != here:
            problems.append(f"/{path}: the language link goes to {page.url}, which does not link back to this page")
    context.close()
    assert not problems, "\n".join(problems)


def test_nothing_scrolls_sideways_at_320_px(live_site, chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > 321).slice(0, 3)
                .map(el => el.tagName.toLowerCase() + '.' + el.className)""")
            problems.append(f"/{path}: the page is {width} px wide at a 320 px viewport (too wide: {wide})")
    context.close()
    assert not problems, "\n".join(problems)


# Text zoom as browsers do it: the root font size doubles and everything in rem/em follows.
ZOOM_TEXT = """() => {
  const sizes = els => els.map(el => parseFloat(getComputedStyle(el).fontSize));
  const texts = Array.from(document.querySelectorAll('body *'))
    .filter(el => Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
  const before = sizes(texts);
  document.documentElement.style.fontSize = '200%';
  const after = sizes(texts);
  const notScaled = texts.filter((el, i) => after[i] < before[i] * 1.95).map(el => el.tagName.toLowerCase() + '.' + el.className);
  // A 1 px box is hidden on purpose, kept for screen readers (table headers of reflowed rows).
  const clipped = Array.from(document.querySelectorAll('body *')).filter(el => {
    const style = getComputedStyle(el);
    if (el.getBoundingClientRect().width <= 1) return false;
    const hides = v => v === 'hidden' || v === 'clip';
    return (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
  }).map(el => el.tagName.toLowerCase() + '.' + el.className);
  const outside = texts.filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(el => el.tagName.toLowerCase() + '.' + el.className);
  return {notScaled, clipped, outside, scrollWidth: document.documentElement.scrollWidth};
}"""


def test_nothing_is_cut_off_at_200_percent_text(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        zoom = page.evaluate(ZOOM_TEXT)
        if zoom["notScaled"]:
            problems.append(f"/{path}: text that does not grow with the text size: {zoom['notScaled'][:5]}")
        if zoom["clipped"]:
            problems.append(f"/{path}: text cut off at 200 %: {zoom['clipped'][:5]}")
        if zoom["outside"] or zoom["scrollWidth"] > DESKTOP["width"]:
            problems.append(f"/{path}: text runs off the side at 200 %: {zoom['outside'][:5]}")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_axe_check_itself_catches_a_known_violation(chromium):
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content('<!DOCTYPE html><html lang="sv"><title>x</title><main><img src="data:,"></main></html>')
    found = axe_violations(page)
    context.close()
    assert any(v.startswith("image-alt") for v in found), found


# Links in lists (menus, site maps, news lists, footnotes) and in the footer: their boxes.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('li a[href], footer a[href]'))
  .filter(a => a.getClientRects().length > 0)
  .map(a => ({what: a.textContent.trim().slice(0, 40) || a.getAttribute('href'),
              boxes: Array.from(a.getClientRects()).map(r => [r.width, r.height])}))
  .filter(a => a.boxes.some(([w, h]) => w < 24 || h < 24))"""


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, DESKTOP], ids=["320px", "1280px"])
def test_links_in_lists_and_the_footer_are_at_least_24_px_targets(live_site, chromium, viewport):
    # WCAG 2.2, 2.5.8 Target Size (Minimum); axe exempts links inside running text, this does not.
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    problems = []
    for path in live_site.pages():
        visit(page, live_site.url(path))
        problems += [
            f"/{path}: '{t['what']}' is {' + '.join(f'{w:.0f}×{h:.0f}' for w, h in t['boxes'])} px"
            for t in page.evaluate(SMALL_TARGETS)
        ]
    context.close()
    assert not problems, "\n".join(problems)
