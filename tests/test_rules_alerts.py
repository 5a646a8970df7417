"""Every rule of the alerts (portal/model/alerts.py), one small test each: how data/alerts.yaml is
read (a few lines parsed in memory, no build) and which alerts a build shows at its moment. A wrong
rule here shows citizens an expired alert or hides an active one, so each test reads as the rule it
pins. The moment is always given: no test reads the clock."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from portal.load import sources as load
from portal.load import yamlnodes
from portal.model import alerts
from portal.model.alerts import Alert
from portal.problems import Problems

PATH = "data/alerts.yaml"
CODES = ("sv", "en")
CET = dt.timezone(dt.timedelta(hours=1))
UTC = dt.UTC

# 2026-11-18 08:00 Swedish winter time is 07:00 UTC.
START = dt.datetime(2026, 11, 18, 8, tzinfo=CET)
END = dt.datetime(2026, 11, 19, 18, tzinfo=CET)
TICK = dt.timedelta(microseconds=1)

ONE = """\
- level: warning
  start: 2026-11-18T08:00+01:00
  end: 2026-11-19T18:00+01:00
  text:
    sv: Koka vattnet i Mjölby.
    en: Boil the water in Mjölby.
  link:
    sv: /nyheter/
    en: https://www.mjolby.se/
"""


def entry(start="2026-11-18T08:00+01:00", end="2026-11-19T18:00+01:00", sv="Koka vattnet.", level="warning"):
    """One alert in data/alerts.yaml, on three lines."""
    return f"- level: {level}\n  start: {start}\n  end: {end}\n  text: {{sv: {sv}, en: Boil the water.}}\n"


def run(text, codes=CODES):
    problems = Problems()
    sources = load.Sources(root=Path("."), data={"alerts": (PATH, yamlnodes.parse(text))})
    schedule = alerts.build(sources, codes, problems)
    return schedule, [str(p) for p in problems.items]


def alert(start=START, end=END, level="warning", text="Koka vattnet.", line=1) -> Alert:
    return Alert(level, {"sv": text, "en": "Boil the water."}, None, start, end, line)


@pytest.fixture
def machine_in_another_zone(monkeypatch):
    """The build machine's own time zone five hours east of UTC (a POSIX TZ, no zone database needed)."""
    monkeypatch.setenv("TZ", "XYZ-5")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def texts(shown) -> list:
    return [(a.text["sv"], a.scheduled) for a in shown]


# --- reading data/alerts.yaml ----------------------------------------------------------------------


def test_a_site_without_the_alerts_file_has_no_alerts():
    problems = Problems()
    assert alerts.build(load.Sources(root=Path(".")), CODES, problems) == ()
    assert problems.items == []


@pytest.mark.parametrize("text", ["", "# nothing now\n", "~\n", "null\n"])
def test_an_empty_alerts_file_has_no_alerts_and_is_no_error(text):
    assert run(text) == ((), [])


def test_an_alert_is_read_with_its_level_texts_link_window_as_written_and_line():
    schedule, problems = run("# Alerts\n" + ONE)
    assert problems == []
    assert schedule == (
        Alert(
            "warning",
            {"sv": "Koka vattnet i Mjölby.", "en": "Boil the water in Mjölby."},
            {"sv": "/nyheter/", "en": "https://www.mjolby.se/"},
            START,
            END,
            2,
        ),
    )
    (one,) = schedule
    assert one.start.utcoffset() == dt.timedelta(hours=1)  # the zone as written, not turned into UTC
    assert one.scheduled is False
    assert type(one.text) is dict and type(one.link) is dict


def test_an_alert_without_a_link_has_none_and_the_alerts_keep_the_file_order():
    schedule, problems = run(entry(sv="Först.", level="information") + entry(sv="Sedan."))
    assert problems == []
    assert [(a.text["sv"], a.level, a.link, a.line) for a in schedule] == [
        ("Först.", "information", None, 1),
        ("Sedan.", "warning", None, 5),
    ]


def test_an_alert_text_may_span_several_lines():
    text = "- level: information\n  start: 2026-11-18T08:00Z\n  end: 2026-11-19T08:00Z\n"
    text += "  text:\n    sv: |\n      Rad ett.\n      Rad två.\n    en: One line.\n"
    schedule, problems = run(text)
    assert problems == []
    assert schedule[0].text == {"sv": "Rad ett.\nRad två.", "en": "One line."}


def test_the_level_is_information_or_warning():
    assert run(entry(level="danger")) == (
        (),
        [f"{PATH}:1: 'level' is 'danger'; it should be one of: information, warning"],
    )


def test_the_text_is_needed_in_every_site_language():
    text = "- level: warning\n  start: 2026-11-18T08:00Z\n  end: 2026-11-19T08:00Z\n  text: {sv: Koka vattnet.}\n"
    assert run(text) == ((), [f"{PATH}:4: 'text' has no text in 'en'"])


def test_a_link_is_a_full_address_or_a_path_on_the_site():
    text = ONE.replace("/nyheter/", "javascript:alert(1)")
    assert run(text) == (
        (),
        [
            f"{PATH}:8: 'link.sv' is 'javascript:alert(1)': write a full address starting with https://, "
            "or a path on this site starting with / (such as /nyheter/)"
        ],
    )


def test_a_start_without_a_time_zone_is_refused():
    schedule, problems = run(entry(start="2026-11-18T08:00"))
    assert schedule == ()
    assert problems == [
        f"{PATH}:2: 'start' is '2026-11-18T08:00', with no time zone: add one, such as 2026-12-01T08:00+01:00 "
        "(+01:00 in Swedish winter time, +02:00 in summer time)"
    ]


def test_the_file_is_a_list_of_alerts():
    assert run("level: warning\n") == ((), [f"{PATH}:1: 'alerts' should be a list, not a mapping (key: value)"])


@pytest.mark.parametrize("end", ["2026-11-18T08:00+01:00", "2026-11-18T07:00Z", "2026-11-18T07:59+01:00"])
def test_an_alert_that_ends_when_or_before_it_starts_is_an_error_at_its_end_and_the_others_are_kept(end):
    schedule, problems = run(entry(sv="Först.") + entry(end=end) + entry(sv="Sist."))
    assert [a.text["sv"] for a in schedule] == ["Först.", "Sist."]
    assert problems == [
        f"{PATH}:7: the alert ends ({dt.datetime.fromisoformat(end.replace('Z', '+00:00')).isoformat()}) "
        "before it starts (2026-11-18T08:00:00+01:00); the end comes after the start"
    ]


def test_an_alert_may_end_a_moment_after_it_starts():
    schedule, problems = run(entry(end="2026-11-18T07:00:01Z"))
    assert problems == [] and len(schedule) == 1


def test_the_same_alert_twice_is_an_error_at_the_second_naming_the_first_and_the_others_are_kept():
    # The same start (written in another zone: the same instant) and the same text.
    text = entry() + entry(sv="Annat.") + entry(start="2026-11-18T07:00Z", level="information") + entry(sv="Sist.")
    schedule, problems = run(text)
    assert [a.text["sv"] for a in schedule] == ["Koka vattnet.", "Annat.", "Sist."]
    assert problems == [f"{PATH}:9: this alert is the same as the one at line 1 (same start and text); remove one"]


def test_a_corrected_text_or_another_start_is_another_alert():
    text = entry() + entry(sv="Koka vattnet!") + entry(start="2026-11-18T08:00+02:00")
    schedule, problems = run(text)
    assert problems == [] and len(schedule) == 3


# --- the alert's id (its Atom entry) ---------------------------------------------------------------


def test_the_id_is_the_start_in_utc_and_a_digest_of_the_texts_and_stays_the_same_from_release_to_release():
    # Feed readers know an entry by its id: a new id shows an old alert again as new.
    assert alert().id == "alert-20261118T070000Z-a33040b22f0b"


def test_the_id_is_the_same_whatever_the_time_zone_of_the_machine_that_builds(machine_in_another_zone):
    assert dt.datetime(2026, 11, 18, 12).astimezone().utcoffset() == dt.timedelta(hours=5)  # the zone took
    assert alert().id == "alert-20261118T070000Z-a33040b22f0b"


def test_the_id_is_the_same_for_the_same_instant_in_another_zone_and_any_order_of_the_languages():
    same = Alert("information", {"en": "Boil the water.", "sv": "Koka vattnet."}, None, START.astimezone(UTC), END, 9)
    assert same.id == alert().id


def test_the_id_changes_with_any_text_and_with_the_start():
    ids = {
        alert().id,
        alert(text="Koka vattnet!").id,
        Alert("warning", {"sv": "Koka vattnet.", "en": "Boil the water!"}, None, START, END, 1).id,
        alert(start=START + dt.timedelta(seconds=1)).id,
    }
    assert len(ids) == 4


def test_the_id_tells_which_language_a_text_is_in():
    swapped = Alert("warning", {"sv": "Boil the water.", "en": "Koka vattnet."}, None, START, END, 1)
    joined = Alert("warning", {"sv": "Koka vattnet.\nen:Boil the water."}, None, START, END, 1)
    assert len({alert().id, swapped.id}) == 2
    assert joined.id != alert().id


# --- which alerts a build shows at its moment --------------------------------------------------------


def test_an_alert_is_shown_from_its_start_inclusive_until_its_end_exclusive():
    schedule = (alert(),)
    assert alerts.shown(schedule, START - TICK, False) == ()
    assert alerts.shown(schedule, START, False) == schedule
    assert alerts.shown(schedule, END - TICK, False) == schedule
    assert alerts.shown(schedule, END, False) == ()


def test_times_in_another_zone_are_compared_as_instants():
    schedule = (alert(),)  # 08:00+01:00 is 07:00 UTC
    assert alerts.shown(schedule, dt.datetime(2026, 11, 18, 7, 0, tzinfo=UTC), False) == schedule
    assert alerts.shown(schedule, dt.datetime(2026, 11, 18, 6, 59, 59, tzinfo=UTC), False) == ()
    assert alerts.shown(schedule, dt.datetime(2026, 11, 19, 16, 59, 59, tzinfo=UTC), False) == schedule
    assert alerts.shown(schedule, dt.datetime(2026, 11, 19, 17, 0, tzinfo=UTC), False) == ()


def test_a_preview_also_shows_the_alerts_to_come_marked_as_such_but_never_the_ended_ones():
    coming = alert(start=START + dt.timedelta(days=2), end=END + dt.timedelta(days=3), text="Sedan.")
    ended = alert(start=START - dt.timedelta(days=3), end=START - dt.timedelta(days=2), text="Förr.")
    schedule = (coming, alert(), ended)
    assert alerts.shown(schedule, START, True) == (alert(), Alert(**{**vars(coming), "scheduled": True}))
    assert alerts.shown(schedule, START, False) == (alert(),)


def test_an_alert_to_come_is_shown_as_to_come_until_its_start():
    coming = (alert(),)
    assert texts(alerts.shown(coming, START - TICK, True)) == [("Koka vattnet.", True)]
    assert texts(alerts.shown(coming, START, True)) == [("Koka vattnet.", False)]
    assert texts(alerts.shown(coming, END, True)) == []


def test_warnings_come_first_then_the_earliest_start_and_the_alerts_to_come_last():
    early = START - dt.timedelta(hours=3)
    schedule = (
        alert(start=START + dt.timedelta(days=3), level="warning", text="Kommande varning."),
        alert(start=START + dt.timedelta(days=2), level="information", text="Kommande info."),
        alert(start=START + dt.timedelta(days=1), level="information", text="Kommande info, tidig."),
        alert(start=START, level="information", text="Info."),
        alert(start=START - dt.timedelta(hours=1), level="warning", text="Varning."),
        alert(start=early, level="warning", text="Tidig varning."),
    )
    assert [a.text["sv"] for a in alerts.shown(schedule, START, True)] == [
        "Tidig varning.",
        "Varning.",
        "Info.",
        "Kommande varning.",
        "Kommande info, tidig.",
        "Kommande info.",
    ]


def test_the_earliest_start_is_the_earliest_instant_whatever_the_zone_it_is_written_in():
    # 07:30+01:00 is 06:30 UTC, before 06:45 UTC although its clock time is later.
    cet = alert(start=dt.datetime(2026, 11, 18, 7, 30, tzinfo=CET), text="CET.")
    utc = alert(start=dt.datetime(2026, 11, 18, 6, 45, tzinfo=UTC), text="UTC.")
    assert [a.text["sv"] for a in alerts.shown((utc, cet), START, False)] == ["CET.", "UTC."]


def test_alerts_of_one_level_and_start_keep_the_file_order():
    schedule = (alert(text="B."), alert(text="A."), alert(text="C."))
    assert [a.text["sv"] for a in alerts.shown(schedule, START, False)] == ["B.", "A.", "C."]


# --- check: alerts that have ended ---------------------------------------------------------------


def test_check_warns_about_an_alert_that_has_ended_at_its_line_and_not_about_the_others():
    schedule = (
        alert(start=START - dt.timedelta(days=3), end=START, line=1),
        alert(line=5),
        alert(start=START + dt.timedelta(days=1), end=END + dt.timedelta(days=1), line=9),
        alert(start=START - dt.timedelta(days=3), end=START - dt.timedelta(days=2), line=13),
    )
    problems = Problems()
    alerts.warn_ended(schedule, START, problems)
    assert [str(p) for p in problems.items] == [
        f"{PATH}:1: warning: this alert ended 2026-11-18T08:00:00+01:00 and is no longer shown; remove it from the file",
        f"{PATH}:13: warning: this alert ended 2026-11-16T08:00:00+01:00 and is no longer shown; remove it from the file",
    ]
    assert problems.errors == []


def test_check_does_not_warn_about_an_alert_still_shown_for_a_moment():
    problems = Problems()
    alerts.warn_ended((alert(),), END - TICK, problems)
    assert problems.items == []
