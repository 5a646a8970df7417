"""`build.py check --external`: do the links to other sites still work?

Never part of a build or of the default check: it needs the network, and
another site being down must not stop a publication. Each address is asked
once (HEAD, then GET if the server refuses HEAD), several at a time
(WORKERS), each within TIMEOUT seconds, all within DEADLINE seconds; what is
left when the deadline comes is reported as not checked. A failing link is a
warning at the page's source file (`--strict` makes it fail), since a site
that is down today may be back tomorrow.
"""

from __future__ import annotations

import concurrent.futures
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from portal.messages import _
from portal.problems import Problems

TIMEOUT = 10.0  # seconds for one address
WORKERS = 8  # addresses asked at the same time
DEADLINE = 60.0  # seconds for all of them
USER_AGENT = "portal-link-check/1 (+build.py check --external)"


def probe(url: str, timeout: float) -> str | None:
    """None if the address answers with a success (after redirects), else why not."""
    last = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked by the caller
                if response.status < 400:
                    return None
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD only: ask again with GET
            return last
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return (
                _("no answer in time") if "timed out" in str(reason) else _("no answer ({reason})", reason=str(reason))
            )
    return last


def check(
    links: dict,
    sources: dict,
    problems: Problems,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    deadline: float = DEADLINE,
) -> int:
    """Ask every http(s) address in `links` (URL -> output paths linking it); warnings at each page's source
    (`sources`: output path -> source file). Returns how many addresses were asked."""
    urls = sorted(u for u in links if urlsplit(u).scheme in ("http", "https"))
    if not urls:
        return 0
    started = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers))
    futures = {pool.submit(probe, url, timeout): url for url in urls}
    done, not_done = concurrent.futures.wait(futures, timeout=max(0.0, deadline - (time.monotonic() - started)))
    pool.shutdown(wait=False, cancel_futures=True)
    for future, url in futures.items():
        if future in not_done:
            reason = _("not checked: the check stopped after {seconds:g} s", seconds=float(deadline))
        else:
            reason = future.result()
        if reason is None:
            continue
        for page in sorted(links[url]):
            where = sources.get(page) or f"_site/{page}"
            problems.warn(
                where,
                None,
                _(
                    "the link to '{url}' (on /{page}) does not work: {reason}",
                    url=url,
                    page=page.removesuffix("index.html"),
                    reason=reason,
                ),
            )
    return len(urls)
