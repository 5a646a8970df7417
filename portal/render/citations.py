"""How a source is cited: one sentence, in the same words on the pages, in the feeds and in
the data catalogue.

`cite` puts the sentence together: who published the source and what it is (a
municipality's announcement, a newspaper article, a web page), its title (or, without one,
its address), and the date it gives, or that it gives none. A medium writes each piece:
`PLAIN` for the catalogue (the address in brackets), `FEED` for a feed's HTML, and `Page`
for a page, with the template engine's escaping (render.py registers it as `cite`); only a
page has the publisher's own name on hover, the titles marked as Swedish (they are the
sources' own) and a machine-readable date.
"""

from __future__ import annotations

import datetime as dt
import html

from portal import formatting
from portal.load import strings as i18n
from portal.model.site import Source


class Plain:
    """Plain text: the catalogue's provenance statement."""

    def text(self, words: str) -> str:
        return words

    def publisher(self, src: Source, name: str) -> str:
        return self.text(name)

    def title(self, src: Source) -> str:
        return src.label + (f" ({src.url})" if src.url else "")

    def date(self, day: dt.date, written: str) -> str:
        return self.text(written)


class Feed(Plain):
    """HTML inside a feed entry: the title linked to its address, or else a <cite>."""

    def text(self, words: str) -> str:
        return html.escape(words)

    def title(self, src: Source) -> str:
        label = self.text(src.label)
        return f'<a href="{self.text(src.url)}">{label}</a>' if src.url else f"<cite>{label}</cite>"


class Page(Feed):
    """HTML on a page, escaped by `escape` (the template engine's, so a citation escapes as
    the rest of the page does)."""

    def __init__(self, escape):
        self.escape = escape

    def text(self, words: str) -> str:
        return str(self.escape(words))

    def publisher(self, src: Source, name: str) -> str:
        # Named in the page's language ("Ödeshög Municipality"): its own name on hover.
        if name == src.publisher:
            return self.text(name)
        return f'<span class="publisher" title="{self.text(src.publisher)}">{self.text(name)}</span>'

    def title(self, src: Source) -> str:
        label = self.text(src.label)
        if not src.url:
            return f'<cite lang="sv">{label}</cite>'
        swedish = ' lang="sv"' if src.title else ""  # an address is in no language
        return f'<a href="{self.text(src.url)}"{swedish}>{label}</a>'

    def date(self, day: dt.date, written: str) -> str:
        return f'<time datetime="{formatting.iso(day)}">{self.text(written)}</time>'


PLAIN, FEED = Plain(), Feed()


def cite(src: Source, config, lang: str, medium: Plain = PLAIN) -> str:
    """`src` cited in the language `lang`, written for `medium`:
    "Mjölby kommun, kommunens nyhet: Title, publicerad 23 september 2019"."""

    def say(key: str) -> str:
        return medium.text(i18n.text(config, lang, key))

    who = medium.publisher(src, src.publisher_in(lang))
    if src.kind:
        who += ", " + say("sources.kind." + src.kind)
    if src.date:
        written = formatting.date(src.date, config.language(lang).locale)
        when = f"{say('sources.' + src.date_kind)} {medium.date(src.date, written)}"
    else:
        when = say("sources.undated")
    return f"{who}: {medium.title(src)}, {when}"
