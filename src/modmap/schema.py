"""Config validation against the JSON schema, with one-line errors.

:func:`validate_config` does what ``snakemake.utils.validate(config, schema)`` does (JSON Schema
draft 2020-12, schema defaults filled into the config as it is validated) but reports a problem as
one :class:`~modmap.errors.InputError` line: the key path (``heatmaps.modules[0]``), the value
found, what the schema expects there, and for an unknown key the closest valid key, instead of
printing the whole schema.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import jsonschema
import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from modmap.errors import InputError

__all__ = ["describe_error", "key_path", "validate_config"]

_MAX_VALUE = 80


def _with_defaults(validator_class):
    """The validator class that fills ``default`` values in as it validates (as Snakemake's)."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema) -> Iterator[ValidationError]:
        if isinstance(instance, MutableMapping):
            for name, subschema in properties.items():
                if isinstance(subschema, Mapping) and "default" in subschema:
                    instance.setdefault(name, subschema["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(validator_class, {"properties": set_defaults})


def key_path(parts: Any) -> str:
    """``["heatmaps", "modules", 0]`` -> ``"heatmaps.modules[0]"``; empty -> ``"(top level)"``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 5] + " ...)"


def _expected(schema: Mapping[str, Any]) -> str:
    """What a (sub)schema accepts, in a few words."""
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    parts = []
    kind = schema.get("type")
    if kind:
        parts.append(" or ".join(kind) if isinstance(kind, list) else str(kind))
        parts = [f"a {parts[0]}"]
    for key, words in (
        ("pattern", "matching"),
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
        ("minItems", "with at least"),
        ("maxLength", "of at most"),
        ("minProperties", "with at least"),
    ):
        if key in schema:
            unit = {"minItems": " item(s)", "maxLength": " characters"}.get(key, "")
            unit = " key(s)" if key == "minProperties" else unit
            parts.append(f"{words} {schema[key]}{unit}")
    if "oneOf" in schema or "anyOf" in schema:
        options = [_expected(s) for s in schema.get("oneOf", schema.get("anyOf", []))]
        parts.append("either " + " or ".join(o for o in options if o))
    return ", ".join(parts) or "a value valid under the schema"


def describe_error(error: ValidationError, *, source: str = "config") -> str:
    """One line for a schema error: key path, value, expectation and, for typos, a suggestion.

    The value and what is wrong with it are jsonschema's own words (``'x' is too long``,
    ``'a\\n' does not match '^...'``), followed by what the schema expects there.
    """
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = list((schema.get("properties") or {}).keys())
        unknown = [k for k in error.instance if k not in allowed]
        key = str(unknown[0]) if unknown else "?"
        where = key_path([*path, key])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        parent = key_path(path) if path else "the top level"
        return (
            f"{source}: unknown key {where!r} (value {_short(error.instance.get(key))}).{hint} "
            f"Valid keys at {parent}: {', '.join(allowed)}. Fix or remove it "
            "(workflow/schemas/config.schema.yaml describes every key)."
        )
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = key_path([*path, missing])
        return (
            f"{source}: required key {where!r} is missing. Add it "
            "(workflow/schemas/config.schema.yaml describes every key)."
        )
    where = key_path(path)
    description = " ".join(str(schema.get("description", "")).split())
    if len(description) > 160:
        description = description[:157] + "..."
    about = f" ({description})" if description else ""
    found = " ".join(error.message.split())  # jsonschema's words: the value and what is wrong
    if len(found) > 240:
        found = f"{_short(error.instance)} is not valid"
    return (
        f"{source}: key {where!r}: {found}; expected {_expected(schema)}{about}. Fix it in your "
        "config file."
    )


def validate_config(config: MutableMapping[str, Any], schema: str | os.PathLike) -> None:
    """Validate ``config`` against a YAML/JSON schema file, filling in schema defaults.

    Parameters
    ----------
    config
        The workflow config (modified in place: missing keys with a ``default`` in the schema
        are set, as ``snakemake.utils.validate`` does).
    schema
        Path to the schema (``workflow/schemas/config.schema.yaml``); draft 2020-12.

    Raises
    ------
    InputError
        The most relevant schema error (jsonschema's ``best_match``) as one line: key path,
        value, what is expected, and for an unknown key the closest valid key (``difflib``);
        the number of further keys with problems is appended when there are more.
    """
    with open(schema, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    validator = _with_defaults(Draft202012Validator)(spec)
    errors = list(validator.iter_errors(config))
    if not errors:
        return
    first = best_match(errors, key=jsonschema.exceptions.relevance)
    more = len({tuple(e.absolute_path) for e in errors} - {tuple(first.absolute_path)})
    suffix = f" (problems at {more} more key(s) after this one.)" if more else ""
    raise InputError(describe_error(first) + suffix)
