"""Open data: the CSV and JSON under /data/ say exactly what data/*.yaml says,
the JSON validates against its schema, and the files are RFC 4180 / UTF-8.

Built from the tiny site (its three datasets in tests/fixtures/tiny/data/datasets.yaml)
and the tiny site with a funding split (tinysite.split_site: made-up decimal figures
from two sources, three municipalities, an undated agreement before a dated one)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import jsonschema
import yaml

from conftest import edit, run_build

DATASETS = ("staffing", "agreements", "municipalities")


def yaml_of(site, name):
    """A data file of the site whose output folder is `site`."""
    return yaml.safe_load((site.parent / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


def read_csv(site, name):
    raw = (site / "data" / f"{name}.csv").read_bytes()
    text = raw.decode("utf-8")  # strict: must be UTF-8
    return raw, list(csv.DictReader(io.StringIO(text, newline="")))


def read_json(site, name):
    return json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)


def test_every_dataset_has_csv_json_and_schema_at_stable_urls(tiny_built):
    for name in DATASETS:
        for suffix in ("csv", "json", "schema.json"):
            assert (tiny_built / "data" / f"{name}.{suffix}").is_file(), f"/data/{name}.{suffix}"


def test_csv_is_rfc4180_with_a_header_and_crlf(tiny_built):
    raw, rows = read_csv(tiny_built, "staffing")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert lines[0].decode().startswith("id,as_of,label_sv,label_en,unit_sv,unit_en,value,status,")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert rows[0]["label_sv"] == "Tjänster totalt" and rows[0]["value"] == "5"


def test_staffing_csv_and_json_equal_the_yaml(split_built):
    given = yaml_of(split_built, "staffing")["figures"]
    sources = {s["id"]: s for s in yaml_of(split_built, "sources")}
    _, csv_rows = read_csv(split_built, "staffing")
    json_rows = read_json(split_built, "staffing")
    assert [c["id"] for c in csv_rows] == [j["id"] for j in json_rows]
    typed = [r for r in json_rows if r["status"] != "derived"]
    assert len(typed) == len(given) == 5
    for fig, c, j in zip(given, csv_rows, typed):
        published = fig.get("published", True)
        assert c["id"] == j["id"] == fig["id"]
        assert c["as_of"] == j["as_of"] == str(fig["as_of"])
        assert c["label_sv"] == j["label_sv"] == fig["label"]["sv"]
        assert c["label_en"] == j["label_en"] == fig["label"]["en"]
        assert c["unit_en"] == j["unit_en"] == fig["unit"]["en"]
        if published:
            # PyYAML reads 6.3 as a float; compare as written text.
            assert Decimal(c["value"]) == j["value"] == Decimal(str(fig["value"]))
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
    # Each figure names the source that gives it: the total a newspaper's article, Ödeshög's share Mjölby's announcement.
    by_id = {r["id"]: r for r in json_rows}
    assert by_id["total-posts"]["source_publisher"] == "Testbladet"
    assert by_id["total-posts"]["source_date"] == "2020-01-12" and by_id["total-posts"]["source_kind"] == "news-article"
    assert by_id["odeshog-posts"]["source_publisher"] == "Mjölby kommun"
    assert (
        by_id["odeshog-posts"]["source_date"] == "2020-01-10"
        and by_id["odeshog-posts"]["source_kind"] == "announcement"
    )


def test_derived_figures_are_marked_with_their_formula(split_built):
    rows = {r["id"]: r for r in read_json(split_built, "staffing")}
    derived = rows["posts-not-paid-by-odeshog"]
    assert derived["status"] == "derived"
    assert derived["formula"] == "total-posts - odeshog-posts"
    # Exact: 6.3 - 2.1 is 4.2, not the 4.199999999999999 of floating point.
    assert derived["value"] == Decimal("4.2")
    assert derived["value"] == rows["total-posts"]["value"] - rows["odeshog-posts"]["value"]
    # No source of its own: crediting the total's source alone would give it Ödeshög's part too.
    assert all(derived[name] is None for name in derived if name.startswith("source_"))
    _, csv_rows = read_csv(split_built, "staffing")
    assert {r["id"]: r["value"] for r in csv_rows}["posts-not-paid-by-odeshog"] == "4.2"


def test_agreements_and_municipalities_equal_the_yaml(split_built):
    collab = yaml_of(split_built, "collaboration")
    _, csv_rows = read_csv(split_built, "agreements")
    json_rows = read_json(split_built, "agreements")
    assert (
        [r["id"] for r in json_rows] == [a["id"] for a in collab["agreements"]] == ["mjolby-boxholm", "mjolby-odeshog"]
    )
    for a, c, j in zip(collab["agreements"], csv_rows, json_rows):
        assert j["parties"] == a["parties"] and c["parties"].split(";") == a["parties"]
        assert c["covers_sv"] == j["covers_sv"] == a["covers"]["sv"]
        assert c["covers_en"] == j["covers_en"] == a["covers"]["en"]
        assert (c["date"] or None) == j["date"] == (str(a["date"]) if "date" in a else None)
    # The undated agreement stays undated, with no date kind either; the dated one says what its date is.
    undated, dated = json_rows
    assert undated["date"] is None and undated["date_kind"] is None
    assert csv_rows[0]["date"] == csv_rows[0]["date_kind"] == ""
    assert dated["date"] == "2020-01-10" and dated["date_kind"] == "announced"
    _, csv_rows = read_csv(split_built, "municipalities")
    json_rows = read_json(split_built, "municipalities")
    expected = [
        {"id": m["id"], "name_sv": m["name"]["sv"], "name_en": m["name"]["en"], "role": m["role"]}
        for m in collab["municipalities"]
    ]
    assert csv_rows == expected and json_rows == expected and len(expected) == 3


def test_json_validates_against_its_schema_and_the_schema_catches_bad_rows(split_built):
    for name in DATASETS:
        schema = json.loads((split_built / "data" / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        data = json.loads((split_built / "data" / f"{name}.json").read_text(encoding="utf-8"))
        assert data, f"/data/{name}.json has no rows"
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
        assert schema["$id"] == f"http://127.0.0.1:8000/data/{name}.schema.json"
    schema = json.loads((split_built / "data" / "staffing.schema.json").read_text(encoding="utf-8"))
    data = json.loads((split_built / "data" / "staffing.json").read_text(encoding="utf-8"))
    bad = [dict(data[0], value="6,3")]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert errors, "a value written as text must not validate"
    bad = [dict(data[0], extra="x")]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_a_column_the_data_file_does_not_describe_is_an_error(tiny):
    path = tiny / "data/datasets.yaml"
    edit(path, "      role: {", '      rank: {sv: "Rang.", en: "Rank."}\n      role: {')
    line = path.read_text(encoding="utf-8").splitlines().index('      rank: {sv: "Rang.", en: "Rank."}') + 1
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        f"data/datasets.yaml:{line}: dataset 'municipalities' has no column 'rank' (its columns: id, name_sv, name_en, role)"
        in result.stderr
    )


def test_a_missing_datasets_file_is_reported(tiny):
    (tiny / "data/datasets.yaml").unlink()
    result = run_build(tiny)
    assert result.returncode == 1
    assert "data/datasets.yaml: is missing: it describes the open datasets under /data/" in result.stderr
