"""Pages the build makes from data/, in every language.

One page per municipality (its role, what it pays for, its agreements, how to
reach it), the agreements over time, and the open data page. Their URL words
come from `sections` in data/site.yaml; their titles from the interface strings.
"""

from __future__ import annotations

from portal.load import strings as i18n
from portal.model.site import Kind, Page


def pages(config, collaboration, catalogue) -> list:
    out = []
    for lang in config.languages:

        def t(key, code=lang.code):
            return i18n.text(config, code, key)

        sections = {name: segments[lang.code] for name, segments in config.sections.items()}
        if collaboration is not None:
            for m in collaboration.municipalities:
                out.append(
                    Page(
                        key=f"municipality-{m.id}",
                        lang=lang.code,
                        kind=Kind.MUNICIPALITY,
                        url=f"{lang.prefix}{sections['municipalities']}/{m.id}/",
                        title=m.name[lang.code],
                        template="municipality.html",
                        meta={"municipality": m.id},
                    )
                )
            out.append(
                Page(
                    key="agreements",
                    lang=lang.code,
                    kind=Kind.AGREEMENTS,
                    url=f"{lang.prefix}{sections['agreements']}/",
                    title=t("timeline.title"),
                    template="agreements.html",
                    description=t("timeline.description"),
                )
            )
        if catalogue is not None:
            out.append(
                Page(
                    key="data",
                    lang=lang.code,
                    kind=Kind.DATA,
                    url=f"{lang.prefix}{sections['data']}/",
                    title=t("opendata.title"),
                    template="data.html",
                    description=t("opendata.description"),
                    updated=catalogue.modified,
                )
            )
    return out
