"""The build's notion of "now": which news items are already published.

A build reads the clock once. `--now` (a date or an ISO datetime) or the
reproducible-builds variable SOURCE_DATE_EPOCH fix it, so tests and rebuilds
give the same site; without them the real clock decides. Only the date in UTC
matters (items are dated by day) and it is never written into the output.
"""

from __future__ import annotations

import datetime as dt
import os

from portal.messages import _


class BadNow(ValueError):
    """--now or SOURCE_DATE_EPOCH cannot be read; the message says how to write it."""


def parse_now(text: str) -> dt.date:
    """`2026-11-24` or `2026-11-24T08:00:00+01:00` → the date in UTC."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadNow(
            _("--now should be a date (YYYY-MM-DD) or an ISO date and time, not '{text}'", text=text)
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date()


def from_epoch(text: str) -> dt.date:
    try:
        seconds = int(text.strip())
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise BadNow(
            _("SOURCE_DATE_EPOCH should be whole seconds since 1970-01-01 UTC, not '{text}'", text=text)
        ) from None


def today(now: str | None = None, environ=os.environ) -> dt.date:
    """--now if given, else SOURCE_DATE_EPOCH if set, else today's date (UTC)."""
    if now is not None:
        return parse_now(now)
    if environ.get("SOURCE_DATE_EPOCH", "").strip():
        return from_epoch(environ["SOURCE_DATE_EPOCH"])
    return dt.datetime.now(dt.UTC).date()


def moment(now: str | None = None, environ=os.environ) -> dt.datetime:
    """The build's moment in UTC, for what starts and ends at a time of day (alerts).

    Read from the same places as `today`: --now (a date alone is its midnight UTC),
    else SOURCE_DATE_EPOCH, else the clock. Never written into the output.
    """
    if now is not None:
        try:
            value = dt.datetime.fromisoformat(now.strip())
        except ValueError:
            raise BadNow(
                _("--now should be a date (YYYY-MM-DD) or an ISO date and time, not '{now}'", now=now)
            ) from None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if environ.get("SOURCE_DATE_EPOCH", "").strip():
        from_epoch(environ["SOURCE_DATE_EPOCH"])  # the same message for a bad value
        return dt.datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"].strip()), dt.UTC)
    return dt.datetime.now(dt.UTC)


def start_of(day: dt.date) -> dt.datetime:
    """Midnight UTC of a date: the moment of a build given only its date."""
    return dt.datetime.combine(day, dt.time(0), dt.UTC)
