"""Write the release as one Excel workbook: a sheet that says what it is, then one typed sheet per table."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
from pathlib import Path

from ..cells import field_names, label_of
from ..tables.csvfile import csv_rows
from ..errors import PipelineError

PATH = "{name}.xlsx"
ABOUT_SHEET = "About"
CODES_SHEET = "Codes"  # the last sheet: each code of a table's column, with its label
_WIDEST = 60  # characters: wider columns are cut on screen, never in the cell
_WIDTH_SAMPLE = 1_000


def write_workbook(path: str, about: list[tuple[str, str]], csv_files: dict[str, str], rows: dict[str, int],
                   schemas: dict[str, dict], descriptions: dict[str, str], released: str) -> None:
    """`about` is (label, text) lines for the first sheet, above each table's count of `rows`; then one sheet per table,
    in the order of `csv_files`.

    The tables are read from the release's CSV files, a row at a time, as the schema's types: neither Arrow nor the
    Parquet files are needed, so that the process that writes the workbook holds little more than Python while it runs
    beside the rest of the release. Cells are typed as the Table Schema says: dates are dates, integers numbers,
    booleans booleans; text is written as text, never read as a formula or a number. The same tables give the same
    bytes: xlsxwriter stamps its zip entries with a fixed time, and the document's creation date is the release date.
    Its arguments are plain values, so that the release can run it in a process of its own.
    """
    # xlsxwriter keeps each sheet in a scratch file until it closes the workbook: those go to a folder beside it,
    # removed even when a cell is refused (and with the release's staging folder if the process is ended), never left
    # behind in the system's temporary folder.
    scratch = tempfile.mkdtemp(prefix=".xlsxwriter-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        _write_workbook(path, scratch, about, csv_files, rows, schemas, descriptions, released)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write_workbook(path: str, scratch: str, about: list[tuple[str, str]], csv_files: dict[str, str],
                    rows: dict[str, int], schemas: dict[str, dict], descriptions: dict[str, str], released: str
                    ) -> None:
    import xlsxwriter  # here, not above: only the process that writes the workbook needs it

    # constant_memory: each row is written out when the next begins, so a corpus needs little memory.
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_numbers": False, "strings_to_urls": False,
                                          "default_date_format": "yyyy-mm-dd", "tmpdir": scratch})
    workbook.set_properties({"title": dict(about).get("Title", ""),
                             "created": dt.datetime.combine(dt.date.fromisoformat(released), dt.time())})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    parts = {name: _cells_needed(file, schemas[name]["fields"]) for name, file in csv_files.items()}
    if any(parts.values()):
        about = [*about, ("Long texts", f"A cell holds at most {_CELL_UNITS:,} characters. A longer text goes on, in"
                                        " order, in the columns headed '<column> (continued 2)', '(continued 3)', … at"
                                        " the right of its sheet: join them to read it whole.")]
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    for row, (label, text) in enumerate(about):
        sheet.write_string(row, 0, label, bold)
        where = f"{os.path.basename(path)}, sheet {ABOUT_SHEET}, row {row + 1}" + (f" ({label})" if label else "")
        _refuse_unless_whole(sheet.write_string(row, 1, text, wrap), where, text)
    row = len(about) + 1
    sheet.write_row(row, 0, ["Table (sheet)", "Rows", "One row per"], bold)
    for offset, name in enumerate(csv_files, start=1):
        sheet.write_string(row + offset, 0, name)
        sheet.write_number(row + offset, 1, rows[name])
        sheet.write_string(row + offset, 2, descriptions[name], wrap)

    for name, file in csv_files.items():
        fields, names = schemas[name]["fields"], field_names(schemas[name])
        sheet = workbook.add_worksheet(name)
        sample = list(itertools.islice(csv_rows(file, fields), _WIDTH_SAMPLE))
        for column, field in enumerate(fields):  # widths from the first rows: enough to read, cheap on a corpus
            widest = max((len(str(values[column])) for values in sample if values[column] is not None), default=0)
            sheet.set_column(column, column, min(max(widest, len(field["name"])) + 2, _WIDEST))
        sheet.freeze_panes(1, 0)
        continued = [(column, part) for column, count in parts[name].items() for part in range(2, count + 1)]
        sheet.write_row(0, 0, names + [f"{names[column]} (continued {part})" for column, part in continued], bold)
        for column, field in enumerate(fields):  # the header keeps the CSV's names; each carries its title as a note
            sheet.write_comment(0, column, label_of(field), {"x_scale": 2})
        first_continued = {column: len(names) + continued.index((column, 2)) for column in parts[name]}
        # Row by row, as constant_memory needs.
        # As the release names it: the workbook sits at its top.
        csv_path = Path(os.path.relpath(file, os.path.dirname(path))).as_posix()
        for number, values in enumerate(csv_rows(file, fields), start=1):
            for column, value in enumerate(values):
                if column in first_continued and value is not None and len(value) > _CELL_UNITS // 2:
                    first, *rest = _pieces(value)
                    value = first
                    for offset, piece in enumerate(rest):
                        sheet.write_string(number, first_continued[column] + offset, piece)
                if value is not None and (code := sheet.write(number, column, value)):
                    _refuse_unless_whole(code, f"{csv_path}, row {number + 1:,}, {names[column]}", value)
    _codes_sheet(workbook.add_worksheet(CODES_SHEET), schemas, bold)
    workbook.close()


def _codes_sheet(sheet, schemas: dict[str, dict], bold) -> None:
    """Every code a column may hold, with its label, from the schemas' categories: a reader of a sheet sees
    "addressee" and finds what it means."""
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 3, 34)
    sheet.write_row(0, 0, ["Table (sheet)", "Column", "Code", "Label"], bold)
    row = 1
    for table, schema in schemas.items():
        for field in schema["fields"]:
            for category in field.get("categories", []):
                sheet.write_row(row, 0, [table, field["name"], str(category["value"]), category["label"]])
                row += 1


def _cells_needed(file: str, fields: list[dict]) -> dict[int, int]:
    """Each text column whose longest value a cell cannot hold, with the number of cells that value needs; for nearly
    every table, none."""
    if os.path.getsize(file) <= _CELL_UNITS:
        return {}
    text_columns = [index for index, field in enumerate(fields) if field["type"] == "string"]
    needed = {}
    for cells in csv_rows(file, fields):
        for index in text_columns:
            # A character is one or two UTF-16 units: shorter texts always fit.
            if cells[index] is not None and len(cells[index]) > _CELL_UNITS // 2:
                count = len(_pieces(cells[index]))
                if count > needed.get(index, 1):
                    needed[index] = count
    return needed


def _pieces(value: str) -> list[str]:
    """The text cut into runs of at most what a cell holds, as Excel counts (UTF-16 units), never inside a character."""
    pieces, start, units = [], 0, 0
    for index, character in enumerate(value):
        width = 2 if ord(character) > 0xFFFF else 1
        if units + width > _CELL_UNITS:
            pieces.append(value[start:index])
            start, units = index, 0
        units += width
    return [*pieces, value[start:]]


# xlsxwriter's return codes: the cell was not written (beyond the sheet's last row or column),
# or its text was cut to what a cell holds. Either would leave a cell unlike its CSV cell.
_BEYOND_THE_SHEET, _TEXT_CUT = -1, -2
# Excel's limits, which xlsxwriter enforces: rows a sheet holds (the header among them), UTF-16 units a cell holds.
_SHEET_ROWS, _CELL_UNITS = 1_048_576, 32_767


def _refuse_unless_whole(code: int, where: str, value) -> None:
    """Stop, naming the cell, where xlsxwriter would have dropped a cell or cut its text."""
    if code == _BEYOND_THE_SHEET:
        raise PipelineError(where, f"a worksheet holds at most {_SHEET_ROWS:,} rows, the header among them: the"
                            " workbook cannot hold this row", "no workbook can hold this table on one sheet: split long"
                            " tables across sheets in scripts/formats/workbook.py, or release fewer agreements")
    if code == _TEXT_CUT:
        excel_length = len(value.encode("utf-16-le")) // 2  # Excel counts UTF-16 units, as xlsxwriter does
        raise PipelineError(where, f"the text is {excel_length:,} characters long as Excel counts them (UTF-16), and a"
                            f" workbook cell holds at most {_CELL_UNITS:,}: it would be cut short", "no cell can hold"
                            " it: write such texts across cells in scripts/formats/workbook.py, or shorten it where it"
                            " comes from if it is a curated value")
