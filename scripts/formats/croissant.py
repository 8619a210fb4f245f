"""Write croissant.json: every CSV table of the release as an MLCommons Croissant record set, from datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

from .archive import sha256_of

PATH = "croissant.json"
# The JSON-LD vocabulary of Croissant 1.0, kept as data beside the other contracts (tests/formats/test_croissant.py
# keeps it mlcroissant's).
_CONTEXT = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "croissant" / "context-1.0.json")
                      .read_text(encoding="utf-8"))["@context"]
# Table Schema type -> the schema.org type Croissant reads a column as.
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean",
              "date": "sc:Date"}


def write_croissant(path: str, folder: str, descriptor: dict, schemas: dict[str, dict], released: str, cite_as: str,
                    table_files: list[tuple[str, str, str]]) -> None:
    """The Croissant description of the package's CSV tables: a file object with its sha256 for each, and a record set
    with its fields, key and references.

    `table_files` are (label, path, media type) of each table's files in the release `folder`: those the descriptor
    does not describe as CSV tables (Parquet, Stata, SPSS) are file objects beside the CSV ones, with their sha256.
    """
    tables = [resource for resource in descriptor["resources"]
              if resource.get("type") == "table" and resource.get("format") == "csv"]
    files = [{"@type": "cr:FileObject", "@id": _file(resource["name"]), "name": _file(resource["name"]),
              "description": resource["title"], "contentUrl": resource["path"], "encodingFormat": "text/csv",
              "sha256": resource["hash"].removeprefix("sha256:")} for resource in tables]
    described = {resource["path"] for resource in tables}
    files += [{"@type": "cr:FileObject", "@id": file.rsplit("/", 1)[-1], "name": file.rsplit("/", 1)[-1],
               "description": label, "contentUrl": file, "encodingFormat": media,
               "sha256": sha256_of(Path(folder) / file)} for label, file, media in table_files if file not in described]
    croissant = {
        "@context": _CONTEXT, "@type": "sc:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": descriptor["name"], "description": descriptor["description"],
        "license": descriptor["licenses"][0]["path"],
        **({"url": descriptor["homepage"]} if descriptor.get("homepage") else {}),
        "version": descriptor["version"], "datePublished": released, "citeAs": cite_as,
        "keywords": descriptor.get("keywords", []), "distribution": files,
        "recordSet": [_record_set(resource, schemas[resource["name"]]) for resource in tables],
    }
    Path(path).write_bytes((json.dumps(croissant, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _record_set(resource: dict, schema: dict) -> dict:
    name = resource["name"]
    references = {}
    for foreign in schema.get("foreignKeys", []):
        target = foreign["reference"]
        for own, theirs in zip(foreign["fields"], target["fields"]):
            # The referenced table's column, as its file holds it: mlcroissant 1.1.1 joins on a file's column, and
            # fails to join on another record set.
            references[own] = {"fileObject": {"@id": _file(target["resource"])}, "extract": {"column": theirs}}
    fields = [{
        "@type": "cr:Field", "@id": f"{name}/{field['name']}", "name": field["name"],
        "description": field["description"], "dataType": DATA_TYPES[field["type"]],
        "source": {"fileObject": {"@id": _file(name)}, "extract": {"column": field["name"]}},
        **({"references": references[field["name"]]} if field["name"] in references else {}),
    } for field in schema["fields"]]
    key = [{"@id": f"{name}/{column}"} for column in schema["primaryKey"]]
    return {"@type": "cr:RecordSet", "@id": name, "name": name, "description": resource["description"],
            "key": key[0] if len(key) == 1 else key, "field": fields}


def _file(table: str) -> str:
    return f"{table}.csv"
