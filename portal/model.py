"""Stage 2, model: turn loaded sources into one consistent, validated Site.

Everything a template may show is decided here: which pages exist, their URLs,
how they pair as translations, the collaboration and its figures (with derived
figures computed, never typed). The result is immutable; `render` only reads it.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import contacts as contact_routes
from . import figures as staffing_figures
from . import opendata
from . import shape as s
from .figures import Figure  # noqa: F401 - part of the model's vocabulary
from .load import Sources
from .problems import Problems
from .yamlnodes import Mapping, Scalar

SECTIONS = ("pages", "news")


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language's name in itself: "Svenska", "English"
    locale: str  # babel locale: "sv", "en_GB"
    title: str  # site title in this language
    prefix: str  # "" for the default language, "en/" for the others


@dataclass(frozen=True)
class NewsSettings:
    page_size: int  # items per page of the news list
    feed_namespace: str  # a fixed UUID: every feed and entry id derives from it, never from URL or title
    paths: dict  # "page"/"archive"/"municipality" -> {lang: URL word under the news section}
    feed_size: int = 20  # entries per Atom feed, newest first; the archive lists every item


@dataclass(frozen=True)
class Config:
    base_url: str  # absolute, ends with "/"
    languages: tuple  # Language, default first
    nav: tuple  # page keys
    footer: tuple  # page keys
    contact: str  # page key of the contact page
    feedback: str  # page key (with optional #anchor) for "Give feedback"
    easy_read: str | None  # page key of the easy-to-read Swedish page
    responsible: dict  # lang -> who is responsible for the content
    sections: dict  # section -> {lang: url segment}
    strings: dict  # lang -> {key: text}
    news: NewsSettings | None = None

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    @property
    def default(self) -> Language:
        return self.languages[0]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


@dataclass(frozen=True)
class Page:
    key: str  # translation key: the same for a page in every language
    lang: str
    kind: str  # "page", "news", "news-list", "news-archive", "news-year", "news-municipality", "not-found"
    url: str  # path inside the site: "", "en/about/", "404.html"
    title: str
    template: str
    source: str | None = None  # repository-relative path of the markdown
    body: str = ""  # markdown
    body_line: int = 1
    description: str | None = None
    updated: dt.date | None = None
    date: dt.date | None = None
    meta: dict = field(default_factory=dict)  # the rest of the front matter
    status: str = "published"  # or "draft", "scheduled" (dated after the build's now): see publishing.py

    @property
    def output(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


SOURCE_KINDS = ("announcement", "news-article", "web-page")  # what a source is: shown beside it


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str | None  # None: the source gives no title to copy; it is named by its address
    date: dt.date | None  # None: the source gives no date ("undated")
    url: str | None
    kind: str | None = None  # one of SOURCE_KINDS
    date_kind: str = "published"  # what `date` is: "published" or "updated"

    @property
    def label(self) -> str:
        """What a citation names the source by: its title, or else its address."""
        if self.title:
            return self.title
        return (self.url or self.id).split("://", 1)[-1]


@dataclass(frozen=True)
class Municipality:
    id: str
    name: dict
    role: str  # "host" or "partner"
    place: str | None = None  # the place name alone, "Ödeshög", for "Nyheter om Ödeshög"


@dataclass(frozen=True)
class Agreement:
    id: str
    parties: tuple
    covers: dict
    date: dt.date | None  # None: the source does not date it
    date_kind: str  # "signed", "announced", "in force" — what the date means
    source: Source


@dataclass(frozen=True)
class WorkArea:
    """One of the unit's areas of work, as its source lists it."""

    name: dict  # lang -> the area, in a few words
    easy_read: str  # the same, explained in easy-to-read words in the default language


@dataclass(frozen=True)
class UnitWork:
    areas: tuple  # WorkArea, in the source's order
    source: Source


@dataclass(frozen=True)
class Collaboration:
    unit_name: dict
    host: str
    municipalities: tuple
    agreements: tuple
    work: UnitWork | None = None  # what the unit works with; None when no source is given

    def municipality(self, mid: str) -> Municipality:
        return next(m for m in self.municipalities if m.id == mid)


@dataclass(frozen=True)
class Site:
    config: Config
    pages: tuple  # every page, in a stable order
    collaboration: Collaboration
    figures: tuple  # Figure, every entry (history included), derived ones last
    sources: tuple
    static: tuple  # (url path, absolute Path)
    templates: object  # Path of the templates folder
    staffing: staffing_figures.Staffing = staffing_figures.EMPTY  # current figures, splits, history
    catalogue: opendata.Catalogue | None = None  # the open datasets under /data/
    withheld: dict = field(default_factory=dict)  # source path -> news Page publishing.py left out
    contacts: contact_routes.Contacts = contact_routes.EMPTY  # public contact routes and national numbers

    def translations(self, page: Page) -> dict:
        return dict(self._index[1].get((page.key, page.kind), {}))

    def page(self, key: str, lang: str) -> Page | None:
        return self._index[0].get((key, lang))

    @functools.cached_property
    def url_by_source(self) -> dict:
        """Content file -> its page's URL, for links written as file names (built once, not per page)."""
        return {p.source: p.url for p in self.pages if p.source}

    @functools.cached_property
    def _index(self) -> tuple:
        """Lookups by key in one step: every page asks for its translations and the pages it
        links, and a scan of all pages for each would make a 5,000-page build quadratic."""
        by_lang, by_kind = {}, {}
        for p in self.pages:
            by_lang.setdefault((p.key, p.lang), p)  # the first, as a scan would find
            by_kind.setdefault((p.key, p.kind), {})[p.lang] = p
        return by_lang, by_kind

    def source(self, sid: str) -> Source:
        """A source of data/sources.yaml by its id (news items cite them by id)."""
        return next(src for src in self.sources if src.id == sid)

    def figure(self, fid: str) -> Figure:
        """The latest entry of a figure."""
        return self.staffing.figure(fid)

    def news(self, lang: str) -> list:
        items = [p for p in self.pages if p.kind == "news" and p.lang == lang]
        return sorted(items, key=lambda p: (p.date, p.url), reverse=True)


# --- shapes of the data files -------------------------------------------------

LANGUAGES_SHAPE = s.ListOf(
    s.Fields(
        code=s.Id(),
        name=s.Text(),
        locale=s.Text(pattern=r"[a-z]{2,3}(_[A-Z]{2})?", hint="a locale such as sv or en_GB"),
        title=s.Text(),
    ),
    min_items=1,
)


def _site_shape(codes):
    return s.Fields(
        base_url=s.Url(),
        languages=LANGUAGES_SHAPE,
        nav=s.ListOf(s.Id(), min_items=1),
        footer=s.ListOf(s.Id()),
        contact=s.Id(),
        feedback=s.Text(pattern=r"[a-z0-9-]+(#[a-z0-9-]+)?", hint="a page key, optionally with #anchor"),
        easy_read=s.Field(s.Id(), required=False),
        responsible=s.PerLanguage(codes),
        # URL segments: a slug each, so none can climb out of the site with '..' or '/'.
        sections=s.Fields(
            news=s.PerLanguage(codes, text=s.Slug()),
            municipalities=s.PerLanguage(codes, text=s.Slug()),
            agreements=s.PerLanguage(codes, text=s.Slug()),
            data=s.PerLanguage(codes, text=s.Slug()),
        ),
        news=s.Fields(
            page_size=s.Number(),
            feed_size=s.Field(s.Number(), required=False, default=20),
            feed_namespace=s.Text(pattern=r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", hint="a UUID such as 6f1c0d2e-…; never change it once feeds are public"),
            paths=s.Fields(page=s.PerLanguage(codes, text=s.Slug()), archive=s.PerLanguage(codes, text=s.Slug()), municipality=s.PerLanguage(codes, text=s.Slug())),
        ),
    )


def _strings_flat(node, prefix, ctx, out):
    if isinstance(node, Mapping):
        for key, value in node.items():
            _strings_flat(value, f"{prefix}{key}.", ctx, out)
    elif isinstance(node, Scalar) and not node.is_null and str(node).strip():
        out[prefix[:-1]] = (str(node).strip(), node.line)
    else:
        ctx.error(getattr(node, "line", None), f"string '{prefix[:-1]}' should be text")


def build_config(sources: Sources, problems: Problems) -> Config | None:
    found = sources.data_file("site", problems, "it declares the languages, titles and navigation")
    if found is None:
        return None
    path, node = found
    ctx = s.Ctx(path, problems)
    if not isinstance(node, Mapping):
        ctx.error(getattr(node, "line", 1), "should be a mapping of settings (key: value)")
        return None
    # Languages first: the per-language fields depend on them.
    if "languages" not in node:
        ctx.error(node.line, "'site' is missing the required key 'languages'")
        return None
    raw_langs = LANGUAGES_SHAPE.convert(node["languages"], ctx, "languages")
    if raw_langs is s.INVALID:
        return None
    codes = tuple(lang["code"] for lang in raw_langs)
    conf = _site_shape(codes).convert(node, ctx, "site")
    if conf is s.INVALID:
        return None
    languages = tuple(
        Language(lang["code"], lang["name"], lang["locale"], lang["title"], "" if i == 0 else lang["code"] + "/")
        for i, lang in enumerate(conf["languages"])
    )
    base_url = conf["base_url"] if conf["base_url"].endswith("/") else conf["base_url"] + "/"
    news = conf["news"]
    for name in ("page_size", "feed_size"):
        if news[name] != int(news[name]) or news[name] < 1:
            ctx.error(news.line_of(name), f"'{name}' should be a whole number of at least 1, not {news[name]}")
            return None

    strings = {}
    string_lines = {}
    for code in codes:
        if code not in sources.strings:
            if sources.missing(f"i18n/{code}"):
                problems.error(f"data/i18n/{code}.yaml", None, f"is missing: the interface strings in '{code}'")
            continue
        spath, snode = sources.strings[code]
        flat = {}
        _strings_flat(snode, "", s.Ctx(spath, problems), flat)
        strings[code] = {k: v for k, (v, _) in flat.items()}
        string_lines[code] = (spath, {k: line for k, (_, line) in flat.items()})
    for code, (spath, lines) in string_lines.items():
        for other, (opath, olines) in string_lines.items():
            for key in sorted(set(olines) - set(lines)):
                problems.error(spath, None, f"the interface string '{key}' is missing (it is in {opath}:{olines[key]})")
    for code in sources.strings:
        if code not in codes:
            path_, _ = sources.strings[code]
            problems.error(path_, None, f"'{code}' is not a language of the site (data/site.yaml has {', '.join(codes)})")

    return Config(
        base_url=base_url,
        languages=languages,
        nav=tuple(conf["nav"]),
        footer=tuple(conf["footer"]),
        contact=conf["contact"],
        feedback=conf["feedback"],
        easy_read=conf["easy_read"],
        responsible=dict(conf["responsible"]),
        sections={name: dict(segments) for name, segments in conf["sections"].items()},
        strings=strings,
        news=NewsSettings(int(news["page_size"]), news["feed_namespace"], {k: dict(v) for k, v in news["paths"].items()},
                          int(news["feed_size"])),
    )


# --- sources, collaboration, figures -------------------------------------------

def build_sources(sources: Sources, problems: Problems) -> dict:
    found = sources.data_file("sources", problems, "every figure and agreement names its source there")
    if found is None:
        return {}
    path, node = found
    ctx = s.Ctx(path, problems)
    shape = s.ListOf(
        s.Fields(
            id=s.Id(),
            publisher=s.Text(),
            kind=s.Field(s.OneOf(*SOURCE_KINDS), required=False),
            title=s.Field(s.Text(), required=False),
            url=s.Field(s.Url(), required=False),
            date=s.Field(s.Date(), required=False),
            date_kind=s.Field(s.OneOf("published", "updated"), required=False, default="published"),
        )
    )
    items = shape.convert(node, ctx, "sources")
    if items is s.INVALID:
        return {}
    out = {}
    for item in items:
        if item["id"] in out:
            ctx.error(item.line, f"source id '{item['id']}' is used twice")
        if not item["title"] and not item["url"]:
            ctx.error(item.line, f"source '{item['id']}' has neither a title nor a url: give at least one, so a reader can find it")
        out[item["id"]] = Source(item["id"], item["publisher"], item["title"], item["date"], item["url"], item["kind"], item["date_kind"])
    return out


def _source_ref(ctx, record, key, known):
    sid = record[key]
    if sid not in known:
        ctx.error(record.line_of(key), f"unknown source '{sid}' (data/sources.yaml has: {', '.join(sorted(known)) or 'none'})")
        return None
    return known[sid]


def build_collaboration(sources: Sources, codes, known_sources, problems) -> Collaboration | None:
    found = sources.data_file("collaboration", problems, "it describes the unit, the municipalities and the agreements")
    if found is None:
        return None
    path, node = found
    ctx = s.Ctx(path, problems)
    text = s.PerLanguage(codes)
    shape = s.Fields(
        unit=s.Fields(name=text, host=s.Id(), work=s.Field(s.Fields(
            source=s.Id(),
            areas=s.ListOf(s.Fields(name=text, easy_read=s.Text()), min_items=1),
        ), required=False)),
        municipalities=s.ListOf(s.Fields(id=s.Id(), name=text, role=s.OneOf("host", "partner"), place=s.Field(s.Text(), required=False)), min_items=1),
        agreements=s.ListOf(
            s.Fields(
                id=s.Id(),
                parties=s.ListOf(s.Id(), min_items=2),
                covers=s.PerLanguage(codes, multiline=True),
                date=s.Field(s.Date(), required=False),
                date_kind=s.Field(s.OneOf("signed", "announced", "in-force"), required=False, default="announced"),
                source=s.Id(),
            )
        ),
    )
    data = shape.convert(node, ctx, "collaboration")
    if data is s.INVALID:
        return None
    ids = [m["id"] for m in data["municipalities"]]
    for m in data["municipalities"]:
        if ids.count(m["id"]) > 1:
            ctx.error(m.line, f"municipality id '{m['id']}' is used twice")
    if data["unit"]["host"] not in ids:
        ctx.error(data["unit"].line_of("host"), f"the host '{data['unit']['host']}' is not one of the municipalities ({', '.join(ids)})")
    hosts = [m["id"] for m in data["municipalities"] if m["role"] == "host"]
    if hosts != [data["unit"]["host"]]:
        ctx.error(data["unit"].line_of("host"), "exactly one municipality has the role 'host', and it is the unit's host")
    agreements = []
    last_dated = None
    for a in data["agreements"]:
        # The timeline and the history read the file top to bottom, oldest first.
        if a["date"] is not None:
            if last_dated is not None and a["date"] < last_dated:
                ctx.error(a.line_of("date"), f"agreement '{a['id']}' is dated {a['date']}, before the agreement above it ({last_dated}); list agreements oldest first")
            last_dated = a["date"]
        for party in a["parties"]:
            if party not in ids:
                ctx.error(a.line_of("parties"), f"unknown municipality '{party}' in the parties (known: {', '.join(ids)})")
        source = _source_ref(ctx, a, "source", known_sources)
        agreements.append(Agreement(a["id"], tuple(a["parties"]), dict(a["covers"]), a["date"], a["date_kind"], source))
    work = None
    if data["unit"]["work"]:
        w = data["unit"]["work"]
        work_source = _source_ref(ctx, w, "source", known_sources)
        work = UnitWork(tuple(WorkArea(dict(a["name"]), a["easy_read"]) for a in w["areas"]), work_source)
    return Collaboration(
        work=work,
        unit_name=dict(data["unit"]["name"]),
        host=data["unit"]["host"],
        municipalities=tuple(Municipality(m["id"], dict(m["name"]), m["role"], m["place"]) for m in data["municipalities"]),
        agreements=tuple(agreements),
    )


# --- pages ---------------------------------------------------------------------

@functools.lru_cache(maxsize=None)  # one per section; made once, not for each of thousands of files
def _page_shape(section: str):
    common = dict(
        title=s.Text(),
        slug=s.Field(s.Slug(), required=False),
        translation_key=s.Field(s.Id(), required=False),
        description=s.Field(s.Text(), required=False),
    )
    if section == "news":
        return s.Fields(
            **common,
            date=s.Date(),
            summary=s.Text(multiline=True),
            municipalities=s.ListOf(s.Id(), min_items=1),
            updated=s.Field(s.Date(), required=False),
            draft=s.Field(s.Bool(), required=False, default=False),
            # ids in data/sources.yaml: the item cites each one, in this order
            sources=s.Field(s.ListOf(s.Id(), min_items=1), required=False),
            source=s.Field(
                s.Fields(publisher=s.Text(), title=s.Field(s.Text(), required=False), date=s.Field(s.Date(), required=False), url=s.Field(s.Url(), required=False)),
                required=False,
            ),
        )
    return s.Fields(
        **common,
        updated=s.Date(),
        template=s.Field(s.Text(pattern=r"[a-z0-9_-]+\.html", hint="the name of a template in templates/, e.g. staffing.html"), required=False),
    )


def build_pages(sources: Sources, config: Config, collaboration, problems: Problems, known_sources=None) -> list:
    codes = [lang.code for lang in config.languages]
    pages = []
    by_stem = {}
    municipality_ids = [m.id for m in collaboration.municipalities] if collaboration else None
    for f in sources.content:
        ctx = s.Ctx(f.path, problems)
        if f.lang not in codes:
            ctx.error(None, f"unknown language '{f.lang}' in the file name; the site's languages are {', '.join(codes)} (data/site.yaml)")
            continue
        if f.section not in SECTIONS:
            ctx.error(None, f"unknown section '{f.section}'; content goes in content/pages/ or content/news/")
            continue
        front = s.convert(f.front, _page_shape(f.section), ctx, "front matter")
        if front is s.INVALID:
            continue
        key = front["translation_key"] or f.stem
        by_stem.setdefault((f.section, f.stem), []).append((f, key, front))
        lang = config.language(f.lang)
        slug = front["slug"] or f.stem
        if f.section == "news":
            for mid in front["municipalities"]:
                if municipality_ids is not None and mid not in municipality_ids:
                    ctx.error(front.line_of("municipalities"), f"unknown municipality '{mid}' (known: {', '.join(municipality_ids)})")
            for sid in front.get("sources") or ():
                if known_sources is not None and sid not in known_sources:
                    ctx.error(front.line_of("sources"), f"unknown source '{sid}' (data/sources.yaml has: {', '.join(sorted(known_sources)) or 'none'})")
            url = f"{lang.prefix}{config.sections['news'][lang.code]}/{slug}/"
            template = "news_item.html"
        else:
            url = lang.prefix if slug == "index" else f"{lang.prefix}{slug}/"
            template = front["template"] or "page.html"
            if not (sources.templates and (sources.templates / template).is_file()):
                ctx.error(front.line_of("template"), f"template '{template}' does not exist in templates/")
                continue
        meta = {k: v for k, v in front.items() if k not in ("title", "slug", "translation_key", "description", "date", "template")}
        pages.append(
            Page(
                key=key, lang=f.lang, kind="news" if f.section == "news" else "page", url=url,
                title=front["title"], template=template, source=f.path, body=f.body, body_line=f.body_line,
                description=front["description"] or front.get("summary"), updated=front["updated"] or front.get("date"),
                date=front.get("date"), meta=meta,
            )
        )
    # Files that share a name pair up as translations; their keys must agree.
    for (section, stem), group in by_stem.items():
        keys = {key for _, key, _ in group}
        if len(keys) > 1:
            first, *rest = sorted(group, key=lambda g: g[0].path)
            for f, key, front in rest:
                problems.error(
                    f.path, front.line_of("translation_key") if "translation_key" in f.front else None,
                    f"its translation_key '{key}' disagrees with {first[0].path} ('{first[1]}'); files with one name are translations of each other",
                )
    # One key, one page per language.
    seen = {}
    for p in pages:
        other = seen.setdefault((p.kind, p.key, p.lang), p)
        if other is not p:
            problems.error(p.source, None, f"is a second '{p.lang}' version of '{p.key}' (the first is {other.source})")
    return pages


def generated_pages(config: Config) -> list:
    """Pages made by the build itself: the news lists and the 404 page."""
    out = []
    for lang in config.languages:
        t = config.strings.get(lang.code, {})
        out.append(Page(key="news", lang=lang.code, kind="news-list", url=f"{lang.prefix}{config.sections['news'][lang.code]}/",
                        title=t.get("news.title", "News"), template="news_list.html"))
    # One bilingual 404 at the root: static hosts serve /404.html for every missing URL.
    t = config.strings.get(config.default.code, {})
    out.append(Page(key="404", lang=config.default.code, kind="not-found", url="404.html",
                    title=t.get("notfound.title", "404"), template="404.html"))
    return out


def check_urls(pages, static, problems: Problems):
    owners = {}  # output path -> the file (or generated page) that makes it
    for p in pages:
        owner = p.source or f"the generated page '{p.key}' ({p.lang})"
        if p.output in owners:
            problems.error(p.source or "content", None, f"two pages on one URL /{p.url}: {owners[p.output]} and {owner}")
        owners[p.output] = owner
    for url_path, path in static:
        if url_path in owners:
            problems.error(f"static/{url_path}", None, f"a static file and a page on one URL /{url_path}: {owners[url_path]}")
        owners.setdefault(url_path, f"static/{url_path}")
    # A file where another output needs a folder (static/en beside en/index.html) cannot be written.
    for output, owner in sorted(owners.items()):
        parts = output.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in owners:
                problems.error(owners[folder], None, f"is a file at /{folder}, where {owner} needs a folder")


def check_references(config: Config, pages, problems: Problems):
    keys = {(p.key, p.lang) for p in pages}
    default = config.default.code
    refs = [("nav", k) for k in config.nav] + [("footer", k) for k in config.footer]
    refs += [("contact", config.contact), ("feedback", config.feedback.split("#")[0])]
    if config.easy_read:
        refs.append(("easy_read", config.easy_read))
    # A page whose own file has an error is already reported there; don't repeat it as a
    # missing navigation target (an editor should see one message for one mistake).
    broken = {p.path.rsplit("/", 1)[-1].split(".")[0] for p in problems.errors if p.path.startswith("content/")}
    for where, key in refs:
        if (key, default) not in keys and key not in broken:
            problems.error("data/site.yaml", None, f"{where} names the page '{key}', which has no '{default}' version in content/")


def build(sources: Sources, problems: Problems) -> Site | None:
    config = build_config(sources, problems)
    if config is None:
        return None
    codes = tuple(lang.code for lang in config.languages)
    known_sources = build_sources(sources, problems)
    collaboration = build_collaboration(sources, codes, known_sources, problems)
    staffing = staffing_figures.build(sources, codes, known_sources, collaboration, problems)
    catalogue = opendata.build(sources, codes, problems)
    contacts = contact_routes.build(sources, codes, known_sources, collaboration, problems)
    from . import datapages  # makes Pages itself, so it imports this module: a cycle at the top

    pages = build_pages(sources, config, collaboration, problems, known_sources) + generated_pages(config)
    pages += datapages.pages(config, collaboration, catalogue)
    check_urls(pages, sources.static, problems)
    check_references(config, pages, problems)
    order = {lang.code: i for i, lang in enumerate(config.languages)}
    pages.sort(key=lambda p: (order[p.lang], p.url))
    return Site(
        config=config,
        pages=tuple(pages),
        collaboration=collaboration,
        figures=staffing.figures,
        staffing=staffing,
        catalogue=catalogue,
        contacts=contacts,
        sources=tuple(known_sources.values()),
        static=tuple(sorted(sources.static)),
        templates=sources.templates,
    )
