"""Work done in a forked process of its own, whose result alone comes back (pickled).

Loading and modelling 5,000 news items makes three times the memory the site they give
holds (every file's located front matter, checked and then dropped). Freed, that memory is
spread over the process's heap among the site's own objects, and stays with it; the render
processes, forked from it, start with every page of it and each comes to copy what it
touches (4 MB of objects per 10 MB of that heap). Made in a process of its own, the site
comes back as 9 MB of pickle that unpickles into a heap of its own size: the build's
process stays at the site's memory, and so do the processes forked from it.
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


def run(work):
    """`work()`'s result, made in a forked process; None if that process could not give one
    (no fork here, a fault in `work`, a result that cannot be pickled, a killed process):
    the caller then does the work itself, and meets any fault where it is reported as usual."""
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
        except BaseException:  # noqa: BLE001 - the caller does the work again and reports it
            pass
        finally:
            os._exit(code)
    os.close(writable)
    try:
        with open(readable, "rb") as pipe:
            data = pipe.read()
    except BaseException:  # Ctrl-C: the work is not wanted any more
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a value that does not unpickle: made here, as above
        return None
