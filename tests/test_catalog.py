"""The DCAT-AP-SE catalogue /data/catalog.rdf, read with rdflib as a harvester would.

The mandatory properties checked here are those of DCAT-AP-SE 3.0.1, as listed
(with where they were looked up) in portal/catalog.py's docstring. The engine's catalogue
is tested on the tiny site (its three datasets in tests/fixtures/tiny/data/datasets.yaml);
one end-to-end test reads the real portal's."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as rns

from conftest import run_build

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
BASE = "http://127.0.0.1:8000/"
EU_FILE = Namespace("http://publications.europa.eu/resource/authority/file-type/")

MANDATORY = {
    rns.DCAT.Catalog: (
        rns.DCTERMS.title,
        rns.DCTERMS.description,
        rns.DCTERMS.publisher,
        rns.DCTERMS.license,
        rns.DCAT.dataset,
    ),
    rns.DCAT.Dataset: (rns.DCTERMS.title, rns.DCTERMS.description, rns.DCTERMS.publisher),
    rns.DCAT.Distribution: (rns.DCAT.accessURL,),
    rns.FOAF.Agent: (rns.FOAF.name,),
}


def graph_of(site):
    g = Graph()
    g.parse(site / "data/catalog.rdf", format="xml")
    return g


def langs(g, subject, prop):
    return {o.language for o in g.objects(subject, prop) if isinstance(o, Literal) and str(o).strip()}


def test_every_mandatory_property_is_there(tiny_built):
    g = graph_of(tiny_built)
    for cls, props in MANDATORY.items():
        subjects = list(g.subjects(rns.RDF.type, cls))
        assert subjects, f"no {cls}"
        for subject in subjects:
            for prop in props:
                assert (subject, prop, None) in g, f"{subject} has no {prop}"


def test_titles_and_descriptions_in_swedish_and_english(tiny_built):
    g = graph_of(tiny_built)
    for cls in (rns.DCAT.Catalog, rns.DCAT.Dataset):
        for subject in g.subjects(rns.RDF.type, cls):
            assert langs(g, subject, rns.DCTERMS.title) == {"sv", "en"}, subject
            assert langs(g, subject, rns.DCTERMS.description) == {"sv", "en"}, subject


def test_catalogue_is_cc0_and_published_by_the_host(tiny_built):
    g = graph_of(tiny_built)
    (catalog,) = g.subjects(rns.RDF.type, rns.DCAT.Catalog)
    assert list(g.objects(catalog, rns.DCTERMS.license)) == [CC0]
    (publisher,) = g.objects(catalog, rns.DCTERMS.publisher)
    assert (publisher, rns.RDF.type, rns.FOAF.Agent) in g
    # The tiny site's host, as its data/collaboration.yaml names it.
    names = set(g.objects(publisher, rns.FOAF.name))
    assert {Literal("Mjölby kommun", lang="sv"), Literal("Mjölby Municipality", lang="en")} <= names


def test_the_host_that_publishes_is_the_datas(tiny):
    collaboration = tiny / "data/collaboration.yaml"
    text = collaboration.read_text(encoding="utf-8")
    collaboration.write_text(text.replace("sv: Mjölby kommun\n", "sv: Värdkommunen\n", 1), encoding="utf-8")
    assert run_build(tiny).returncode == 0
    g = graph_of(tiny / "_site")
    (catalog,) = g.subjects(rns.RDF.type, rns.DCAT.Catalog)
    (publisher,) = g.objects(catalog, rns.DCTERMS.publisher)
    assert Literal("Värdkommunen", lang="sv") in set(g.objects(publisher, rns.FOAF.name))


def test_one_distribution_per_format_that_downloads_a_real_file(tiny_built):
    g = graph_of(tiny_built)
    datasets = set(g.subjects(rns.RDF.type, rns.DCAT.Dataset))
    assert len(datasets) == 3  # the tiny site's datasets.yaml: staffing, agreements, municipalities
    for ds in datasets:
        dists = list(g.objects(ds, rns.DCAT.distribution))
        formats = sorted(str(f) for d in dists for f in g.objects(d, rns.DCTERMS.format))
        assert formats == [str(EU_FILE.CSV), str(EU_FILE.JSON)]
        for d in dists:
            assert (d, rns.RDF.type, rns.DCAT.Distribution) in g
            assert list(g.objects(d, rns.DCTERMS.license)) == [CC0]
            (url,) = g.objects(d, rns.DCAT.downloadURL)
            assert str(url).startswith(BASE)
            assert (tiny_built / str(url).removeprefix(BASE)).is_file(), url


def test_every_iri_is_absolute(tiny_built):
    g = graph_of(tiny_built)
    for s, _p, o in g:
        for term in (s, o):
            if isinstance(term, URIRef):
                # The contact point's e-mail and phone are mailto: and tel: addresses (vCard).
                assert str(term).startswith(("http://", "https://", "mailto:", "tel:")), term


def test_iris_follow_the_base_url(tiny):
    result = run_build(tiny, "--base-url", "https://example.org/trygghet/")
    assert result.returncode == 0, result.stderr
    g = graph_of(tiny / "_site")
    (catalog,) = g.subjects(rns.RDF.type, rns.DCAT.Catalog)
    assert str(catalog) == "https://example.org/trygghet/data/catalog.rdf#catalog"
    urls = {str(o) for o in g.objects(None, rns.DCAT.downloadURL)}
    assert "https://example.org/trygghet/data/staffing.csv" in urls
    assert not [u for u in urls if "127.0.0.1" in u]


@pytest.mark.parametrize(
    "page, link",
    [("oppna-data/index.html", 'href="/data/catalog.rdf"'), ("en/open-data/index.html", 'href="/data/catalog.rdf"')],
)
def test_the_data_pages_link_the_catalogue(tiny_built, page, link):
    assert link in (tiny_built / page).read_text(encoding="utf-8")


def test_the_real_portals_catalogue_describes_its_three_datasets(built):
    """End to end: the real portal's catalogue, from its own data/datasets.yaml, published by Mjölby."""
    g = graph_of(built)
    titles = {str(t) for ds in g.subjects(rns.RDF.type, rns.DCAT.Dataset) for t in g.objects(ds, rns.DCTERMS.title)}
    downloads = {str(u).removeprefix(BASE) for u in g.objects(None, rns.DCAT.downloadURL)}
    assert downloads == {
        f"data/{name}.{ext}" for name in ("staffing", "agreements", "municipalities") for ext in ("csv", "json")
    }
    assert len(titles) == 6, titles  # three datasets, each titled in Swedish and English
    (catalog,) = g.subjects(rns.RDF.type, rns.DCAT.Catalog)
    (publisher,) = g.objects(catalog, rns.DCTERMS.publisher)
    assert Literal("Mjölby kommun", lang="sv") in set(g.objects(publisher, rns.FOAF.name))
