"""Run one command and measure it: wall time and the peak memory of all its processes together.

Used by build_times.py and peers.py; `python bench/measure.py COMMAND [ARGS...]` measures one command for a quick look.

Memory: a thread reads /proc every `interval` seconds (default 20 ms), finds every
descendant of the child (by the parent id in /proc/PID/stat, read once per new
process, only for process ids above the child's: Linux hands them out in
increasing order), and sums their proportional set sizes (PSS, from
/proc/PID/smaps_rollup). PSS splits a page shared by several processes between
them, so the sum is what the process tree as a whole holds in memory: a page
shared after a fork, or a library mapped by two processes, is counted once, not
twice. (Summing RSS instead counts it once per process: when the build forks to
start Pagefind, the short-lived copy of the build would double the build's
figure.) The peak of that sum is "peak memory, all processes". Processes whose
command line names `tag` (e.g. "pagefind"), and their descendants, are also
summed apart, so Pagefind's share of a portal build is seen on its own, and the
rest is "the build without Pagefind". Where smaps_rollup cannot be read, RSS
(/proc/PID/statm) is used instead.

Known limits: a peak shorter than the interval can be missed; a descendant
whose id wrapped around below the child's (after pid_max) is not seen. As a
cross-check the largest single process is also given, from the kernel:
`os.wait4`'s ru_maxrss for the child, which covers it and the descendants it
waited for (the RSS of one process at its peak, not a sum). The same call gives
the CPU time (user + system) of the child and those descendants: on a machine
shared with other work it moves far less than the wall time does.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclasses.dataclass
class Run:
    command: list
    returncode: int
    wall: float  # seconds, from start to the child's exit
    peak_memory: int  # bytes: the highest sum of PSS over the whole process tree
    peak_memory_untagged: int  # bytes: the same without tagged processes (the build without Pagefind)
    peak_memory_tagged: int  # bytes: tagged processes only (Pagefind)
    tagged_seconds: float  # seconds during which a tagged process was seen (sampled)
    max_single_rss: int  # bytes: wait4 ru_maxrss of the child (largest single process)
    stdout: str
    stderr: str
    cpu: float = 0.0  # seconds: user + system time of the child and the descendants it waited for (wait4)


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    return int(stat[stat.rindex(b")") + 2 :].split(None, 2)[1])


def _memory(pid: int) -> int:
    """Bytes: the process's PSS, or its RSS where PSS cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


class _Sampler(threading.Thread):
    def __init__(self, root: int, interval: float, tag: bytes | None):
        super().__init__(daemon=True)
        self.root, self.interval, self.tag = root, interval, tag
        self.done = threading.Event()
        self.peak = self.peak_untagged = self.peak_tagged = 0
        self.tagged_first = self.tagged_last = None
        self.parents = {}  # pid -> parent pid, for processes started after the child

    def sample(self) -> None:
        # Only processes started after the child can be its descendants, and Linux hands out
        # process ids in increasing order: reading the parent of those few, once each, keeps
        # a sample cheap (reading all of /proc takes ~5-20 ms on a busy machine).
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) >= self.root}
        for pid in alive - self.parents.keys():
            self.parents[pid] = _ppid(pid)
        for pid in self.parents.keys() - alive:
            del self.parents[pid]
        children = {}
        for pid, ppid in self.parents.items():
            children.setdefault(ppid, []).append(pid)
        total = tagged = 0
        stack = [(self.root, False)]
        while stack:
            pid, inherited = stack.pop()
            is_tagged = inherited or (self.tag is not None and self.tag in _cmdline(pid))
            rss = _memory(pid)
            total += rss
            if is_tagged:
                tagged += rss
            stack.extend((c, is_tagged) for c in children.get(pid, ()))
        self.peak = max(self.peak, total)
        self.peak_tagged = max(self.peak_tagged, tagged)
        self.peak_untagged = max(self.peak_untagged, total - tagged)
        if tagged:
            now = time.perf_counter()
            self.tagged_first = self.tagged_first or now
            self.tagged_last = now

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)


def run(
    command: list,
    cwd: Path | str | None = None,
    env: dict | None = None,
    tag: str | None = None,
    interval: float = 0.02,
) -> Run:
    """Run `command` to its end and measure it (its output is kept, not shown)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = _Sampler(process.pid, interval, tag.encode() if tag else None)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    tagged_seconds = (sampler.tagged_last - sampler.tagged_first) if sampler.tagged_first else 0.0
    return Run(
        command,
        process.returncode,
        wall,
        sampler.peak,
        sampler.peak_untagged,
        sampler.peak_tagged,
        tagged_seconds,
        usage.ru_maxrss * 1024,
        stdout,
        stderr,
        usage.ru_utime + usage.ru_stime,
    )


def machine() -> str:
    """One line naming the machine: CPUs, kernel, Python."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    return (
        f"{os.cpu_count()} CPUs ({model or platform.processor() or 'unknown CPU'}){memory}; "
        f"{platform.system()} {platform.release()} {platform.machine()}; "
        f"Python {platform.python_version()}; host {platform.node()}"
    )


def load_note() -> str:
    """The load average when the run began: a busy machine makes every figure slower."""
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) at the start"
    except OSError:
        return "load average unknown"


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f}"


if __name__ == "__main__":
    if any(a in ("-h", "--help") for a in sys.argv[1:]) or len(sys.argv) < 2:
        print(__doc__)
        print("Usage for a quick look: python bench/measure.py COMMAND [ARGS...]")
        sys.exit(0)
    r = run(sys.argv[1:])
    print(
        f"exit {r.returncode}; wall {r.wall:.3f} s; peak memory, all processes (PSS) {mb(r.peak_memory)} MB; "
        f"largest single process {mb(r.max_single_rss)} MB; CPU {r.cpu:.1f} s"
    )


def parser(doc: str, sizes: list | None = None, sizes_help: str = "") -> argparse.ArgumentParser:
    """The command line every bench script starts from: its docstring as help, and with
    `sizes` the corpus sizes (--items N …) and the rounds whose median is shown (--rounds)."""
    p = argparse.ArgumentParser(
        description=doc.splitlines()[0],
        epilog=doc.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if sizes is not None:
        p.add_argument("--items", type=int, nargs="+", default=sizes, help=sizes_help)
        p.add_argument("--rounds", type=int, default=3, help="rounds; the median is shown (default 3)")
    return p
