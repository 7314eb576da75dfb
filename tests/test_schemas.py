"""The JSON schemas document themselves: every field has a description, a type and a default."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "workflow" / "schemas"


NULLABLE_SECTIONS = {"signature", "analytes", "labs", "survival", "transcripts"}


def _load(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / name).read_text())


def _fields(schema: dict, root: dict, prefix: str = ""):
    """Yield (dotted name, subschema) for every property, following local $refs."""
    for name, sub in schema.get("properties", {}).items():
        here = f"{prefix}{name}"
        target = sub
        if "$ref" in sub:
            target = {**root["definitions"][sub["$ref"].split("/")[-1]], **sub}
        yield here, target
        yield from _fields(target, root, here + ".")
        if isinstance(target.get("items"), dict):
            yield from _fields(target["items"], root, here + "[].")


@pytest.mark.parametrize("name", ["config.schema.yaml", "samples.schema.yaml"])
def test_every_field_has_description_type_and_default(name):
    schema = _load(name)
    missing = []
    for field, sub in _fields(schema, schema):
        if not sub.get("description"):
            missing.append(f"{field}: description")
        if "type" not in sub and "$ref" not in sub and "oneOf" not in sub:
            missing.append(f"{field}: type")
        # Sub-keys of a nullable table, required keys and identifiers state their default in
        # the description instead (a schema default cannot be applied inside a null).
        required = field.split(".")[-1] in {"path", "name", "case", "control", "sample_id"} or (
            "." not in field and field in schema.get("required", [])
        )
        # Optional sections (absent = off) and the keys they require have no default.
        required |= field in {"clinical", "clinical.responder", "clinical.responder.visit"}
        required |= field in {"clinical.visits", "clinical.baseline", "clinical.table1[].column"}
        required |= field in {
            "clinical.table2.rows[].definition",
            "clinical.table1_samples.rows[].column",
        }
        inside_table = ".source." in f".{field}." or ".target." in f".{field}."
        # the longitudinal sections are null by default, like a table
        inside_table |= "." in field and field.split(".")[0] in NULLABLE_SECTIONS
        if "default" not in sub and not required and not inside_table:
            missing.append(f"{field}: default")
        if inside_table and "default" not in sub and not required:
            assert "default" in sub["description"].lower(), field
    assert missing == []


@pytest.mark.parametrize("config", ["config.yaml", "gse13015.yaml", "gse13015_bloodgen3.yaml"])
def test_shipped_configs_are_valid(config):
    schema = _load("config.schema.yaml")
    jsonschema.validate(yaml.safe_load((REPO / "config" / config).read_text()), schema)


def test_unknown_key_is_rejected_at_any_depth():
    schema = _load("config.schema.yaml")
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["heatmaps"]["normalization"] = "median"
    with pytest.raises(jsonschema.ValidationError, match="normalization"):
        jsonschema.validate(config, schema)
