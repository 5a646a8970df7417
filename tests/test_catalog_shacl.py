"""/data/catalog.rdf meets DCAT-AP 3.0.1 in full, checked by the release's own SHACL shapes
(tests/shapes/dcat-ap-3.0.1/, see SOURCE.md there) with pySHACL, and each recommended
property holds a fact the site has, in both languages where it is text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as rns

SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.0.1"
SH = Namespace("http://www.w3.org/ns/shacl#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# pySHACL calls rdflib APIs that rdflib 7.6 marks deprecated: its noise, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
BASE = "http://127.0.0.1:8000/data/catalog.rdf#"
# Recommended properties of the places and periods no source gives: left out, not invented.
NO_SOURCE_GIVES = {rns.DCAT.endDate, rns.DCAT.bbox, rns.DCAT.centroid}


@pytest.fixture(scope="module")
def catalogue(built):
    g = Graph()
    g.parse(built / "data/catalog.rdf", format="xml")
    return g


def results(data, shapes_file):
    conforms, report, text = validate(data, shacl_graph=str(SHAPES / shapes_file), inference="rdfs")
    found = []
    for result in report.subjects(rns.RDF.type, SH.ValidationResult):
        found.append(
            (
                report.value(result, SH.resultSeverity),
                report.value(result, SH.focusNode),
                report.value(result, SH.resultPath),
                text,
            )
        )
    return conforms, found


@pytest.mark.parametrize("shapes_file", ["shapes.ttl", "dcat-ap-SHACL.ttl"])
def test_conforms_to_the_mandatory_and_the_range_shapes(catalogue, shapes_file):
    conforms, found = results(catalogue, shapes_file)
    assert conforms and not found, found[0][3] if found else ""


def test_recommended_shapes_find_nothing_but_what_no_source_gives(catalogue):
    _, found = results(catalogue, "shapes_recommended.ttl")
    assert all(severity == SH.Warning for severity, *_ in found)
    left = {(str(focus).removeprefix(BASE), path) for _, focus, path, _ in found}
    # Every catalogue, dataset and distribution property the shapes recommend is there.
    assert all(path in NO_SOURCE_GIVES for _, path in left), sorted(left)
    assert {focus.split("-")[0] for focus, _ in left} <= {"period", "place"}


def test_each_dataset_has_a_contact_point_with_a_public_email(catalogue):
    for ds in catalogue.subjects(rns.RDF.type, rns.DCAT.Dataset):
        point = catalogue.value(ds, rns.DCAT.contactPoint)
        assert (point, rns.RDF.type, VCARD.Kind) in catalogue
        assert catalogue.value(point, VCARD.hasEmail) == URIRef("mailto:medborgarservice@mjolby.se")
        assert catalogue.value(point, VCARD.hasTelephone) == URIRef("tel:+4614285995")
        assert {o.language for o in catalogue.objects(point, VCARD.fn)} == {"sv", "en"}


def test_spatial_coverage_is_the_three_municipalities(catalogue):
    catalog = next(catalogue.subjects(rns.RDF.type, rns.DCAT.Catalog))
    for subject in [catalog, *catalogue.subjects(rns.RDF.type, rns.DCAT.Dataset)]:
        places = set(catalogue.objects(subject, rns.DCTERMS.spatial))
        names = {str(catalogue.value(p, rns.SKOS.prefLabel, any=True)) for p in places}
        labels = {str(o) for p in places for o in catalogue.objects(p, rns.SKOS.prefLabel)}
        assert len(places) == 3 and {"Mjölby kommun", "Boxholms kommun", "Ödeshögs kommun"} <= labels, names


def test_temporal_coverage_starts_when_the_data_applies_and_has_no_invented_end(catalogue):
    for ds in catalogue.subjects(rns.RDF.type, rns.DCAT.Dataset):
        period = catalogue.value(ds, rns.DCTERMS.temporal)
        assert catalogue.value(period, rns.DCAT.startDate).toPython() == dt.date(2019, 9, 23)
        assert catalogue.value(period, rns.DCAT.endDate) is None


def test_keywords_titles_and_descriptions_in_both_languages(catalogue):
    for ds in catalogue.subjects(rns.RDF.type, rns.DCAT.Dataset):
        assert {o.language for o in catalogue.objects(ds, rns.DCAT.keyword)} == {"sv", "en"}
    for cls in (rns.DCAT.Catalog, rns.DCAT.Dataset, rns.DCAT.Distribution):
        for subject in catalogue.subjects(rns.RDF.type, cls):
            for prop in (rns.DCTERMS.title, rns.DCTERMS.description):
                assert {o.language for o in catalogue.objects(subject, prop) if isinstance(o, Literal)} == {
                    "sv",
                    "en",
                }, (subject, prop)


def test_catalogue_issue_date_theme_taxonomy_and_distribution_availability(catalogue):
    catalog = next(catalogue.subjects(rns.RDF.type, rns.DCAT.Catalog))
    assert catalogue.value(catalog, rns.DCTERMS.issued).toPython() == dt.date(2026, 11, 24)
    assert catalogue.value(catalog, rns.DCAT.themeTaxonomy) == URIRef(
        "http://publications.europa.eu/resource/authority/data-theme"
    )
    for dist in catalogue.subjects(rns.RDF.type, rns.DCAT.Distribution):
        assert catalogue.value(dist, DCATAP.availability) == URIRef(
            "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
        )


def test_provenance_names_each_source_with_its_publisher_and_date(catalogue):
    staffing = URIRef(BASE + "staffing")
    statement = catalogue.value(staffing, rns.DCTERMS.provenance)
    labels = {o.language: str(o) for o in catalogue.objects(statement, rns.RDFS.label)}
    assert (
        "Östgöta Correspondenten (Corren), tidningsartikel" in labels["sv"]
        and "publicerad 26 september 2019" in labels["sv"]
    )
    assert (
        "Mjölby Municipality, announcement by the municipality" in labels["en"]
        and "published 23 September 2019" in labels["en"]
    )
    assert "Ödeshögs kommun" not in labels["sv"]  # the newspaper's tag is not its publisher
