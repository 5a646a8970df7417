"""Open data: each dataset as CSV, JSON and a JSON Schema at a stable URL.

/data/<id>.csv (UTF-8, RFC 4180: CRLF line ends, a header row, quotes only
where needed), /data/<id>.json (an array of objects, the same rows) and
/data/<id>.schema.json (JSON Schema 2020-12 for the JSON). The columns are
declared here, once; `data/datasets.yaml` describes them in both languages and
the build checks the two agree, so the data page never documents a column
that is not in the files. Licence: CC0 1.0, as Swedish public bodies use for
data like this (and as DCAT-AP-SE asks of the catalogue itself).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from . import shape as s
from .messages import _
from .outputs import Output
from .problems import Problems
from .yamlnodes import Mapping

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
        "source_id": "string",
        "source_publisher": "string",
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


def _per_language(name: str, texts: dict, codes) -> dict:
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


def rows(site, dataset_id: str) -> list[dict]:
    codes = [lang.code for lang in site.config.languages]
    return {"staffing": _staffing, "agreements": _agreements, "municipalities": _municipalities}[dataset_id](
        site, codes
    )


def _staffing(site, codes) -> list[dict]:
    out = []
    for f in site.staffing.figures:
        status = "derived" if f.derived else ("not-published" if f.value is None else "published")
        formula = " - ".join([f.derived[0], *f.derived[1]]) if f.derived else None
        src = f.source
        out.append(
            {
                "id": f.id,
                "as_of": f.as_of,
                **_per_language("label", f.label, codes),
                **_per_language("unit", f.unit, codes),
                "value": f.value,
                "status": status,
                "formula": formula,
                "municipality": f.municipality,
                "share_of": f.share_of,
                "source_id": src.id,
                "source_publisher": src.publisher,
                "source_kind": src.kind,
                "source_title": src.title,
                "source_date": src.date,
                "source_url": src.url,
            }
        )
    return out


def _agreements(site, codes) -> list[dict]:
    return [
        {
            "id": a.id,
            "parties": list(a.parties),
            **_per_language("covers", a.covers, codes),
            # What the date means is only said for a date there is.
            "date": a.date,
            "date_kind": a.date_kind if a.date else None,
            "source_id": a.source.id,
        }
        for a in site.collaboration.agreements
    ]


def _municipalities(site, codes) -> list[dict]:
    return [
        {"id": m.id, **_per_language("name", m.name, codes), "role": m.role} for m in site.collaboration.municipalities
    ]


# --- formats --------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        # A spreadsheet runs a cell that starts like a formula (=HYPERLINK(…), =cmd|…): OWASP's
        # advice is a leading apostrophe, which shows the text as written.
        return "'" + value
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(names, records: list[dict]) -> str:
    """The records as CSV, with the columns `names` in their order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180: CRLF, quotes only where needed
    writer.writerow(names)
    for r in records:
        writer.writerow([_cell(r[c]) for c in names])
    return buf.getvalue()


def _json_value(value):
    if isinstance(value, Decimal):
        # A float's shortest repr is the decimal as written (1.135, 4.7): exact for these figures.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(names, records: list[dict]) -> str:
    items = [{c: _json_value(r[c]) for c in names} for r in records]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _property(kind: str, doc: str) -> dict:
    nullable = kind.endswith("?")
    kind = kind.rstrip("?")
    if kind == "date":
        prop = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "list":
        prop = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    elif kind == "status":
        prop = {"type": "string", "enum": list(STATUSES)}
    else:
        prop = {"type": kind}
    if nullable:
        prop["type"] = [prop["type"], "null"]
    return {"description": doc, **prop}


def schema(dataset: Dataset, base_url: str, codes) -> dict:
    # One file for every reader of the data: in English, the language of JSON Schema's own
    # readers, when the site has it; else in the site's first language.
    lang = "en" if "en" in codes else codes[0]
    columns = columns_of(dataset.id, codes)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": base_url + dataset.path("schema.json"),
        "title": dataset.title[lang],
        "description": dataset.description[lang],
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": list(columns),
            "properties": {c: _property(kind, dataset.fields[c][lang]) for c, kind in columns.items()},
        },
    }


FORMATS = {  # file suffix -> (media type, EU file-type authority code)
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
}


def outputs(site) -> list:
    """The files of every dataset, as render Outputs so the writer and link checker see them."""
    if site.catalogue is None:
        return []
    codes = [lang.code for lang in site.config.languages]
    out = []
    for d in site.catalogue.datasets:
        records, names = rows(site, d.id), list(columns_of(d.id, codes))
        out.append(Output(d.path("csv"), to_csv(names, records).encode("utf-8")))
        out.append(Output(d.path("json"), to_json(names, records).encode("utf-8")))
        out.append(
            Output(
                d.path("schema.json"),
                (json.dumps(schema(d, site.config.base_url, codes), ensure_ascii=False, indent=2) + "\n").encode(
                    "utf-8"
                ),
            )
        )
    return out
