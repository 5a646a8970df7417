"""Pages the build makes from data/, in every language.

One page per municipality (its role, what it pays for, its agreements, how to
reach it), the agreements over time, and the open data page. Their URL words
come from `sections` in data/site.yaml; their titles from the interface strings.
"""
from __future__ import annotations

from .model import Kind, Page


def pages(config, collaboration, catalogue) -> list:
    out = []
    for lang in config.languages:
        t = config.strings.get(lang.code, {})
        sections = {name: segments[lang.code] for name, segments in config.sections.items()}
        if collaboration is not None:
            for m in collaboration.municipalities:
                out.append(Page(key=f"municipality-{m.id}", lang=lang.code, kind=Kind.MUNICIPALITY,
                                url=f"{lang.prefix}{sections['municipalities']}/{m.id}/", title=m.name[lang.code],
                                template="municipality.html", meta={"municipality": m.id}))
            out.append(Page(key="agreements", lang=lang.code, kind=Kind.AGREEMENTS, url=f"{lang.prefix}{sections['agreements']}/",
                            title=t.get("timeline.title", "Agreements"), template="agreements.html",
                            description=t.get("timeline.description")))
        if catalogue is not None:
            out.append(Page(key="data", lang=lang.code, kind=Kind.DATA, url=f"{lang.prefix}{sections['data']}/",
                            title=t.get("opendata.title", "Open data"), template="data.html",
                            description=t.get("opendata.description"), updated=catalogue.modified))
    return out
