"""The portal's static site engine: load → model → render → write.

Each stage is a function of the previous stage's output; `cli` is the one place
that turns problems into an exit code.
"""

import functools
import hashlib
from pathlib import Path

__version__ = "0.1.0"  # pyproject.toml reads it from here


@functools.cache
def code_digest(root: Path = Path(__file__).parent) -> str:
    """SHA-256 of the engine's own code: every .py file under portal/, by its path and its bytes.

    What a build keeps in .cache/ for the next one (the pages, render/cache.py; the parsed front
    matters, load/parsed.py) is foreign to other code: the version number above stays the same
    from commit to commit, and CI restores .cache/ into the next commit's checkout. By bytes, not
    by times: a restored cache meets a fresh checkout. About 100 files, read once per process.
    """
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        sha.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()
