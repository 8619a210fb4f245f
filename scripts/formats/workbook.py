"""Write the release as one Excel workbook: a sheet that says what it is, then one typed sheet per table."""

from __future__ import annotations

import datetime as dt
import itertools

from ..cells import field_names
from ..csvfile import csv_rows

PATH = "{name}.xlsx"
ABOUT_SHEET = "About"
_WIDEST = 60  # characters: wider columns are cut on screen, never in the cell
_WIDTH_SAMPLE = 1_000


def write_workbook(path: str, about: list[tuple[str, str]], csv_files: dict[str, str], rows: dict[str, int], schemas: dict[str, dict],
                   descriptions: dict[str, str], released: str) -> None:
    """`about` is (label, text) lines for the first sheet, above each table's count of `rows`; then one sheet per table, in the order of `csv_files`.

    The tables are read from the release's CSV files, a row at a time, as the schema's types:
    neither Arrow nor the Parquet files are needed, so that the process that writes the
    workbook holds little more than Python while it runs beside the rest of the release. Cells
    are typed as the Table Schema says: dates are dates, integers numbers, booleans booleans;
    text is written as text, never read as a formula or a number. The same tables give the same bytes: xlsxwriter stamps its zip entries
    with a fixed time, and the document's creation date is the release date. Its arguments are
    plain values, so that the release can run it in a process of its own.
    """
    import xlsxwriter  # here, not above: only the process that writes the workbook needs it

    # constant_memory: each row is written out when the next begins, so a corpus needs little memory.
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    workbook.set_properties({"title": dict(about).get("Title", ""), "created": dt.datetime.combine(dt.date.fromisoformat(released), dt.time())})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})

    sheet = workbook.add_worksheet(ABOUT_SHEET)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    for row, (label, text) in enumerate(about):
        sheet.write_string(row, 0, label, bold)
        sheet.write_string(row, 1, text, wrap)
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
        sheet.write_row(0, 0, names, bold)
        writers = [_writer(sheet, field["type"], date) for field in fields]
        # Row by row, as constant_memory needs.
        for number, values in enumerate(csv_rows(file, fields), start=1):
            for column, (write, value) in enumerate(zip(writers, values)):
                if value is not None:
                    write(number, column, value)
    workbook.close()


def _writer(sheet, kind: str, date_format):
    if kind == "date":
        return lambda row, column, value: sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), date_format)
    if kind in ("integer", "number"):
        return sheet.write_number
    if kind == "boolean":
        return sheet.write_boolean
    return sheet.write_string
