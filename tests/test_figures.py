"""Provenance and consistency of the figures: bad data is reported as
`path:line: message` by the real build, and history never invents a number."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import REPO, run_build
from portal import load, model
from portal.problems import Problems

STAFFING = "data/staffing.yaml"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root, rel, needle, nth=1):
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


SECOND_TOTAL = """  - id: total-posts
    label:
      sv: Tjänster på enheten totalt
      en: Posts in the unit in total
    unit: {sv: heltidstjänster, en: full-time posts}
    value: 5.2
    as_of: 2019-09-23
    source: corren-2019-09-26
"""


def test_a_changed_total_without_a_new_as_of_is_flagged(portal):
    edit(portal, STAFFING, "  - id: posts-added-by-agreement\n", SECOND_TOTAL + "  - id: posts-added-by-agreement\n")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, STAFFING, "value: 5.2")
    assert f"{STAFFING}:{line}: figure 'total-posts' changes from 4.7 (line {line_of(portal, STAFFING, 'id: total-posts')}) to 5.2 with the same as_of 2019-09-23" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_as_of_makes_the_same_change_history(portal):
    edit(portal, STAFFING, "  - id: posts-added-by-agreement\n",
         SECOND_TOTAL.replace("2019-09-23\n    source", "2019-09-27\n    source").replace("5.2", "4.7") + "  - id: posts-added-by-agreement\n")
    sources, problems = load.load(portal)
    site = model.build(sources, problems)
    # The derived figure mixes dates now: reported, not guessed.
    assert any("would mix figures of different dates" in p.message for p in problems.errors)
    assert [f.as_of.isoformat() for f in site.figures if f.id == "total-posts"] == ["2019-09-23", "2019-09-27"]


def test_shares_larger_than_the_total_are_an_error(portal):
    edit(portal, STAFFING, "    published: false\n    municipality: mjolby\n", "    value: 3.6\n    municipality: mjolby\n")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, STAFFING, "id: odeshog-posts")
    assert f"{STAFFING}:{line}: the shares of 'total-posts' on 2019-09-23 add up to more than the total: 1.135 (odeshog-posts) + 3.6 (mjolby-posts) > 4.7" in result.stderr


def test_a_share_of_an_unknown_municipality_is_an_error(portal):
    edit(portal, STAFFING, "    municipality: boxholm\n", "    municipality: linkoping\n")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, STAFFING, "municipality: linkoping")
    assert f"{STAFFING}:{line}: unknown municipality 'linkoping' (known: mjolby, boxholm, odeshog)" in result.stderr


def test_a_share_of_a_total_that_has_no_entry_that_day_is_an_error(portal):
    edit(portal, STAFFING, "    share_of: total-posts\n    as_of: 2019-09-23\n", "    share_of: total-posts\n    as_of: 2019-09-20\n")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, STAFFING, "as_of: 2019-09-20") - 1  # reported at its share_of line, just above
    assert (f"{STAFFING}:{line}: figure 'odeshog-posts' is a share of 'total-posts' on 2019-09-20, "
            "but 'total-posts' has no entry for that date") in result.stderr


@pytest.mark.parametrize("bad, message", [
    ("2019-02-30", "'as_of' is '2019-02-30', which is not a real date"),
    ("26/9 2019", "'as_of' should be a date written YYYY-MM-DD, not '26/9 2019'"),
])
def test_dates_must_be_real_dates(portal, bad, message):
    edit(portal, STAFFING, "    as_of: 2019-09-23\n", f"    as_of: {bad}\n")
    result = run_build(portal)
    assert result.returncode == 1
    assert f"{STAFFING}:{line_of(REPO, STAFFING, 'as_of: 2019-09-23')}: {message}" in result.stderr


def test_a_figure_without_provenance_fails(portal):
    edit(portal, STAFFING, "    as_of: 2019-09-23\n    source: corren-2019-09-26\n", "")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, STAFFING, "id: total-posts")
    assert f"{STAFFING}:{line}: 'figures[1]' is missing the required key 'as_of'" in result.stderr
    assert "'figures[1]' is missing the required key 'source'" in result.stderr


def test_agreements_are_listed_oldest_first(portal):
    path = portal / "data/collaboration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + """  - id: older
    parties: [mjolby, boxholm]
    covers: {sv: Test, en: Test}
    date: 2018-01-01
    source: corren-2019-09-26
""", encoding="utf-8")
    result = run_build(portal)
    assert result.returncode == 1
    line = line_of(portal, "data/collaboration.yaml", "date: 2018-01-01")
    assert f"data/collaboration.yaml:{line}: agreement 'older' is dated 2018-01-01, before the agreement above it (2019-09-23)" in result.stderr


def test_history_shows_the_earlier_total_as_not_published():
    """Before Ödeshög joined, no source gives a total: never 4.7 - 1 or 4.7 - 1.135."""
    sources, problems = load.load(REPO)
    site = model.build(sources, problems)
    assert problems.errors == []
    first, second = site.staffing.history
    assert first.agreement.id == "mjolby-boxholm" and first.served == ("mjolby", "boxholm") and first.total is None
    assert second.served == ("mjolby", "boxholm", "odeshog") and second.total.value == Decimal("4.7")


def test_funding_split_keeps_the_unsplit_part_as_one_part():
    sources, problems = load.load(REPO)
    site = model.build(sources, problems)
    (split,) = site.staffing.splits
    known, rest = split.segments
    assert known.municipalities == ("odeshog",) and known.value == Decimal("1.135") and known.known
    assert rest.municipalities == ("mjolby", "boxholm") and rest.value == Decimal("3.565") and not rest.known
    assert sum(s.value for s in split.segments) == split.total.value
