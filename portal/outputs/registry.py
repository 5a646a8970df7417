"""Every output of the site that is not a rendered page, in one list.

The build, the preview (`serve`, also when it writes the open pages first) and
`check` all take the site's files from `site_files`, so a new kind of file is
added here once and every command makes it. Pages (the 404 page among them)
come from render/pages.py; everything else comes from here:

    static/ copied as it is          the site's static files
    data/…                           open data (opendata.py) and its DCAT-AP catalogue (catalog.py)
    charts/…svg                      the funding charts (charts.py)
    share/…png                       the share pictures (shareimages.py)
    nyheter/atom.xml, en/news/…      Atom feeds (feeds.py), of the published site
    sitemap.xml, robots.txt          (sitemap.py), of the published site
    old addresses                    redirect pages (redirects.py)
    admin/                           the web editor (cms.py), when its bundle is installed
    .nojekyll                        files static hosts look for (assets.host_files)
"""

from __future__ import annotations

from portal.load.body import Changed
from portal.model.site import Site
from portal.output import Output
from portal.outputs import assets, catalog, cms, feeds, opendata, redirects, sitemap
from portal.problems import Problems
from portal.render import charts, shareimages


def site_files(site: Site, public: Site, problems: Problems | None = None) -> list[Output]:
    """The files of `site` that are not pages; feeds and the sitemap describe `public`, the
    site as published (the same site, except in a preview with drafts).

    Without `problems` (the preview's early write) what they find is left for the build."""
    problems = Problems() if problems is None else problems
    outputs = [Output(url_path, copy_from=path) for url_path, path in site.static]
    outputs += opendata.outputs(site) + catalog.outputs(site) + charts.outputs(site)
    outputs += shareimages.outputs(site, problems)
    try:  # a feed holds its items' texts, read again here in a build (load/body.py)
        outputs += feeds.outputs(public)
    except Changed as exc:
        problems.error(exc.name, None, exc.message)
    outputs += sitemap.outputs(public)
    outputs += redirects.outputs(site)
    outputs += cms.outputs(site, problems)  # the web editor at /admin/, when its bundle is installed
    return outputs + assets.host_files()
