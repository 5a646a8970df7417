"""What every stage that makes files hands on: an output file of the built site.

A low module on purpose: it imports nothing of the stages, so each producer of
files (render, open data, the catalogue, charts, feeds, …) and each consumer
(assets, links, write) can name the type without importing another stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    path: str  # inside the output folder, forward slashes
    data: bytes | None = None
    copy_from: Path | None = None  # a static file copied as it is
    # A page the build cache kept as it was published (render/cache.py): its bytes, or its
    # stored file in copy_from, already carry the asset names; write.py links that file.
    reused: bool = False
    # A page the build streamed (pipeline.build): its bytes, asset names rewritten, are already
    # in the build's new folder at `path` (write.put), and only this light record stays in memory.
    written: bool = False
