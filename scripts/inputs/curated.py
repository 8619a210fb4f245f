"""Read a curated YAML file and check it against its contract in contracts/, before anything is derived from it."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import pycountry
import yaml
from jsonschema import ValidationError

from ..cells import has_type
from ..errors import PipelineError
from .files import CAPS, control_characters, describe_character, read_input_text

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
_WHITE_SPACE_ALLOWED = "\t\n"  # the control characters a curated text may hold
_UNREADABLE = "a control or format character that makes text read other than it shows"


class _DuplicateKey(Exception):
    def __init__(self, key, first_line: int, line: int):
        self.key, self.first_line, self.line = key, first_line, line


class _Loader(_BASE_LOADER):
    """Safe YAML that refuses a key written twice in one mapping (PyYAML would keep the last)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list)):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value, not a mapping or list",
                                                    key_node.start_mark)
        if key in seen:
            raise _DuplicateKey(key, seen[key], key_node.start_mark.line + 1)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@dataclass(frozen=True)
class CuratedFile:
    """A curated file's values, and where each stands in the file, for messages that name a line."""

    path: Path
    relative: str  # from the package root, as messages name it
    data: dict
    # As read. Its YAML nodes, ten times the size of the values, are composed again only for a message.
    text: str

    def line(self, keys: tuple = ()) -> int:
        """The line of the deepest of `keys` that the file has: a key's own line, an item's first line."""
        loader = _Loader(self.text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        line = node.start_mark.line + 1
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)),
                             None)
                if match is None:
                    break
                line, node = match[0].start_mark.line + 1, match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def where(self, *keys) -> str:
        """'<file>, line N (key.path)': the place a message points to."""
        path = key_path(keys)
        return f"{self.relative}, line {self.line(keys)}" + (f" ({path})" if path else "")

    def fail(self, keys: tuple, problem: str, fix: str | None = None):
        raise PipelineError(self.where(*keys), problem, fix)


def key_path(keys) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def load_curated(path: Path, root: Path, contract_name: str, table_schemas: dict[str, dict] | None = None
                 ) -> CuratedFile:
    """The file's values, after the YAML is read strictly and the values meet contracts/<contract_name>.schema.json."""
    curated = _read(path, root, path.relative_to(root).as_posix())
    _refuse_control_characters(curated)
    validator = _validator(contract_name, _freeze(table_schemas))
    found = [(_explain(error, validator.schema), error) for error in validator.iter_errors(curated.data)]
    if not found:
        return curated
    # The first in the file's order, a key's own error before those of what it holds.
    found.sort(key=lambda item: (curated.line(item[0][0]), len(item[0][0])))
    (keys, problem, fix), first = found[0]
    if first.validator == "required":  # a misspelled key is both unknown and missing: name the spelling
        misspelled = next((item for item in found if item[1].validator == "additionalProperties"
                           and item[1].absolute_path == first.absolute_path), None)
        if misspelled:
            (keys, problem, fix), first = misspelled
            problem += f", and {found[0][0][1]}"
    elsewhere = {item[0][0] for item in found} - {keys, found[0][0][0]}
    more = f" ({len(elsewhere)} more problem(s) elsewhere in this file)" if elsewhere else ""
    raise PipelineError(curated.where(*keys), problem + more, fix)


def _read(path: Path, root: Path, relative: str) -> CuratedFile:
    text = read_input_text(path, root, relative, CAPS["curated_yaml"]["max_bytes"])
    if text.startswith("\ufeff"):
        raise PipelineError(f"{relative}, line 1", "starts with a byte-order mark (BOM)",
                            "save it as UTF-8 without a BOM")
    _refuse_aliases_and_depth(text, relative)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _DuplicateKey as exc:
        raise PipelineError(f"{relative}, line {exc.line}", f"the key {exc.key!r} is written twice in the same mapping "
                            f"(first at line {exc.first_line}); YAML would silently keep the last",
                            "keep one of the two and delete the other") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PipelineError(f"{relative}, line {mark.line + 1}" if mark else relative,
                            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                            "check the indentation and quoting of that line") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise PipelineError(f"{relative}, line 1",
                            f"expected a mapping of keys to values at the top level, found {_kind(data)}")
    return CuratedFile(path, relative, data, text)


def _refuse_control_characters(curated: CuratedFile) -> None:
    """No curated key or value holds a control or format character, but tabs and line ends."""
    if not control_characters("\n".join(text for _, text, _ in _texts(curated.data)), allowed=_WHITE_SPACE_ALLOWED):
        return  # one look at all the text; only a file that holds one pays for a look at each text
    for keys, text, is_key in _texts(curated.data):
        if not (found := control_characters(text, allowed=_WHITE_SPACE_ALLOWED)):
            continue
        if is_key:
            # The key's own line, and not the key: a message would carry its character to the terminal.
            where = f"{curated.relative}, line {curated.line(keys)}"
            raise PipelineError(where + (f" ({key_path(keys[:-1])})" if keys[:-1] else ""),
                                f"has a key that holds {describe_character(found[0][1])}, {_UNREADABLE}",
                                "delete it: retype the key")
        curated.fail(keys, f"holds {describe_character(found[0][1])}, {_UNREADABLE}",
                     "delete it: retype the value, or paste it as plain text")


def _texts(value, keys: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """(key path, text, whether it is a key) of every text a curated value holds, keys too, in the file's order."""
    if isinstance(value, str):
        yield keys, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*keys, key), key, True
            yield from _texts(item, (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*keys, index))


def _refuse_aliases_and_depth(text: str, relative: str) -> None:
    """No alias (a value expanded from another, which can grow without bound), no nesting past the contract's depth."""
    depth, limit = 0, CAPS["curated_yaml"]["max_depth"]
    try:
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise PipelineError(f"{relative}, line {event.start_mark.line + 1}", f"uses the YAML alias "
                                    f"*{event.anchor}: a curated file writes every value out",
                                    f"write the value of &{event.anchor} out in full here")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    raise PipelineError(f"{relative}, line {event.start_mark.line + 1}", f"nests mappings and lists "
                                        f"more than {limit} levels deep (contracts/inputs.json)",
                                        "write the values less deeply nested, as the contract's keys are")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # composing the file says where and why, below


# --- the contract: JSON Schema with two keywords of this project's, and the formats it names ---


def _table_field_errors(table_schemas: dict[str, dict], reference: str, instance):
    """The value goes into a table column: it must meet that column's constraints in schemas/."""
    table, column = reference.split(".")
    fields = table_schemas.get(table, {}).get("fields", [])
    field = next((f for f in fields if isinstance(f, dict) and f.get("name") == column), None)
    if field is None:
        return  # the table schema checks report a schema without that field
    schema_file, constraints = f"schemas/{table}.json", field.get("constraints", {})
    if instance == "" and not constraints.get("required"):
        return  # published as a missing value
    if field.get("type") in ("string", "boolean", "integer") and not has_type(instance, field["type"]):
        yield ValidationError(f"expected {_article(field['type'])}, found {_kind(instance)}")
        return
    if "enum" in constraints and instance not in constraints["enum"]:
        yield ValidationError(f"{instance!r} is not one of the values {schema_file} allows for {column}: "
                              f"{', '.join(map(str, constraints['enum']))}")
    pattern = constraints.get("pattern")
    if pattern and isinstance(instance, str) and not re.fullmatch(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern}, the pattern {schema_file} declares for {column}")


def _x_unique_by(validator, keysets: list[list[str]], instance, schema):
    """No two items of a list share the values of one of the key sets (a pasted duplicate)."""
    if not isinstance(instance, list):
        return
    for keys in keysets:
        seen: dict[str, int] = {}
        for index, item in enumerate(instance):
            values = [_dig(item, key) for key in keys]
            if any(value is _MISSING for value in values):
                continue
            frozen = json.dumps(values, sort_keys=True, default=str)
            if frozen not in seen:
                seen[frozen] = index
                continue
            shown = ", ".join(json.dumps(v, default=str, ensure_ascii=False) for v in values)
            error = ValidationError(f"repeats item {seen[frozen] + 1} of this list: the same {' and '.join(keys)} "
                                    f"({shown})", path=[index])
            error.fix = "delete the repeated item, or correct it if it was meant to be a different one"
            yield error


_MISSING = object()


def _dig(item, dotted: str):
    for key in dotted.split("."):
        if not isinstance(item, dict) or key not in item:
            return _MISSING
        item = item[key]
    return item


_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("language-tag")
def _is_language(value) -> bool:
    return not isinstance(value, str) or bool(pycountry.languages.get(alpha_2=value)
                                              or pycountry.languages.get(alpha_3=value))


@_FORMATS.checks("iso-3166-alpha-2")
def _is_country(value) -> bool:
    return not isinstance(value, str) or pycountry.countries.get(alpha_2=value) is not None


_FROZEN: dict[int, tuple[dict, str]] = {}


def _freeze(table_schemas: dict[str, dict] | None) -> str:
    """The schemas as a cache key; a corpus passes the same dict for every file, so it is made once."""
    if table_schemas is None:
        return "{}"
    held = _FROZEN.get(id(table_schemas))
    if held is None or held[0] is not table_schemas:
        held = _FROZEN[id(table_schemas)] = (table_schemas, json.dumps(table_schemas, sort_keys=True))
    return held[1]


@lru_cache(maxsize=8)
def _validator(name: str, frozen_table_schemas: str):
    """One validator per contract and set of table schemas: building it is the costly part."""
    table_schemas = json.loads(frozen_table_schemas)

    def table_field(validator, reference, instance, schema):
        yield from _table_field_errors(table_schemas, reference, instance)

    kind = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                        {"x-table-field": table_field, "x-unique-by": _x_unique_by})
    contract = json.loads((CONTRACTS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return kind(_inline_references(contract, contract.get("$defs", {})), format_checker=_FORMATS)


def _inline_references(node, definitions: dict, within: frozenset = frozenset()):
    """The contract with each {"$ref": "#/$defs/X"}, alone or beside a description that stays, replaced by X: jsonschema
    would look every reference up again for each value it checks. Errors read the same, since jsonschema leaves "$ref"
    out of their paths, and the nearest description is the same."""
    if isinstance(node, list):
        return [_inline_references(item, definitions, within) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get("$ref", "").removeprefix("#/$defs/")
    if name in definitions and name not in within and set(node) <= {"$ref", "description"}:
        defined = _inline_references(definitions[name], definitions, within | {name})
        return {**defined, **{key: value for key, value in node.items() if key != "$ref"}}
    return {key: _inline_references(value, definitions, within) for key, value in node.items()}


# --- messages ---


def _explain(error: ValidationError, contract: dict) -> tuple[tuple, str, str | None]:
    """(key path, what is wrong, how to fix it) for one contract error, in the curator's words."""
    keys, instance, kind = tuple(error.absolute_path), error.instance, error.validator
    rule = _nearest_description(error, contract)
    if kind == "required":
        missing = next(k for k in error.validator_value if k not in instance)
        what = _property_description(error, contract, missing)
        return keys, f"'{missing}' is missing", f"add '{missing}'" + (f": {what}" if what else "")
    if kind == "not" and list(error.validator_value) == ["required"] and len(error.validator_value["required"]) == 1:
        (extra,) = error.validator_value["required"]  # a key that another key's value rules out, as if/then/else say
        what = _property_description(error, contract, extra)
        return (*keys, extra), f"'{extra}' does not belong here", f"remove '{extra}'" + (f": {what}" if what else "")
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = next(k for k in instance if k not in allowed)
        close = difflib.get_close_matches(str(extra), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (*keys, extra), f"unknown key '{extra}'", f"{hint}the keys allowed here are {', '.join(allowed)}"
    if kind == "type":
        return keys, f"expected {_article(error.validator_value)}, found {_kind(instance)}", _type_fix(instance, rule)
    if kind == "x-table-field" and error.message.startswith("expected"):
        expected = error.message.removeprefix("expected ").split(",")[0]
        return keys, f"expected {expected}, found {_kind(instance)}", _type_fix(instance, rule)
    if kind == "oneOf" and "x-one-of-says" in error.schema:
        return keys, error.schema["x-one-of-says"], None
    if kind == "x-unique-by":
        return keys, error.message, getattr(error, "fix", None)
    fix = f"write {rule}" if rule and kind not in ("enum", "minLength") else None
    if kind == "pattern" and rule is None and error.schema.get("pattern", "").startswith("^[^\\s=+"):
        fix = "start the text with a letter, a digit or a quotation mark"
    return keys, _problem(error, rule), fix


def _schemas_above(error: ValidationError, contract: dict) -> list[dict]:
    """The contract's schemas from its root down to the one that holds the failed keyword, the root first."""
    node, found = contract, [contract]
    for step in list(error.absolute_schema_path)[:-1]:
        node = node[step] if isinstance(node, (dict, list)) else None
        if isinstance(node, dict):
            found.append(node)
    return found


def _property_description(error: ValidationError, contract: dict, key: str) -> str | None:
    """The description of a key, from the nearest schema above the failed keyword that declares it with one (an
    if/then/else branch that requires a key, or rules it out, declares none), or from the definition it refers to."""
    definitions = contract.get("$defs", {})
    for schema in reversed(_schemas_above(error, contract)):
        declared = schema.get("properties", {}).get(key)
        if isinstance(declared, dict):
            referred = definitions.get(declared.get("$ref", "").rsplit("/", 1)[-1], {})
            if what := declared.get("description") or referred.get("description"):
                return what
    return None


def _nearest_description(error: ValidationError, contract: dict) -> str | None:
    """The description nearest above the failed keyword, the contract's bare $refs inlined: the rule in words."""
    return next((schema["description"] for schema in reversed(_schemas_above(error, contract)[1:])
                 if isinstance(schema.get("description"), str)), None)


def _problem(error: ValidationError, rule: str | None) -> str:
    instance, value, kind = error.instance, error.validator_value, error.validator
    shown = json.dumps(instance, ensure_ascii=False, default=str)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    if kind in ("pattern", "format"):
        return f"{shown} is not valid here" if rule else f"{shown} does not match {value}"
    if kind == "enum":
        return f"{shown} is not one of {', '.join(map(str, value))}"
    if kind == "const":
        return f"{shown} must be {json.dumps(value)}"
    if kind == "minLength" or (kind == "minItems" and not instance):
        return "must not be empty"
    if kind == "minItems":
        return f"needs at least {value} item(s)"
    if kind == "maxItems":
        return f"has {len(instance)} items, at most {value} allowed"
    if kind == "minimum":
        return f"{shown} is less than {value}"
    return "has an item written twice" if kind == "uniqueItems" else error.message


def _type_fix(instance, rule: str | None) -> str:
    what = f": {rule}" if rule else ""
    if isinstance(instance, bool):
        return f"YAML reads unquoted yes, no, on, off, true and false as booleans; put the value in quotes{what}"
    if isinstance(instance, (int, float, dt.date)):
        return f"YAML reads unquoted numbers and dates as such; put the value in quotes if it is text{what}"
    if isinstance(instance, list):
        return f"write one value, not a list{what}"
    if isinstance(instance, dict):
        return f"write a value, not a mapping (check the indentation){what}"
    if instance is None:
        return f"write a value after the colon{what}"
    return f"write {rule}" if rule else "see the contract in contracts/"


_ARTICLES = {"string": "a text (string)", "object": "a mapping of keys to values", "array": "a list",
             "integer": "a whole number", "boolean": "true or false", "number": "a number"}


def _article(kind: str) -> str:
    return _ARTICLES.get(kind, kind)


def _kind(value) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    return {list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def load_optional(root: Path, relative: str, name: str, table_schemas: dict | None = None) -> CuratedFile | None:
    """A corpus-wide curated file, checked against contracts/<name>.schema.json; None where the checkout has none."""
    path = root / relative
    return load_curated(path, root, name, table_schemas) if path.exists() or path.is_symlink() else None


def file_entry(curated: CuratedFile | None, relative: str) -> tuple[tuple[str, str, int], ...]:
    """(path, sha256, size) of a curated file as read, for the descriptor and the release; none without a file."""
    if curated is None:
        return ()
    content = curated.text.encode("utf-8")
    return ((relative, hashlib.sha256(content).hexdigest(), len(content)),)
