"""The command line is conventional: subcommands with their own help and options, --version,
-q/-v, progress and colour only for a person at a terminal, the whole time reported."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from conftest import REPO, run_build
from portal import __version__, cli, pipeline


def test_each_command_has_its_own_help_with_only_its_own_options(tmp_path):
    helps = {command: run_build(tmp_path, command, "--help") for command in ("build", "serve", "check", "new")}
    assert all(result.returncode == 0 for result in helps.values())
    assert "--port" in helps["serve"].stdout and "--open" in helps["serve"].stdout
    assert "--strict" not in helps["serve"].stdout and "--out" not in helps["check"].stdout
    assert "--strict" in helps["check"].stdout and "--format" in helps["check"].stdout
    assert "--port" not in helps["build"].stdout and "--out" in helps["build"].stdout
    assert "title" in helps["new"].stdout and "--out" not in helps["new"].stdout


def test_an_option_of_another_command_is_a_usage_error(tmp_path):
    for args in (["check", "--port", "9000"], ["serve", "--strict"], ["new", "news"], ["build", "--open"]):
        result = run_build(tmp_path, *args)
        assert result.returncode == 2, args
        assert "usage: build.py" in result.stderr


@pytest.mark.parametrize("command", [[str(REPO / "build.py")], ["-m", "portal"]], ids=["build.py", "python -m portal"])
def test_version_is_printed(tmp_path, command):
    result = subprocess.run(
        [sys.executable, *command, "--version"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip().endswith(__version__)


def test_quiet_prints_nothing_but_problems_and_verbose_prints_every_stage(tiny):
    quiet = run_build(tiny, "-q")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    verbose = run_build(tiny, "check", "-v")
    assert verbose.returncode == 0
    stages = [line.split(":")[0].strip() for line in verbose.stderr.splitlines()]
    assert stages == ["load", "model", "render", "assets", "links"]


def test_the_reported_time_covers_every_stage_including_the_link_check(tiny, monkeypatch):
    monkeypatch.chdir(tiny)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    slow_links = pipeline.links.check

    def check_slowly(*args):
        import time

        time.sleep(1.5)
        return slow_links(*args)

    monkeypatch.setattr(pipeline.links, "check", check_slowly)
    assert cli.main(["--now", "2026-11-30", "--out", "_site"]) == 0
    took = float(out.getvalue().rsplit(" in ", 1)[1].split(" s")[0])
    assert took >= 1.5


def test_progress_shows_the_stage_and_pages_once_a_build_has_taken_a_second():
    stream = io.StringIO()
    progress = cli.Progress(stream)
    progress("render", 1, 40)
    assert stream.getvalue() == ""  # a quick build says nothing extra
    progress.started -= 2
    progress("render", 40, 40)
    progress("links")
    progress.done()
    assert stream.getvalue() == "\r\x1b[Krender… 40 of 40 pages\r\x1b[Klinks…\r\x1b[K"


def run_on_terminal(root, *args, env_extra=None):
    """Run build.py with stderr on a pseudo-terminal; (exit code, what the terminal showed)."""
    leader, follower = pty.openpty()
    env = {
        "PATH": "/usr/bin:/bin",
        "SOURCE_DATE_EPOCH": "1795000000",
        "LANG": "C.UTF-8",
        "TERM": "xterm",
        **(env_extra or {}),
    }
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), *args], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process has exited
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=120), shown.decode("utf-8")


def break_a_value(root):
    staffing = root / "data/staffing.yaml"
    text = staffing.read_text(encoding="utf-8")
    assert "value: 5\n" in text
    staffing.write_text(text.replace("value: 5\n", "value: 5,2\n", 1), encoding="utf-8")


def test_problems_are_coloured_on_a_terminal_and_plain_elsewhere_or_with_no_color(tiny):
    break_a_value(tiny)
    code, shown = run_on_terminal(tiny, "check")
    assert code == 1
    assert "\x1b[1mdata/staffing.yaml:7:\x1b[0m \x1b[31m'value' should be a number" in shown

    code, shown = run_on_terminal(tiny, "check", env_extra={"NO_COLOR": "1"})
    assert code == 1 and "\x1b[" not in shown
    assert "data/staffing.yaml:7: 'value' should be a number, not '5,2'" in shown

    piped = run_build(tiny, "check")
    assert piped.returncode == 1 and "\x1b[" not in piped.stderr
