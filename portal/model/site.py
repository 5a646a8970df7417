"""Stage 2, model: turn loaded sources into one consistent, validated Site.

Everything a template may show is decided here: which pages exist, their URLs,
how they pair as translations, the collaboration and its figures (with derived
figures computed, never typed). The result is immutable; `render` only reads it.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from portal.load import shape as s
from portal.load import strings as i18n
from portal.load.body import Body
from portal.load.sources import Sources
from portal.load.yamlnodes import Mapping, Scalar, Sequence
from portal.messages import _
from portal.model import alerts as site_alerts
from portal.model import contacts as contact_routes
from portal.model import figures as staffing_figures
from portal.model import opendata
from portal.model.figures import Figure  # noqa: F401 - part of the model's vocabulary
from portal.problems import Problems

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
    readability: dict | None = None  # {"warn_above": LIX, "easy_read_warn_above": LIX} (checks.readability)
    edit_link: str | None = (
        None  # "Edit this page": "cms" (the web editor) or a repository's edit address; None: no link
    )
    editor: dict | None = None  # the web editor's Git host (portal/cms.py); None: only the local preview's

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    @property
    def default(self) -> Language:
        return self.languages[0]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


class Kind(enum.StrEnum):
    """What a page is. A str, so templates compare `page.kind == "news"`."""

    PAGE = "page"  # content/pages/
    NEWS = "news"  # content/news/
    NEWS_LIST = "news-list"  # the news, newest first, paginated (lists.py)
    NEWS_ARCHIVE = "news-archive"  # the years and municipalities of the news
    NEWS_YEAR = "news-year"  # every item of one year
    NEWS_MUNICIPALITY = "news-municipality"  # the news about one municipality, paginated
    MUNICIPALITY = "municipality"  # one municipality, from data/collaboration.yaml (datapages.py)
    AGREEMENTS = "agreements"  # the agreements over time
    DATA = "data"  # the open data page, from data/datasets.yaml
    NOT_FOUND = "not-found"  # the bilingual 404 page


@dataclass(frozen=True)
class Page:
    key: str  # translation key: the same for a page in every language
    lang: str
    kind: Kind  # a str naming a kind is taken too, and must be one
    url: str  # path inside the site: "", "en/about/", "404.html"
    title: str
    template: str
    source: str | None = None  # repository-relative path of the markdown
    body: Body = Body.of("")  # the markdown (a str is taken too): `markdown` gives its text
    body_line: int = 1
    description: str | None = None
    updated: dt.date | None = None
    date: dt.date | None = None
    meta: dict = field(default_factory=dict)  # the rest of the front matter
    status: str = "published"  # or "draft", "scheduled" (dated after the build's now), "expired": see publishing.py

    def __post_init__(self):
        if type(self.kind) is not Kind:
            object.__setattr__(self, "kind", Kind(self.kind))
        if type(self.body) is str:
            object.__setattr__(self, "body", Body.of(self.body))

    @property
    def markdown(self) -> str:
        """The body's text; read from its file in a build that runs once (body.Changed if it was saved since)."""
        return self.body.text()

    @property
    def output(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


SOURCE_KINDS = ("announcement", "news-article", "web-page")  # what a source is: shown beside it


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str  # the publisher's own name, as the source gives it
    title: str | None  # None: the source gives no title to copy; it is named by its address
    date: dt.date | None  # None: the source gives no date ("undated")
    url: str | None
    kind: str | None = None  # one of SOURCE_KINDS
    date_kind: str = "published"  # what `date` is: "published" or "updated"
    publisher_names: dict = field(
        default_factory=dict, hash=False
    )  # lang -> the publisher's name in it, where sources.yaml gives one

    def publisher_in(self, lang: str) -> str:
        """The publisher's name on a page in `lang`: its name in that language, else its own."""
        return self.publisher_names.get(lang, self.publisher)

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
    listed_by: dict | None = None  # lang -> who lists the areas, and where; None: the source says it


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
    pages: tuple  # every page; in sites.make's one order (language, then URL)
    collaboration: Collaboration
    sources: tuple
    static: tuple  # (url path, absolute Path)
    templates: object  # Path of the templates folder
    staffing: staffing_figures.Staffing = staffing_figures.EMPTY  # every figure entry, the current ones, splits
    catalogue: opendata.Catalogue | None = None  # the open datasets under /data/
    withheld: dict = field(default_factory=dict)  # source path -> news Page publishing.py left out
    alert_schedule: tuple = ()  # every alert in data/alerts.yaml (alerts.py); templates read `alerts`
    alerts: tuple = ()  # the alerts this build shows on every page: those running at its moment
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

    def page_at(self, url: str) -> Page | None:
        """The page at an address inside the site ("en/news/"), or None."""
        return self._by_url.get(url)

    @functools.cached_property
    def _by_url(self) -> dict:
        return {p.url: p for p in self.pages}

    def source(self, sid: str) -> Source:
        """A source of data/sources.yaml by its id (news items cite them by id)."""
        return next(src for src in self.sources if src.id == sid)

    def figure(self, fid: str) -> Figure:
        """The latest entry of a figure."""
        return self.staffing.figure(fid)

    def news(self, lang: str) -> list:
        # An expired item keeps its page but leaves every list (publishing.py).
        items = [p for p in self.pages if p.kind == Kind.NEWS and p.lang == lang and p.status != "expired"]
        return sorted(items, key=lambda p: (p.date, p.url), reverse=True)


# --- shapes of the data files -------------------------------------------------

LANGUAGES_SHAPE = s.ListOf(
    s.Fields(
        code=s.Id(),
        name=s.Text(),
        locale=s.Text(pattern=r"[a-z]{2,3}(_[A-Z]{2})?", hint=_("a locale such as sv or en_GB")),
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
        feedback=s.Text(pattern=r"[a-z0-9-]+(#[a-z0-9-]+)?", hint=_("a page key, optionally with #anchor")),
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
            feed_namespace=s.Text(
                pattern=r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}",
                hint=_("a UUID such as 6f1c0d2e-…; never change it once feeds are public"),
            ),
            paths=s.Fields(
                page=s.PerLanguage(codes, text=s.Slug()),
                archive=s.PerLanguage(codes, text=s.Slug()),
                municipality=s.PerLanguage(codes, text=s.Slug()),
            ),
        ),
        readability=s.Field(s.Fields(warn_above=s.Number(), easy_read_warn_above=s.Number()), required=False),
        edit_link=s.Field(EDIT_LINK_SHAPE, required=False),
        editor=s.Field(EDITOR_SHAPE, required=False),
    )


# "Edit this page" (off when absent): `cms` opens the page's entry in the web editor at /admin/;
# an address such as https://github.com/ORG/REPO/edit/main/ is followed by the file's path.
EDIT_LINK_SHAPE = s.Text(
    pattern=r"cms|https?://[^\s<>\"'\\]+/",
    hint=_("write cms, or an address ending in / such as https://github.com/ORG/REPO/edit/main/"),
)
# The Git host the web editor commits to (portal/cms.py, docs/web-editor.md).
EDITOR_SHAPE = s.Fields(
    backend=s.OneOf("github", "gitlab"),
    repo=s.Text(
        pattern=r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+", hint=_("OWNER/REPOSITORY as in the repository's address")
    ),
    branch=s.Field(s.Text(), required=False, default="main"),
    auth_url=s.Field(s.Url(), required=False),  # GitHub: the OAuth relay's address
    app_id=s.Field(s.Text(), required=False),  # GitLab: the OAuth application's id (PKCE, no secret)
    host=s.Field(s.Url(), required=False),  # GitLab: a self-managed instance (default https://gitlab.com)
)


def build_config(sources: Sources, problems: Problems) -> Config | None:
    found = sources.data_file("site", problems, _("it declares the languages, titles and navigation"))
    if found is None:
        return None
    path, node = found
    ctx = s.Ctx(path, problems)
    if not isinstance(node, Mapping):
        ctx.error(getattr(node, "line", 1), _("should be a mapping of settings (key: value)"))
        return None
    # Languages first: the per-language fields depend on them.
    if "languages" not in node:
        ctx.error(node.line, _("'site' is missing the required key 'languages'"))
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
            ctx.error(
                news.line_of(name),
                _("'{name}' should be a whole number of at least 1, not {value}", name=name, value=news[name]),
            )
            return None

    strings = {}
    string_lines = {}
    for code in codes:
        if code not in sources.strings:
            if sources.missing(f"i18n/{code}"):
                problems.error(
                    f"data/i18n/{code}.yaml", None, _("is missing: the interface strings in '{code}'", code=code)
                )
            continue
        spath, snode = sources.strings[code]
        flat = {}
        i18n.flatten(snode, "", s.Ctx(spath, problems), flat)
        strings[code] = {k: v for k, (v, _) in flat.items()}
        string_lines[code] = (spath, {k: line for k, (_, line) in flat.items()})
    for _code, (spath, lines) in string_lines.items():
        elsewhere = {}  # a key this language lacks -> where the first language that has it has it
        for _other, (opath, olines) in string_lines.items():
            for key in set(olines) - set(lines):
                elsewhere.setdefault(key, (opath, olines[key]))
        for key in sorted(elsewhere):
            problems.error(
                spath,
                None,
                _(
                    "the interface string '{key}' is missing (it is in {path}:{line})",
                    key=key,
                    path=elsewhere[key][0],
                    line=elsewhere[key][1],
                ),
            )
    for code, key in i18n.missing_needed(strings):
        problems.error(
            string_lines[code][0], None, _("the interface string '{key}' is missing: the build itself uses it", key=key)
        )
    # The build fails on the problems above; until it stops, a missing string reads as the first
    # language's that has it (else as its key), so the rest of the site is still checked.
    every_key = dict.fromkeys([*(k for table in strings.values() for k in table), *i18n.NEEDED])
    for code in codes:  # a language whose file is missing or broken too
        own = strings.setdefault(code, {})
        for key in every_key:
            if key not in own:
                own[key] = next((table[key] for table in strings.values() if key in table), key)
    for code in sources.strings:
        if code not in codes:
            path_ = sources.strings[code][0]
            problems.error(
                path_,
                None,
                _(
                    "'{code}' is not a language of the site (data/site.yaml has {codes})",
                    code=code,
                    codes=", ".join(codes),
                ),
            )

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
        news=NewsSettings(
            int(news["page_size"]),
            news["feed_namespace"],
            {k: dict(v) for k, v in news["paths"].items()},
            int(news["feed_size"]),
        ),
        readability={k: float(v) for k, v in conf["readability"].items()} if conf["readability"] else None,
        edit_link=conf["edit_link"],
        editor=dict(conf["editor"]) if conf["editor"] else None,
    )


# --- sources, collaboration, figures -------------------------------------------


def build_sources(sources: Sources, problems: Problems, codes: tuple = ()) -> dict:
    found = sources.data_file("sources", problems, _("every figure and agreement names its source there"))
    if found is None:
        return {}
    path, node = found
    ctx = s.Ctx(path, problems)
    shape = s.ListOf(
        s.Fields(
            id=s.Id(),
            # One name for every language, or per language: {sv: Mjölby kommun, en: Mjölby Municipality}.
            publisher=s.TextOrPerLanguage(codes),
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
            ctx.error(item.line, _("source id '{id}' is used twice", id=item["id"]))
        if not item["title"] and not item["url"]:
            ctx.error(
                item.line,
                _(
                    "source '{id}' has neither a title nor a url: give at least one, so a reader can find it",
                    id=item["id"],
                ),
            )
        publisher, names = item["publisher"], {}
        if isinstance(publisher, dict):  # per language: the source's own name is the default language's
            names = dict(publisher)
            publisher = names[codes[0]]
        out[item["id"]] = Source(
            item["id"], publisher, item["title"], item["date"], item["url"], item["kind"], item["date_kind"], names
        )
    return out


def _source_ref(ctx, record, key, known):
    sid = record[key]
    if sid not in known:
        ctx.error(
            record.line_of(key),
            _(
                "unknown source '{sid}' (data/sources.yaml has: {known})",
                sid=sid,
                known=", ".join(sorted(known)) or _("none"),
            ),
        )
        return None
    return known[sid]


def build_collaboration(sources: Sources, codes, known_sources, problems) -> Collaboration | None:
    found = sources.data_file(
        "collaboration", problems, _("it describes the unit, the municipalities and the agreements")
    )
    if found is None:
        return None
    path, node = found
    ctx = s.Ctx(path, problems)
    text = s.PerLanguage(codes)
    shape = s.Fields(
        # host: checked below against the municipalities, naming them
        unit=s.Fields(
            name=text,
            host=s.Text(),
            work=s.Field(
                s.Fields(
                    source=s.Id(),
                    listed_by=s.Field(text, required=False),
                    areas=s.ListOf(s.Fields(name=text, easy_read=s.Text()), min_items=1),
                ),
                required=False,
            ),
        ),
        municipalities=s.ListOf(
            s.Fields(id=s.Id(), name=text, role=s.OneOf("host", "partner"), place=s.Field(s.Text(), required=False)),
            min_items=1,
        ),
        agreements=s.ListOf(
            s.Fields(
                id=s.Id(),
                parties=s.ListOf(s.Text(), min_items=2),  # ids of the municipalities above: checked below, naming them
                covers=s.PerLanguage(codes, multiline=True),
                date=s.Field(s.Date(), required=False),
                date_kind=s.Field(s.OneOf("signed", "announced", "in-force"), required=False, default="announced"),
                source=s.Text(),  # an id of data/sources.yaml: _source_ref names them
            )
        ),
    )
    data = shape.convert(node, ctx, "collaboration")
    if data is s.INVALID:
        return None
    ids = [m["id"] for m in data["municipalities"]]
    for m in data["municipalities"]:
        if ids.count(m["id"]) > 1:
            ctx.error(m.line, _("municipality id '{id}' is used twice", id=m["id"]))
    if data["unit"]["host"] not in ids:
        ctx.error(
            data["unit"].line_of("host"),
            _(
                "the host '{host}' is not one of the municipalities ({ids})",
                host=data["unit"]["host"],
                ids=", ".join(ids),
            ),
        )
    hosts = [m["id"] for m in data["municipalities"] if m["role"] == "host"]
    if hosts != [data["unit"]["host"]]:
        ctx.error(
            data["unit"].line_of("host"), _("exactly one municipality has the role 'host', and it is the unit's host")
        )
    agreements = []
    last_dated = None
    for a in data["agreements"]:
        # The timeline and the history read the file top to bottom, oldest first.
        if a["date"] is not None:
            if last_dated is not None and a["date"] < last_dated:
                ctx.error(
                    a.line_of("date"),
                    _(
                        "agreement '{id}' is dated {date}, before the agreement above it ({last_dated}); list agreements oldest first",
                        id=a["id"],
                        date=a["date"],
                        last_dated=last_dated,
                    ),
                )
            last_dated = a["date"]
        for party in a["parties"]:
            if party not in ids:
                ctx.error(
                    a.line_of("parties"),
                    _("unknown municipality '{party}' in the parties (known: {ids})", party=party, ids=", ".join(ids)),
                )
        source = _source_ref(ctx, a, "source", known_sources)
        agreements.append(Agreement(a["id"], tuple(a["parties"]), dict(a["covers"]), a["date"], a["date_kind"], source))
    work = None
    if data["unit"]["work"]:
        w = data["unit"]["work"]
        work_source = _source_ref(ctx, w, "source", known_sources)
        listed_by = dict(w["listed_by"]) if w["listed_by"] else None
        work = UnitWork(tuple(WorkArea(dict(a["name"]), a["easy_read"]) for a in w["areas"]), work_source, listed_by)
    return Collaboration(
        work=work,
        unit_name=dict(data["unit"]["name"]),
        host=data["unit"]["host"],
        municipalities=tuple(
            Municipality(m["id"], dict(m["name"]), m["role"], m["place"]) for m in data["municipalities"]
        ),
        agreements=tuple(agreements),
    )


# --- pages ---------------------------------------------------------------------


@functools.cache  # one per section; made once, not for each of thousands of files
def _page_shape(section: str):
    common = dict(
        title=s.Text(),
        slug=s.Field(s.Slug(), required=False),
        translation_key=s.Field(s.Id(), required=False),
        description=s.Field(s.Text(), required=False),
    )
    moves = dict(  # last in the list of known keys
        expires=s.Field(
            s.Date(), required=False
        ),  # after this day: no list, feed, sitemap or search; a notice (publishing.py)
        aliases=s.Field(s.ListOf(s.SitePath()), required=False),  # old addresses that redirect here (redirects.py)
    )
    if section == "news":
        return s.Fields(
            **common,
            date=s.Date(),
            summary=s.Text(multiline=True),
            municipalities=s.ListOf(
                s.Text(), min_items=1
            ),  # each an id of data/collaboration.yaml: checked in build_pages
            updated=s.Field(s.Date(), required=False),
            draft=s.Field(s.Bool(), required=False, default=False),
            # ids in data/sources.yaml: the item cites each one, in this order
            sources=s.Field(s.ListOf(s.Id(), min_items=1), required=False),
            source=s.Field(
                s.Fields(
                    publisher=s.Text(),
                    title=s.Field(s.Text(), required=False),
                    date=s.Field(s.Date(), required=False),
                    url=s.Field(s.Url(), required=False),
                ),
                required=False,
            ),
            **moves,
        )
    return s.Fields(
        **common,
        updated=s.Date(),
        template=s.Field(
            s.Text(pattern=r"[a-z0-9_-]+\.html", hint=_("the name of a template in templates/, e.g. staffing.html")),
            required=False,
        ),
        **moves,
    )


def _check_municipalities(front, ids, ctx) -> None:
    """Every wrong id in a news item's `municipalities` list, each at its own line, naming the valid ones."""
    node = front.get("municipalities") if isinstance(front, Mapping) else None
    if not isinstance(node, Sequence):
        return  # the shape reports it
    for item in node:
        if not isinstance(item, Scalar) or item.is_null or not str(item).strip():
            continue  # the shape reports it
        mid = str(item).strip()
        if ids is None:
            s.Id().convert(item, ctx, "municipalities")
        elif mid not in ids:
            ctx.error(
                getattr(item, "line", None) or front.line_of("municipalities"),
                _("unknown municipality '{id}' (known: {ids})", id=mid, ids=", ".join(ids)),
            )


def build_pages(sources: Sources, config: Config, collaboration, problems: Problems, known_sources=None) -> list:
    codes = [lang.code for lang in config.languages]
    pages = []
    by_stem = {}
    municipality_ids = [m.id for m in collaboration.municipalities] if collaboration else None
    for f in sources.content:
        ctx = s.Ctx(f.path, problems)
        if f.lang not in codes:
            ctx.error(
                None,
                _(
                    "unknown language '{lang}' in the file name; the site's languages are {codes} (data/site.yaml)",
                    lang=f.lang,
                    codes=", ".join(codes),
                ),
            )
            continue
        if f.section not in SECTIONS:
            ctx.error(
                None,
                _("unknown section '{section}'; content goes in content/pages/ or content/news/", section=f.section),
            )
            continue
        front = s.convert(f.front, _page_shape(f.section), ctx, "front matter")
        if f.section == "news":  # even when another key is wrong: every problem of a file in one run
            _check_municipalities(f.front, municipality_ids, ctx)
        if front is s.INVALID:
            continue
        key = front["translation_key"] or f.stem
        by_stem.setdefault((f.section, f.stem), []).append((f, key, front))
        lang = config.language(f.lang)
        slug = front["slug"] or f.stem
        if front["expires"] is not None and front.get("date") is not None and front["expires"] < front["date"]:
            ctx.error(
                front.line_of("expires"),
                _(
                    "'expires' is {expires}, before the item's date {date}; it would never be shown",
                    expires=front["expires"].isoformat(),
                    date=front["date"].isoformat(),
                ),
            )
        if f.section == "news":
            for sid in front.get("sources") or ():
                if known_sources is not None and sid not in known_sources:
                    ctx.error(
                        front.line_of("sources"),
                        _(
                            "unknown source '{id}' (data/sources.yaml has: {known})",
                            id=sid,
                            known=", ".join(sorted(known_sources)) or "none",
                        ),
                    )
            url = f"{lang.prefix}{config.sections['news'][lang.code]}/{slug}/"
            template = "news_item.html"
        else:
            url = lang.prefix if slug == "index" else f"{lang.prefix}{slug}/"
            template = front["template"] or "page.html"
            if not (sources.templates and (sources.templates / template).is_file()):
                ctx.error(
                    front.line_of("template"),
                    _("template '{template}' does not exist in templates/", template=template),
                )
                continue
        meta = {
            k: v
            for k, v in front.items()
            if k not in ("title", "slug", "translation_key", "description", "date", "template")
        }
        if front["aliases"]:  # each old address keeps its line, for redirects.py's messages
            meta["aliases"] = tuple(Scalar(str(n).strip(), n.line, n.plain) for n in f.front["aliases"])
        pages.append(
            Page(
                key=key,
                lang=f.lang,
                kind=Kind.NEWS if f.section == "news" else Kind.PAGE,
                url=url,
                title=front["title"],
                template=template,
                source=f.path,
                body=f.body,
                body_line=f.body_line,
                description=front["description"] or front.get("summary"),
                updated=front["updated"] or front.get("date"),
                date=front.get("date"),
                meta=meta,
            )
        )
    # Files that share a name pair up as translations; their keys must agree.
    for group in by_stem.values():
        keys = {key for _, key, _ in group}
        if len(keys) > 1:
            first, *rest = sorted(group, key=lambda g: g[0].path)
            for f, key, front in rest:
                problems.error(
                    f.path,
                    front.line_of("translation_key") if "translation_key" in f.front else None,
                    _(
                        "its translation_key '{key}' disagrees with {path} ('{other}'); files with one name are translations of each other",
                        key=key,
                        path=first[0].path,
                        other=first[1],
                    ),
                )
    # One key, one page per language.
    seen = {}
    for p in pages:
        other = seen.setdefault((p.kind, p.key, p.lang), p)
        if other is not p:
            problems.error(
                p.source,
                None,
                _(
                    "is a second '{lang}' version of '{key}' (the first is {source})",
                    lang=p.lang,
                    key=p.key,
                    source=other.source,
                ),
            )
    return pages


def not_found_page(config: Config) -> Page:
    """One bilingual 404 at the root: static hosts serve /404.html for every missing URL."""
    return Page(
        key="404",
        lang=config.default.code,
        kind=Kind.NOT_FOUND,
        url="404.html",
        title=i18n.text(config, config.default.code, "notfound.title"),
        template="404.html",
    )


def check_urls(pages, static, problems: Problems):
    owners = {}  # output path -> the file (or generated page) that makes it
    for p in pages:
        owner = p.source or _("the generated page '{key}' ({lang})", key=p.key, lang=p.lang)
        if p.output in owners:
            problems.error(
                p.source or "content",
                None,
                _("two pages on one URL /{url}: {owners} and {owner}", url=p.url, owners=owners[p.output], owner=owner),
            )
        owners[p.output] = owner
    for url_path, _path in static:
        if url_path in owners:
            problems.error(
                f"static/{url_path}",
                None,
                _(
                    "a static file and a page on one URL /{url_path}: {owners}",
                    url_path=url_path,
                    owners=owners[url_path],
                ),
            )
        owners.setdefault(url_path, f"static/{url_path}")
    # A file where another output needs a folder (static/en beside en/index.html) cannot be written.
    for output, owner in sorted(owners.items()):
        parts = output.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in owners:
                problems.error(
                    owners[folder],
                    None,
                    _("is a file at /{folder}, where {owner} needs a folder", folder=folder, owner=owner),
                )


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
            problems.error(
                "data/site.yaml",
                None,
                _(
                    "{where} names the page '{key}', which has no '{default}' version in content/",
                    where=where,
                    key=key,
                    default=default,
                ),
            )


def build(sources: Sources, problems: Problems) -> Site | None:
    """The site as its sources write it: every content file's page and the 404 page, in the
    order of the files. sites.make adds the pages the build makes, withholds what is not
    published yet, orders the pages and checks their URLs (once, on the site it renders)."""
    config = build_config(sources, problems)
    if config is None:
        return None
    codes = tuple(lang.code for lang in config.languages)
    known_sources = build_sources(sources, problems, codes)
    collaboration = build_collaboration(sources, codes, known_sources, problems)
    staffing = staffing_figures.build(sources, codes, known_sources, collaboration, problems)
    catalogue = opendata.build(sources, codes, problems)
    contacts = contact_routes.build(sources, codes, known_sources, collaboration, problems)
    pages = build_pages(sources, config, collaboration, problems, known_sources) + [not_found_page(config)]
    return Site(
        config=config,
        pages=tuple(pages),
        collaboration=collaboration,
        staffing=staffing,
        catalogue=catalogue,
        contacts=contacts,
        sources=tuple(known_sources.values()),
        static=tuple(sorted(sources.static)),
        templates=sources.templates,
        alert_schedule=site_alerts.build(sources, codes, problems),
    )
