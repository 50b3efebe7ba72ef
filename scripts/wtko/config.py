"""Config validation with defaults and one-line, fixable error messages.

Snakemake's own ``validate`` prints the whole schema on failure; users need the
key, what was expected and an example, so we validate here first.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators

from .errors import InputError


def _with_defaults(cls):
    """Extend a validator class so that ``default`` values are filled in."""
    validate_properties = cls.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(cls, {"properties": set_defaults})


_Validator = _with_defaults(Draft202012Validator)


def _key(path) -> str:
    return ".".join(str(p) for p in path) or "<top level>"


def _subschema(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return _subschema(root["$defs"][ref.split("/")[-1]], root)
    return schema


def _describe(error, root: dict, source: str) -> InputError:
    """Turn the most relevant jsonschema error into a one-line InputError."""
    key = _key(error.absolute_path)
    schema = _subschema(error.schema, root)
    if error.validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        bad = extra[0] if extra else "?"
        near = difflib.get_close_matches(str(bad), allowed, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"allowed keys: {', '.join(allowed)}"
        where = f"{key}.{bad}" if error.absolute_path else bad
        return InputError(source, f"unknown config key '{where}'", hint)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return InputError(source, f"config key '{key}' lacks required key '{missing}'",
                          f"add '{missing}:' under '{key}' (see config/config.yaml for an example)")
    if error.validator == "oneOf" and key.startswith("datasets.") and key.count(".") == 1:
        return InputError(source, f"dataset '{key}' needs exactly one of 'peaks' or 'counts'",
                          "give peaks: {wt: WT.narrowPeak, ko: KO.narrowPeak} or a counts: table")
    expected = schema.get("type") or schema.get("enum") or error.validator_value
    example = schema.get("default", schema.get("examples", [None])[0] if "examples" in schema else None)
    hint = f"expected {expected}"
    if example is not None:
        hint += f", e.g. {key.split('.')[-1]}: {example!r}"
    return InputError(source, f"config key '{key}' is {error.instance!r}: {error.message}", hint)


def validate_config(config: dict[str, Any], schema_path: str | Path,
                    source: str = "config") -> dict[str, Any]:
    """Validate ``config`` in place, fill schema defaults, and return it.

    Raises:
        InputError: one line naming the key, what was expected and an example.
    """
    schema = yaml.safe_load(Path(schema_path).read_text())
    errors = sorted(_Validator(schema).iter_errors(config), key=lambda e: len(e.absolute_path),
                    reverse=True)
    if errors:
        from jsonschema.exceptions import best_match

        raise _describe(best_match(errors), schema, source)
    return config
