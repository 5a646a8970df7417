"""Previews of pull and merge requests (issue #13, item 2): built without write access,
published by a workflow that runs none of the request's code, removed when it closes.

The schema and zizmor checks in test_ci_workflows.py cover these files too (they read
every workflow); this module checks what the previews do.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import yaml
from test_ci_workflows import GITLAB, PINNED, WORKFLOWS, load, runs, steps, uses

from conftest import REPO


def _preview():
    return load(WORKFLOWS / "preview.yml")


def _publish():
    return load(WORKFLOWS / "preview-publish.yml")


def test_every_request_is_built_without_write_access_or_secrets():
    workflow = _preview()
    text = (WORKFLOWS / "preview.yml").read_text(encoding="utf-8")
    assert set(workflow["on"]) == {"pull_request"}  # never pull_request_target: the request's code runs here
    assert set(workflow["on"]["pull_request"]["types"]) == {"opened", "synchronize", "reopened", "closed"}
    assert workflow["permissions"] == {}
    assert "secrets." not in text
    build, closed = workflow["jobs"]["build"], workflow["jobs"]["closed"]
    assert build["permissions"] == {"contents": "read", "pages": "read"} and closed["permissions"] == {}
    for step in steps(workflow):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
    assert all(c["with"]["persist-credentials"] is False for c in uses(workflow, "actions/checkout"))
    command = next(s for s in build["steps"] if "build.py" in s.get("run", ""))
    assert "${{" not in command["run"]
    line = shlex.split(next(text for text in command["run"].splitlines() if "build.py" in text))
    assert line[line.index("--base-url") + 1] == "${BASE_URL%/}/pr-$NUMBER/"  # its own sub-path
    assert "--drafts" in line
    upload = uses(workflow, "actions/upload-artifact")
    assert {u["with"]["name"] for u in upload} == {"preview"}
    assert line[line.index("--out") + 1].startswith(upload[0]["with"]["path"].rstrip("/") + "/")


def test_the_publisher_runs_none_of_the_requests_code_and_checks_the_artefact():
    workflow = _publish()
    assert workflow["on"] == {"workflow_run": {"workflows": [_preview()["name"]], "types": ["completed"]}}
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["publish"]
    assert job["if"] == "github.event.workflow_run.conclusion == 'success'"
    assert job["permissions"] == {"actions": "write", "contents": "write", "pull-requests": "write", "pages": "read"}
    assert not uses(workflow, "actions/checkout")  # nothing of the pull request is checked out, let alone run
    assert "build.py" not in runs(workflow) and "scripts/" not in runs(workflow)
    for step in steps(workflow):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
        assert "${{" not in step.get("run", "")  # values come through the environment
    download = uses(workflow, "actions/download-artifact")[0]
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    check = runs(workflow)
    assert "*[!0-9]*" in check  # the number is a number
    assert '"$(jq -r .head.sha pull.json)" != "$HEAD_SHA"' in check  # and that pull request's own commit
    assert 'select(.name == "preview")' in check  # forks only with a maintainer's label
    assert 'rm -rf "pr-$NUMBER"' in check and "git push -q origin previews" in check
    assert "gh workflow run pages.yml" in check and "gh pr comment" in check


def test_the_artefact_check_refuses_what_is_not_a_pull_request_number(tmp_path):
    script = next(s["run"] for s in steps(_publish()) if s.get("id") == "pr")
    number_check = "\n".join(script.splitlines()[:2])
    for given, ok in (("12\n", True), ("12; rm -rf /\n", False), ("", False), ("../1\n", False)):
        (tmp_path / "preview").mkdir(exist_ok=True)
        (tmp_path / "preview/number").write_text(given)
        result = subprocess.run(
            ["bash", "-c", number_check + '\necho "number=$number"'],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert (result.returncode == 0) is ok, (given, result.stdout)


def test_the_pages_workflow_publishes_the_previews_with_the_site():
    build = load(WORKFLOWS / "pages.yml")["jobs"]["build"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in build]
    fetch = next(s for s in build if s.get("id") == "previews")
    assert fetch["with"]["ref"] == "previews" and fetch["with"]["persist-credentials"] is False
    assert fetch["continue-on-error"] is True  # no branch yet: the site alone
    add = next(s for s in build if "_previews/pr-*/" in s.get("run", ""))
    upload = next(i for i, s in enumerate(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert build.index(fetch) < build.index(add) < upload, names


def test_gitlab_publishes_each_merge_request_under_its_prefix_and_stops_it():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    preview = ci["preview"]
    assert preview["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert preview["variables"]["PAGES_PREFIX"] == "mr-$CI_MERGE_REQUEST_IID"
    assert preview["pages"]["path_prefix"] == "$PAGES_PREFIX"
    assert preview["artifacts"]["paths"] == ["public"] and preview["artifacts"]["reports"]["dotenv"] == "preview.env"
    assert preview["environment"]["url"] == "$PREVIEW_URL"
    stop = ci[preview["environment"]["on_stop"]]
    assert stop["environment"] == {"name": preview["environment"]["name"], "action": "stop"}
    command = shlex.split(preview["script"][-1])
    assert command[command.index("--out") + 1] == "public" and "--drafts" in command


def test_gitlabs_preview_address_has_the_prefix_once(tmp_path):
    script = next(
        s for s in yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["preview"]["script"] if "PREVIEW_URL=" in s
    )
    for pages_url in ("https://group.gitlab.io/portal", "https://group.gitlab.io/portal/mr-7"):
        env = {"PATH": "/usr/bin:/bin", "CI_PAGES_URL": pages_url, "PAGES_PREFIX": "mr-7"}
        subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, check=True, timeout=10)
        assert (tmp_path / "preview.env").read_text() == "PREVIEW_URL=https://group.gitlab.io/portal/mr-7/\n"
    assert re.search(r"--base-url \"\$\(sed", (REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
