"""check finds what a proofreader would (issue #13, item 5): every wrong value in one run."""
from __future__ import annotations

from conftest import run_build

NEWS = "content/news/2019-09-26-odeshog-ansluter.sv.md"


def _edit(portal, path, old, new):
    file = portal / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_every_wrong_municipality_in_a_list_is_reported_at_once_with_the_valid_ids(portal):
    _edit(portal, NEWS, "municipalities: [odeshog, mjolby]", "municipalities: [mjölby, boxhom]")
    result = run_build(portal, "check")
    assert result.returncode == 1
    assert f"{NEWS}:6: unknown municipality 'mjölby' (known: mjolby, boxholm, odeshog)" in result.stderr
    assert f"{NEWS}:6: unknown municipality 'boxhom' (known: mjolby, boxholm, odeshog)" in result.stderr


def test_wrong_ids_on_their_own_lines_and_another_wrong_key_come_together(portal):
    _edit(portal, NEWS, "municipalities: [odeshog, mjolby]", "municipalities:\n  - odeshog\n  - Boxholm\n  - mjölby")
    _edit(portal, NEWS, "date: 2019-09-26", "date: 2019-02-30")
    result = run_build(portal, "check")
    assert result.returncode == 1
    assert f"{NEWS}:4: 'date' is '2019-02-30', which is not a real date" in result.stderr
    assert f"{NEWS}:8: unknown municipality 'Boxholm' (known: mjolby, boxholm, odeshog)" in result.stderr
    assert f"{NEWS}:9: unknown municipality 'mjölby' (known: mjolby, boxholm, odeshog)" in result.stderr
