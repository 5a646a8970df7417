"""The preview (`serve`): a file watcher (watch.py), rebuilds that reuse what did not
change (incremental.py), the live-reload server (serve.py) and the web editor's local
backend (cmsbackend.py)."""
