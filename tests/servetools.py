"""Start `build.py serve` as an editor does, and wait for what it serves."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from conftest import REPO

LIMIT = 60  # seconds before a wait gives up: a hang, not a speed target


@contextlib.contextmanager
def running(server):
    """Run an http.server-style `server` in a thread; yield its port; always shut it down."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def serving(root, *args):
    """Run `build.py serve --port 0` in `root`; yield (origin, terminal lines)."""
    with serving_process(root, *args) as (process, origin, lines):
        yield origin, lines


@contextlib.contextmanager
def serving_process(root, *args):
    """As `serving`, and yield the server's process first (to signal it); always stop it."""
    # The server takes Ctrl+C (SIGINT) as from a terminal even where the tests run as a shell's
    # background job, which starts them with SIGINT ignored: a process inherits that, and Python
    # then never raises KeyboardInterrupt. Set here while it starts, it inherits this instead.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        )
    finally:
        signal.signal(signal.SIGINT, before)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        started = wait_for(
            lambda: (
                next((m for m in map(re.compile(r"Serving on (http://\S+?)/ ").search, lines) if m), None)
                or (process.poll() is not None and "exited")
            ),
            what="the server to start",
        )
        assert started != "exited", "".join(lines)
        yield process, started.group(1), lines
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, what="the condition", limit=LIMIT):
    """Poll until condition() is truthy; fail (not time) if it never is."""
    deadline = time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}; last value: {value!r}")
        time.sleep(0.05)


def fetch(url):
    """(status, body as text) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=LIMIT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
