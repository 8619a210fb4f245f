"""The integrity checks that frictionless 5.21 does not make, written as vectorized Arrow work."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pandas._libs.parsers import STR_NA_VALUES

from ..cells import field_names
from ..errors import PipelineError, Problem, error, warning
from ..inputs.project import Project
from ..inputs.schema import arrow_schema, parquet_schema, profile_errors
from ..tables.text import normalize
from .package import LoadedPackage, TableFile, parquet_cells

Check = Callable[[LoadedPackage], Iterator[Problem]]

MAX_REPORTED = 10  # per check and table: enough to act on, short enough to read
_COUNTRY_OF_AGREEMENT = ["agreement_id", "country_code"]  # the key that stated and listed countries share
_KEY_SEPARATOR = "\x1f"  # joins a key's fields into one text: a control character, which no cell may hold
_BOM = b"\xef\xbb\xbf"
_FORMULA_STARTS = pa.array([b"=", b"+", b"-", b"@"], pa.binary())  # a cell's first byte

# Exactly what pd.read_csv reads as missing.
_PANDAS_MISSING = pa.array(sorted(value for value in STR_NA_VALUES if value), pa.string())


def _first(indices: pa.Array) -> list[int]:
    return indices.to_pylist()[:MAX_REPORTED]


def _summary(rule: str, file: str, count: int) -> Iterator[Problem]:
    if count > MAX_REPORTED:
        yield error(rule, file, f"... and {count - MAX_REPORTED} more of the same")


def csv_dialect(package: LoadedPackage) -> Iterator[Problem]:
    """UTF-8 without BOM, LF only, a final newline, and the schema's header in order."""
    for table in package.csv_tables.values():
        path = table.path
        raw = package.read(path)
        if raw is None:
            continue  # it vanished since load: missing-file says so
        if not raw:
            yield error("empty-file", path, "the file is empty: expected at least the header row")
            continue
        first_line = raw.partition(b"\n")[0].rstrip(b"\r")
        if first_line.startswith(_BOM):
            yield error("bom", path, "starts with a UTF-8 byte-order mark", row=1)
        # Arrow checked the UTF-8 of every cell it parsed as text; only the header is left, or the
        # whole file when Arrow could not parse it.
        checked = first_line if table.cells is not None else raw
        try:
            checked.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield error("encoding", path, f"not UTF-8: byte 0x{checked[exc.start]:02x} cannot be decoded",
                        row=checked[: exc.start].count(b"\n") + 1)
        if (first_cr := raw.find(b"\r")) >= 0:
            yield error("line-endings", path, "has CR or CRLF line endings: expected LF only",
                        row=raw.count(b"\n", 0, first_cr) + 1)
        if not raw.endswith(b"\n"):
            yield error("final-newline", path, "does not end with a newline: the file may be truncated",
                        row=raw.count(b"\n") + 1)
        header = first_line.removeprefix(_BOM).decode("utf-8", "replace").split(",")
        expected = field_names(table.schema)
        if header != expected:
            yield error("header", path, f"header is {header}, expected the schema's fields in order: {expected}", row=1)
        if table.cells is None:
            yield error("csv-parse", path,
                        "cannot be parsed as CSV with the schema's columns (a row has too many or too few cells)")


def files_accounted_for(package: LoadedPackage) -> Iterator[Problem]:
    """Every file under data/ is a resource of the descriptor, or a table's download in a format frictionless cannot
    read (Stata, SPSS): a suffix that every table has, so that a stray data/signatories.bak is still refused."""
    described = {resource.get("path") for resource in package.descriptor["resources"]}
    tables = {path.removesuffix(".csv") for path in described if isinstance(path, str) and path.endswith(".csv")}
    tables_by_suffix: dict[str, set[str]] = {}
    for path in package.data_files - described:
        stem, _, suffix = path.rpartition(".")
        tables_by_suffix.setdefault(suffix, set()).add(stem)
    downloads = {f"{table}.{suffix}" for suffix, stems in tables_by_suffix.items() if stems == tables
                 for table in tables}
    for relative in sorted(package.data_files - described - downloads):
        yield error("undescribed-file", relative, "is not described by any resource of the descriptor", value=relative)


def declared_integrity(package: LoadedPackage) -> Iterator[Problem]:
    """The declared hash and bytes of every file, or of the Parquet files alone when frictionless checks the others:
    frictionless 5.21 does not check a Parquet file's hash, and the release gate leaves it only the tables."""
    for resource in package.descriptor["resources"]:
        if resource.get("format") != "parquet" and package.frictionless_checks_integrity:
            continue
        path = resource.get("path")
        raw = package.read(path)
        if raw is None:
            continue
        size, sha256 = len(raw), hashlib.sha256(raw).hexdigest()
        if "bytes" in resource and resource["bytes"] != size:
            yield error("bytes", path, f"the descriptor declares {resource['bytes']} bytes, the file has {size}",
                        field="bytes", value=str(resource["bytes"]))
        declared, actual = resource.get("hash"), f"sha256:{sha256}"
        if declared is not None and declared != actual:
            yield error("hash", path, f"the descriptor declares {declared}, the file's is {actual}", field="hash",
                        value=str(declared))


def data_package_v2(package: LoadedPackage) -> Iterator[Problem]:
    """The descriptor meets the official Data Package v2 profile, which frictionless 5.21 does not check."""
    for message in profile_errors("datapackage", package.descriptor)[:MAX_REPORTED]:
        yield error("profile", package.descriptor_path.name, f"does not meet the Data Package v2 profile at {message}")


def version_matches_changelog(package: LoadedPackage) -> Iterator[Problem]:
    if not (package.root / "CHANGELOG.md").is_file():
        return
    changelog = Project(package.root).changelog_version()
    version = package.descriptor.get("version")
    if version != changelog:
        yield error("version", package.descriptor_path.name, f"version {version!r} differs from the newest release "
                    f"heading of CHANGELOG.md, {changelog!r}", field="version", value=str(version))


def unique_keys(package: LoadedPackage) -> Iterator[Problem]:
    """uniqueKeys, which frictionless does not enforce: no two rows share the same key."""
    for table in _readable(package):
        for key in table.schema.get("uniqueKeys", []):
            keys = _joined([table.cells[name] for name in key])
            counted = pc.value_counts(keys)  # each key once, in the order it first appears
            shared = counted.filter(pc.greater(counted.field("counts"), 1))[:MAX_REPORTED]
            for value, count in zip(shared.field("values"), shared.field("counts").to_pylist()):
                row = pc.index(keys, value).as_py()
                values = tuple(table.cells[name][row].as_py() for name in key)
                yield error("unique-key", table.path, f"{len(key)}-field key {key} is not unique: {count} rows "
                            "share it", field=",".join(key), value=str(values))


def foreign_keys(package: LoadedPackage) -> Iterator[Problem]:
    """foreignKeys, when frictionless is not given them (the release gate): every key is in the table it references.
    As frictionless 5.21 checks them, a row whose key cells are all empty is skipped, and a key is compared by its
    values, not its spelling (an integer 01 is 1)."""
    if package.frictionless_checks_integrity:
        return
    for table in package.csv_tables.values():
        for foreign in table.schema.get("foreignKeys", []):
            fields, reference = _as_list(foreign["fields"]), foreign["reference"]
            target_name, target_fields = reference.get("resource") or table.name, _as_list(reference["fields"])
            target = package.csv_tables.get(target_name)
            if target is None:
                yield error("foreign-key", table.path, f"its foreign key {fields} references the table "
                            f"{target_name!r}, which the package does not have", field=",".join(fields))
                continue
            if not (table.readable and target.readable):
                continue  # csv_dialect says why it cannot be read
            keys, known = _key_values(table, fields), _key_values(target, target_fields)
            dangling = pc.indices_nonzero(pc.and_not(pc.invert(pc.is_in(keys, value_set=known)),
                                                     _all_empty(table.cells, fields)))
            for index in _first(dangling):
                values = ", ".join(table.cells[name][index].as_py() for name in fields)
                yield error("foreign-key", table.path, f'for "{", ".join(fields)}": values "{values}" not found in the '
                            f'lookup table "{target_name}" as "{", ".join(target_fields)}"', row=index + 2,
                            field=",".join(fields), value=values)
            yield from _summary("foreign-key", table.path, len(dangling))


def _as_list(fields) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def _all_empty(cells: pa.Table, names: list[str]) -> pa.ChunkedArray:
    return reduce(pc.and_, (pc.equal(cells[name], "") for name in names))


def _key_values(table: TableFile, names: list[str]) -> pa.ChunkedArray:
    """A key's cells as one text per row: each value in its canonical spelling, joined by a separator no text holds."""
    types = {field["name"]: field.get("type", "string") for field in table.schema["fields"]}
    parts = []
    for name in names:
        column = table.cells[name]
        # The value, spelled one way; a column with a cell not of its type stays as written: frictionless reports it.
        if types.get(name) not in ("string", "any"):
            try:
                arrow_type = arrow_schema({"fields": [{"name": name, "type": types[name]}]}).field(0).type
                typed = pc.cast(pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column), arrow_type)
                column = pc.fill_null(pc.cast(typed, pa.string()), "")
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, PipelineError):
                pass
        parts.append(column)
    return _joined(parts)


def categories(package: LoadedPackage) -> Iterator[Problem]:
    """categories, which frictionless does not enforce: only listed values."""
    for table in _readable(package):
        for field in table.schema["fields"]:
            allowed = field.get("categories")
            if not allowed:
                continue
            values = pa.array([str(c["value"] if isinstance(c, dict) else c) for c in allowed] + [""], pa.string())
            bad = pc.indices_nonzero(pc.invert(pc.is_in(table.cells[field["name"]], value_set=values)))
            for index in _first(bad):
                yield error("category", table.path, f"not one of the categories {allowed}", row=index + 2,
                            field=field["name"], value=table.cells[field["name"]][index].as_py())


def spreadsheet_safe(package: LoadedPackage) -> Iterator[Problem]:
    """No text cell a spreadsheet would run as a formula (frictionless type-checks the others)."""
    yield from _cell_rule(package, "formula-cell",
                          "starts with =, +, - or @, which a spreadsheet would run as a formula",
                          lambda column: pc.is_in(pc.binary_slice(pc.cast(column, pa.binary()), 0, 1),
                                                  value_set=_FORMULA_STARTS))


def pandas_safe(package: LoadedPackage) -> Iterator[Problem]:
    """No non-empty text cell that pandas' default read_csv would read as missing."""
    yield from _cell_rule(package, "pandas-missing", "pandas' default read_csv would read this value as missing",
                          lambda column: pc.is_in(column, value_set=_PANDAS_MISSING))


def _cell_rule(package: LoadedPackage, rule: str, message: str, flags: Callable[[pa.ChunkedArray], pa.ChunkedArray]
               ) -> Iterator[Problem]:
    for table in _readable(package):
        for name in (f["name"] for f in table.schema["fields"] if f["type"] == "string"):
            column = table.cells[name]
            hits = pc.indices_nonzero(flags(column))
            for index in _first(hits):
                yield error(rule, table.path, message, row=index + 2, field=name, value=column[index].as_py())
            yield from _summary(rule, table.path, len(hits))


def sources_and_spans(package: LoadedPackage) -> Iterator[Problem]:
    """Each source is the one agreements records, and every span reconstructs its text."""
    agreements = _table(package, "agreements")
    if agreements is None:
        return
    texts: dict[str, str] = {}
    columns = (agreements.cells[name].to_pylist() for name in ("agreement_id", "source_path", "source_sha256"))
    for agreement_id, path, recorded in zip(*columns):
        raw = package.read(path)
        if raw is None:
            yield error("source", agreements.path, "the source document does not exist", field="source_path",
                        value=path)
            continue
        actual = hashlib.sha256(raw).hexdigest()
        if actual != recorded:  # then its spans would all be wrong: report the cause, not them
            yield error("source-hash", path, f"the source's sha256 is {actual}, but agreements records {recorded}: "
                        "the source was changed", field="source_sha256", value=recorded)
            continue
        try:
            texts[agreement_id] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield error("source-encoding", path, f"not UTF-8 (byte {exc.start}), so no span can be read from it",
                        field="source_path", value=path)
    for table in _readable(package):
        span_fields = [field for field in table.schema["fields"] if "spanOf" in field]
        if not span_fields or "agreement_id" not in table.cells.column_names or not texts:
            continue
        agreement_ids = table.cells["agreement_id"].to_pylist()
        for field in span_fields:
            yield from _spans(table, texts, agreement_ids, field["name"], field["spanOf"])


def _spans(table: TableFile, texts: dict[str, str], agreement_ids: list, start_name: str, text_name: str
           ) -> Iterator[Problem]:
    """Each span of a readable source is its text, or normalizes to it (no-break or doubled spaces, line breaks)."""
    cells = table.cells
    try:
        starts, ends = (pc.cast(cells[name], pa.int64()).to_pylist()
                        for name in (start_name, start_name.replace("start", "end")))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return  # a cell that is not an integer: frictionless reports its type error
    reported = 0
    texts_of_rows = cells[text_name].to_pylist()
    for row, (agreement_id, start, end, text) in enumerate(zip(agreement_ids, starts, ends, texts_of_rows)):
        source = texts.get(agreement_id)
        if source is None:
            continue  # its source is missing or unreadable, and reported as such
        span = source[start:end] if start is not None and end is not None and 0 <= start <= end <= len(source) else None
        if span == text or (span is not None and normalize(span) == text):
            continue
        reported += 1
        if reported <= MAX_REPORTED:
            shown = "lies outside the source" if span is None else f"normalizes to {normalize(span)[:60]!r}"
            yield error("span", table.path, f"source[{start}:{end}] {shown}, not to this {text_name}", row=row + 2,
                        field=text_name, value=text[:60] if text else text)
    yield from _summary("span", table.path, reported)


def counts(package: LoadedPackage) -> Iterator[Problem]:
    """The counts an agreement states equal the rows it has."""
    agreements, acts, stated = (_table(package, name) for name in ("agreements", "acts", "agreement_countries"))
    if agreements is None:
        return
    for count_field, table_name in (("signatory_count", "signatories"), ("clause_count", "clauses")):
        if children := _table(package, table_name):
            yield from _count_mismatches(agreements.cells, children.cells, ["agreement_id"], count_field, table_name,
                                         agreements.path)
    if acts and "is_coded" in agreements.cells.column_names:
        yield from _coded_mismatches(agreements.cells, acts.cells, agreements.path)
    if stated and (listed := _table(package, "signatories")):
        yield from _count_mismatches(stated.cells, listed.cells, _COUNTRY_OF_AGREEMENT, "listed_signatory_count",
                                     "signatories", stated.path)


def _rows_per_parent(parents: pa.Table, children: pa.Table, keys: list[str]) -> pa.ChunkedArray:
    """For each parent row, the child rows that share its key: counted over the children's distinct keys and looked
    up, not grouped and joined, as Arrow's group-by and hash join hold more memory, and keep it after they end."""
    counted = pc.value_counts(_joined([children[key] for key in keys]))
    at = pc.index_in(_joined([parents[key] for key in keys]), value_set=counted.field("values"))
    return pc.fill_null(pc.take(counted.field("counts"), at), 0)


def _joined(columns: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    """A key's columns as one text per row."""
    return columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, _KEY_SEPARATOR)


def _coded_mismatches(agreements: pa.Table, acts: pa.Table, file: str) -> Iterator[Problem]:
    """A coded agreement has acts; one not coded yet has none."""
    acted = _rows_per_parent(agreements, acts, ["agreement_id"])
    coded = pc.equal(agreements["is_coded"], "true")
    for index in _first(pc.indices_nonzero(pc.not_equal(coded, pc.greater(acted, 0)))):
        value = agreements["is_coded"][index].as_py()
        yield error("coded", file, f"is_coded is {value}, but acts has {acted[index].as_py()} rows for "
                    f"{agreements['agreement_id'][index].as_py()}", row=index + 2, field="is_coded", value=value)


def _count_mismatches(parents: pa.Table, children: pa.Table, keys: list[str], count_field: str, children_name: str,
                      file: str) -> Iterator[Problem]:
    try:
        stated = pc.cast(parents[count_field], pa.int64())
    except pa.ArrowInvalid:
        return  # not an integer: frictionless reports its type error
    actual = _rows_per_parent(parents, children, keys)
    for index in _first(pc.indices_nonzero(pc.not_equal(stated, actual))):
        what = " ".join(str(parents[key][index].as_py()) for key in keys)
        value = parents[count_field][index].as_py()
        yield error("count", file, f"{count_field} is {value}, but {children_name} has {actual[index].as_py()} rows "
                    f"for {what}", row=index + 2, field=count_field, value=value)


def reconciliation(package: LoadedPackage) -> Iterator[Problem]:
    """Countries stated by the attestation against countries of the list; only documented differences pass."""
    names = ("agreement_countries", "signatories", "annotations")
    stated, listed, annotations = (_table(package, name) for name in names)
    if stated is None or listed is None or annotations is None:
        return
    notes = annotations.cells.filter(pc.and_(pc.equal(annotations.cells["kind"], "discrepancy"),
                                             pc.equal(annotations.cells["subject_table"], "countries")))
    documented = {(row["agreement_id"], row["subject_id"]): row["note"] for row in notes.to_pylist()}
    stated_pairs, listed_pairs, actual = _pairs(stated.cells), _pairs(listed.cells), {}
    for agreement_id, country_code in _lacking(stated_pairs, listed_pairs):
        actual[(agreement_id, country_code)] = (f"{country_code} is stated in the attestation of {agreement_id} but no "
                                                "entry of its list names it")
    for agreement_id, country_code in _lacking(listed_pairs, stated_pairs):
        actual[(agreement_id, country_code)] = (f"{country_code} is named by the list of {agreement_id} but not stated "
                                                "in its attestation")
    for key, message in sorted(actual.items()):
        if key in documented:
            yield warning("known-discrepancy", stated.path, f"{message}. Documented: {documented[key]}",
                          field="country_code", value=key[1])
        else:
            yield error("discrepancy", stated.path, f"{message}, and no annotation documents it", field="country_code",
                        value=key[1])
    for key in sorted(set(documented) - set(actual)):
        yield error("stale-discrepancy", annotations.path, f"an annotation documents a discrepancy for {key[1]} in "
                    f"{key[0]}, but stated and listed countries agree", field="subject_id", value=key[1])


def _pairs(cells: pa.Table) -> pa.Array:
    """The distinct (agreement_id, country_code) pairs that name a country, each as one text."""
    pairs = cells.select(_COUNTRY_OF_AGREEMENT).filter(pc.not_equal(cells["country_code"], ""))
    return pc.unique(_joined([pairs[key] for key in _COUNTRY_OF_AGREEMENT]))


def _lacking(pairs: pa.Array, others: pa.Array) -> list[tuple[str, str]]:
    """The pairs that `others` does not hold, as (agreement_id, country_code): looked up, not joined."""
    lacking = pairs.filter(pc.invert(pc.is_in(pairs, value_set=others)))
    return [tuple(pair.split(_KEY_SEPARATOR)) for pair in lacking.to_pylist()]


def annotation_subjects(package: LoadedPackage) -> Iterator[Problem]:
    """Each annotation's subject exists: a reference frictionless cannot express, as the table varies."""
    annotations = _table(package, "annotations")
    if annotations is None:
        return
    cells = annotations.cells
    keys: dict[str, set[str]] = {}
    for index, (table_name, subject_id) in enumerate(zip(*(cells[name].to_pylist()
                                                           for name in ("subject_table", "subject_id")))):
        subject = _table(package, table_name)
        if subject is None:
            continue
        key = subject.schema["primaryKey"][0]
        if table_name not in keys:
            keys[table_name] = set(subject.cells[key].to_pylist())
        if subject_id not in keys[table_name]:
            yield error("annotation-subject", annotations.path, f"subject {subject_id!r} is not a "
                        f"{key} of {table_name}", row=index + 2, field="subject_id", value=subject_id)


def parquet_matches_csv(package: LoadedPackage) -> Iterator[Problem]:
    """Each released Parquet file has the schema's columns and exactly the values of its CSV."""
    for table in package.tables.values():
        if table.is_csv:
            continue
        twin = package.tables.get(table.name.removesuffix("-parquet"))
        try:
            # A column at a time: the whole table as text would double the memory of its CSV.
            with pq.ParquetFile(package.root / table.path, memory_map=True) as parquet:
                columns = parquet.schema_arrow.names
                if columns != field_names(table.schema):
                    yield error("parquet", table.path, f"its columns are {columns}, expected the schema's fields in "
                                f"order: {field_names(table.schema)}")
                    continue
                expected = parquet_schema(table.schema)
                wrong = next((f for f in parquet.schema_arrow if not f.type.equals(expected.field(f.name).type)), None)
                if wrong is not None:
                    yield error("parquet", table.path, f"column {wrong.name} is {wrong.type}, but the schema's type is "
                                f"{expected.field(wrong.name).type}", field=wrong.name)
                    continue
                if twin is None or not twin.readable:
                    continue
                for name in columns:
                    if not parquet_cells(parquet, name).equals(twin.cells[name]):
                        yield error("parquet", table.path, f"its values differ from {twin.path}", field=name)
                        break
        except (pa.ArrowInvalid, OSError) as exc:
            yield error("parquet", table.path, f"cannot be read as Parquet: {exc}")


def _readable(package: LoadedPackage) -> Iterator[TableFile]:
    return (table for table in package.csv_tables.values() if table.readable)


def _table(package: LoadedPackage, name: str) -> TableFile | None:
    """The table of that name, when its cells can be read under its columns' names."""
    table = package.tables.get(name)
    return table if table is not None and table.readable else None


ALL_CHECKS: list[Check] = [
    data_package_v2, csv_dialect, files_accounted_for, declared_integrity, version_matches_changelog, unique_keys,
    foreign_keys, categories, spreadsheet_safe, pandas_safe, sources_and_spans, counts, reconciliation,
    annotation_subjects, parquet_matches_csv]
