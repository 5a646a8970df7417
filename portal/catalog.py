"""The open datasets as a DCAT-AP-SE catalogue in RDF/XML: /data/catalog.rdf.

A national data portal (Sveriges dataportal, dataportal.se) harvests this file.
Every IRI is absolute, made from the site's base URL.

What DCAT-AP-SE version 3 makes mandatory, as looked up on 2026-11-24 in:
DCAT-AP-SE 3.0.1 (https://docs.dataportal.se/dcat/3.0.1/en/, 25 November
2024, Swedish Agency for Digital Government), whose class diagram lists the
mandatory and recommended properties; its property templates
(github.com/diggsweden/DCAT-AP-SE, 3.0.1/bundle.json: mandatory means
cardinality min 1, e.g. dcterms:title on Dataset); the profile's example of a
catalogue with only the mandatory properties (exempel/obligatoriskt.ttl); and
docs/changes.md, the Swedish profile's stricter choices over DCAT-AP (publisher
mandatory on datasets, licence mandatory on the catalogue and CC0 there):

- Catalogue (dcat:Catalog): dcterms:title, dcterms:description,
  dcterms:publisher, dcterms:license (the Swedish profile makes it mandatory
  and requires CC0 for the catalogue), dcat:dataset.
- Dataset (dcat:Dataset): dcterms:title, dcterms:description and
  dcterms:publisher (mandatory in the Swedish profile, recommended in DCAT-AP).
- Distribution (dcat:Distribution): dcat:accessURL.
- Agent (foaf:Agent): foaf:name.

tests/test_catalog.py checks each of these with rdflib. Recommended properties
added where we have the facts: language, modified, homepage, landing page,
access rights, theme, format, download URL, licence per distribution, the
JSON Schema as dcterms:conformsTo. A contact point (recommended) is left out:
the source gives no e-mail address or other contact details to put in one.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from . import opendata

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = {"sv": EU + "language/SWE", "en": EU + "language/ENG"}
PATH = "data/catalog.rdf"

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _node(parent, name, about=None):
    el = ET.SubElement(parent, _q(name))
    if about:
        el.set(_q("rdf:about"), about)
    return el


def _ref(parent, name, iri):
    ET.SubElement(parent, _q(name), {_q("rdf:resource"): iri})


def _text(parent, name, text, lang=None):
    el = ET.SubElement(parent, _q(name))
    el.text = text
    if lang:
        el.set(XML_LANG, lang)


def _date(parent, name, value):
    el = ET.SubElement(parent, _q(name), {_q("rdf:datatype"): XSD_DATE})
    el.text = value.isoformat()


def _per_language(parent, name, texts: dict):
    for lang, text in texts.items():
        _text(parent, name, " ".join(text.split()), lang)


def catalogue_xml(site) -> bytes:
    cat, base = site.catalogue, site.config.base_url
    iri = lambda fragment: f"{base}{PATH}#{fragment}"  # noqa: E731 - one rule for every local IRI
    host = site.collaboration.municipality(site.collaboration.host)
    data_pages = [p for p in site.pages if p.kind == "data"]

    root = ET.Element(_q("rdf:RDF"))
    catalog = _node(root, "dcat:Catalog", iri("catalog"))
    _per_language(catalog, "dcterms:title", cat.title)
    _per_language(catalog, "dcterms:description", cat.description)
    _ref(catalog, "dcterms:publisher", iri("publisher"))
    _ref(catalog, "dcterms:license", opendata.LICENCE)
    for code in cat.title:
        if code in LANGUAGES:
            _ref(catalog, "dcterms:language", LANGUAGES[code])
    _date(catalog, "dcterms:modified", cat.modified)
    _ref(catalog, "foaf:homepage", base)
    for d in cat.datasets:
        _ref(catalog, "dcat:dataset", iri(d.id))

    agent = _node(root, "foaf:Agent", iri("publisher"))
    _per_language(agent, "foaf:name", host.name)
    _ref(agent, "dcterms:type", "http://purl.org/adms/publishertype/LocalAuthority")

    for d in cat.datasets:
        ds = _node(root, "dcat:Dataset", iri(d.id))
        _per_language(ds, "dcterms:title", d.title)
        _per_language(ds, "dcterms:description", d.description)
        _ref(ds, "dcterms:publisher", iri("publisher"))
        _date(ds, "dcterms:modified", d.modified)
        _ref(ds, "dcterms:accessRights", EU + "access-right/PUBLIC")
        _ref(ds, "dcat:theme", EU + "data-theme/GOVE")
        for page in data_pages:
            _ref(ds, "dcat:landingPage", f"{base}{page.url}#dataset-{d.id}")
        for fmt in opendata.FORMATS:
            _ref(ds, "dcat:distribution", iri(f"{d.id}-{fmt}"))
        for fmt, (_media, code) in opendata.FORMATS.items():
            dist = _node(root, "dcat:Distribution", iri(f"{d.id}-{fmt}"))
            url = base + d.path(fmt)
            _ref(dist, "dcat:accessURL", url)
            _ref(dist, "dcat:downloadURL", url)
            _ref(dist, "dcterms:format", EU + f"file-type/{code}")
            _ref(dist, "dcterms:license", opendata.LICENCE)
            _date(dist, "dcterms:modified", d.modified)
            for lang, title in d.title.items():
                _text(dist, "dcterms:title", f"{title} ({code})", lang)
            if fmt == "json":
                _ref(dist, "dcterms:conformsTo", base + d.path("schema.json"))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def outputs(site) -> list:
    from .render import Output

    if site.catalogue is None or site.collaboration is None:
        return []
    return [Output(PATH, catalogue_xml(site))]
