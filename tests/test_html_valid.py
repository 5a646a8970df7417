"""Every page of the built portal passes the Nu Html Checker (npm vnu-jar) with zero errors.

The checker runs once, with the machine's Java, over a copy of the whole output
folder plus one page known to be invalid: that page must be reported, which
proves the checker really read the folder's pages.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
KNOWN_BAD = "known-invalid-page.html"


def test_every_page_is_valid_html(built, tmp_path):
    assert VNU.is_file(), f"{VNU} is missing: run scripts/test (it runs `npm ci`)"
    java = shutil.which("java")
    assert java, "Java is missing: run scripts/test (it installs what the tests need)"
    folder = shutil.copytree(built, tmp_path / "site")
    assert len(list(folder.rglob("*.html"))) > 10
    (folder / KNOWN_BAD).write_text('<!DOCTYPE html><html lang="sv"><title>x</title><p><div></span></html>')
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    assert any(KNOWN_BAD in line for line in errors), f"the checker missed the known invalid page: {run.stderr}"
    assert [line for line in errors if KNOWN_BAD not in line] == []
