"""Stage 4, the site's other files: one registry (registry.py) lists every output that is
not a page — open data, the catalogue, charts, feeds, sitemap, redirects, the web editor,
host files — then assets get content-hashed names (assets.py) and Pagefind indexes the
written folder (search.py)."""
