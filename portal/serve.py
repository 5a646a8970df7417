"""`build.py serve`: build, serve the output on 127.0.0.1 and rebuild on change.

The only module that imports livereload. A failed rebuild prints its problems
and leaves the last good site in place, so the browser never shows half a site.
"""
from __future__ import annotations

import dataclasses
import sys

from livereload import Server

from . import pipeline

WATCHED = ("content", "data", "templates", "static")


def rebuild(options: pipeline.Options) -> bool:
    result = pipeline.build(options)
    for problem in result.problems.sorted():
        print(problem, file=sys.stderr)
    if result.problems.errors:
        print("The site was not updated; fix the errors above and save again.", file=sys.stderr)
        return False
    print(f"Rebuilt {len(result.outputs)} files.", file=sys.stderr)
    return True


def serve(options: pipeline.Options, host: str = "127.0.0.1", port: int = 8000) -> int:
    # Links must point at the preview, not at the public address.
    options = dataclasses.replace(options, base_url=f"http://{host}:{port}/", drafts=True)  # previews show drafts and scheduled items
    ok = rebuild(options)
    if not ok and not options.out.exists():
        return 1
    server = Server()
    for folder in WATCHED:
        server.watch(str(options.root / folder), lambda: rebuild(options))
    print(f"Serving on http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None, restart_delay=0)
    return 0
