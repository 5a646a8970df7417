"""From commit to public site: the CI files are valid, safe, and do what the README says.

GitHub Actions (.github/workflows/) and GitLab CI (.gitlab-ci.yml) are checked
against their published schemas with check-jsonschema, and the GitHub workflows
for security mistakes with zizmor (template injection, unpinned actions,
credentials left on disk, broad permissions). Both tools work offline.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

BIN = Path(sys.executable).parent
WORKFLOWS = REPO / ".github/workflows"
GITLAB = REPO / ".gitlab-ci.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def uses(workflow: dict, action: str) -> list[dict]:
    return [s for s in steps(workflow) if s.get("uses", "").startswith(action + "@")]


def runs(workflow: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(workflow))


@pytest.fixture(scope="module")
def test_workflow():
    return load(WORKFLOWS / "test.yml")


@pytest.fixture(scope="module")
def pages_workflow():
    return load(WORKFLOWS / "pages.yml")


# --- the checkers agree ------------------------------------------------------------------


def test_github_workflows_match_their_schema():
    result = tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, sorted(WORKFLOWS.glob("*.yml")))
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_ci_matches_its_schema():
    result = tool("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(GITLAB))
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_github_workflows():
    result = tool("zizmor", "--offline", "--format", "json", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_the_checkers_do_catch_mistakes(tmp_path):
    """The checks above can fail: a workflow with the mistakes zizmor and the schema exist for."""
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v6\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    found = tool("zizmor", "--offline", "--format", "json", str(bad.parent), cwd=tmp_path)
    kinds = {finding["ident"] for finding in json.loads(found.stdout)}
    assert {"template-injection", "unpinned-uses", "artipacked", "excessive-permissions"} <= kinds, kinds
    bad.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    assert tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(bad)).returncode == 1


# --- what the workflows do ---------------------------------------------------------------


def test_every_action_is_pinned_to_a_full_commit_and_checkouts_keep_no_token(test_workflow, pages_workflow):
    for workflow in (test_workflow, pages_workflow):
        assert workflow["permissions"] == {}  # each job asks for exactly what it needs
        for step in steps(workflow):
            if "uses" in step:
                assert PINNED.match(step["uses"]), step["uses"]
        for checkout in uses(workflow, "actions/checkout"):
            assert checkout["with"]["persist-credentials"] is False


def test_the_test_workflow_runs_the_readme_command_on_every_push_and_pull_request(test_workflow):
    assert {"push", "pull_request"} <= set(test_workflow["on"])
    assert ".ci/run" in runs(test_workflow).split()
    # .ci/run runs exactly the README's test command.
    assert (REPO / ".ci/run").read_text().strip().endswith("exec scripts/test")
    assert "scripts/test" in (REPO / "README.md").read_text()
    kept = {s["with"]["name"]: s["with"]["path"] for s in uses(test_workflow, "actions/upload-artifact")}
    assert kept["test-artifacts"] == "test-artifacts/"
    build = next(s["run"] for s in steps(test_workflow) if "build.py" in s.get("run", ""))
    assert shlex.split(build)[-2:] == ["--out", kept["site-preview"].rstrip("/")]
    assert all(s["if"] == "${{ !cancelled() }}" for s in uses(test_workflow, "actions/upload-artifact"))


def test_the_pages_workflow_tests_builds_for_the_public_address_and_deploys(pages_workflow):
    on = pages_workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert len(on["schedule"]) == 1 and re.fullmatch(r"\d+ \* \* \* \*", on["schedule"][0]["cron"])  # hourly: alerts
    build_steps = pages_workflow["jobs"]["build"]["steps"]
    order = [s.get("uses", s.get("run", "")).split("@")[0].strip() for s in build_steps]
    assert order.index(".ci/run") < order.index("actions/upload-pages-artifact")
    # Every push is tested before it is published; only the hourly rebuild of a tested commit skips them.
    tests = next(s for s in build_steps if s.get("run", "").strip() == ".ci/run")
    assert tests.get("if") == "github.event_name != 'schedule'"
    configure = next(s for s in build_steps if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in build_steps if "build.py" in s.get("run", ""))
    # The address comes from configure-pages, through the environment (no template injection).
    assert build["env"]["BASE_URL"] == "${{ steps." + configure["id"] + ".outputs.base_url }}"
    assert "${{" not in build["run"]
    command = shlex.split(build["run"].splitlines()[-1])
    assert command[command.index("--base-url") + 1] == "$BASE_URL"
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == command[command.index("--out") + 1]
    deploy = pages_workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(pages_workflow, "actions/deploy-pages")


def test_gitlab_tests_every_change_and_publishes_pages_from_the_default_branch():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert ci["test"]["script"] == [".ci/run"]
    # Every push and merge request is tested; only the hourly rebuild of a tested commit is not.
    assert ci["test"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}, {"when": "on_success"}]
    assert {"_site/", "test-artifacts/"} <= set(ci["test"]["artifacts"]["paths"])
    assert ci["test"]["artifacts"]["when"] == "always"
    pages = ci["pages"]
    assert ci["stages"].index(pages["stage"]) > ci["stages"].index(ci["test"]["stage"])  # after the tests
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    command = shlex.split(pages["script"][-1])
    assert command[command.index("--base-url") + 1] == "$CI_PAGES_URL"
    assert command[command.index("--out") + 1] == "public" and pages["artifacts"]["paths"] == ["public"]


def test_the_mutation_workflow_runs_weekly_or_on_demand_never_on_a_push():
    workflow = load(WORKFLOWS / "mutation.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert len(workflow["on"]["schedule"]) == 1
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"} and job["timeout-minutes"] <= 60
    for step in steps(workflow):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
    for checkout in uses(workflow, "actions/checkout"):
        assert checkout["with"]["persist-credentials"] is False
    assert shlex.split(runs(workflow))[0] == "scripts/mutation"
    (upload,) = uses(workflow, "actions/upload-artifact")
    assert upload["with"]["path"] == "mutation-report/" and upload["if"] == "${{ !cancelled() }}"
