"""Pages rendered on every core: forked processes, each rendering the pages it is given.

A build that runs once (one thread, `fork` available) starts its processes when the site is
modelled and the templates are compiled, so each starts with everything a page needs: only
a page's number goes out, and what comes back is small (a streaming build's process writes
the page itself). Results are taken in the pages' order, so the problems come in the same
order and the output is byte for byte that of one process.

Each process renders in its own main thread, where markdown's time limit (a timer signal)
holds. A process that does not answer within the limit and a grace period is stopped and its
page reported as too slow; one that dies is reported at its page; either is replaced and the
build goes on with the other pages.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

FROM = 200  # pages to render: fewer are not worth starting processes for
GRACE = 5  # seconds past a page's own time limit before its process is stopped
DEPTH = 8  # page numbers sent to one process and not yet answered: it never waits for the next


def usable(jobs: int, count: int) -> bool:
    """Whether `count` pages are rendered by `jobs` forked processes (else by this one)."""
    return (
        jobs > 1
        and count >= FROM
        and threading.active_count() == 1  # fork copies one thread; a lock another one held would stay held
        and threading.current_thread() is threading.main_thread()
        and "fork" in multiprocessing.get_all_start_methods()
    )


class _Worker:
    def __init__(self, work: Callable):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        frozen = gc.get_freeze_count()  # by the build (pipeline._made_to_last): they stay so
        gc.freeze()  # the forked process's collector leaves the build's objects alone, so they stay shared
        try:
            self.process = context.Process(
                target=_main, args=(child, work, os.getpid()), daemon=True, name="portal-render"
            )
            self.process.start()
        finally:
            if not frozen:
                gc.unfreeze()
        child.close()
        self.items = collections.deque()  # numbers sent, not answered, oldest first
        self.started = 0.0  # when the oldest began (at the latest)

    def send(self, item: int) -> None:
        if not self.items:
            self.started = time.monotonic()
        self.items.append(item)
        self.conn.send(item)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


SLOW = "slow"  # the process took longer than the limit and was stopped
DIED = "died"  # the process stopped (out of memory, killed)


def ordered(count: int, work: Callable[[int], object], jobs: int, limit: float) -> Iterator[tuple[int, object]]:
    """(i, work(i)) for i in range(count), in order, each `work(i)` run by one of `jobs` forked
    processes. In place of a value: SLOW or DIED. A fault in `work` (an exception) is raised
    here as a RuntimeError, as it would be in one process. OSError, now: no process could
    start (memory, a process limit)."""
    workers = []
    try:
        for _ in range(jobs):
            workers.append(_Worker(work))
    except OSError:
        _close(workers)
        raise
    return _results(workers, count, work, limit)


def _results(workers: list, count: int, work: Callable, limit: float) -> Iterator[tuple[int, object]]:
    queue = collections.deque(range(count))
    ready = {}
    try:
        for wanted in range(count):
            while wanted not in ready:
                _step(workers, queue, ready, work, limit)
            ok, value = ready.pop(wanted)
            if ok is None:
                raise RuntimeError(value)
            yield wanted, value
    finally:
        _close(workers)


def _step(workers: list, queue: collections.deque, ready: dict, work: Callable, limit: float) -> None:
    """Send out what may go, collect what came back, stop what took too long."""
    for worker in workers:
        while queue and len(worker.items) < DEPTH:
            worker.send(queue.popleft())
    busy = {worker.conn: worker for worker in workers if worker.items}
    if not busy:
        return
    due = min(worker.started for worker in busy.values()) + limit + GRACE
    for conn in multiprocessing.connection.wait(list(busy), max(0.0, due - time.monotonic())):
        worker = busy[conn]
        try:
            while worker.items and conn.poll():
                ready[worker.items[0]] = conn.recv()
                worker.items.popleft()  # after the answer came: a process that died still holds its page
                worker.started = time.monotonic()
        except (EOFError, OSError):  # the process died on its oldest page
            _replace(workers, worker, work, queue, ready, DIED)
    now = time.monotonic()
    for worker in list(busy.values()):
        if worker.items and now - worker.started > limit + GRACE:
            _replace(workers, worker, work, queue, ready, SLOW)


def _replace(workers: list, worker: _Worker, work: Callable, queue, ready: dict, outcome: str) -> None:
    """A fresh process in place of one that died or took too long: its oldest page gets
    `outcome`, the others it held go back to the front of the queue."""
    worker.kill()
    ready[worker.items.popleft()] = (True, outcome)
    queue.extendleft(reversed(worker.items))
    worker.items.clear()
    workers[workers.index(worker)] = _Worker(work)


def _close(workers: list) -> None:
    for worker in workers:
        if worker.items:  # the build ended early: what it still renders is not needed
            worker.kill()
        else:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
    for worker in workers:
        worker.process.join(1)
        if worker.process.is_alive():
            worker.kill()
        worker.conn.close()


def _main(conn, work: Callable, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the build, which ends its processes
    for item in requests(conn, parent):
        try:
            outcome = (True, work(item))
        except Exception as exc:  # noqa: BLE001 - a fault in the code reaches the build, not a traceback here
            outcome = (None, f"{type(exc).__name__}: {exc}")
        if not answer(conn, outcome):
            return


def requests(conn, parent: int) -> Iterator:
    """In a process of the build (`parent`: its process id): what the build sends, one by one,
    until it sends None, closes its end, or is gone. A build that is killed (SIGKILL, or SIGTERM,
    which runs no clean-up) closes nothing, and its end of the pipe stays open in the processes
    forked after this one, so no end of file would ever come: the process looks every second
    whether the build is still its parent, and ends when it is not."""
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        yield item


def answer(conn, outcome) -> bool:
    """Send `outcome` to the build; False if the build is gone."""
    try:
        conn.send(outcome)
    except OSError:
        return False
    return True
