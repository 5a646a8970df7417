"""An installed portal is the whole portal: the wheel holds every module of every stage
package and the compiled Swedish messages (pyproject.toml lists the packages by hand)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UV = REPO / ".tools/bin/uv"  # scripts/setup installs it


def test_the_wheel_holds_every_module_and_the_swedish_messages(tmp_path):
    source = tmp_path / "source"  # a copy: setuptools leaves build/ beside what it builds
    shutil.copytree(REPO / "portal", source / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run([str(UV), "build", "--wheel", "-q", "-o", str(tmp_path), str(source)], check=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "portal").rglob("*.py")}
    assert modules - names == set(), "modules missing from the wheel"
    assert "portal/locale/sv/LC_MESSAGES/portal.mo" in names
