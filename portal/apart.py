"""Work done in a forked process of its own, whose result alone comes back (pickled).

Loading and modelling 5,000 news items peaks at about 100 MB of Python objects for a site
that holds 31 MB (every file's front matter as located values, checked and then dropped).
Freed, that memory stays with the process, spread among the site's own objects: 142 MB
once the site is made, against 35 MB before loading. The render processes are forked from
it and each comes to copy much of what it touches. Made in a process of its own, the site
comes back as 9 MB of pickle that unpickles into a heap of its own size: 70 MB.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading


def usable() -> bool:
    """Whether `run` may fork here: a fork copies one thread, and a lock another thread
    held would stay held in the copy."""
    return (
        hasattr(os, "fork") and threading.active_count() == 1 and threading.current_thread() is threading.main_thread()
    )


def run(work, meanwhile=None):
    """`work()`'s result, made in a forked process; None if that process could not give one
    (no fork here, a fault in `work`, a result that cannot be pickled or unpickled, a killed
    process): the caller then does the work itself, and meets any fault where it is reported
    as usual. `meanwhile()`, if given, is called here once the process is started, so the two
    run on two cores; not at all if no process could be started."""
    if not usable():
        return None
    try:
        readable, writable = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    # The forked process never returns, and ends with os._exit: it runs none of the caller's
    # clean-up, and writes nothing this process had buffered for its output.
    if pid == 0:
        code = 1
        try:
            os.close(readable)
            with open(writable, "wb") as pipe:
                pickle.dump(work(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException:  # noqa: BLE001 - the caller does the work itself and reports it
            pass
        finally:
            os._exit(code)
    os.close(writable)
    try:
        if meanwhile is not None:
            meanwhile()
        with open(readable, "rb") as pipe:
            data = pipe.read()
    except BaseException:  # Ctrl-C, or `meanwhile` failed: the work is not wanted any more
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - nothing, part of it (the process stopped), or a value that does not unpickle
        return None
