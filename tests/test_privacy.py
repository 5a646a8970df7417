"""Nothing leaves the site: every page in a real browser, under its own Content Security Policy.

While each page loads (and while the search pages search), no request goes
anywhere but the site on 127.0.0.1, no cookie is set, nothing is stored, and
the console stays free of errors (CSP violations show up there too).
"""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest

from browser import DESKTOP, visit, watch

pytestmark = pytest.mark.browser

# Things the page carries that a CSP or a privacy review cares about.
PAGE_FACTS = """() => ({
  csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '',
  referrer: document.querySelector('meta[name="referrer"]')?.content || '',
  inlineScripts: document.querySelectorAll('script:not([src]):not([type="application/ld+json"])').length,  // JSON-LD is data, never run
  styleElements: document.querySelectorAll('style').length,
  styleAttributes: document.querySelectorAll('[style]').length,
  handlers: Array.from(document.querySelectorAll('*')).filter(el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
  stored: localStorage.length + sessionStorage.length,
  searchForm: document.querySelector('.search-form') !== null,
  scripts: document.scripts.length,
})"""

LINKS = """() => Array.from(document.querySelectorAll('[href], [src]'))
  .map(el => typeof el.href === 'string' && el.hasAttribute('href') ? el.href : el.src)
  .filter(url => typeof url === 'string' && url)"""


# Pages opened at once: each page is still watched until its network has been quiet for half a
# second, but those waits overlap instead of adding up (42 pages: 21 s of 38 s spent waiting, one at a time).
AT_ONCE = 8


def test_pages_load_nothing_from_elsewhere_set_no_cookies_store_nothing_and_log_no_errors(live_site, chromium):
    problems = []
    paths = live_site.pages()
    for start in range(0, len(paths), AT_ONCE):
        opened = []
        for path in paths[start : start + AT_ONCE]:
            context = chromium.new_context(viewport=DESKTOP)
            page = context.new_page()
            seen = watch(page)
            page.goto(live_site.url(path))
            opened.append((path, context, page, seen))
        for path, context, page, seen in opened:
            problems += [f"/{path}: {problem}" for problem in page_problems(live_site, context, page, seen)]
            context.close()
    assert not problems, "\n".join(problems)


def page_problems(live_site, context, page, seen) -> list[str]:
    """What is wrong with one open page, once what its scripts fetch has arrived."""
    facts = page.evaluate(PAGE_FACTS)
    if facts["scripts"]:  # let what the scripts fetch arrive
        page.wait_for_load_state("networkidle")
    if facts["searchForm"]:  # search too: it fetches the index and runs WebAssembly
        page.fill("#search-input", "Ödeshög")
        page.wait_for_selector("#search-results li")
        page.wait_for_load_state("networkidle")
        facts["stored"] = page.evaluate("localStorage.length + sessionStorage.length")
    problems = []
    elsewhere = [url for url in seen.requests if not url.startswith(live_site.origin + "/")]
    if elsewhere:
        problems.append(f"requests to other places: {elsewhere}")
    if context.cookies():
        problems.append(f"sets cookies: {context.cookies()}")
    if facts["stored"]:
        problems.append("writes to localStorage or sessionStorage")
    if seen.errors:
        problems.append(f"console errors: {seen.errors}")
    return problems + policy_problems(facts)


def policy_problems(facts: dict) -> list[str]:
    found = []
    directives = {d.split()[0]: d.split()[1:] for d in facts["csp"].split(";") if d.strip()}
    if directives.get("default-src") != ["'self'"]:
        found.append(f"the Content-Security-Policy does not say default-src 'self': {facts['csp']!r}")
    script = directives.get("script-src", ["'self'"])
    # Only the search pages run WebAssembly, and that is all they add.
    allowed = ["'self'", "'wasm-unsafe-eval'"] if facts["searchForm"] else ["'self'"]
    if script != allowed:
        found.append(f"script-src is {script}, expected {allowed}")
    if any("unsafe-inline" in d or "'unsafe-eval'" in d for d in facts["csp"].split(";")):
        found.append(f"the policy allows inline code: {facts['csp']!r}")
    if not facts["referrer"]:
        found.append("no referrer policy")
    for key in ("inlineScripts", "styleElements", "styleAttributes", "handlers"):
        if facts[key]:
            found.append(f"{facts[key]} {key} (inline code the policy forbids)")
    return found


def test_every_internal_href_and_src_answers_200_and_every_anchor_exists(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    ids, targets = {}, {}  # page URL -> its ids; link target -> the first page linking to it
    for path in live_site.pages():
        url = live_site.url(path)
        visit(page, url)
        ids[url] = set(page.evaluate("() => Array.from(document.querySelectorAll('[id]'), el => el.id)"))
        for link in page.evaluate(LINKS):
            if link.startswith(live_site.origin + "/"):
                targets.setdefault(link, path)
    problems = []
    for link, path in sorted(targets.items()):
        address, fragment = urldefrag(link)
        status = context.request.get(address, max_redirects=0).status
        if status != 200:
            problems.append(f"/{path}: {link} answers {status}")
        elif fragment and address in ids and fragment not in ids[address]:
            problems.append(f"/{path}: {link} points at #{fragment}, which is not on that page")
    context.close()
    assert len(targets) > len(ids), "the pages link to almost nothing: did the pages load?"
    assert not problems, "\n".join(problems)


def test_the_policy_check_itself_rejects_inline_code_and_loose_policies():
    good = {
        "csp": "default-src 'self'; img-src 'self' data:",
        "referrer": "no-referrer",
        "inlineScripts": 0,
        "styleElements": 0,
        "styleAttributes": 0,
        "handlers": 0,
        "searchForm": False,
    }
    assert policy_problems(good) == []
    assert policy_problems({**good, "styleAttributes": 2})
    assert policy_problems({**good, "csp": "default-src *"})
    assert policy_problems({**good, "csp": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"})
    assert policy_problems({**good, "referrer": ""})
