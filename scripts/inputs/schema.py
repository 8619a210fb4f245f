"""Read and check Table Schemas, the single source of truth for columns, types and keys."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import pyarrow as pa

from ..cells import column_values, field_names, is_required, row_tuples
from ..errors import PipelineError
from .curated import key_path

PROFILES = Path(__file__).resolve().parents[2] / "contracts" / "profiles" / "2.0"
LABELS_CONTRACT = PROFILES.parents[1] / "table-schema.schema.json"

# Table Schema type -> Arrow type. The one place where Parquet types are decided.
_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def arrow_schema(schema: dict) -> pa.Schema:
    """Arrow types from a Table Schema: nullable unless the field is required."""
    try:
        return pa.schema(
            [pa.field(f["name"], _ARROW_TYPES[f["type"]], nullable=not is_required(f)) for f in schema["fields"]]
        )
    except KeyError as exc:
        raise PipelineError("schemas", f"no Parquet type for Table Schema type {exc.args[0]!r}") from None


def parquet_schema(schema: dict) -> pa.Schema:
    """Arrow types of a table's Parquet file: a field with categories dictionary-encoded, every category in the
    dictionary, in order."""
    def category(field: dict) -> pa.DataType:
        return pa.dictionary(pa.int32(), pa.string(), ordered=bool(field.get("categoriesOrdered")))
    return pa.schema([pa.field(f.name, category(field) if "categories" in field else f.type, nullable=f.nullable)
                      for f, field in zip(arrow_schema(schema), schema["fields"])])


@lru_cache(maxsize=None)
def profile_validator(name: str) -> jsonschema.Draft7Validator:
    """A validator for one of the official Data Package v2 profiles, vendored in contracts/profiles/."""
    return jsonschema.Draft7Validator(json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8")))


def profile_errors(name: str, descriptor: dict) -> list[str]:
    """'key.path: message' for each way the descriptor breaks an official v2 profile; none when it meets it."""
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
            for e in profile_validator(name).iter_errors(descriptor)]


def check_table_schemas(schemas: dict[str, dict], files: dict[str, str]) -> None:
    """Each schema meets the official Table Schema profile and this project's rules; keys point at real fields.

    `files` gives each table's schema file as messages name it. The first problem stops the build.
    """
    for name, schema in schemas.items():
        _check_fields(schema, files[name])
        check_labels(schema, files[name])
    for name, schema in schemas.items():
        where = files[name]
        names = field_names(schema)
        _check_key(schema.get("primaryKey"), names, where, "primaryKey")
        unique_keys = schema.get("uniqueKeys", [])
        for index, key in enumerate(unique_keys if isinstance(unique_keys, list) else [None]):
            _check_key(key, names, where, f"uniqueKeys[{index}]")
        foreign_keys = schema.get("foreignKeys", [])
        for index, foreign in enumerate(foreign_keys if isinstance(foreign_keys, list) else [None]):
            _check_foreign_key(foreign, names, schemas, where, f"foreignKeys[{index}]")
        if name != COUNTRIES:
            _check_country_codes_are_keyed(schema, where)
        broken = table_schema_profile_error(json.dumps(schema, sort_keys=True))
        if broken is not None:
            path, message = broken
            raise PipelineError(_at(where, path), f"does not meet the official Table Schema v2 profile: {message}",
                                "see https://datapackage.org/standard/table-schema/ and "
                                "contracts/profiles/2.0/tableschema.json")


@lru_cache(maxsize=64)
def table_schema_profile_error(schema_json: str) -> tuple[str, str] | None:
    """(key path, message) of the most useful way a schema, as JSON, breaks the Table Schema profile; None if none.

    A process that builds again (the tests do, hundreds of times) asks once per distinct schema.
    """
    error = jsonschema.exceptions.best_match(profile_validator("tableschema").iter_errors(json.loads(schema_json)))
    while error is not None and error.context:  # anyOf over field types: the deepest reason is the useful one
        error = max(error.context, key=lambda e: len(e.absolute_path))
    if error is None:
        return None
    return key_path(error.absolute_path), error.message[:200]


@lru_cache(maxsize=None)
def _labels_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(LABELS_CONTRACT.read_text(encoding="utf-8")))


def check_labels(schema: dict, file: str) -> None:
    """Every field has a title and every category a label, as contracts/table-schema.schema.json asks; a field with
    categories labels every value its enum allows: the categories' order numbers the codes of Stata and SPSS."""
    for error in sorted(_labels_validator().iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        rule = error.schema
        if error.validator == "required":  # the missing key's own rule says how to fix it
            missing = next(key for key in error.validator_value if key not in error.instance)
            path, rule = [*path, missing], error.schema["properties"][missing]
        rules = [rule, *(sub for depth in range(len(path), 0, -1) if (sub := _rule_at(path[:depth])) is not None)]
        fix = next((r["description"] for r in rules if "description" in r), None)
        raise PipelineError(_where_in(schema, file, path), _labels_problem(error, path), fix)
    for index, field in enumerate(schema.get("fields", [])):
        values = [category["value"] for category in field.get("categories", [])]
        unlabelled = [value for value in field.get("constraints", {}).get("enum", []) if values and value not in values]
        if unlabelled:
            raise PipelineError(_where_in(schema, file, ["fields", index, "categories"]),
                                f"{field['name']} allows {unlabelled[0]!r} (constraints.enum), "
                                "which none of its categories labels",
                                "add a category {\"value\", \"label\"} for each code the enum allows: "
                                "categories label and number them")


def _rule_at(path: list) -> dict | None:
    """The contract's rule for a key path of a schema: fields[3].categories[0] -> the rule of categories."""
    rule = _labels_validator().schema
    for key in path:
        rule = rule.get("items") if isinstance(key, int) else rule.get("properties", {}).get(key)
        if rule is None:
            return None
    return rule


def _where_in(schema: dict, file: str, path: list) -> str:
    text = key_path(path)
    fields = schema.get("fields")
    if len(path) >= 2 and path[0] == "fields" and isinstance(fields, list) and isinstance(fields[path[1]], dict):
        text += f", field {fields[path[1]].get('name')!r}"
    return f"{file} ({text})"


def _labels_problem(error, path: list) -> str:
    key = path[-1] if path else "(top)"
    if isinstance(key, int) and len(path) >= 2:
        key = f"{path[-2]}[{key}]"
    if error.validator == "required":
        return f"has no {key}"
    if error.validator == "maxLength":
        return (f"{key} is {len(error.instance)} characters long, over the {error.validator_value} a label may have: "
                f"{error.instance[:40]!r}…")
    if error.validator == "type":
        return f"{key} is {json.dumps(error.instance, ensure_ascii=False)[:60]}, not {_article(error.validator_value)}"
    return f"{key}: {error.message[:200]}"


def _article(kind) -> str:
    articles = {"object": "an object", "integer": "an integer", "array": "a list"}
    return " or ".join(articles.get(k, f"a {k}") for k in ([kind] if isinstance(kind, str) else kind))


def _at(file: str, path: str) -> str:
    return f"{file} ({path})" if path else file


def _check_fields(schema: dict, where: str) -> None:
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise PipelineError(_at(where, "fields"), "needs a non-empty list of fields",
                            "each field is {name, type, description, constraints}")
    seen: dict[str, int] = {}
    for index, field in enumerate(fields):
        at = _at(where, f"fields[{index}]")
        if not isinstance(field, dict):
            raise PipelineError(at, "a field must be an object", "each field is {name, type, description, constraints}")
        name = field.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise PipelineError(_at(where, f"fields[{index}].name"),
                                f"field name {name!r} is not lower-case letters, digits and '_'",
                                "name columns like country_code")
        if name in seen:
            raise PipelineError(_at(where, f"fields[{index}].name"),
                                f"field {name!r} is declared twice (first as fields[{seen[name]}])",
                                "delete or rename one of them")
        seen[name] = index
        if field.get("type") not in _ARROW_TYPES:
            raise PipelineError(_at(where, f"fields[{index}].type"),
                                f"type {field.get('type')!r} of {name} is not one this package uses",
                                f"use one of {', '.join(_ARROW_TYPES)}")
        if not isinstance(field.get("description"), str) or not field["description"].strip():
            raise PipelineError(_at(where, f"fields[{index}].description"), f"field {name} has no description",
                                "say what the column holds: the data dictionary is made from it")
        if field.get("format", "default") != "default":
            raise PipelineError(_at(where, f"fields[{index}].format"), f"{name} declares format {field['format']!r}; "
                                "this package writes every value in its type's default form (dates as ISO 8601)",
                                "remove the format")
        constraints = field.get("constraints", {})
        if not isinstance(constraints, dict):
            raise PipelineError(_at(where, f"fields[{index}].constraints"), "constraints must be an object",
                                'such as {"required": true}')
        pattern = constraints.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                raise PipelineError(_at(where, f"fields[{index}].constraints.pattern"),
                                    f"the pattern of {name} is not a regular expression: {exc}") from None
    for index, field in enumerate(fields):
        span_of = field.get("spanOf")
        if span_of is None:
            continue
        if span_of not in seen:
            raise PipelineError(_at(where, f"fields[{index}].spanOf"),
                                f"{field['name']} is the span of {span_of!r}, which is not a field of this schema")
        end = field["name"].replace("start", "end")
        if "start" not in field["name"] or end not in seen:
            raise PipelineError(_at(where, f"fields[{index}].spanOf"), "a span's start field is named *start* and its "
                                f"end field *end*: {field['name']} has no {end!r} beside it")


def _check_key(key, names: list[str], where: str, path: str) -> None:
    if not isinstance(key, list) or not key or not all(isinstance(k, str) for k in key):
        raise PipelineError(_at(where, path), "must be a non-empty list of field names", 'such as ["agreement_id"]')
    for index, name in enumerate(key):
        if name not in names:
            raise PipelineError(_at(where, f"{path}[{index}]"), f"names {name!r}, which is not a field of this schema",
                                f"the fields are {', '.join(names)}")


def _check_foreign_key(foreign, names: list[str], schemas: dict[str, dict], where: str, path: str) -> None:
    if not isinstance(foreign, dict) or not isinstance(foreign.get("reference"), dict):
        raise PipelineError(_at(where, path), "a foreign key is {fields: [...], reference: {resource, fields}}")
    _check_key(foreign.get("fields"), names, where, f"{path}.fields")
    reference = foreign["reference"]
    table = reference.get("resource")
    if table not in schemas:
        raise PipelineError(_at(where, f"{path}.reference.resource"),
                            f"references table {table!r}, which is not a resource of metadata/package.yaml",
                            f"the tables are {', '.join(schemas)}")
    _check_key(reference.get("fields"), field_names(schemas[table]), where, f"{path}.reference.fields")
    if len(reference["fields"]) != len(foreign["fields"]):
        raise PipelineError(_at(where, f"{path}.reference.fields"),
                            "names a different number of fields than the foreign key's own fields")


# The table of countries is made from the codes of the columns that a foreign key ties to it, so every column of
# country codes (named country_code, or ending in _country_code) needs that key: one without it could hold a code
# that countries lacks, and a join would drop that row's country.
COUNTRIES = "countries"
_COUNTRY_CODE_COLUMN = re.compile(r"([a-z0-9_]+_)?country_code")


def _check_country_codes_are_keyed(schema: dict, where: str) -> None:
    keyed = set()
    for index, foreign in enumerate(schema.get("foreignKeys", [])):
        if foreign["reference"]["resource"] != COUNTRIES:
            continue
        if len(foreign["fields"]) != 1 or foreign["reference"]["fields"] != ["country_code"]:
            raise PipelineError(_at(where, f"foreignKeys[{index}]"),
                                "a key to countries ties one column of codes to its country_code",
                                'write {"fields": ["<the column>"], '
                                '"reference": {"resource": "countries", "fields": ["country_code"]}}')
        keyed.add(foreign["fields"][0])
    for index, field in enumerate(schema["fields"]):
        column = field["name"]
        if _COUNTRY_CODE_COLUMN.fullmatch(column) and column not in keyed:
            raise PipelineError(_at(where, f"fields[{index}]"),
                                f"{column} holds country codes, but no foreign key ties it to countries, "
                                "which is made from the columns keyed to it",
                                f'add {{"fields": ["{column}"], "reference": {{"resource": "countries", '
                                '"fields": ["country_code"]}} to its foreignKeys')


# How a value breaks each constraint the build checks before frictionless does (`required` and `unique` apart).
_BREAKS = {
    "pattern": lambda value, pattern: isinstance(value, str) and re.fullmatch(pattern, value) is None,
    "enum": lambda value, allowed: value not in allowed,
    "minimum": lambda value, bound: value < bound,
    "maximum": lambda value, bound: value > bound,
    "minLength": lambda value, length: isinstance(value, str) and len(value) < length,
    "maxLength": lambda value, length: isinstance(value, str) and len(value) > length,
}


def first_broken_constraint(rows: list[dict], schema: dict) -> tuple[int, int, str, object] | None:
    """(row index, field index, constraint, value) of the first built value that breaks a declared constraint.

    The build checks its rows before frictionless does, so that a constraint edited in a schema is
    named there, by its key path and the source line, rather than as errors in a table that is never written.
    """
    for index, field in enumerate(schema["fields"]):
        constraints = field.get("constraints", {})
        values = column_values(rows, field["name"])
        if constraints.get("required"):
            row = next((i for i, v in enumerate(values) if v is None or v == ""), None)
            if row is not None:
                return row, index, "required", values[row]
        for rule, breaks in _BREAKS.items():
            if rule in constraints:
                bound = constraints[rule]
                row = next((i for i, v in enumerate(values) if v not in (None, "") and breaks(v, bound)), None)
                if row is not None:
                    return row, index, rule, values[row]
        if constraints.get("unique"):
            seen: set = set()
            for row, value in enumerate(values):
                if value is not None and value in seen:
                    return row, index, "unique", value
                seen.add(value)
    return None


def first_broken_key(tables: dict[str, list[dict]], schemas: dict[str, dict]) -> tuple[str, str, str] | None:
    """(table, key path in its schema, what is wrong) for the first primary, unique or foreign key the rows break."""
    for name, schema in schemas.items():
        rows = tables[name]
        keys = [("primaryKey", schema["primaryKey"]),
                *((f"uniqueKeys[{i}]", key) for i, key in enumerate(schema.get("uniqueKeys", [])))]
        for path, key in keys:
            seen: dict[tuple, int] = {}
            for number, value in enumerate(row_tuples(rows, key), start=2):
                if None in value and path != "primaryKey":
                    continue  # a unique key does not compare missing values
                if value in seen:
                    return name, path, f"rows {seen[value]} and {number} of data/{name}.csv share {key} = {list(value)}"
                seen[value] = number
        for index, foreign in enumerate(schema.get("foreignKeys", [])):
            reference = foreign["reference"]
            parents = set(row_tuples(tables[reference["resource"]], reference["fields"]))
            for number, value in enumerate(row_tuples(rows, foreign["fields"]), start=2):
                if None not in value and value not in parents:
                    return name, f"foreignKeys[{index}]", (
                        f"row {number} of data/{name}.csv has {foreign['fields']} = {list(value)}, "
                        f"which no row of {reference['resource']} has as {reference['fields']}")
    return None
