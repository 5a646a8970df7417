"""Every fact cites the source that gives it, attributed to its real publisher with the date
that source gives: Corren's article (26 September 2019) for the total of 4.7 posts,
Mjölby kommun's announcement (23 September 2019) for the agreement and the 1.135 posts,
each shown as what it is. And the unit's areas of work, from that announcement, on the
start page (before the figures), the unit page and Lättläst."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import REPO
from htmlview import read
from portal.load import sources as load
from portal.model import site as model
from portal.model.site import Source
from portal.render import citations
from portal.render import pages as render

CORREN = "https://www.corren.se/nyheter/mjolby/nytt-samarbete-ska-gora-kommunerna-tryggare-om6311682.aspx"
MJOLBY = "https://www.mjolby.se/36214.html"


def html(built, path):
    return (built / path).read_text(encoding="utf-8")


def main_of(text):
    return text.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_newspaper_article_is_always_attributed_to_the_newspaper(built):
    pages = [*built.rglob("*.html"), *built.rglob("atom.xml")]
    cited = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer("Nytt samarbete ska göra kommunerna tryggare", text):
            before = text[max(0, match.start() - 250) : match.start()]
            if CORREN in before or "<title>" in before or "<h1>" in before:  # a citation, not a heading
                cited += 1
                assert "Östgöta Correspondenten (Corren)" in before, (page, before)
                assert "Ödeshög" not in before.rsplit("Östgöta Correspondenten", 1)[1], (page, before)
    assert cited >= 8


@pytest.mark.parametrize(
    "path, total, share",
    [
        ("enheten/index.html", "Östgöta Correspondenten (Corren), tidningsartikel", "Mjölby kommun, kommunens nyhet"),
        (
            "en/the-unit-and-its-staffing/index.html",
            "Östgöta Correspondenten (Corren), newspaper article",
            "Mjölby Municipality, announcement by the municipality",
        ),
    ],
)
def test_each_figure_cites_the_source_that_gives_it(built, path, total, share):
    text = html(built, path)
    sources = dict(re.findall(r'<li id="(source-\d+)">(.*?)</li>', text, re.S))

    def cited_by(figure_id):
        row = text.split(f'<tr id="figure-{figure_id}">', 1)[1].split("</tr>", 1)[0]
        return sources[re.search(r'href="#(source-\d+)"', row)[1]]

    def words_of(figure_id):  # what a reader sees: the citation without its tags
        return re.sub(r"<[^>]+>", "", cited_by(figure_id))

    assert total in words_of("total-posts") and CORREN in cited_by("total-posts")
    assert 'datetime="2019-09-26"' in cited_by("total-posts")
    assert share in words_of("odeshog-posts") and MJOLBY in cited_by("odeshog-posts")
    assert 'datetime="2019-09-23"' in cited_by("odeshog-posts")


@pytest.mark.parametrize("path", ["index.html", "en/index.html"])
def test_start_page_figures_name_their_own_sources(built, path):
    figures = main_of(html(built, path)).split('class="key-figures"', 1)[1].split("</ul>", 1)[0]
    total, share = figures.split("</li>")[:2]
    assert CORREN in total and MJOLBY not in total
    assert MJOLBY in share and CORREN not in share


@pytest.mark.parametrize(
    "path, heading",
    [
        ("nyheter/odeshog-ansluter/index.html", "Källor"),
        ("en/news/odeshog-joins-the-collaboration/index.html", "Sources"),
    ],
)
def test_the_news_item_about_the_agreement_cites_both(built, path, heading):
    page = read(built / path)
    assert (2, heading) in page.headings
    hrefs = [link.href for link in page.links]
    assert MJOLBY in hrefs and CORREN in hrefs
    main = main_of(html(built, path))
    assert main.index(MJOLBY) < main.index(CORREN)  # the announcement came first
    assert 'datetime="2019-09-23"' in main and 'datetime="2019-09-26"' in main


def test_the_agreement_is_dated_by_mjolbys_announcement(built):
    text = read(built / "om-samverkan/index.html").text
    assert "23 september 2019 (tillkännagivet)" in text


AREAS_SV = [
    "Krisberedskap",
    "Risk- och sårbarhetsanalyser",
    "Utbildning och övning",
    "Krisstöd",
    "Brottsförebyggande och trygghetsskapande insatser",
    "Informationssäkerhet",
    "Hot och våld mot politiker",
    "Civilt försvar",
    "Kompetenshöjning inom totalförsvar",
]
AREAS_EN = [
    "Crisis preparedness",
    "Risk and vulnerability analyses",
    "Training and exercises",
    "Crisis support",
    "Crime prevention and work for safety in public places",
    "Information security",
    "Threats and violence against elected representatives",
    "Civil defence",
    "Raising competence in total defence",
]


@pytest.mark.parametrize(
    "path, areas",
    [
        ("index.html", AREAS_SV),
        ("en/index.html", AREAS_EN),
        ("enheten/index.html", AREAS_SV),
        ("en/the-unit-and-its-staffing/index.html", AREAS_EN),
    ],
)
def test_the_units_areas_of_work_are_shown_with_their_source(built, path, areas):
    main = main_of(html(built, path))
    work = main.split('id="what-the-unit-does"', 1)[1]
    items = re.findall(r"<li>(.*?)</li>", work.split('class="unit-work"', 1)[1].split("</ul>", 1)[0])
    assert items == areas
    note = work.split("</ul>", 1)[1].split("</p>", 1)[0]
    assert MJOLBY in note or re.search(r'href="#source-\d+"', note)


@pytest.mark.parametrize("path", ["index.html", "en/index.html"])
def test_start_page_answers_what_the_unit_does_and_how_to_get_help_before_the_figures(built, path):
    main = main_of(html(built, path))
    order = [main.index(marker) for marker in ('id="what-the-unit-does"', 'id="help"', 'id="figures"')]
    assert order == sorted(order)
    help_part = main.split('id="help"', 1)[1].split('id="figures"', 1)[0]
    assert 'href="tel:112"' in help_part and 'href="tel:+4614285995"' in help_part


def test_easy_to_read_page_explains_each_area_in_easy_words(built):
    main = main_of(html(built, "lattlast/index.html"))
    work = main.split('id="what-the-group-does"', 1)[1]
    items = re.findall(r"<li>(.*?)</li>", work.split('class="unit-work"', 1)[1].split("</ul>", 1)[0])
    assert len(items) == len(AREAS_SV) and items[0].startswith("Kommunen ska vara beredd")
    assert MJOLBY in work.split("</ul>", 1)[1]
    assert 'href="tel:+4614285995"' in main.split('id="help"', 1)[1]


def test_announcement_and_newspaper_report_are_each_shown_as_what_they_are(built):
    text = read(built / "enheten/index.html").text.replace(" ,", ",")
    assert "Mjölby kommun, kommunens nyhet: Samverkan för trygghet och säkerhet, publicerad 23 september 2019" in text
    assert (
        "Östgöta Correspondenten (Corren), tidningsartikel: Nytt samarbete ska göra kommunerna tryggare, publicerad 26 september 2019"
        in text
    )


# --- one citation, written for a page, a feed and the catalogue --------------------------

SOURCE = Source(
    id="x",
    publisher="Ödeshögs kommun",
    publisher_names={"en": "Ödeshög Municipality"},
    kind="web-page",
    title='Om "oss" & dem',
    url="https://www.odeshog.se/a?b=1&c=2",
    date=dt.date(2018, 5, 4),
)
UNDATED = Source(id="y", publisher="Mjölby kommun", title=None, url="https://www.mjolby.se/34865.html", date=None)


@pytest.fixture(scope="module")
def site():
    sources, problems = load.load(REPO)
    found = model.build(sources, problems)
    assert found is not None and not problems.errors, problems.sorted()
    return found


def on_a_page(site, src, lang):
    template = render.environment(REPO / "templates").from_string("{{ cite(src) }}")
    return template.render(site=site, lang=site.config.language(lang), src=src)


def test_one_function_cites_a_source_for_a_page_a_feed_and_the_catalogue_in_the_same_words(site):
    config = site.config
    assert citations.cite(SOURCE, config, "en") == (
        'Ödeshög Municipality, web page: Om "oss" & dem (https://www.odeshog.se/a?b=1&c=2), published 4 May 2018'
    )
    assert citations.cite(SOURCE, config, "en", citations.FEED) == (
        'Ödeshög Municipality, web page: <a href="https://www.odeshog.se/a?b=1&amp;c=2">Om &quot;oss&quot; &amp; dem</a>, '
        "published 4 May 2018"
    )
    assert on_a_page(site, SOURCE, "en") == (
        '<span class="publisher" title="Ödeshögs kommun">Ödeshög Municipality</span>, web page: '
        '<a href="https://www.odeshog.se/a?b=1&amp;c=2" lang="sv">Om &#34;oss&#34; &amp; dem</a>, '
        'published <time datetime="2018-05-04">4 May 2018</time>'
    )
    # Without a title it is named by its address (in no language); without a date, it says so.
    assert citations.cite(UNDATED, config, "sv") == (
        "Mjölby kommun: www.mjolby.se/34865.html (https://www.mjolby.se/34865.html), sidan anger inget datum"
    )
    assert on_a_page(site, UNDATED, "sv") == (
        'Mjölby kommun: <a href="https://www.mjolby.se/34865.html">www.mjolby.se/34865.html</a>, sidan anger inget datum'
    )


def test_only_the_citation_module_looks_up_the_words_of_a_citation():
    words = re.compile(r"sources\.(undated|kind\.)|'sources\.' ?[~+]")
    found = [
        path.relative_to(REPO).as_posix()
        for path in [*(REPO / "portal").rglob("*.py"), *(REPO / "templates").rglob("*.html")]
        if path.name != "strings.py" and words.search(path.read_text(encoding="utf-8"))  # strings.NEEDED lists keys
    ]
    assert found == ["portal/render/citations.py"]
