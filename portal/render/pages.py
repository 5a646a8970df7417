"""Stage 3, render: every page of the Site through its Jinja template.

Templates get a read-only view: the page, its translations, the site's data,
and a few helpers (`t` for interface strings, with the site's facts for their placeholders
(FACTS), `url` for links, `cite` for sources, `number` and `date` for localized figures). Autoescaping is on and undefined names fail, so
a typo in a template is an error naming the template and its line.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import jinja2
import jinja2.nodes
import jinja2.sandbox
from markupsafe import Markup, escape

from portal import formatting
from portal.load import strings
from portal.load.body import Changed
from portal.load.strings import StringMissing
from portal.messages import _
from portal.model import contacts, publishing
from portal.model.site import Page, Site
from portal.output import Output
from portal.problems import Problems
from portal.render import charts, citations, depends, markup, shareimages, templateloops, workers

_REFERENCES = (jinja2.nodes.Include, jinja2.nodes.Extends, jinja2.nodes.Import, jinja2.nodes.FromImport)


class RecordingEnvironment(jinja2.sandbox.SandboxedEnvironment):
    """The sandboxed Jinja environment, noting every template a render loads into `recorded`.

    Jinja loads the parent of `{% extends %}` and the target of `{% include %}`
    and `{% import %}` through these two methods while rendering, so the chain
    of templates a page really used is recorded, not guessed (depends.py).
    """

    recorded: set | None = None  # the dependencies of the page being rendered; None: not recording

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.references = {}  # template name -> its literal includes, extends and imports (check_templates)

    def _parse(self, source, name, filename):
        # Compiling a template parses it; its references are read from that tree, before code is
        # made from it, instead of parsing every template a second time for the loop check
        # (about a quarter of a small site's render stage).
        tree = super()._parse(source, name, filename)
        self.references[name] = [
            (node.lineno, node.template.value)
            for node in tree.find_all(_REFERENCES)
            if isinstance(node.template, jinja2.nodes.Const) and isinstance(node.template.value, str)
        ]
        return tree

    def get_template(self, name, parent=None, globals=None):
        if self.recorded is not None and isinstance(name, str):
            self.recorded.add(("template", self.join_path(name, parent) if parent else name))
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        template = super().select_template(names, parent, globals)
        if self.recorded is not None:
            self.recorded.add(("template", template.name))
        return template

    def is_safe_attribute(self, obj, attr, value) -> bool:
        # The sandbox's own test, remembered: it looks only at the object's type and the name
        # (never at `value`), and a large site's pages ask it hundreds of thousands of times.
        key = (type(obj), attr)
        safe = _SAFE.get(key)
        if safe is None:
            safe = _SAFE[key] = super().is_safe_attribute(obj, attr, value)
        return safe


_SAFE = {}  # (type, attribute name) -> is_safe_attribute; as many as the templates' names


def environment(templates: Path) -> jinja2.Environment:
    # The sandbox: a template an editor commits cannot reach Python's internals
    # (`''.__class__.__mro__`…) and so cannot run commands on the build machine.
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader(str(templates.resolve())),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        auto_reload=False,  # no stat of each template on each use: a changed template gets a new environment
    )
    env.globals.update(t=_t, t_in=_t_in, url=_url, abs_url=_abs_url, page_url=_page_url, asset=_asset)
    env.globals.update(chart_path=charts.path, chart_label=_chart_label, edit_url=_edit_url)
    env.globals.update(share_image=_share_image, og_locale=_og_locale, organisation_data=_organisation_data)
    env.globals.update(cite=_cite)
    env.filters.update(number=_number, date=_date, isodate=formatting.iso, sentence=formatting.sentence)
    return env


# --- helpers the templates call; they read the page's language from the context ---


@jinja2.pass_context
def _t(ctx, key: str, **values) -> str:
    return _text(ctx["site"], ctx["lang"].code, key, values)


@jinja2.pass_context
def _t_in(ctx, lang: str, key: str, **values) -> str:
    """A string in another language than the page's (the 404 page says it in every language)."""
    return _text(ctx["site"], lang, key, values)


# Placeholders any interface string may use without the template giving them: the site's
# facts from data/collaboration.yaml, so that no string names the unit or a municipality and
# a partner that joins is one entry in the data, not an edit of every language's strings.
FACTS = frozenset({"Unit", "unit", "host", "municipalities", "partners_or"})


def _text(site, lang: str, key: str, values: dict) -> str:
    # The collaboration is read (and recorded, depends.py) only by a string that uses a fact.
    if (strings.placeholders(site.config, lang, key) - values.keys()) & FACTS:
        values = facts(site, lang) | values
    return strings.text(site.config, lang, key, **values)


def facts(site, lang: str) -> dict:
    """The values of FACTS in a language: {Unit} the unit's name as data/collaboration.yaml
    writes it (to begin a sentence or a heading), {unit} the same in the middle of a sentence,
    {host} the host municipality's name, {municipalities} every municipality's place and
    {partners_or} the partners' places, listed with the language's "and" and "or"."""
    collab, config = site.collaboration, site.config
    places = [(m.place or m.name[lang], m.role) for m in collab.municipalities]
    return {
        "Unit": collab.unit_name[lang],
        "unit": formatting.in_sentence(collab.unit_name[lang]),
        "host": collab.municipality(collab.host).name[lang],
        "municipalities": formatting.join_names([p for p, _r in places], strings.text(config, lang, "list.and")),
        "partners_or": formatting.join_names(
            [p for p, role in places if role == "partner"], strings.text(config, lang, "list.or")
        ),
    }


_ON_A_PAGE = citations.Page(escape)


@jinja2.pass_context
def _cite(ctx, src) -> Markup:
    """A source cited in the page's language, in the words the feeds and the catalogue use (citations.py)."""
    return Markup(citations.cite(src, ctx["site"].config, ctx["lang"].code, _ON_A_PAGE))


@jinja2.pass_context
def _organisation_data(ctx) -> Markup:
    """The unit's schema.org JSON-LD for the page's language, safe inside <script>."""
    data = contacts.json_ld(ctx["site"], ctx["lang"].code)
    return Markup(
        json.dumps(data, ensure_ascii=False, indent=1)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


@jinja2.pass_context
def _url(ctx, target) -> str:
    """The path of a page (or a site path) under the base URL, for href/src."""
    path = target.url if isinstance(target, Page) else str(target).lstrip("/")
    return ctx["site"].config.base_path + path


@jinja2.pass_context
def _abs_url(ctx, target) -> str:
    path = target.url if isinstance(target, Page) else str(target).lstrip("/")
    return ctx["site"].config.base_url + path


@jinja2.pass_context
def _page_url(ctx, key: str) -> str:
    """Link to the page with translation key `key` in this language (or the default one)."""
    site, lang = ctx["site"], ctx["lang"].code
    anchor = ""
    if "#" in key:
        key, anchor = key.split("#", 1)
        anchor = "#" + anchor
    page = site.page(key, lang) or site.page(key, site.config.default.code)
    if page is None:
        raise StringMissing(_("no page with the key '{key}'", key=key))
    return site.config.base_path + page.url + anchor


# Where Decap CMS (cms.py) opens an entry: a folder collection per section, the entry
# named by the file's name without its language (both languages open side by side).
EDITOR_ENTRY = "admin/#/collections/{section}/entries/{entry}"


@jinja2.pass_context
def _edit_url(ctx, page: Page) -> str:
    """ "Edit this page": the page's entry in the web editor, or its file in the repository."""
    config = ctx["site"].config
    if config.edit_link == "cms":
        _, section, name = page.source.split("/")
        return config.base_path + EDITOR_ENTRY.format(section=section, entry=name.removesuffix(f".{page.lang}.md"))
    return config.edit_link + page.source


@jinja2.pass_context
def _asset(ctx, path: str) -> str:
    return ctx["site"].config.base_path + path.lstrip("/")


@jinja2.pass_context
def _chart_label(ctx, segment) -> str:
    """Who pays for a part of a funding split, in the page's language (the chart says the same)."""
    site, code = ctx["site"], ctx["lang"].code
    return charts.label(segment, site.collaboration, site.config, code)


@jinja2.pass_context
def _share_image(ctx, page) -> dict:
    """The page's share picture (its section's): absolute URL, size and text alternative."""
    site, lang = ctx["site"], ctx["lang"]
    where, big, small = shareimages.picture(site, page, lang)
    width, height = shareimages.SIZE
    return {"url": site.config.base_url + where, "alt": shareimages.alt(big, small), "width": width, "height": height}


def _og_locale(lang) -> str:
    return formatting.og_locale(lang.locale)


@jinja2.pass_context
def _number(ctx, value) -> str:
    return formatting.number(value, ctx["lang"].locale)


@jinja2.pass_context
def _date(ctx, value) -> str:
    return formatting.date(value, ctx["lang"].locale)


# --- rendering ---------------------------------------------------------------------


def _template_location(exc: BaseException, templates: Path):
    """(repository path, line) of the innermost template frame in a traceback."""
    found = None
    root = str(templates.resolve())
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(root):
            found = (frame.filename, frame.lineno)
    if found is None:
        return None, None
    name = Path(found[0]).resolve().relative_to(templates.resolve().parent).as_posix()
    return name, found[1]


def _content_html(site: Site, page: Page, problems: Problems, recorded: set | None = None) -> Markup:
    try:
        text = page.markdown
    except Changed as exc:
        problems.error(exc.name, None, exc.message)
        return Markup("")
    if not text.strip():
        return Markup("")
    by_source = site.url_by_source
    try:
        fragment, removed = markup.convert(text)
    except markup.MarkupError as exc:
        problems.error(page.source, page.body_line, exc.args[0])
        return Markup("")
    for line, message in removed:  # what an editor's raw HTML lost; a footnote nothing refers to
        problems.warn(page.source, page.body_line + (line or 1) - 1, message)

    def url_of(source):
        if recorded is not None:
            recorded.add(("source-url", source))  # this page shows that file's URL
        return by_source.get(source)

    fragment, missing = markup.rewrite_links(fragment, page.source, url_of, site.config.base_path)
    for target in missing:
        line = markup.first_line_with(text, target)
        problems.error(
            page.source,
            None if line is None else page.body_line + line - 1,
            publishing.missing_link(site, page, target),
        )
    return Markup(fragment)


class TemplateFailure(Exception):
    """A template failed for one page; `render` reports each distinct failure once."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


def render_page(env: jinja2.Environment, site: Site, page: Page, problems: Problems) -> Output:
    """One page's HTML. Content problems go to `problems`; a template error raises TemplateFailure."""
    lang = site.config.language(page.lang)
    recorded = env.recorded  # None unless an incremental build records what this page reads
    if recorded is not None:
        recorded.update({("page", page.output), ("site", "config")})
    shown = depends.view(site, recorded)
    context = {
        "site": shown,
        "page": page,
        "lang": lang,
        "content": _content_html(site, page, problems, recorded),
        "translations": {code: p for code, p in shown.translations(page).items() if code != page.lang},
    }
    try:
        html = env.get_template(page.template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailure(
            _syntax_path(exc, site.templates), exc.lineno, _("template syntax error: {message}", message=exc.message)
        ) from None
    except RecursionError as exc:
        path, line = _template_location(exc, site.templates)
        raise TemplateFailure(
            path or f"templates/{page.template}", line, _("a template includes or extends itself")
        ) from None
    except Exception as exc:  # noqa: BLE001 - any template failure becomes a located problem
        path, line = _template_location(exc, site.templates)
        if isinstance(exc, StringMissing) and exc.args:
            message = exc.args[0]  # ours: said in the editor's language later (str() would make it English text)
        elif isinstance(exc, (jinja2.UndefinedError, StringMissing)):
            message = str(exc)
        else:
            message = f"{type(exc).__name__}: {exc}"
        raise TemplateFailure(path or f"templates/{page.template}", line, message) from None
    return Output(page.output, html.encode("utf-8"))


def _syntax_path(exc: jinja2.TemplateSyntaxError, templates: Path) -> str:
    if exc.filename:
        return Path(exc.filename).resolve().relative_to(templates.resolve().parent).as_posix()
    return f"templates/{exc.name}"


def check_templates(env: jinja2.Environment, site: Site, problems: Problems) -> None:
    """Compile every template once, so a syntax error in any of them is found.

    An environment is made for one set of templates (`serve` makes a new one when any
    template changes), so what it found is remembered on it and not looked for again.
    """
    found = getattr(env, "template_problems", None)
    if found is None:
        found = Problems()
        names = env.list_templates()
        for name in names:
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                found.error(
                    _syntax_path(exc, site.templates),
                    exc.lineno,
                    _("template syntax error: {message}", message=exc.message),
                )
        # Each template that parsed above left its references (RecordingEnvironment._parse).
        graph = {name: env.references.get(name, []) for name in names}
        for name, line, message in templateloops.find_loops(graph):
            found.error(f"templates/{name}", line, message)
        env.template_problems = found
    problems.extend(found)


class Fresh:
    """The plain per-page renderer: a new environment, every page rendered.
    (The build cache, render/cache.py, is the other: it reuses pages whose inputs did not change.)"""

    def environment(self, site: Site) -> jinja2.Environment:
        return environment(site.templates)

    render_page = staticmethod(render_page)


def render(
    site: Site, problems: Problems, renderer=None, pages=None, progress=None, each=None, jobs: int = 1
) -> list[Output]:
    """The pages of the site (`pages`: only those), each by `renderer.render_page` (default:
    Fresh). The other files come from outputs/registry.py.

    `progress(stage, done, total)`, if given, hears of each page rendered. `each(output)`, if
    given, is what is kept of each page as soon as it is rendered (a build writes it at once).
    `jobs`: processes that render at once (workers.py), where that is worth it.
    """
    renderer = renderer or Fresh()
    env = renderer.environment(site)
    check_templates(env, site, problems)
    if problems.errors:
        return []
    pages = site.pages if pages is None else pages
    outputs = []
    failures = {}  # one template mistake breaks many pages: report it once
    for done, (page, (output, failure)) in enumerate(
        zip(pages, _rendered(env, site, pages, renderer, problems, each, jobs)), 1
    ):
        if progress:
            progress("render", done, len(pages))
        if failure is None:
            if output is not None:  # None: a page its process could not render, reported as such
                outputs.append(output)
        else:
            failures.setdefault(failure, []).append(page.source or "/" + page.url)
    for (path, line, message), broken in failures.items():
        others = _(" and {count} other page(s)", count=len(broken) - 1) if len(broken) > 1 else ""
        problems.error(
            path, line, _("{message} (rendering {pages}{others})", message=message, pages=broken[0], others=others)
        )
    return outputs


def _rendered(env, site: Site, pages: list, renderer, problems: Problems, each, jobs: int):
    """(what is kept of the page, None) or (None, (path, line, message) of a template failure)
    for each page in order; by `jobs` processes where that is worth it. The renderer and `each`
    hand over what they learnt of a page in another process (`carry`, `receive`), if they keep
    anything of it."""

    def one(page, problems):
        try:
            output = renderer.render_page(env, site, page, problems)
        except TemplateFailure as exc:
            return None, (exc.path, exc.line, exc.message)
        return (output if each is None else each(output)), None

    keepers = [k for k in (renderer, each) if hasattr(k, "carry")]

    def work(i):  # in a forked process
        page, own = pages[i], Problems()
        done = one(page, own)
        return done, own, [k.carry(page.output) for k in keepers]

    try:
        results = (
            workers.ordered(len(pages), work, jobs, markup.MARKDOWN_SECONDS)
            if workers.usable(jobs, len(pages))
            else None
        )
    except OSError:  # no process could start (memory, a process limit): rendered here, as with one job
        results = None
    if results is None:
        for page in pages:
            yield one(page, problems)
        return
    for i, outcome in results:
        page = pages[i]
        if outcome in (workers.SLOW, workers.DIED):
            message = (
                markup.TOO_SLOW
                if outcome == workers.SLOW
                else _("the page could not be rendered (its process stopped)")
            )
            problems.error(page.source or "/" + page.url, page.body_line if page.source else None, message)
            yield None, None
            continue
        done, own, carried = outcome
        problems.extend(own)
        for keeper, value in zip(keepers, carried):
            keeper.receive(page.output, value)
        yield done
