"""Stage 5, review: the link check every build runs (links.py) and the reviewer's rules
that `check` adds (checks.py, readability.py, external.py)."""
