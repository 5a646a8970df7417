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
JSON Schema as dcterms:conformsTo.

DCAT-AP 3.0.1 in full: tests/test_catalog_shacl.py validates the file with
pySHACL against the release's own shapes (vendored in tests/shapes/dcat-ap-3.0.1/):
the mandatory, the recommended and the full shapes with their range (class)
constraints, with no violation and no warning. So every controlled-vocabulary
value is typed with the class the shapes expect (a language is a
dcterms:LinguisticSystem, a licence a dcterms:LicenseDocument, …), and each
recommended property is filled from facts the site has:

- contact point: a vCard of the host municipality's public route (the e-mail
  address and phone number of data/contacts.yaml);
- keywords: per dataset and language, in data/datasets.yaml;
- spatial coverage: the three municipalities of the collaboration;
- temporal coverage: a period starting on the date the data applies from (the
  earliest date a figure applies from, the earliest dated agreement, and for the
  municipalities the date the latest of them joined); no end date, since no
  source gives one;
- the catalogue's issue date (data/datasets.yaml), its theme taxonomy (the EU
  data-theme scheme its themes come from) and its spatial coverage;
- each distribution's availability (stable: the files have fixed addresses) and
  description in every language.
What no source gives (an end date, a place's geometry) stays out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from portal.load import strings as i18n
from portal.model import opendata
from portal.model.site import Kind
from portal.output import Output
from portal.render import citations

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcatap": "http://data.europa.eu/r5r/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EU = "http://publications.europa.eu/resource/authority/"
# The EU language vocabulary's code for an ISO 639-1 code: a table of facts, not of the
# languages the site uses (those come from data/site.yaml). check reports a site language
# missing here, as the catalogue could not name it.
THEMES = EU + "data-theme"  # the scheme of dcat:theme's values: the catalogue's dcat:themeTaxonomy
STABLE = EU + "planned-availability/STABLE"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"
PUBLIC_DOMAIN = "http://purl.org/adms/licencetype/PublicDomain"  # the kind of licence CC0 is (dcterms:type)
# The vocabularies' own labels for the values used, as the shapes want each concept
# labelled (skos:prefLabel) and the theme scheme titled: copied from the EU and ADMS
# vocabularies, in the languages they give.
LABELS = {
    EU + "data-theme/GOVE": (
        "skos:prefLabel",
        {"sv": "Regeringen och den offentliga sektorn", "en": "Government and public sector"},
    ),
    STABLE: ("skos:prefLabel", {"en": "stable"}),
    PUBLISHER_TYPE: ("skos:prefLabel", {"en": "Local Authority"}),
    PUBLIC_DOMAIN: ("skos:prefLabel", {"en": "Public domain"}),
    THEMES: ("dcterms:title", {"en": "Data theme"}),
}
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


def _typed(root, iri, *classes):
    """Say what a referenced value is, as DCAT-AP's range shapes ask (a language IRI is a
    dcterms:LinguisticSystem, and so on); each value once, with every class it has."""
    el = _node(root, "rdf:Description", iri)
    for cls in classes:
        prefix, local = cls.split(":")
        _ref(el, "rdf:type", NS[prefix] + local)
    if iri in LABELS:
        prop, texts = LABELS[iri]
        _per_language(el, prop, texts)
    if iri == opendata.LICENCE:
        _ref(el, "dcterms:type", PUBLIC_DOMAIN)


def _applies_from(site, dataset_id):
    """The date a dataset's content applies from, for its temporal coverage; None if none."""
    if dataset_id == "staffing":
        dates = [f.as_of for f in site.staffing.figures]
        return min(dates) if dates else None
    dated = [a.date for a in site.collaboration.agreements if a.date]
    if not dated:
        return None
    # The agreements reach back to the earliest dated one; the list of municipalities
    # is as it stands since the latest of them joined.
    return min(dated) if dataset_id == "agreements" else max(dated)


def _dataset_sources(site, dataset_id) -> list:
    """The sources a dataset's rows come from, in first-use order."""
    if dataset_id == "staffing":
        found = [f.source for f in site.staffing.figures]
    else:  # the agreements, and the municipalities taking part in them
        found = [a.source for a in site.collaboration.agreements]
    return list(dict.fromkeys(found))


def _provenance(site, sources, lang) -> str:
    """Where a dataset's facts come from, in one language: each source as the pages cite it."""
    cited = [citations.cite(src, site.config, lang) for src in sources]
    return f"{i18n.text(site.config, lang, 'sources.provenance')} {'; '.join(cited)}.".strip()


def catalogue_xml(site) -> bytes:
    cat, base = site.catalogue, site.config.base_url
    iri = lambda fragment: f"{base}{PATH}#{fragment}"  # noqa: E731 - one rule for every local IRI
    collab = site.collaboration
    host = collab.municipality(collab.host)
    data_pages = [p for p in site.pages if p.kind == Kind.DATA]
    routes = site.contacts.of(host.id)
    languages = [opendata.language_iri(lang.code) for lang in site.config.languages]
    used = {}  # a referenced value -> its classes, typed once at the end

    def ref(parent, name, value, *classes):
        _ref(parent, name, value)
        if classes:
            used.setdefault(value, set()).update(classes)

    root = ET.Element(_q("rdf:RDF"))
    catalog = _node(root, "dcat:Catalog", iri("catalog"))
    _per_language(catalog, "dcterms:title", cat.title)
    _per_language(catalog, "dcterms:description", cat.description)
    _ref(catalog, "dcterms:publisher", iri("publisher"))
    ref(catalog, "dcterms:license", opendata.LICENCE, "dcterms:LicenseDocument")
    for lang_iri in languages:
        ref(catalog, "dcterms:language", lang_iri, "dcterms:LinguisticSystem")
    if cat.issued:
        _date(catalog, "dcterms:issued", cat.issued)
    _date(catalog, "dcterms:modified", cat.modified)
    ref(catalog, "foaf:homepage", base, "foaf:Document")
    ref(catalog, "dcat:themeTaxonomy", THEMES, "skos:ConceptScheme")
    for m in collab.municipalities:
        _ref(catalog, "dcterms:spatial", iri(f"place-{m.id}"))
    for d in cat.datasets:
        _ref(catalog, "dcat:dataset", iri(d.id))

    agent = _node(root, "foaf:Agent", iri("publisher"))
    _per_language(agent, "foaf:name", host.name)
    ref(agent, "dcterms:type", PUBLISHER_TYPE, "skos:Concept")

    # The municipalities the data covers, by name: no source gives their geometry.
    for m in collab.municipalities:
        place = _node(root, "dcterms:Location", iri(f"place-{m.id}"))
        _per_language(place, "skos:prefLabel", m.name)

    # Whom to ask about the data: the host municipality's public route, never a person.
    if routes:
        contact = _node(root, "vcard:Organization", iri("contact"))
        _ref(contact, "rdf:type", NS["vcard"] + "Kind")
        for lang, name in host.name.items():
            _text(contact, "vcard:fn", f"{name}, {routes[0].name[lang]}", lang)
        for r in routes:
            if r.email:
                _ref(contact, "vcard:hasEmail", "mailto:" + r.email)
            if r.phone:
                _ref(contact, "vcard:hasTelephone", "tel:" + r.tel)

    for d in cat.datasets:
        ds = _node(root, "dcat:Dataset", iri(d.id))
        _per_language(ds, "dcterms:title", d.title)
        _per_language(ds, "dcterms:description", d.description)
        _ref(ds, "dcterms:publisher", iri("publisher"))
        if routes:
            _ref(ds, "dcat:contactPoint", iri("contact"))
        for lang, words in d.keywords.items():
            for word in words:
                _text(ds, "dcat:keyword", word, lang)
        for m in collab.municipalities:
            _ref(ds, "dcterms:spatial", iri(f"place-{m.id}"))
        start = _applies_from(site, d.id)
        if start:
            period = _node(_node(ds, "dcterms:temporal"), "dcterms:PeriodOfTime", iri(f"period-{d.id}"))
            _date(period, "dcat:startDate", start)
        # Provenance: the sources the rows come from, each with its publisher and date.
        used_sources = _dataset_sources(site, d.id)
        if used_sources:
            statement = _node(_node(ds, "dcterms:provenance"), "dcterms:ProvenanceStatement", iri(f"provenance-{d.id}"))
            _per_language(statement, "rdfs:label", {lang: _provenance(site, used_sources, lang) for lang in d.title})
        _date(ds, "dcterms:modified", d.modified)
        ref(ds, "dcterms:accessRights", EU + "access-right/PUBLIC", "dcterms:RightsStatement")
        ref(ds, "dcat:theme", EU + "data-theme/GOVE", "skos:Concept")
        for page in data_pages:
            ref(ds, "dcat:landingPage", f"{base}{page.url}#dataset-{d.id}", "foaf:Document")
        for fmt in opendata.FORMATS:
            _ref(ds, "dcat:distribution", iri(f"{d.id}-{fmt}"))
        for fmt, (_media, code) in opendata.FORMATS.items():
            dist = _node(root, "dcat:Distribution", iri(f"{d.id}-{fmt}"))
            url = base + d.path(fmt)
            _ref(dist, "dcat:accessURL", url)
            _ref(dist, "dcat:downloadURL", url)
            ref(dist, "dcterms:format", EU + f"file-type/{code}", "dcterms:MediaTypeOrExtent")
            ref(dist, "dcterms:license", opendata.LICENCE, "dcterms:LicenseDocument")
            ref(dist, "dcatap:availability", STABLE, "skos:Concept")
            _date(dist, "dcterms:modified", d.modified)
            for lang, title in d.title.items():
                _text(dist, "dcterms:title", f"{title} ({code})", lang)
                described = i18n.text(site.config, lang, f"opendata.{fmt}")
                _text(dist, "dcterms:description", f"{title}: {described}.", lang)
            if fmt == "json":
                ref(dist, "dcterms:conformsTo", base + d.path("schema.json"), "dcterms:Standard")
    if opendata.LICENCE in used:
        used.setdefault(PUBLIC_DOMAIN, set()).add("skos:Concept")
    for value, classes in used.items():
        _typed(root, value, *sorted(classes))
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def outputs(site) -> list:
    if site.catalogue is None or site.collaboration is None:
        return []
    return [Output(PATH, catalogue_xml(site))]
