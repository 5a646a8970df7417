"""Open data: each dataset as CSV, JSON and a JSON Schema at a stable URL.

/data/<id>.csv (UTF-8, RFC 4180: CRLF line ends, a header row, quotes only
where needed), /data/<id>.json (an array of objects, the same rows) and
/data/<id>.schema.json (JSON Schema 2020-12 for the JSON). The columns are
declared in model/opendata.py, once, and checked against data/datasets.yaml.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from portal.model.opendata import (
    STATUSES,
    Dataset,
    columns_of,
    per_language,
)
from portal.output import Output


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
        # A derived figure has no source of its own: its formula names the figures whose sources
        # it rests on (the total's alone would credit one source with the other's part).
        src = None if f.derived else f.source
        out.append(
            {
                "id": f.id,
                "as_of": f.as_of,
                **per_language("label", f.label, codes),
                **per_language("unit", f.unit, codes),
                "value": f.value,
                "status": status,
                "formula": formula,
                "municipality": f.municipality,
                "share_of": f.share_of,
                "source_id": src and src.id,
                "source_publisher": src and src.publisher,
                "source_kind": src and src.kind,
                "source_title": src and src.title,
                "source_date": src and src.date,
                "source_url": src and src.url,
            }
        )
    return out


def _agreements(site, codes) -> list[dict]:
    return [
        {
            "id": a.id,
            "parties": list(a.parties),
            **per_language("covers", a.covers, codes),
            # What the date means is only said for a date there is.
            "date": a.date,
            "date_kind": a.date_kind if a.date else None,
            "source_id": a.source.id,
        }
        for a in site.collaboration.agreements
    ]


def _municipalities(site, codes) -> list[dict]:
    return [
        {"id": m.id, **per_language("name", m.name, codes), "role": m.role} for m in site.collaboration.municipalities
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
