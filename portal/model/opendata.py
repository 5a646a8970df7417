"""Open data, as the model sees it: the datasets, their columns, licence and formats.

/data/<id>.csv (UTF-8, RFC 4180: CRLF line ends, a header row, quotes only
where needed), /data/<id>.json (an array of objects, the same rows) and
/data/<id>.schema.json (JSON Schema 2020-12 for the JSON). The columns are
declared here, once; `data/datasets.yaml` describes them in both languages and
the build checks the two agree, so the data page never documents a column
that is not in the files. Licence: CC0 1.0, as Swedish public bodies use for
data like this (and as DCAT-AP-SE asks of the catalogue itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.load import shape as s
from portal.load.yamlnodes import Mapping
from portal.messages import _
from portal.problems import Problems

LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"
FOLDER = "data/"  # the datasets' stable place in the site, the same in every language

# Column name -> JSON Schema type of its value ("date" is a string in date format). A name
# ending in "_{lang}" is one column per language of data/site.yaml, in its order: label_sv, label_en.
COLUMNS = {
    "staffing": {
        "id": "string",
        "as_of": "date",
        "label_{lang}": "string",
        "unit_{lang}": "string",
        "value": "number?",
        "status": "status",
        "formula": "string?",
        "municipality": "string?",
        "share_of": "string?",
        "source_id": "string?",  # empty for a derived figure: its formula names the figures it rests on
        "source_publisher": "string?",
        "source_kind": "string?",
        "source_title": "string?",
        "source_date": "date?",
        "source_url": "string?",
    },
    "agreements": {
        "id": "string",
        "parties": "list",
        "covers_{lang}": "string",
        "date": "date?",
        "date_kind": "string?",
        "source_id": "string",
    },
    "municipalities": {"id": "string", "name_{lang}": "string", "role": "string"},
}
PER_LANGUAGE = "_{lang}"


def columns_of(dataset_id: str, codes) -> dict:
    """A dataset's columns for the site's languages: name -> JSON Schema type."""
    out = {}
    for name, kind in COLUMNS[dataset_id].items():
        if name.endswith(PER_LANGUAGE):
            out.update({name.removesuffix(PER_LANGUAGE) + "_" + code: kind for code in codes})
        else:
            out[name] = kind
    return out


def per_language(name: str, texts: dict, codes) -> dict:
    """{name_sv: texts["sv"], name_en: …} for the site's languages."""
    return {f"{name}_{code}": texts.get(code) for code in codes}


STATUSES = ("published", "not-published", "derived")


@dataclass(frozen=True)
class Dataset:
    id: str
    title: dict  # lang -> text
    description: dict
    modified: dt.date
    fields: dict  # column -> {lang: description}
    keywords: dict = field(default_factory=dict)  # lang -> tuple of keywords (dcat:keyword)

    def path(self, fmt: str) -> str:
        """Where a format of this dataset lives in the site: data/staffing.csv."""
        return f"{FOLDER}{self.id}.{fmt}"


@dataclass(frozen=True)
class Catalogue:
    title: dict
    description: dict
    datasets: tuple  # Dataset
    issued: dt.date | None = None  # the day the catalogue was first published

    @property
    def modified(self) -> dt.date:
        return max(d.modified for d in self.datasets)


def build(sources, codes, problems: Problems) -> Catalogue | None:
    found = sources.data_file("datasets", problems, _("it describes the open datasets under /data/"))
    if found is None:
        return None
    path, node = found
    ctx = s.Ctx(path, problems)
    text = s.PerLanguage(codes, multiline=True)
    shape = s.Fields(
        catalogue=s.Fields(title=text, description=text, issued=s.Field(s.Date(), required=False)),
        datasets=s.ListOf(
            s.Fields(
                id=s.OneOf(*COLUMNS),
                title=text,
                description=text,
                modified=s.Date(),
                fields=s.Field(_FieldDocs(codes)),
                keywords=s.Field(s.Fields(**{code: s.ListOf(s.Text(), min_items=1) for code in codes}), required=False),
            ),
            min_items=1,
        ),
    )
    data = shape.convert(node, ctx, "datasets")
    if data is s.INVALID:
        return None
    datasets = []
    for d in data["datasets"]:
        columns, documented = list(columns_of(d["id"], codes)), list(d["fields"])
        for name in columns:
            if name not in documented:
                ctx.error(
                    d.line_of("fields"),
                    _(
                        "dataset '{id}' has the column '{name}', which 'fields' does not describe",
                        id=d["id"],
                        name=name,
                    ),
                )
        for name in documented:
            if name not in columns:
                ctx.error(
                    d["fields"].line_of(name),
                    _(
                        "dataset '{id}' has no column '{name}' (its columns: {columns})",
                        id=d["id"],
                        name=name,
                        columns=", ".join(columns),
                    ),
                )
        keywords = {code: tuple(words) for code, words in (d["keywords"] or {}).items()}
        datasets.append(
            Dataset(
                d["id"],
                dict(d["title"]),
                dict(d["description"]),
                d["modified"],
                {k: dict(v) for k, v in d["fields"].items()},
                keywords,
            )
        )
    ids = [d.id for d in datasets]
    for d in data["datasets"]:
        if ids.count(d["id"]) > 1:
            ctx.error(d.line, _("dataset '{id}' is described twice", id=d["id"]))
            break
    return Catalogue(
        dict(data["catalogue"]["title"]),
        dict(data["catalogue"]["description"]),
        tuple(datasets),
        data["catalogue"]["issued"],
    )


class _FieldDocs(s.Shape):
    """column name -> {sv: …, en: …}, keeping the order and lines of the file."""

    def __init__(self, codes):
        self.text = s.PerLanguage(codes, multiline=True)

    def convert(self, node, ctx, name):
        if not isinstance(node, Mapping):
            ctx.error(
                getattr(node, "line", None),
                _("'{name}' should map each column to its description per language", name=name),
            )
            return s.INVALID
        out = s.Record()
        out.line, out.lines = node.line, dict(node.lines)
        for key, value in node.items():
            out[key] = self.text.convert(value, ctx, f"{name}.{key}")
        return s.INVALID if any(v is s.INVALID for v in out.values()) else out


# --- rows: the site's data as plain records ------------------------------------------


FORMATS = {  # file suffix -> (media type, EU file-type authority code)
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
}


# The EU vocabulary's code of each language the catalogue can name (dcterms:language).
LANGUAGE_CODES = {
    "bg": "BUL",
    "cs": "CES",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "fi": "FIN",
    "fr": "FRA",
    "ga": "GLE",
    "hr": "HRV",
    "hu": "HUN",
    "it": "ITA",
    "lt": "LIT",
    "lv": "LAV",
    "mt": "MLT",
    "nl": "NLD",
    "pl": "POL",
    "pt": "POR",
    "ro": "RON",
    "sk": "SLK",
    "sl": "SLV",
    "sv": "SWE",
    "no": "NOR",
    "nb": "NOB",
    "nn": "NNO",
    "is": "ISL",
    "se": "SME",
    "yi": "YID",
    "ar": "ARA",
    "fa": "FAS",
    "so": "SOM",
    "ti": "TIR",
    "tr": "TUR",
    "ru": "RUS",
    "uk": "UKR",
    "ku": "KUR",
}


def language_iri(code: str) -> str | None:
    """The EU vocabulary's IRI of a language code of data/site.yaml ("sv" → …/language/SWE)."""
    return (
        "http://publications.europa.eu/resource/authority/language/" + LANGUAGE_CODES[code]
        if code in LANGUAGE_CODES
        else None
    )


def check_languages(config, problems) -> None:
    """Each language of the site must be one the catalogue can name (dcterms:language)."""
    for lang in config.languages:
        if language_iri(lang.code) is None:
            problems.error(
                "data/site.yaml",
                None,
                _(
                    "the open data catalogue cannot name the language '{code}': add its EU vocabulary code to LANGUAGE_CODES in portal/model/opendata.py",
                    code=lang.code,
                ),
            )
