"""The web editor at /admin/ (Decap CMS): made by the build from the engine's shapes,
served from the site's own origin with its own CSP, its local backend confined to the
content folders, and "Edit this page" off unless data/site.yaml turns it on.

The editor in a real browser: tests/test_cms_browser.py."""

from __future__ import annotations

import dataclasses
import io
import re
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_build
from portal import cli
from portal.load import shape as s
from portal.load import sources as load
from portal.model import site as model
from portal.outputs import cms
from portal.preview import cmsbackend, incremental, serve
from portal.problems import Problems
from portal.render import pages as render
from tinysite import add_municipality, tiny_site

needs_bundle = pytest.mark.skipif(cms.bundle_version() is None, reason="Decap CMS is not in node_modules (npm ci)")


def real_site(root: Path = REPO) -> model.Site:
    sources, problems = load.load(root)
    site = model.build(sources, problems)
    assert site is not None and not problems.errors, problems.sorted()
    return site


def fields_of(collection: dict) -> dict:
    return {f["name"]: f for f in collection["fields"]}


# --- the configuration is the shapes ---------------------------------------------------


@pytest.mark.parametrize("section", ["news", "pages"])
def test_each_front_matter_key_is_an_editor_field_with_its_kind_and_requiredness(section):
    config = cms.config(real_site())
    collection = next(c for c in config["collections"] if c["name"] == section)
    shape = model._page_shape(section)
    fields = fields_of(collection)
    assert list(fields) == [*shape.fields, "body"]
    assert collection["folder"] == f"content/{section}"
    for name, spec in shape.fields.items():
        assert fields[name].get("required", True) == spec.required, name
        kind = fields[name]["widget"]
        expected = {s.Date: "datetime", s.Bool: "boolean", s.Fields: "object", s.OneOf: "select"}.get(type(spec.shape))
        if expected:
            assert kind == expected, name
        if isinstance(spec.shape, s.Text) and spec.shape.pattern is not None and not isinstance(spec.shape, s.OneOf):
            # Decap tests with a search: the pattern is anchored to match what the build accepts.
            assert fields[name]["pattern"][0] == f"^(?:{spec.shape.pattern.pattern})$"


def test_the_municipalities_to_choose_from_are_those_of_data_collaboration_yaml(tiny):
    add_municipality(tiny, "boxholm", "Boxholms kommun", "Boxholm Municipality", "Boxholm")
    site = real_site(tiny)
    news = fields_of(next(c for c in cms.config(site)["collections"] if c["name"] == "news"))
    choice = news["municipalities"]
    assert choice["widget"] == "select" and choice["multiple"] and choice["min"] == 1
    assert [o["value"] for o in choice["options"]] == [m.id for m in site.collaboration.municipalities]
    assert [o["label"] for o in choice["options"]] == ["Mjölby kommun", "Ödeshögs kommun", "Boxholms kommun"]


@pytest.mark.parametrize("section", ["news", "pages"])
def test_every_field_has_a_swedish_label_not_its_key(section):
    # The editor's interface is Swedish: a key shown as it is ('SOURCES', 'EXPIRES') is English.
    collection = next(c for c in cms.config(real_site())["collections"] if c["name"] == section)
    unlabelled = [f["name"] for f in collection["fields"] if f["label"] == f["name"]]
    assert unlabelled == []


def test_the_sources_to_choose_from_are_those_of_data_sources_yaml():
    site = real_site()
    news = fields_of(next(c for c in cms.config(site)["collections"] if c["name"] == "news"))
    choice = news["sources"]
    assert choice["widget"] == "select" and choice["multiple"] and choice["required"] is False
    assert [o["value"] for o in choice["options"]] == [src.id for src in site.sources]
    assert choice["options"][0]["label"] == "Mjölby kommun: Samverkan för trygghet och säkerhet (2019-09-23)"


def test_files_per_language_as_the_build_reads_them():
    config = cms.config(real_site())
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["sv", "en"], "default_locale": "sv"}
    news = next(c for c in config["collections"] if c["name"] == "news")
    assert news["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"  # content/news/<date>-<slug>.<lang>.md
    shared = {f["name"] for f in news["fields"] if f["i18n"] == "duplicate"}
    assert shared == {"date", "municipalities", "draft"}
    assert config["slug"]["encoding"] == "ascii" and config["slug"]["clean_accents"]  # Ö → o, as `new news` does


def test_a_field_added_to_a_shape_appears_in_the_editor(monkeypatch):
    original = model._page_shape
    extended = s.Fields(**original("news").fields, location=s.Field(s.Text(), required=False))
    monkeypatch.setattr(model, "_page_shape", lambda section: extended if section == "news" else original(section))
    news = fields_of(next(c for c in cms.config(real_site())["collections"] if c["name"] == "news"))
    assert news["location"]["widget"] == "string" and news["location"]["required"] is False


def test_fields_inside_the_optional_source_are_optional_in_the_editor():
    news = fields_of(next(c for c in cms.config(real_site())["collections"] if c["name"] == "news"))
    source = news["source"]
    assert source["required"] is False
    assert all(f["required"] is False for f in source["fields"])  # else Decap refuses an item without a source


def test_editorial_workflow_and_the_git_host_from_data_site_yaml(tiny):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write("\neditor:\n  backend: gitlab\n  repo: kommun/trygghet\n  app_id: abc123\n")
    config = cms.config(real_site(tiny))
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "kommun/trygghet",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "abc123",
    }


def test_the_local_backend_is_offered_only_on_a_loopback_address():
    site = real_site()
    assert cms.config(site)["local_backend"] == {"url": "http://127.0.0.1:8000/api/v1"}
    public = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url="https://example.se/trygghet/"))
    assert "local_backend" not in cms.config(public)


# --- the built /admin/ ---------------------------------------------------------------------


@needs_bundle
def test_the_built_config_yml_agrees_with_the_shapes(tiny_built):
    """The file an editor's browser reads, not only the function: if they ever disagree, this fails."""
    written = yaml.safe_load((tiny_built / "admin/config.yml").read_text(encoding="utf-8"))
    for section in ("news", "pages"):
        collection = next(c for c in written["collections"] if c["name"] == section)
        assert list(fields_of(collection)) == [*model._page_shape(section).fields, "body"]
    assert written == cms.config(real_site(tiny_built.parent))


@needs_bundle
def test_the_editor_is_served_from_the_sites_own_origin_with_its_own_csp(tiny_built):
    page = (tiny_built / "admin/index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == [f"decap-cms-{cms.bundle_version()}/decap-cms.js", "admin.js"]
    assert all((tiny_built / "admin" / src).is_file() for src in scripts)
    assert "://" not in "".join(scripts)  # never a CDN
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    assert "script-src 'self' 'unsafe-eval'" in csp and "style-src 'self' 'unsafe-inline'" in csp
    # The chunks the bundle loads keep their names (no content hash), beside it.
    assert (tiny_built / f"admin/decap-cms-{cms.bundle_version()}/LICENSE").is_file()
    assert len(list((tiny_built / f"admin/decap-cms-{cms.bundle_version()}").glob("*.decap-cms.js"))) > 10


@needs_bundle
def test_the_public_pages_keep_their_strict_csp(tiny_built):
    public = [p for p in tiny_built.rglob("*.html") if "admin" not in p.relative_to(tiny_built).parts]
    assert len(public) > 30
    for path in public:
        text = path.read_text(encoding="utf-8")
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        if csp:
            assert "unsafe" not in csp[1].replace("'wasm-unsafe-eval'", ""), path


@needs_bundle
def test_the_preview_pane_uses_the_sites_stylesheet(tiny_built):
    page = (tiny_built / "admin/index.html").read_text(encoding="utf-8")
    stylesheet = re.search(r'data-stylesheet="/assets/(site\.[0-9a-f]{8}\.css)"', page)[1]
    assert (tiny_built / "assets" / stylesheet).is_file()
    assert "registerPreviewStyle" in (tiny_built / "admin/admin.js").read_text(encoding="utf-8")


NO_BUNDLE = (
    "build.py: no web editor at /admin/: the pinned Decap CMS is not in node_modules "
    "(run 'npm ci --ignore-scripts' once to add it). Everything else is built."
)


def without_the_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(cms, "DIST", tmp_path / "nothing")
    monkeypatch.setattr(cms, "PACKAGE", tmp_path / "nothing/package.json")


def test_without_the_bundle_the_build_makes_no_admin_and_says_so(tmp_path, monkeypatch, capsys):
    without_the_bundle(monkeypatch, tmp_path)
    problems = Problems()
    assert cms.outputs(real_site(), problems) == []
    assert not problems.items  # nothing is wrong with the site's files: a notice, not a problem
    assert ["build.py: " + message for message in problems.notices] == [NO_BUNDLE]
    assert capsys.readouterr().err == ""  # a stage never prints: the command line says it
    site = real_site()
    turned_on = dataclasses.replace(site, config=dataclasses.replace(site.config, edit_link="cms"))
    cms.outputs(turned_on, problems)
    assert "edit_link: cms" in str(problems.errors[0])


@pytest.mark.parametrize("command", ["build", "check"])
def test_without_the_bundle_the_command_line_says_so_once(tiny, tmp_path, monkeypatch, command):
    without_the_bundle(monkeypatch, tmp_path)
    monkeypatch.chdir(tiny)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli.main([command, "--now", "2026-11-30"]) == 0
    assert err.getvalue().splitlines() == [NO_BUNDLE]
    assert not (tiny / "_site/admin").exists()


def test_the_preview_says_it_once_however_often_it_rebuilds(tmp_path, monkeypatch, capsys):
    without_the_bundle(monkeypatch, tmp_path)
    problems = Problems()
    cms.outputs(real_site(), problems)
    state = serve.State(out=tmp_path, lock=threading.Lock())
    for _ in range(3):
        serve.report(incremental.Result(problems), state, None)
    assert capsys.readouterr().err.splitlines().count(NO_BUNDLE) == 1


# --- "Edit this page" ------------------------------------------------------------------------


def test_no_edit_link_unless_configured(tiny_built):
    assert not [p for p in tiny_built.rglob("*.html") if 'class="edit-link"' in p.read_text(encoding="utf-8")]


@needs_bundle
def test_edit_link_to_the_web_editor_on_every_content_page(tiny):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write("\nedit_link: cms\n")
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    found = {}
    for path in site.rglob("*.html"):
        link = re.search(r'<p class="edit-link"><a href="([^"]+)">([^<]+)</a>', path.read_text(encoding="utf-8"))
        if link:
            found[path.relative_to(site).as_posix()] = link.groups()
    assert found["index.html"] == ("/admin/#/collections/pages/entries/index", "Redigera den här sidan")
    assert found["en/news/the-unit-grows/index.html"] == (
        "/admin/#/collections/news/entries/2020-01-10-enheten-vaxer",
        "Edit this page",
    )
    sources = sorted(p.relative_to(tiny).as_posix() for p in (tiny / "content").rglob("*.md"))
    assert len(found) == len(sources)  # every content page, and no page made from data
    assert render.EDITOR_ENTRY.startswith(cms.FOLDER)


def test_edit_link_to_the_file_in_the_repository(tiny):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write("\nedit_link: https://github.com/kommun/trygghet/edit/main/\n")
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    page = (tiny / "_site/om/index.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/kommun/trygghet/edit/main/content/pages/om.sv.md">' in page


def test_a_wrong_edit_link_is_an_error_at_its_line(tiny):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write("\nedit_link: github\n")
    result = run_build(tiny)
    assert result.returncode == 1
    assert "data/site.yaml" in result.stderr and "'edit_link' is 'github'" in result.stderr


# --- the local backend ------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path):
    root = tiny_site(tmp_path / "site")
    return cmsbackend.Repository(root)


def test_local_backend_reads_and_writes_the_content_files(repository):
    entries = repository.handle("entriesByFolder", {"folder": "content/news", "extension": "md", "depth": 1})
    assert [e["file"]["path"] for e in entries] == [
        "content/news/2020-01-10-enheten-vaxer.en.md",
        "content/news/2020-01-10-enheten-vaxer.sv.md",
    ]
    files = [
        {"path": f"content/news/2026-11-02-ovning.{lang}.md", "raw": f"---\ntitle: {lang}\n---\n", "slug": "x"}
        for lang in ("sv", "en")
    ]
    repository.handle("persistEntry", {"dataFiles": files, "assets": [], "options": {}})
    assert (repository.root / "content/news/2026-11-02-ovning.sv.md").read_text() == "---\ntitle: sv\n---\n"
    assert (
        repository.handle("getEntry", {"path": "content/news/2026-11-02-ovning.en.md"})["data"]
        == "---\ntitle: en\n---\n"
    )


@pytest.mark.parametrize(
    "path",
    [
        "../outside.md",
        "/etc/passwd",
        "content/news/../../data/site.yaml",
        "data/site.yaml",
        "templates/base.html",
        "content/news/x.html",
        "content\\news\\x.md",
        "content/news//x.md",
        "static/assets/site.css",
    ],
)
def test_local_backend_refuses_anything_but_content_and_media(repository, path):
    with pytest.raises(cmsbackend.Refused):
        repository.handle("persistEntry", {"dataFiles": [{"path": path, "raw": "x"}], "assets": []})
    with pytest.raises(cmsbackend.Refused):
        repository.handle("getEntry", {"path": path})


def test_local_backend_does_not_follow_a_link_out_of_the_site(repository, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (repository.root / "content/news/away").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(cmsbackend.Refused):
        repository.handle("persistEntry", {"dataFiles": [{"path": "content/news/away/x.md", "raw": "x"}], "assets": []})
    assert not list((tmp_path / "elsewhere").iterdir())


# --- the editor in the preview server ----------------------------------------------------------


@needs_bundle
def test_the_preview_serves_the_editor_without_live_reload_or_site_csp_even_while_the_build_is_broken(tiny):
    import urllib.request

    from servetools import fetch, serving, wait_for

    with serving(tiny) as (origin, lines):
        # The line comes just after "Serving on", which `serving` waits for: wait for it too (read
        # straight away, a busy machine had not yet passed it on).
        wait_for(lambda: any(f"Web editor on {origin}/admin/" in line for line in lines), "the web editor's line")
        with urllib.request.urlopen(origin + "/admin/", timeout=30) as response:
            assert response.headers.get("Content-Security-Policy") is None  # the page's own meta tag rules
            page = response.read().decode("utf-8")
        assert "livereload" not in page and "Content-Security-Policy" in page
        with urllib.request.urlopen(origin + "/", timeout=30) as response:
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        news = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
        news.write_text(
            news.read_text(encoding="utf-8").replace("date: 2020-01-10", "date: 2020-02-30"), encoding="utf-8"
        )
        wait_for(lambda: fetch(origin + "/")[0] == 500, what="the error page")
        status, page = fetch(origin + "/admin/")
        assert status == 200 and "decap-cms" in page  # the editor stays, to fix the mistake in


def test_an_optional_field_the_editor_left_empty_counts_as_not_given(tiny):
    news = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
    news.write_text(
        news.read_text(encoding="utf-8").replace("---\n", "---\ntranslation_key: ''\ndescription: \"\"\n", 1),
        encoding="utf-8",
    )
    page = tiny / "content/pages/kontakt.sv.md"
    page.write_text(
        re.sub(r"(?m)^title: .*$", "title: ''", page.read_text(encoding="utf-8"), count=1), encoding="utf-8"
    )
    result = run_build(tiny)
    assert "2020-01-10-enheten-vaxer.sv.md" not in result.stderr  # the empty optional keys are fine
    assert "content/pages/kontakt.sv.md:2: 'title' is empty" in result.stderr  # a required one is not


def test_github_signs_in_through_the_hosts_own_relay_which_the_editors_csp_allows(tiny):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "\neditor:\n  backend: github\n  repo: kommun/trygghet\n  auth_url: https://auth.kommun.se/decap/auth\n"
        )
    site = real_site(tiny)
    assert cms.config(site)["backend"] == {
        "name": "github",
        "repo": "kommun/trygghet",
        "branch": "main",
        "base_url": "https://auth.kommun.se",
        "auth_endpoint": "decap/auth",
    }
    assert cms.connect_sources(site) == "https://api.github.com https://auth.kommun.se"


def test_local_backend_writes_no_file_for_a_language_left_empty(repository):
    files = [
        {"path": "content/pages/lattlast.sv.md", "raw": "---\ntitle: Lättläst\nupdated: 2026-11-30\n---\nText.\n"},
        {"path": "content/pages/lattlast.en.md", "raw": "\n"},
    ]
    repository.handle("persistEntry", {"dataFiles": files, "assets": [], "options": {}})
    assert not (repository.root / "content/pages/lattlast.en.md").exists()
    assert "updated: 2026-11-30" in (repository.root / "content/pages/lattlast.sv.md").read_text()


@pytest.mark.parametrize(
    "editor, missing", [("backend: github\n  repo: a/b", "auth_url"), ("backend: gitlab\n  repo: a/b", "app_id")]
)
def test_a_git_host_without_what_it_needs_to_sign_in_is_an_error(tiny, editor, missing):
    with (tiny / "data/site.yaml").open("a", encoding="utf-8") as f:
        f.write(f"\neditor:\n  {editor}\n")
    result = run_build(tiny)
    assert result.returncode == 1 and f"add '{missing}'" in result.stderr


def test_without_a_git_host_the_editor_asks_only_its_own_origin():
    assert cms.config(real_site())["backend"] == {
        "name": "proxy",
        "proxy_url": "http://127.0.0.1:8000/api/v1",
        "branch": "main",
    }
