"""Every rule of the staffing figures (portal/figures.py), one small test each.

Each test gives figures.build a few lines of data/staffing.yaml (parsed in memory, no
build) and asserts the exact `path:line: message`. One figure per line where the line
of the entry is what matters; a block mapping where the line of one key is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.load import sources as load
from portal.load import yamlnodes
from portal.model import figures
from portal.problems import Problems

PATH = "data/staffing.yaml"
SOURCE = SimpleNamespace(id="src")
OTHER_SOURCE = SimpleNamespace(id="other")
MUNICIPALITIES = ("mjolby", "boxholm", "odeshog")


def F(fid, value="4.7", as_of="2019-09-26", **more):
    """One figure as a one-line flow mapping; value=None leaves the key out."""
    fields = {"id": fid, "label": "{sv: L, en: L}", "unit": "{sv: u, en: u}", "as_of": as_of, "source": "src"}
    if value is not None:
        fields["value"] = value
    fields.update(more)
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}\n"


def D(did, total="total", minus="[part]"):
    return f"  - {{id: {did}, label: {{sv: L, en: L}}, unit: {{sv: u, en: u}}, total: {total}, minus: {minus}}}\n"


def agreement(parties, date):
    return SimpleNamespace(parties=tuple(parties), date=date)


def run(text, municipalities=MUNICIPALITIES, agreements=(), collaboration=True):
    problems = Problems()
    sources = load.Sources(root=Path("."), data={"staffing": (PATH, yamlnodes.parse(text))})
    collab = (
        SimpleNamespace(municipalities=[SimpleNamespace(id=m) for m in municipalities], agreements=list(agreements))
        if collaboration
        else None
    )
    staffing = figures.build(sources, ("sv", "en"), {"src": SOURCE, "other": OTHER_SOURCE}, collab, problems)
    return staffing, [str(p) for p in problems.items]


def errors(text, **kw):
    return run(text, **kw)[1]


# --- each figure --------------------------------------------------------------------------


def test_a_good_figure_is_read_with_its_provenance():
    staffing, problems = run("figures:\n" + F("total"))
    assert problems == []
    (fig,) = staffing.figures
    assert fig == figures.Figure(
        "total",
        {"sv": "L", "en": "L"},
        {"sv": "u", "en": "u"},
        Decimal("4.7"),
        dt.date(2019, 9, 26),
        SOURCE,
        None,
        None,
        None,
    )
    assert staffing.current == (fig,) and staffing.figure("total") is fig


def test_a_published_figure_needs_a_value():
    assert errors("figures:\n" + F("a") + F("total", value=None)) == [
        f"{PATH}:3: figure 'total' has no value; give one, or write 'published: false' if no source gives it"
    ]


def test_an_unpublished_figure_needs_no_value_and_has_none():
    staffing, problems = run("figures:\n" + F("total", value=None, published="false"))
    assert problems == [] and staffing.figures[0].value is None


def test_published_false_with_a_value_is_an_error_at_the_value():
    text = (
        "figures:\n  - id: total\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n"
        "    published: false\n    value: 4.7\n    as_of: 2019-09-26\n    source: src\n"
    )
    staffing, problems = run(text)
    assert problems == [f"{PATH}:6: figure 'total' says 'published: false' but has a value"]
    assert staffing.figures[0].value is None  # never shown, even so


def test_published_true_is_the_same_as_no_published_key():
    staffing, problems = run("figures:\n" + F("total", published="true"))
    assert problems == [] and staffing.figures[0].value == Decimal("4.7")


def test_an_unknown_municipality_is_an_error_at_its_line():
    text = (
        "figures:\n  - id: part\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 1\n"
        "    municipality: linkoping\n    as_of: 2019-09-26\n    source: src\n"
    )
    assert errors(text) == [f"{PATH}:6: unknown municipality 'linkoping' (known: mjolby, boxholm, odeshog)"]


def test_a_known_municipality_is_kept():
    staffing, problems = run("figures:\n" + F("part", municipality="boxholm"))
    assert problems == [] and staffing.figures[0].municipality == "boxholm"


def test_without_a_collaboration_file_municipalities_are_not_checked():
    assert errors("figures:\n" + F("part", municipality="linkoping"), collaboration=False) == []


def test_a_share_without_a_municipality_is_an_error_at_the_share():
    text = (
        "figures:\n" + F("total") + "  - id: part\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 1\n"
        "    share_of: total\n    as_of: 2019-09-26\n    source: src\n"
    )
    assert errors(text) == [f"{PATH}:7: figure 'part' is a share of 'total' but names no municipality that pays it"]


def test_an_unknown_source_is_an_error_at_its_line():
    text = "figures:\n  - id: total\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 1\n    as_of: 2019-09-26\n    source: other\n"
    assert errors(text.replace("source: other", "source: third")) == [
        f"{PATH}:7: unknown source 'third' (data/sources.yaml has: other, src)"
    ]


def test_an_unknown_source_when_there_are_none():
    problems = Problems()
    sources = load.Sources(root=Path("."), data={"staffing": (PATH, yamlnodes.parse("figures:\n" + F("total")))})
    figures.build(sources, ("sv", "en"), {}, None, problems)
    assert [str(p) for p in problems.items] == [f"{PATH}:2: unknown source 'src' (data/sources.yaml has: none)"]


def test_a_figure_list_is_needed():
    assert errors("figures: []\n") == [f"{PATH}:1: 'figures' needs at least 1 item(s)"]


def test_a_shape_error_gives_no_figures():
    staffing, problems = run("figures:\n" + F("total", value="'4,7'"))
    assert staffing is figures.EMPTY and problems == [
        f"{PATH}:2: 'value' should be a number, not '4,7' (write decimals with a point: 4.7)"
    ]


def test_a_missing_file_is_reported_with_its_purpose():
    problems = Problems()
    staffing = figures.build(load.Sources(root=Path(".")), ("sv", "en"), {}, None, problems)
    assert staffing is figures.EMPTY
    assert [str(p) for p in problems.items] == ["data/staffing.yaml: is missing: it holds the staffing figures"]


# --- one value per date -------------------------------------------------------------------------


def test_a_changed_value_needs_a_new_date():
    assert errors("figures:\n" + F("total") + F("a") + F("total", value="5.2")) == [
        f"{PATH}:4: figure 'total' changes from 4.7 (line 2) to 5.2 with the same as_of 2019-09-26; a changed figure needs a new as_of date"
    ]


def test_a_value_that_becomes_unpublished_on_the_same_date():
    assert errors("figures:\n" + F("total") + F("total", value=None, published="false")) == [
        f"{PATH}:3: figure 'total' changes from 4.7 (line 2) to not published with the same as_of 2019-09-26; a changed figure needs a new as_of date"
    ]


def test_an_unpublished_value_that_becomes_published_is_reported_at_the_value():
    text = (
        "figures:\n"
        + F("total", value=None, published="false")
        + "  - id: total\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 4.7\n    as_of: 2019-09-26\n    source: src\n"
    )
    assert errors(text) == [
        f"{PATH}:6: figure 'total' changes from not published (line 2) to 4.7 with the same as_of 2019-09-26; a changed figure needs a new as_of date"
    ]


def test_the_same_figure_twice_is_reported():
    assert errors("figures:\n" + F("total") + F("total")) == [
        f"{PATH}:3: figure 'total' for 2019-09-26 is given twice (first at line 2)"
    ]


def test_a_new_date_makes_history_and_the_latest_is_current():
    staffing, problems = run("figures:\n" + F("total", as_of="2020-01-01", value="5") + F("total") + F("other"))
    assert problems == []
    assert [f.value for f in staffing.figures] == [Decimal(5), Decimal("4.7"), Decimal("4.7")]
    assert [(f.id, f.as_of.year) for f in staffing.current] == [("total", 2020), ("other", 2019)]


# --- shares of a total ---------------------------------------------------------------------------


def test_a_share_of_a_total_without_an_entry_that_day():
    text = (
        "figures:\n" + F("total") + "  - id: part\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 1\n"
        "    municipality: odeshog\n    share_of: total\n    as_of: 2019-09-20\n    source: src\n"
    )
    assert errors(text) == [
        f"{PATH}:8: figure 'part' is a share of 'total' on 2019-09-20, but 'total' has no entry for that date"
    ]


def test_every_group_of_shares_is_checked():
    text = (
        "figures:\n"
        + F("total")
        + F("a", value="1", municipality="odeshog", share_of="total", as_of="2019-09-20")
        + F("b", value="9", municipality="odeshog", share_of="total")
    )
    assert errors(text) == [
        f"{PATH}:3: figure 'a' is a share of 'total' on 2019-09-20, but 'total' has no entry for that date",
        f"{PATH}:4: the shares of 'total' on 2019-09-26 add up to more than the total: 9 (b) > 4.7",
    ]


def test_shares_above_the_total_are_an_error_at_the_first_share():
    text = (
        "figures:\n"
        + F("total")
        + F("a", value="1.135", municipality="odeshog", share_of="total")
        + F("b", value="3.6", municipality="mjolby", share_of="total")
    )
    assert errors(text) == [
        f"{PATH}:3: the shares of 'total' on 2019-09-26 add up to more than the total: 1.135 (a) + 3.6 (b) > 4.7"
    ]


def test_shares_exactly_equal_to_the_total_are_fine():
    text = (
        "figures:\n"
        + F("total")
        + F("a", value="1.1", municipality="odeshog", share_of="total")
        + F("b", value="3.6", municipality="mjolby", share_of="total")
    )
    assert errors(text) == []


def test_unpublished_shares_are_not_added():
    text = (
        "figures:\n"
        + F("total", value="1")
        + F("a", value="1", municipality="odeshog", share_of="total")
        + F("b", value=None, published="false", municipality="mjolby", share_of="total")
    )
    assert errors(text) == []


def test_shares_of_an_unpublished_total_are_not_compared():
    text = (
        "figures:\n"
        + F("total", value=None, published="false")
        + F("a", value="9", municipality="odeshog", share_of="total")
    )
    assert errors(text) == []


def test_two_shares_for_one_municipality_are_reported_once_at_the_first():
    share = (
        "  - id: %s\n    label: {sv: L, en: L}\n    unit: {sv: u, en: u}\n    value: 1\n    municipality: odeshog\n"
        "    share_of: %s\n    as_of: 2019-09-26\n    source: src\n"
    )
    text = (
        "figures:\n"
        + F("total")
        + F("other")
        + share % ("a", "total")
        + share % ("b", "total")
        + share % ("c", "other")
        + share % ("d", "other")
    )
    assert errors(text) == [
        f"{PATH}:8: 'odeshog' has more than one share of 'total' on 2019-09-26",
        f"{PATH}:24: 'odeshog' has more than one share of 'other' on 2019-09-26",
    ]


def test_the_split_keeps_the_unsplit_part_as_one_part():
    text = (
        "figures:\n"
        + F("total")
        + F("a", value="1.135", municipality="odeshog", share_of="total")
        + F("b", value=None, published="false", municipality="mjolby", share_of="total")
        + F("c", value=None, published="false", municipality="boxholm", share_of="total")
    )
    staffing, problems = run(text)
    assert problems == []
    (split,) = staffing.splits
    assert split.total.id == "total"
    assert [(s.municipalities, s.value, s.known, s.figure and s.figure.id) for s in split.segments] == [
        (("odeshog",), Decimal("1.135"), True, "a"),
        (("mjolby", "boxholm"), Decimal("3.565"), False, None),
    ]


def test_a_remainder_below_one_post_is_still_a_part():
    text = (
        "figures:\n"
        + F("total", value="1")
        + F("a", value="0.5", municipality="odeshog", share_of="total")
        + F("b", value=None, published="false", municipality="mjolby", share_of="total")
    )
    (split,) = run(text)[0].splits
    assert [(s.municipalities, s.value) for s in split.segments] == [
        (("odeshog",), Decimal("0.5")),
        (("mjolby",), Decimal("0.5")),
    ]


def test_a_split_that_is_fully_known_has_no_remainder():
    text = (
        "figures:\n"
        + F("total", value="2")
        + F("a", value="1", municipality="odeshog", share_of="total")
        + F("b", value="1", municipality="mjolby", share_of="total")
    )
    (split,) = run(text)[0].splits
    assert [s.municipalities for s in split.segments] == [("odeshog",), ("mjolby",)]


def test_a_split_of_an_unpublished_total_shows_only_the_known_shares():
    text = (
        "figures:\n"
        + F("total", value=None, published="false")
        + F("a", value="1", municipality="odeshog", share_of="total")
    )
    (split,) = run(text)[0].splits
    assert [(s.municipalities, s.known) for s in split.segments] == [(("odeshog",), True)]


def test_a_split_uses_only_the_shares_of_the_totals_date():
    text = (
        "figures:\n"
        + F("total", as_of="2019-01-01")
        + F("a", value="1", municipality="odeshog", share_of="total", as_of="2019-01-01")
        + F("total", value="5")
        + F("a", value="2", municipality="odeshog", share_of="total")
    )
    (split,) = run(text)[0].splits
    assert split.total.value == Decimal(5) and [s.value for s in split.segments] == [Decimal(2), Decimal(3)]


def test_no_shares_no_split():
    assert run("figures:\n" + F("total"))[0].splits == ()


# --- derived figures ----------------------------------------------------------------------------

PARTS = "figures:\n" + F("total") + F("part", value="1.135")


def test_a_derived_figure_is_the_total_minus_its_parts():
    staffing, problems = run(PARTS + F("more", value="0.5") + "derived:\n" + D("rest", minus="[part, more]"))
    assert problems == []
    rest = staffing.figure("rest")
    assert rest.value == Decimal("3.065") and rest.derived == ("total", ("part", "more"))
    assert rest.label == {"sv": "L", "en": "L"} and rest.unit == {"sv": "u", "en": "u"}
    assert rest.as_of == dt.date(2019, 9, 26) and rest.source is SOURCE and rest.municipality is None
    assert staffing.figures[-1] is rest


def test_a_derived_figure_has_the_totals_source():
    staffing, problems = run("figures:\n" + F("total") + F("part", source="other") + "derived:\n" + D("rest"))
    assert problems == [] and staffing.figure("rest").source is SOURCE


def test_a_derived_figure_subtracts_at_least_one_part():
    assert errors(PARTS + "derived:\n" + D("rest", minus="[]")) == [f"{PATH}:5: 'minus' needs at least 1 item(s)"]


def test_a_derived_figure_of_exactly_zero_is_fine():
    staffing, problems = run("figures:\n" + F("total") + F("part") + "derived:\n" + D("rest"))
    assert problems == [] and staffing.figure("rest").value == Decimal(0)


def test_a_negative_derived_figure_is_an_error():
    assert errors("figures:\n" + F("total") + F("part", value="4.8") + "derived:\n" + D("rest")) == [
        f"{PATH}:5: derived figure 'rest' comes out negative (-0.1): the parts exceed the total"
    ]


def test_a_derived_figure_of_unknown_figures():
    assert errors(PARTS + "derived:\n" + D("rest", total="all", minus="[part, nope]")) == [
        f"{PATH}:5: derived figure 'rest' refers to unknown figure(s): all, nope"
    ]


def test_a_derived_figure_of_an_unpublished_figure():
    assert errors("figures:\n" + F("total") + F("part", value=None, published="false") + "derived:\n" + D("rest")) == [
        f"{PATH}:5: derived figure 'rest' is computed from a figure that is not published"
    ]


def test_a_derived_figure_never_mixes_dates():
    assert errors("figures:\n" + F("total") + F("part", value="1", as_of="2019-01-01") + "derived:\n" + D("rest")) == [
        f"{PATH}:5: derived figure 'rest' would mix figures of different dates (2019-01-01, 2019-09-26)"
    ]


def test_a_derived_figure_uses_the_latest_entries():
    text = (
        "figures:\n"
        + F("total", as_of="2019-01-01", value="9")
        + F("total")
        + F("part", value="1")
        + "derived:\n"
        + D("rest")
    )
    staffing, problems = run(text)
    assert problems == [] and staffing.figure("rest").value == Decimal("3.7")


@pytest.mark.parametrize(
    "figs, bad",
    [
        (F("total") + F("part"), D("bad", minus="[nope]")),
        (F("total") + F("part") + F("np", value=None, published="false"), D("bad", minus="[np]")),
        (F("total") + F("part") + F("old", as_of="2019-01-01"), D("bad", minus="[old]")),
        (F("total") + F("part") + F("big", value="9"), D("bad", minus="[big]")),
    ],
)
def test_an_invalid_derived_figure_is_left_out_and_the_next_is_still_made(figs, bad):
    staffing, problems = run("figures:\n" + figs + "derived:\n" + bad + D("ok"))
    assert len(problems) == 1 and [f.id for f in staffing.figures if f.derived] == ["ok"]


def test_the_whole_file_is_called_staffing():
    assert errors("figures:\n" + F("total") + "extra: 1\n") == [
        f"{PATH}:3: unknown key 'extra' in 'staffing' (known keys: figures, derived)"
    ]


# --- history --------------------------------------------------------------------------------------

SHARED = "figures:\n" + F("total") + F("a", value="1", municipality="odeshog", share_of="total")
FIRST = agreement(["mjolby", "boxholm"], dt.date(2018, 1, 1))
SECOND = agreement(["mjolby", "odeshog"], dt.date(2019, 9, 26))


def test_history_has_one_row_per_agreement_and_whom_it_served():
    staffing, problems = run(SHARED, agreements=[FIRST, SECOND])
    assert problems == []
    assert [(p.agreement, p.served) for p in staffing.history] == [
        (FIRST, ("mjolby", "boxholm")),
        (SECOND, ("mjolby", "boxholm", "odeshog")),
    ]


def test_a_later_total_is_never_shown_for_an_earlier_period():
    first, second = run(SHARED, agreements=[FIRST, SECOND])[0].history
    assert first.total is None and second.total.value == Decimal("4.7")


def test_an_undated_agreement_shows_no_total():
    (period,) = run(SHARED, agreements=[agreement(["mjolby"], None)])[0].history
    assert period.total is None


def test_no_history_without_a_split_total_or_without_a_collaboration():
    assert run("figures:\n" + F("total"), agreements=[SECOND])[0].history == ()
    assert run(SHARED, collaboration=False)[0].history == ()


def test_no_history_when_two_totals_are_split():
    text = SHARED + F("other") + F("b", value="1", municipality="odeshog", share_of="other")
    assert run(text, agreements=[SECOND])[0].history == ()
