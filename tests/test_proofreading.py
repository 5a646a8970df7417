"""check finds what a proofreader would (issue #13, item 5): every wrong value in one run."""

from __future__ import annotations

import re

from conftest import run_build

NEWS = "content/news/2020-01-10-enheten-vaxer.sv.md"


def _edit(root, path, old, new):
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_every_wrong_municipality_in_a_list_is_reported_at_once_with_the_valid_ids(tiny):
    _edit(tiny, NEWS, "municipalities: [odeshog]", "municipalities: [mjölby, boxhom]")
    result = run_build(tiny, "check")
    assert result.returncode == 1
    assert f"{NEWS}:6: unknown municipality 'mjölby' (known: mjolby, odeshog)" in result.stderr
    assert f"{NEWS}:6: unknown municipality 'boxhom' (known: mjolby, odeshog)" in result.stderr


def test_wrong_ids_on_their_own_lines_and_another_wrong_key_come_together(tiny):
    _edit(tiny, NEWS, "municipalities: [odeshog]", "municipalities:\n  - odeshog\n  - Boxholm\n  - mjölby")
    _edit(tiny, NEWS, "date: 2020-01-10", "date: 2019-02-30")
    result = run_build(tiny, "check")
    assert result.returncode == 1
    assert f"{NEWS}:4: 'date' is '2019-02-30', which is not a real date" in result.stderr
    assert f"{NEWS}:8: unknown municipality 'Boxholm' (known: mjolby, odeshog)" in result.stderr
    assert f"{NEWS}:9: unknown municipality 'mjölby' (known: mjolby, odeshog)" in result.stderr


def test_readability_scores_are_listed_for_both_languages(tiny):
    result = run_build(tiny, "check", "--readability")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "LIX  words  sentences  file"
    files = [line.split()[-1] for line in lines[1:] if line.endswith(".md")]
    assert "content/pages/lattlast.sv.md" in files and "content/pages/om.en.md" in files
    assert "warning: LIX" not in result.stderr  # the tiny site's text is within its thresholds


def test_a_page_above_the_threshold_gets_a_warning_with_its_score_and_longest_sentence(tiny):
    _edit(tiny, "data/site.yaml", "  warn_above: 55\n", "  warn_above: 45\n")
    with open(tiny / NEWS, "a", encoding="utf-8") as news:
        news.write(
            "\nSamverkansöverenskommelsen förändrar beredskapsplaneringen, informationssäkerhetsarbetet "
            "och krisstödsorganisationen i kommunerna.\n"
        )
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    warning = next(
        line for line in result.stderr.splitlines() if line.startswith(f"{NEWS}:") and "warning: LIX" in line
    )
    assert "is above 45 (warn_above in data/site.yaml)" in warning
    assert "The longest sentence has" in warning and "Samverkansöverenskommelsen förändrar" in warning
    assert "content/pages/kontakt.sv.md" not in result.stderr


def test_the_easy_to_read_page_has_the_stricter_threshold(tiny):
    _edit(tiny, "data/site.yaml", "  easy_read_warn_above: 40\n", "  easy_read_warn_above: 30\n")
    result = run_build(tiny, "check", "--strict")
    assert result.returncode == 1
    assert (
        "content/pages/lattlast.sv.md" in result.stderr
        and "is above 30 (easy_read_warn_above in data/site.yaml)" in result.stderr
    )


def test_lix_is_words_per_sentence_plus_the_share_of_long_words():
    from portal.review import readability

    found = readability.score(["Hunden sprang. Katten satt stilla vid fönstret!"])
    # 7 words, 2 sentences, 1 long word (fönstret; six letters, as in stilla, is not long): 3.5 + 100·1/7
    assert found.words == 7 and found.sentences == 2
    assert round(found.lix, 2) == round(7 / 2 + 100 * 1 / 7, 2)
    assert found.longest == "Katten satt stilla vid fönstret!"
    blocks = readability.blocks_of(
        "<nav><p>Meny</p></nav><main><h1>Rubrik</h1><p>Ett <a href=x>två</a> tre.</p><pre>kod</pre></main>"
    )
    assert blocks == ["Rubrik", "Ett två tre."]


def test_wrong_ids_in_data_files_are_told_the_valid_ones(tiny):
    collaboration = (tiny / "data/collaboration.yaml").read_text(encoding="utf-8")
    parties = re.search(r"parties: \[([^\]]*)\]", collaboration)
    assert parties
    _edit(tiny, "data/collaboration.yaml", parties[0], "parties: [mjölby, boxhom]")
    result = run_build(tiny, "check")
    assert result.returncode == 1
    assert "unknown municipality 'mjölby' in the parties (known: mjolby, odeshog)" in result.stderr
    assert "unknown municipality 'boxhom' in the parties (known: mjolby, odeshog)" in result.stderr
