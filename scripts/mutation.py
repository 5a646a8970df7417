"""Mutation testing of the engine's rule modules, with mutmut 3.

Run it as `scripts/mutation` (which sets up .venv first). It copies portal/ and tests/
into a scratch folder (the working tree is never mutated), runs mutmut there with only
the fast unit tests, and prints, per module, how many mutants the tests killed and
which ones survived, with their diffs. The same report is written to
mutation-report/report.md (CI keeps it as an artefact).

Mutants listed as equivalent in docs/mutation.md (no behaviour can tell them apart from
the original) are left out of the score and shown apart.

    scripts/mutation                    every module below
    scripts/mutation shape figures      only these modules
    scripts/mutation --min-score 85     exit 1 if a module scores lower
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Module -> the fast tests (milliseconds each, no whole builds) that pin its rules.
# mutmut runs, for each mutant, only the tests that call the mutated function.
MODULES = {
    "shape": ["tests/test_rules_shape.py", "tests/test_yaml_and_shapes.py"],
    "yamlnodes": ["tests/test_rules_shape.py", "tests/test_yaml_and_shapes.py"],
    "figures": ["tests/test_rules_figures.py"],
    "load": ["tests/test_rules_load.py", "tests/test_load.py", "tests/test_rules_parsed.py"],
    "parsed": ["tests/test_rules_parsed.py"],
    "write": ["tests/test_rules_write.py", "tests/test_write.py"],
    "links": [
        "tests/test_rules_links.py",
        # The one-pass reader against html.parser's (not the first test: it builds the real site).
        "tests/test_links_scan.py::test_tricky_markup_is_read_in_one_pass_as_html_parser_reads_it",
        "tests/test_links_scan.py::test_markup_outside_the_subset_is_left_to_html_parser",
        "tests/test_links_scan.py::test_any_markup_read_in_one_pass_is_read_as_html_parser_reads_it",
    ],
    "publishing": ["tests/test_rules_publishing.py"],
    "uptodate": ["tests/test_rules_uptodate.py"],
    "alerts": ["tests/test_rules_alerts.py"],
    "templateloops": ["tests/test_rules_templateloops.py"],
    "caches": ["tests/test_rules_caches.py", "tests/test_caches.py"],
    "contacts": ["tests/test_rules_contacts.py"],
    "aliases": ["tests/test_rules_aliases.py"],
    "cache": ["tests/test_rules_cache.py", "tests/test_digests.py"],
    "markup": [
        "tests/test_rules_markup.py",
        "tests/test_markdown_parser_reused.py",
        # Not its first test: it reads the real site's content/, which the scratch folder has not.
        "tests/test_markup_removals.py::test_tricky_markdown_gets_the_same_warnings",
        "tests/test_markup_removals.py::test_any_markdown_gets_the_same_warnings",
    ],
}
# Module -> its file under portal/ (the stage packages).
PATHS = {
    "shape": "load/shape.py",
    "yamlnodes": "load/yamlnodes.py",
    "figures": "model/figures.py",
    "load": "load/sources.py",
    "parsed": "load/parsed.py",
    "write": "write.py",
    "links": "review/links.py",
    "publishing": "model/publishing.py",
    "uptodate": "uptodate.py",
    "alerts": "model/alerts.py",
    "templateloops": "render/templateloops.py",
    "caches": "caches.py",
    "contacts": "model/contacts.py",
    "aliases": "model/aliases.py",
    "cache": "render/cache.py",
    "markup": "render/markup.py",
}


def _dotted(module: str) -> str:
    """The prefix of a module's mutant names: "portal.load.shape."."""
    return "portal." + PATHS[module].removesuffix(".py").replace("/", ".") + "."


EQUIVALENT_LIST = REPO / "docs/mutation.md"
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}


def equivalent_mutants() -> dict:
    """name -> reason, from the bullet list under '## Equivalent mutants' in docs/mutation.md."""
    found, inside = {}, False
    for line in EQUIVALENT_LIST.read_text(encoding="utf-8").splitlines() if EQUIVALENT_LIST.exists() else []:
        if line.startswith("## "):
            inside = line.strip() == "## Equivalent mutants"
        match = re.match(r"- `([^`]+)`\s*[:—-]?\s*(.*)", line) if inside else None
        if match:
            found[match[1]] = match[2].strip()
    return found


def prepare(work: Path, modules: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("portal", "tests"):
        shutil.copytree(REPO / name, work / name, ignore=ignore)
    shutil.copy2(REPO / "pyproject.toml", work / "pyproject.toml")
    tests = sorted({t for m in modules for t in MODULES[m]})
    lines = ["[mutmut]", "source_paths = portal", "only_mutate ="]
    lines += [f"    portal/{PATHS[m]}" for m in modules]
    lines += ["pytest_add_cli_args_test_selection ="] + [f"    {t}" for t in tests]
    lines += ["pytest_add_cli_args =", "    -p no:cacheprovider"]
    (work / "setup.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


def statuses(work: Path, module: str) -> dict:
    """mutant name -> mutmut's status, from the .meta file mutmut writes per source file."""
    from mutmut.stats import status_by_exit_code

    meta = work / "mutants/portal" / f"{PATHS[module]}.meta"
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in codes.items()}


def diff(work: Path, module: str, name: str) -> str:
    """The mutant as a diff of its function (what `mutmut show` prints, without a process per mutant)."""
    os.chdir(work)  # mutmut reads its setup.cfg and mutants/ from the current folder
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        return get_diff_for_mutant(name, path=Path("portal") / PATHS[module])
    except Exception as exc:  # noqa: BLE001 - a report without one diff beats no report
        return f"(no diff: {exc})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"any of: {', '.join(MODULES)} (default: all)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "portal-mutation")
    parser.add_argument("--report", type=Path, default=REPO / "mutation-report")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--report-only", action="store_true", help="report on the last run in --work, without running")
    parser.add_argument("--min-score", type=float, default=None, help="exit 1 if a module scores below this per cent")
    args = parser.parse_args()
    args.work, args.report = args.work.resolve(), args.report.resolve()  # diff() changes the folder
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}; known: {', '.join(MODULES)}")
    mutmut = str(Path(sys.executable).with_name("mutmut"))

    started = time.monotonic()
    if not args.report_only:
        prepare(args.work, modules)
        run = subprocess.run(
            [mutmut, "run", "--max-children", str(args.max_children)],
            cwd=args.work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            print(run.stderr[-4000:], file=sys.stderr)
            print(f"mutmut run failed (exit {run.returncode})", file=sys.stderr)
            return 2
    seconds = time.monotonic() - started

    version = f"mutmut {importlib.metadata.version('mutmut')}"
    equivalent = equivalent_mutants()
    took = (
        "report of an earlier run" if args.report_only else f"{seconds / 60:.1f} min with {args.max_children} workers"
    )
    out = [
        f"# Mutation testing: {version}, {time.strftime('%Y-%m-%d', time.gmtime())}, {took}",
        "",
        "| module | mutants | equivalent | killed | survived | score | killed of all |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    details, low = [], []
    for module in modules:
        found = statuses(args.work, module)
        equiv = {n: st for n, st in found.items() if n in equivalent}
        counted = {n: st for n, st in found.items() if n not in equivalent}
        killed = sum(st in DETECTED for st in counted.values())
        survivors = sorted((n for n, st in counted.items() if st not in DETECTED), key=_natural)
        score = 100 * killed / len(counted) if counted else 100.0
        if args.min_score is not None and score < args.min_score:
            low.append(module)
        raw = 100 * killed / len(found) if found else 100.0
        out.append(
            f"| {module} | {len(found)} | {len(equiv)} | {killed} | {len(survivors)} | {score:.1f} % | {raw:.1f} % |"
        )
        for name in survivors:
            details += [f"### {name} ({counted[name]})", "", "```diff", diff(args.work, module, name), "```", ""]
        stale = sorted(n for n in equivalent if n.startswith(_dotted(module)) and n not in found)
        if stale:
            details += [f"(listed as equivalent but not generated any more: {', '.join(stale)})", ""]
        killed_equivalent = sorted(n for n, st in equiv.items() if st in DETECTED)
        if killed_equivalent:  # a test tells them apart, so they are not equivalent: take them off the list
            details += [f"(listed as equivalent but killed, so not equivalent: {', '.join(killed_equivalent)})", ""]
    out += [
        "",
        "score: killed / (mutants - equivalent); killed of all: killed / mutants (timeouts count as killed).",
        "Tests: " + ", ".join(sorted({t for m in modules for t in MODULES[m]})),
        "",
    ]
    out += (["## Surviving mutants", ""] + details) if details else ["No surviving mutants."]
    report = "\n".join(out) + "\n"
    args.report.mkdir(parents=True, exist_ok=True)
    (args.report / "report.md").write_text(report, encoding="utf-8")
    print(report)
    if low:
        print(f"below {args.min_score:g} %: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


if __name__ == "__main__":
    sys.exit(main())
