"""Open data: the CSV and JSON under /data/ say exactly what data/*.yaml says,
the JSON validates against its schema, and the files are RFC 4180 / UTF-8."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import jsonschema
import yaml

from conftest import REPO, run_build

DATASETS = ("staffing", "agreements", "municipalities")


def yaml_of(name):
    return yaml.safe_load((REPO / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


def read_csv(site, name):
    raw = (site / "data" / f"{name}.csv").read_bytes()
    text = raw.decode("utf-8")  # strict: must be UTF-8
    return raw, list(csv.DictReader(io.StringIO(text, newline="")))


def read_json(site, name):
    return json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)


def test_every_dataset_has_csv_json_and_schema_at_stable_urls(built):
    for name in DATASETS:
        for suffix in ("csv", "json", "schema.json"):
            assert (built / "data" / f"{name}.{suffix}").is_file(), f"/data/{name}.{suffix}"


def test_csv_is_rfc4180_with_a_header_and_crlf(built):
    raw, rows = read_csv(built, "staffing")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert lines[0].decode().startswith("id,as_of,label_sv,")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert rows[0]["label_sv"] == "Tjänster på enheten totalt"


def test_staffing_csv_and_json_equal_the_yaml(built):
    given = yaml_of("staffing")["figures"]
    sources = {s["id"]: s for s in yaml_of("sources")}
    _, csv_rows = read_csv(built, "staffing")
    json_rows = read_json(built, "staffing")
    typed = [r for r in json_rows if r["status"] != "derived"]
    assert len(typed) == len(given)
    for fig, c, j in zip(given, csv_rows, typed):
        published = fig.get("published", True)
        assert c["id"] == j["id"] == fig["id"]
        assert c["as_of"] == j["as_of"] == str(fig["as_of"])
        assert c["label_sv"] == j["label_sv"] == fig["label"]["sv"]
        assert c["label_en"] == j["label_en"] == fig["label"]["en"]
        assert c["unit_en"] == j["unit_en"] == fig["unit"]["en"]
        if published:
            # PyYAML reads 4.7 as a float; compare as written text.
            assert Decimal(c["value"]) == Decimal(str(j["value"])) == Decimal(str(fig["value"]))
            assert c["status"] == j["status"] == "published"
        else:
            assert c["value"] == "" and j["value"] is None
            assert c["status"] == j["status"] == "not-published"
        assert (c["municipality"] or None) == j["municipality"] == fig.get("municipality")
        assert (c["share_of"] or None) == j["share_of"] == fig.get("share_of")
        src = sources[fig["source"]]
        # The publisher's own name: a name per language gives it in the site's first language.
        own = src["publisher"]["sv"] if isinstance(src["publisher"], dict) else src["publisher"]
        assert c["source_publisher"] == j["source_publisher"] == own
        assert c["source_title"] == j["source_title"] == src["title"]
        assert c["source_kind"] == j["source_kind"] == src["kind"]
    # Each figure names the source that gives it: the total Corren's article, Ödeshög's share Mjölby's announcement.
    by_id = {r["id"]: r for r in read_json(built, "staffing")}
    assert by_id["total-posts"]["source_publisher"] == "Östgöta Correspondenten (Corren)"
    assert by_id["total-posts"]["source_date"] == "2019-09-26" and by_id["total-posts"]["source_kind"] == "news-article"
    assert by_id["odeshog-posts"]["source_publisher"] == "Mjölby kommun"
    assert (
        by_id["odeshog-posts"]["source_date"] == "2019-09-23"
        and by_id["odeshog-posts"]["source_kind"] == "announcement"
    )


def test_derived_figures_are_marked_with_their_formula(built):
    rows = {r["id"]: r for r in read_json(built, "staffing")}
    derived = rows["posts-not-paid-by-odeshog"]
    assert derived["status"] == "derived"
    assert derived["formula"] == "total-posts - odeshog-posts"
    assert derived["value"] == Decimal("3.565")
    assert derived["value"] == rows["total-posts"]["value"] - rows["odeshog-posts"]["value"]


def test_agreements_and_municipalities_equal_the_yaml(built):
    collab = yaml_of("collaboration")
    _, csv_rows = read_csv(built, "agreements")
    json_rows = read_json(built, "agreements")
    assert [r["id"] for r in json_rows] == [a["id"] for a in collab["agreements"]]
    for a, c, j in zip(collab["agreements"], csv_rows, json_rows):
        assert j["parties"] == a["parties"] and c["parties"].split(";") == a["parties"]
        assert c["covers_sv"] == j["covers_sv"] == a["covers"]["sv"]
        assert (c["date"] or None) == j["date"] == (str(a["date"]) if "date" in a else None)
    # The undated agreement stays undated, with no date kind either.
    undated = json_rows[0]
    assert undated["date"] is None and undated["date_kind"] is None
    _, csv_rows = read_csv(built, "municipalities")
    json_rows = read_json(built, "municipalities")
    expected = [
        {"id": m["id"], "name_sv": m["name"]["sv"], "name_en": m["name"]["en"], "role": m["role"]}
        for m in collab["municipalities"]
    ]
    assert csv_rows == expected and json_rows == expected


def test_json_validates_against_its_schema_and_the_schema_catches_bad_rows(built):
    for name in DATASETS:
        schema = json.loads((built / "data" / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        data = json.loads((built / "data" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
        assert schema["$id"].startswith("http") and schema["$id"].endswith(f"/data/{name}.schema.json")
    schema = json.loads((built / "data" / "staffing.schema.json").read_text(encoding="utf-8"))
    data = json.loads((built / "data" / "staffing.json").read_text(encoding="utf-8"))
    bad = [dict(data[0], value="4,7")]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert errors, "a value written as text must not validate"
    bad = [dict(data[0], extra="x")]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_a_column_the_data_file_does_not_describe_is_an_error(portal):
    path = portal / "data/datasets.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("      role:\n")
    path.write_text(
        text[:start] + "      rank:\n        sv: Rang.\n        en: Rank.\n" + text[start:], encoding="utf-8"
    )
    result = run_build(portal)
    assert result.returncode == 1
    assert "data/datasets.yaml:" in result.stderr and "has no column 'rank'" in result.stderr


def test_a_missing_datasets_file_is_reported(portal):
    (portal / "data/datasets.yaml").unlink()
    result = run_build(portal)
    assert result.returncode == 1
    assert "data/datasets.yaml: is missing: it describes the open datasets under /data/" in result.stderr
