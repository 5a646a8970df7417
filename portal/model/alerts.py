"""Alerts: short messages shown on every page between a start and an end (data/alerts.yaml).

An alert has a level (information or warning), a text and an optional link in
every language of the site, and a start and an end written with their time
zone. A build shows the alerts whose window holds the build's moment
(`clock.moment`): the nightly build makes them appear and disappear, and a
rebuild with the same --now or SOURCE_DATE_EPOCH gives the same bytes. A preview
(`serve`, `build --drafts`) also shows the alerts still to come, marked as such.

Every page shows the shown alerts above its main heading, in a labelled region
(templates/partials/alerts.html), each with the emergency numbers; each is also
an entry in its language's Atom feed (feeds.py). `check` warns about an alert
that has ended and is still in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from portal.load import shape as s
from portal.messages import _
from portal.problems import Problems

FILE = "data/alerts.yaml"
LEVELS = ("information", "warning")


@dataclass(frozen=True)
class Alert:
    level: str  # "information" or "warning"
    text: dict  # lang -> text
    link: dict | None  # lang -> https://… or a site path /…; None: no link
    start: dt.datetime  # aware, as written
    end: dt.datetime
    line: int  # where the alert starts in data/alerts.yaml
    scheduled: bool = False  # shown only in a preview: it starts after the build's moment

    @property
    def id(self) -> str:
        """What names the alert in its Atom entry id: its start in UTC and its text. A corrected
        text is a new entry, so feed readers show the correction rather than keep the old words."""
        text = "\n".join(f"{code}:{self.text[code]}" for code in sorted(self.text))
        return (
            "alert-" + utc(self.start).strftime("%Y%m%dT%H%M%SZ") + "-" + hashlib.sha256(text.encode()).hexdigest()[:12]
        )


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _shape(codes):
    return s.ListOf(
        s.Fields(
            level=s.OneOf(*LEVELS),
            text=s.PerLanguage(codes, multiline=True),
            link=s.Field(s.PerLanguage(codes, text=s.LinkTarget()), required=False),
            start=s.DateTime(),
            end=s.DateTime(),
        )
    )


def build(sources, codes, problems: Problems) -> tuple:
    """Every alert in data/alerts.yaml, in file order; a site without the file has none."""
    if "alerts" not in sources.data:
        return ()
    path, node = sources.data["alerts"]
    ctx = s.Ctx(path, problems)
    if node is None or (isinstance(node, s.Scalar) and node.is_null):
        return ()
    items = _shape(codes).convert(node, ctx, "alerts")
    if items is s.INVALID:
        return ()
    out, seen = [], {}
    for item in items:
        if item["end"] <= item["start"]:
            ctx.error(
                item.line_of("end"),
                _(
                    "the alert ends ({end}) before it starts ({start}); the end comes after the start",
                    end=item["end"].isoformat(),
                    start=item["start"].isoformat(),
                ),
            )
            continue
        alert = Alert(
            item["level"],
            dict(item["text"]),
            dict(item["link"]) if item["link"] else None,
            item["start"],
            item["end"],
            item.line,
        )
        if alert.id in seen:
            ctx.error(
                item.line,
                _(
                    "this alert is the same as the one at line {seen} (same start and text); remove one",
                    seen=seen[alert.id],
                ),
            )
            continue
        seen[alert.id] = item.line
        out.append(alert)
    return tuple(out)


def shown(schedule: tuple, moment: dt.datetime, preview: bool) -> tuple:
    """The alerts a build made at `moment` shows: those running; in a preview also those to come."""
    out = []
    for alert in schedule:
        if alert.start <= moment < alert.end:
            out.append(alert)
        elif preview and moment < alert.start:
            out.append(replace(alert, scheduled=True))
    # Warnings first, then the earliest start: the most urgent on top.
    return tuple(sorted(out, key=lambda a: (a.scheduled, LEVELS.index(a.level) * -1, utc(a.start))))


def warn_ended(schedule: tuple, moment: dt.datetime, problems: Problems) -> None:
    """`check`: an alert that has ended is no longer shown; its lines can go."""
    for alert in schedule:
        if alert.end <= moment:
            problems.warn(
                FILE,
                alert.line,
                _("this alert ended {end} and is no longer shown; remove it from the file", end=alert.end.isoformat()),
            )
