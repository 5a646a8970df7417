"""The web editor at /admin/: Decap CMS, configured from the engine's own shapes.

`config(site)` turns the front-matter shapes of `model._page_shape` into Decap's
collections, field by field (type, required or not, pattern, default, the
municipalities from data/collaboration.yaml), so a field added to a shape is in
the editor at the next build; tests/test_cms.py fails if the two disagree.

`outputs(site)` is /admin/: its page (with its own Content-Security-Policy: the
editor needs inline styles, the public pages keep theirs), `config.yml`, a small
script of ours, and Decap's pinned bundle copied from node_modules/decap-cms/dist.
The bundle loads its chunks by their own names, so nothing under admin/ gets a
content hash (assets.py); the version is in the folder's name instead.

Without node_modules (someone who never ran `npm ci`) there is no bundle: the
build makes no /admin/ and says so (a notice in its problems, which the command line
prints), and everything else is as usual.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from urllib.parse import urlsplit

from portal.load import shape as s
from portal.load import yamlnodes
from portal.messages import _, say
from portal.model import site as model
from portal.output import Output
from portal.problems import Problems

ENGINE = Path(__file__).resolve().parents[2]  # where build.py and node_modules live, not the site's folder
DIST = ENGINE / "node_modules" / "decap-cms" / "dist"
PACKAGE = ENGINE / "node_modules" / "decap-cms" / "package.json"
FOLDER = "admin/"
API = "api/v1"  # the local backend's address under the preview's origin (preview/serve.py)

# The editor's own page: it runs React and emotion (inline <style>), compiles its config's
# schema with ajv (new Function: 'unsafe-eval'), talks to the Git host's
# API and shows avatars from it. Only this page gets this policy.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https://avatars.githubusercontent.com https://secure.gravatar.com https://gitlab.com; "
    "connect-src 'self' {connect}; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
)

# What the editor calls each front-matter key, in Swedish (the editor's interface is Swedish);
# a key missing here is shown by its own name, never hidden.
EDITOR_LOCALE = "sv"  # the editor's own interface, and the language of LABELS and of the pattern hints

LABELS = {
    "title": ("Rubrik", None),
    "slug": (
        "Adress (slug)",
        "Valfri. Sista delen av sidans adress i det här språket, t.ex. odeshog-joins. Små bokstäver a–z, siffror och bindestreck.",
    ),
    "translation_key": ("Översättningsnyckel", "Valfri. Behövs bara när filerna på olika språk har olika namn."),
    "description": ("Beskrivning för sökmotorer", "Valfri. En mening."),
    "date": ("Datum", "Nyheten publiceras detta datum (ett senare datum väntar)."),
    "summary": ("Sammanfattning", "En eller två meningar; visas i listor och flöden."),
    "municipalities": ("Kommuner", "Kommunerna som nyheten gäller."),
    "updated": ("Uppdaterad", None),
    "draft": ("Utkast", "Ett utkast publiceras inte. Stäng av när nyheten är klar."),
    "sources": (
        "Källor",
        "Valfri. Källorna i data/sources.yaml som nyheten bygger på, i den ordning den hänvisar till dem.",
    ),
    "source": ("Källa", "Valfri. Var uppgifterna kommer från."),
    "publisher": ("Utgivare", None),
    "url": ("Webbadress", "Hela adressen, med https://"),
    "template": ("Mall", "Valfri. Namnet på en mall i templates/, t.ex. staffing.html."),
    "expires": (
        "Gäller till",
        "Valfri. Efter detta datum visas sidan inte i listor, flöden, webbplatskartan eller sökningen.",
    ),
    "aliases": ("Gamla adresser", "Valfri. Adresser som sidan hade förut, t.ex. /om-oss/gammal-sida/; de leder hit."),
    "body": ("Text", None),
}
# Keys whose value is the same in every language: one field, copied into each file.
SHARED = {"date", "municipalities", "draft"}
COLLECTIONS = {  # section -> (label, singular label, file-name template for new entries)
    "news": ("Nyheter", "Nyhet", "{{year}}-{{month}}-{{day}}-{{slug}}"),
    "pages": ("Sidor", "Sida", "{{slug}}"),
}


def bundle_version() -> str | None:
    """The pinned Decap CMS version in node_modules, or None if it is not installed."""
    try:
        version = json.loads(PACKAGE.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
    return version if (DIST / "decap-cms.js").is_file() else None


# --- shapes to Decap fields ----------------------------------------------------------


def field(name: str, spec: s.Field, choices: dict, optional_parent: bool = False) -> dict:
    """One Decap field from one declared front-matter key.

    Inside an optional group (a news item's `source`) every field is optional in the
    editor: Decap cannot say "required when the group is filled in", so it would refuse
    to save an item without a source. The build still says when `publisher` is missing.
    """
    label, hint = LABELS.get(name, (name, None))
    out = {"name": name, "label": label}
    out.update(widget(spec.shape, name, choices, optional=not spec.required))
    if hint:
        out["hint"] = hint
    if not spec.required or optional_parent:
        out["required"] = False
    if spec.default is not None:
        out["default"] = spec.default
    return out


def widget(shape: s.Shape, name: str, choices: dict, optional: bool = False) -> dict:
    if name in choices and isinstance(shape, s.ListOf):
        return {"widget": "select", "multiple": True, "min": shape.min_items or None, "options": choices[name]}
    if isinstance(shape, s.OneOf):
        return {"widget": "select", "options": list(shape.choices)}
    if isinstance(shape, s.Date):
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "picker_utc": True,
        }
    if isinstance(shape, s.Bool):
        return {"widget": "boolean"}
    if isinstance(shape, s.Number):
        return {"widget": "number", "value_type": "float"}
    if isinstance(shape, s.Fields):
        return {
            "widget": "object",
            "collapsed": True,
            "fields": [field(key, spec, choices, optional) for key, spec in shape.fields.items()],
        }
    if isinstance(shape, s.ListOf):
        return {"widget": "list", "field": {"name": "item", "label": name, **widget(shape.item, name, choices)}}
    if isinstance(shape, s.Text):
        out = {"widget": "text" if shape.multiline else "string"}
        if shape.pattern is not None:
            # Decap tests with RegExp.test (a search): anchor it to mean Python's fullmatch.
            out["pattern"] = [f"^(?:{shape.pattern.pattern})$", say(shape.hint, EDITOR_LOCALE) if shape.hint else "?"]
        return out
    raise TypeError(f"no editor widget for the shape {type(shape).__name__} of '{name}'")


def _clean(value):
    """Drop None values (a select without a minimum), so config.yml says only what is meant."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _source_label(source, lang: str) -> str:
    """A source as an editor picks it: publisher, title (or address) and date."""
    named = source.title or source.url or source.id
    return f"{source.publisher_in(lang)}: {named}" + (f" ({source.date.isoformat()})" if source.date else "")


def collection(section: str, site: model.Site) -> dict:
    label, singular, slug = COLLECTIONS[section]
    default = site.config.default.code
    choices = {
        "municipalities": [{"value": m.id, "label": m.name[default]} for m in site.collaboration.municipalities],
        # Chosen from data/sources.yaml, not typed: an id the build does not know is an error.
        "sources": [{"value": src.id, "label": _source_label(src, default)} for src in site.sources],
    }
    shape = model._page_shape(section)
    fields = [field(name, spec, choices) for name, spec in shape.fields.items()]
    fields.append({"name": "body", "label": LABELS["body"][0], "widget": "markdown", "required": False})
    for f in fields:
        f["i18n"] = "duplicate" if f["name"] in SHARED else True
    return {
        "name": section,
        "label": label,
        "label_singular": singular,
        "folder": f"content/{section}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "slug": slug,
        "identifier_field": "title",
        "summary": "{{title}}",
        "i18n": True,
        "fields": fields,
        **({"sortable_fields": ["date", "title"]} if section == "news" else {}),
    }


def _loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def backend(site: model.Site) -> dict:
    editor = site.config.editor or {}
    if not editor:
        # Not configured: only the preview's local backend works. Decap's GitHub default would
        # sign in through Netlify, a third party; this asks nobody but the site's own origin.
        return {"name": "proxy", "proxy_url": site.config.base_url + API, "branch": "main"}
    out = {"name": editor["backend"], "repo": editor["repo"], "branch": editor["branch"]}
    if editor["backend"] == "gitlab":
        out.update({"auth_type": "pkce", "app_id": editor.get("app_id")})
        if editor.get("host"):
            out.update(
                {
                    "api_root": editor["host"].rstrip("/") + "/api/v4",
                    "base_url": editor["host"].rstrip("/"),
                    "auth_endpoint": "oauth/authorize",
                }
            )
    elif editor.get("auth_url"):  # GitHub: the OAuth relay the host runs (GitHub needs a client secret)
        parts = urlsplit(editor["auth_url"])
        out.update({"base_url": f"{parts.scheme}://{parts.netloc}", "auth_endpoint": parts.path.lstrip("/") or "auth"})
    return out


def config(site: model.Site) -> dict:
    codes = [lang.code for lang in site.config.languages]
    out = {
        "backend": backend(site),
        "publish_mode": "editorial_workflow",
        "locale": EDITOR_LOCALE,
        "site_url": site.config.base_url,
        "display_url": site.config.base_url,
        "media_folder": "static/media",
        "public_folder": site.config.base_path + "media",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "i18n": {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]},
        "collections": [collection(section, site) for section in ("news", "pages")],
    }
    if _loopback(site.config.base_url):
        # The preview (`build.py serve`) answers Decap's local-backend protocol on its own origin.
        out["local_backend"] = {"url": site.config.base_url + API}
    return _clean(out)


def config_yaml(site: model.Site) -> bytes:
    head = "# Made by build.py from the engine's shapes (portal/cms.py); edits here are overwritten.\n"
    return (head + yamlnodes.dump(config(site))).encode("utf-8")


# --- the admin page ---------------------------------------------------------------


def connect_sources(site: model.Site) -> str:
    editor = site.config.editor or {}
    found = ["https://api.github.com"]
    if editor.get("backend") == "gitlab":
        found = [editor.get("host") or "https://gitlab.com"]
    elif editor.get("auth_url"):
        parts = urlsplit(editor["auth_url"])
        found.append(f"{parts.scheme}://{parts.netloc}")
    return " ".join(found)


def page(site: model.Site, version: str) -> bytes:
    lang = site.config.default
    title = f"Redigera – {lang.title}"
    base = site.config.base_path
    csp = CSP.format(connect=connect_sources(site))
    html = f"""<!DOCTYPE html>
<html lang="{lang.code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="strict-origin-when-cross-origin">
<meta name="robots" content="noindex">
<title>{_escape(title)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<link rel="icon" href="{base}assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<noscript><p>Webbredigeraren behöver JavaScript. / The web editor needs JavaScript.</p></noscript>
<script src="decap-cms-{version}/decap-cms.js"></script>
<script src="admin.js" data-stylesheet="{base}assets/site.css"></script>
</body>
</html>
"""
    return html.encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# Our script: the preview pane uses the site's own stylesheet (its hashed name comes from
# the data- attribute, which assets.py rewrites), and an item's preview shows like the page.
ADMIN_JS = """\
// Made by build.py (portal/cms.py). The editor's preview pane uses the site's stylesheet
// and shows an item as the page does (title, date, summary, text), in the page's classes.
(function () {
  var CMS = window.CMS, h = window.h;
  CMS.registerPreviewStyle(document.currentScript.getAttribute('data-stylesheet'));
  function field(entry, name) {
    var value = entry.getIn(['data', name]);
    return value === undefined || value === null ? '' : String(value);
  }
  CMS.registerPreviewTemplate('news', function (props) {
    return h('main', {id: 'main'}, h('article', {className: 'wrap content news-item'},
      h('h1', {}, field(props.entry, 'title')),
      h('p', {className: 'meta'}, h('time', {}, field(props.entry, 'date'))),
      h('p', {className: 'lead'}, field(props.entry, 'summary')),
      props.widgetFor('body')));
  });
  CMS.registerPreviewTemplate('pages', function (props) {
    return h('main', {id: 'main'}, h('div', {className: 'wrap content'},
      h('h1', {}, field(props.entry, 'title')),
      props.widgetFor('body')));
  });
})();
"""


def check(site: model.Site, problems: Problems) -> None:
    """What the Git host needs to sign in; without it Decap would fail, or ask Netlify."""
    editor = site.config.editor or {}
    if editor.get("backend") == "gitlab" and not editor.get("app_id"):
        problems.error(
            "data/site.yaml",
            None,
            _("editor: GitLab signs in with an OAuth application's id: add 'app_id' (docs/web-editor.md)"),
        )
    if editor.get("backend") == "github" and not editor.get("auth_url"):
        problems.error(
            "data/site.yaml",
            None,
            _(
                "editor: GitHub signs in through an OAuth relay the host runs: add 'auth_url' (without it Decap would use Netlify's; docs/web-editor.md)"
            ),
        )


def outputs(site: model.Site, problems: Problems) -> list[Output]:
    check(site, problems)
    version = bundle_version()
    if version is None and site.config.edit_link == "cms":
        problems.error(
            "data/site.yaml",
            None,
            _(
                "edit_link: cms links every page to the web editor, which is not built here: its pinned Decap CMS is not in node_modules (run 'npm ci --ignore-scripts' once), or set edit_link to the repository's edit address"
            ),
        )
        return []
    if version is None:
        problems.notice(
            _(
                "no web editor at /admin/: the pinned Decap CMS is not in node_modules "
                "(run 'npm ci --ignore-scripts' once to add it). Everything else is built."
            )
        )
        return []
    files = [
        Output(FOLDER + "index.html", page(site, version)),
        Output(FOLDER + "config.yml", config_yaml(site)),
        Output(FOLDER + "admin.js", ADMIN_JS.encode("utf-8")),
    ]
    bundle = f"{FOLDER}decap-cms-{version}/"
    for path in sorted(DIST.iterdir()):
        name = path.name
        if (
            name == "decap-cms.js"
            or name.endswith(".decap-cms.js")
            or name.endswith(".wasm")
            or name == "decap-cms.js.LICENSE.txt"
        ):
            files.append(Output(bundle + name, copy_from=path))
    files.append(Output(bundle + "LICENSE", licence_note(version)))
    return files


def licence_note(version: str) -> bytes:
    """The npm package has no licence file; its package.json names the licence."""
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    return (
        f"Decap CMS {version} (npm package decap-cms), licence: {package.get('license', 'see package.json')}.\n"
        "Copyright Netlify, Inc. and the Decap CMS contributors: https://github.com/decaporg/decap-cms\n"
        "The licences of the libraries bundled in decap-cms.js are in decap-cms.js.LICENSE.txt beside this file.\n"
        "Copied here by build.py (portal/cms.py) from node_modules/decap-cms/dist, unchanged.\n"
    ).encode()
