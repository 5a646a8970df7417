"""Provenance and consistency of the figures: bad data is reported as
`path:line: message` by the real build, and history never invents a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import run_build
from portal.load import sources as load
from portal.model import site as model

STAFFING = "data/staffing.yaml"

# The tiny site's figures (tests/fixtures/tiny): a total of 5 on 2020-01-10, Ödeshög's
# share of 2 and Mjölby's unpublished share. Each test writes its own variant of it.
TOTAL = """  - id: total-posts
    label: {sv: Tjänster totalt, en: Posts in total}
    unit: {sv: heltidstjänster, en: full-time posts}
    value: 5
    as_of: 2020-01-10
    source: mjolby-news
"""
ODESHOG = """  - id: odeshog-posts
    label: {sv: Betalas av Ödeshög, en: Paid for by Ödeshög}
    unit: {sv: heltidstjänster, en: full-time posts}
    value: 2
    municipality: odeshog
    share_of: total-posts
    as_of: 2020-01-10
    source: mjolby-news
"""
MJOLBY = """  - id: mjolby-posts
    label: {sv: Betalas av Mjölby, en: Paid for by Mjölby}
    unit: {sv: heltidstjänster, en: full-time posts}
    published: false
    municipality: mjolby
    share_of: total-posts
    as_of: 2020-01-10
    source: mjolby-news
"""
BOXHOLM = (
    MJOLBY.replace("id: mjolby-", "id: boxholm-")
    .replace("municipality: mjolby", "municipality: boxholm")
    .replace("Mjölby", "Boxholm")
)
DERIVED = """derived:
  - id: posts-not-paid-by-odeshog
    label: {sv: Inte betalat av Ödeshög, en: Not paid for by Ödeshög}
    unit: {sv: heltidstjänster, en: full-time posts}
    total: total-posts
    minus: [odeshog-posts]
"""


def write_staffing(root, *figures, derived=DERIVED):
    (root / STAFFING).write_text("figures:\n" + "".join(figures) + derived, encoding="utf-8")


def line_of(root, rel, needle, nth=1):
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


SECOND_TOTAL = TOTAL.replace("value: 5", "value: 5.2")


def test_a_changed_total_without_a_new_as_of_is_flagged(tiny):
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY, SECOND_TOTAL)
    result = run_build(tiny)
    assert result.returncode == 1
    line = line_of(tiny, STAFFING, "value: 5.2")
    assert line == 27
    assert (
        f"{STAFFING}:{line}: figure 'total-posts' changes from 5 (line 2) to 5.2 with the same as_of 2020-01-10"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_new_as_of_makes_the_same_change_history(tiny):
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY, TOTAL.replace("2020-01-10", "2020-01-14"))
    sources, problems = load.load(tiny)
    site = model.build(sources, problems)
    # The derived figure mixes dates now: reported, not guessed.
    assert any("would mix figures of different dates" in p.message for p in problems.errors)
    assert [f.as_of.isoformat() for f in site.staffing.figures if f.id == "total-posts"] == ["2020-01-10", "2020-01-14"]


def test_shares_larger_than_the_total_are_an_error(tiny):
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY.replace("published: false", "value: 3.6"))
    result = run_build(tiny)
    assert result.returncode == 1
    line = line_of(tiny, STAFFING, "id: odeshog-posts")
    assert line == 8
    assert (
        f"{STAFFING}:{line}: the shares of 'total-posts' on 2020-01-10 add up to more than the total: 2 (odeshog-posts) + 3.6 (mjolby-posts) > 5"
        in result.stderr
    )


def test_a_share_of_an_unknown_municipality_is_an_error(tiny):
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY.replace("municipality: mjolby", "municipality: linkoping"))
    result = run_build(tiny)
    assert result.returncode == 1
    line = line_of(tiny, STAFFING, "municipality: linkoping")
    assert line == 20
    assert f"{STAFFING}:{line}: unknown municipality 'linkoping' (known: mjolby, odeshog)" in result.stderr


def test_a_share_of_a_total_that_has_no_entry_that_day_is_an_error(tiny):
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY.replace("2020-01-10", "2020-01-07"))
    result = run_build(tiny)
    assert result.returncode == 1
    assert "is a share of 'total-posts' on 2020-01-07, but 'total-posts' has no entry for that date" in result.stderr


@pytest.mark.parametrize(
    "bad, message",
    [
        ("2019-02-30", "'as_of' is '2019-02-30', which is not a real date"),
        ("26/9 2019", "'as_of' should be a date written YYYY-MM-DD, not '26/9 2019'"),
    ],
)
def test_dates_must_be_real_dates(tiny, bad, message):
    write_staffing(tiny, TOTAL.replace("2020-01-10", bad), ODESHOG, MJOLBY)
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"{STAFFING}:6: {message}" in result.stderr


def test_a_figure_without_provenance_fails(tiny):
    write_staffing(tiny, TOTAL.replace("    as_of: 2020-01-10\n    source: mjolby-news\n", ""), ODESHOG, MJOLBY)
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"{STAFFING}:2: 'figures[1]' is missing the required key 'as_of'" in result.stderr
    assert "'figures[1]' is missing the required key 'source'" in result.stderr


def test_agreements_are_listed_oldest_first(tiny):
    path = tiny / "data/collaboration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text
        + """  - id: older
    parties: [mjolby, odeshog]
    covers: {sv: Test, en: Test}
    date: 2018-01-01
    source: mjolby-news
""",
        encoding="utf-8",
    )
    result = run_build(tiny)
    assert result.returncode == 1
    line = line_of(tiny, "data/collaboration.yaml", "date: 2018-01-01")
    assert (
        f"data/collaboration.yaml:{line}: agreement 'older' is dated 2018-01-01, before the agreement above it (2020-01-10)"
        in result.stderr
    )


# Two agreements: an undated one between Mjölby and Boxholm, then the dated one that
# brings in Ödeshog, the day the only total applies from.
COLLABORATION = """unit:
  name: {sv: Enheten, en: The unit}
  host: mjolby
municipalities:
  - {id: mjolby, name: {sv: Mjölby kommun, en: Mjölby Municipality}, role: host}
  - {id: boxholm, name: {sv: Boxholms kommun, en: Boxholm Municipality}, role: partner}
  - {id: odeshog, name: {sv: Ödeshögs kommun, en: Ödeshög Municipality}, role: partner}
agreements:
  - id: mjolby-boxholm
    parties: [mjolby, boxholm]
    covers: {sv: Ett äldre avtal., en: An older agreement.}
    source: mjolby-news
  - id: mjolby-odeshog
    parties: [mjolby, odeshog]
    covers: {sv: Ödeshög ansluter., en: Ödeshög joins.}
    date: 2020-01-10
    source: mjolby-news
"""


def test_history_shows_the_earlier_total_as_not_published(tiny):
    """Before Ödeshög joined, no source gives a total: never 5 - 2, nor 5 of the later one."""
    (tiny / "data/collaboration.yaml").write_text(COLLABORATION, encoding="utf-8")
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY, BOXHOLM)
    sources, problems = load.load(tiny)
    site = model.build(sources, problems)
    assert problems.errors == []
    first, second = site.staffing.history
    assert first.agreement.id == "mjolby-boxholm" and first.served == ("mjolby", "boxholm") and first.total is None
    assert second.served == ("mjolby", "boxholm", "odeshog") and second.total.value == Decimal("5")


def test_funding_split_keeps_the_unsplit_part_as_one_part(tiny):
    (tiny / "data/collaboration.yaml").write_text(COLLABORATION, encoding="utf-8")
    write_staffing(tiny, TOTAL, ODESHOG, MJOLBY, BOXHOLM)
    sources, problems = load.load(tiny)
    site = model.build(sources, problems)
    assert problems.errors == []
    (split,) = site.staffing.splits
    known, rest = split.segments
    assert known.municipalities == ("odeshog",) and known.value == Decimal("2") and known.known
    assert rest.municipalities == ("mjolby", "boxholm") and rest.value == Decimal("3") and not rest.known
    assert sum(s.value for s in split.segments) == split.total.value
