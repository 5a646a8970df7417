"""Decap CMS's local backend, answered by `build.py serve` itself at /api/v1.

Decap's `local_backend` posts `{"action": …, "params": …}` to a proxy and the
proxy reads and writes the working tree; `npx decap-server` is that proxy in
Node. This is the same small protocol (its "local_fs" mode, read from
decap-server 3.11.3, src/middlewares/localFs) in Python, so the preview
needs no Node and the editor and the live preview share one origin and port.

Narrower than decap-server on purpose: it reads and writes only where the
build reads content (`content/pages`, `content/news`) and the editor's media
folder (`static/media`), only `.md` files there (any file in the media folder),
never through a link or `..`; and it answers only requests from the preview's
own pages (a page of another site open in the same browser cannot post here).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

CONTENT = ("content/pages", "content/news")
MEDIA = "static/media"
LIMIT = 10 * 1024 * 1024  # bytes in one request: a page or an image, not more


class Refused(Exception):
    pass


class Repository:
    """The site's folder as the editor may see it."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def resolve(self, raw: str, *, media_ok: bool = True) -> Path:
        if not isinstance(raw, str) or not raw or "\\" in raw or "\x00" in raw:
            raise Refused(f"not a file path: {raw!r}")
        parts = raw.split("/")
        if any(part in ("", ".", "..") for part in parts):  # also '/etc' and 'a//b'
            raise Refused(f"not a path inside the site: {raw}")
        folder, text = "/".join(parts[:-1]), "/".join(parts)
        in_content = folder in CONTENT and text.endswith(".md")  # a file directly in the folder the build reads
        in_media = media_ok and folder == MEDIA
        if not (in_content or in_media):
            raise Refused(f"the editor may only change content/pages, content/news and {MEDIA}: {raw}")
        target = self.root / text
        # No link may lead out: every existing part of the path must resolve inside the site.
        existing = target
        while not existing.exists() and existing != self.root:
            existing = existing.parent
        real = existing.resolve()
        if real != self.root and self.root not in real.parents:
            raise Refused(f"leads outside the site: {raw}")
        return target

    def folder(self, raw: str) -> Path:
        rel = PurePosixPath(raw or "")
        if raw not in CONTENT and raw != MEDIA:
            raise Refused(f"not a folder the editor uses: {raw}")
        return self.root / rel

    # --- the actions ---

    def entry(self, raw: str) -> dict:
        path = self.resolve(raw)
        try:
            data = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": raw, "id": None}}
        return {"data": data.decode("utf-8"), "file": {"path": raw, "id": hashlib.sha256(data).hexdigest()}}

    def entries_in(self, folder: str, extension: str) -> list:
        base = self.folder(folder)
        if not base.is_dir():
            return []
        names = sorted(
            e.name
            for e in os.scandir(base)
            if e.is_file(follow_symlinks=False) and e.name.endswith("." + extension.lstrip("."))
        )
        return [self.entry(f"{folder}/{name}") for name in names]

    def write(self, raw: str, data: bytes) -> None:
        target = self.resolve(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".cms-part-", dir=target.parent)  # never half a file
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def media_file(self, raw: str) -> dict:
        path = self.resolve(raw)
        data = path.read_bytes()
        return {
            "id": hashlib.sha256(data).hexdigest(),
            "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "path": raw,
            "name": path.name,
        }

    def handle(self, action: str, params: dict):
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return self.entries_in(params.get("folder"), params.get("extension") or "md")
        if action == "entriesByFiles":
            return [self.entry(f.get("path")) for f in params.get("files", [])]
        if action == "getEntry":
            return self.entry(params.get("path"))
        if action == "persistEntry":
            files = params.get("dataFiles") or [params.get("entry")]
            for f in files:
                self.resolve(f.get("path"))  # every path is checked before anything is written
            for asset in params.get("assets", []):
                self.resolve(asset.get("path"))
            for f in files:
                if not f["raw"].strip() and not self.resolve(f["path"]).exists():
                    # Decap writes "\n" for a language left empty (the easy-to-read page has
                    # only Swedish): no file is what the build expects, not an empty one.
                    continue
                self.write(f["path"], f["raw"].encode("utf-8"))
            for asset in params.get("assets", []):
                self.write(asset["path"], base64.b64decode(asset["content"]))
            for f in files:
                if f.get("newPath"):
                    new = self.resolve(f["newPath"])
                    new.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(self.resolve(f["path"]), new)
            return {"message": "entry persisted"}
        if action == "getMedia":
            base = self.folder(params.get("mediaFolder"))
            if not base.is_dir():
                return []
            return [
                self.media_file(f"{MEDIA}/{e.name}")
                for e in sorted(os.scandir(base), key=lambda e: e.name)
                if e.is_file(follow_symlinks=False)
            ]
        if action == "getMediaFile":
            return self.media_file(params.get("path"))
        if action == "persistMedia":
            asset = params.get("asset") or {}
            self.write(asset.get("path"), base64.b64decode(asset.get("content", "")))
            return self.media_file(asset["path"])
        if action == "deleteFile":
            self.resolve(params.get("path")).unlink(missing_ok=True)
            return {"message": f"deleted file {params.get('path')}"}
        if action == "deleteFiles":
            targets = [self.resolve(p) for p in params.get("paths", [])]
            for target in targets:
                target.unlink(missing_ok=True)
            return {"message": "deleted files"}
        if action == "getDeployPreview":
            return None
        raise Refused(f"Unknown action {action}")


def answer(repository: Repository, host: str, origin: str | None, content_type: str, body: bytes) -> tuple:
    """(HTTP status, JSON-able answer) to a POST to /api/v1: one action of Decap's local-backend
    protocol. serve.py's BackendHandler carries it over HTTP (it alone knows tornado)."""
    # Only the preview's own pages: a page from elsewhere sends its own Origin, and a
    # DNS name pointed at 127.0.0.1 (rebinding) sends its own Host.
    if host.rsplit(":", 1)[0].strip("[]") not in ("127.0.0.1", "localhost", "::1") or (
        origin and urlsplit(origin).netloc != host
    ):
        return 403, {"error": "only the preview's own editor may use this"}
    if not content_type.startswith("application/json"):
        return 415, {"error": "send JSON"}
    if len(body) > LIMIT:
        return 413, {"error": "too large"}
    try:
        request = json.loads(body)
        action, params = request.get("action"), request.get("params") or {}
        if not isinstance(params, dict):
            raise Refused("params should be an object")
        return 200, repository.handle(action, params)
    except (Refused, ValueError, TypeError, KeyError, AttributeError) as exc:
        return 422, {"error": str(exc)}
    except OSError as exc:
        return 500, {"error": exc.strerror or str(exc)}
