"""Write a table as an SPSS .sav file with variable and value labels, through pyreadstat (ReadStat)."""

from __future__ import annotations

import os
import tempfile

from .labelled import labelled_table

# The file header's creation date ("dd Mmm yy") and time ("hh:mm:ss"), at fixed offsets of the SPSS system file
# format: ReadStat stamps the clock there, so the release date is written over it and the same tables give the
# same bytes.
_CREATION_DATE, _CREATION_TIME = slice(92, 101), slice(101, 109)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def sav_bytes(rows, schema: dict, title: str, released: str) -> bytes:
    """The table as .sav bytes, stamped with the release date at midnight instead of the time of writing. A
    release record still pins a .sav by what it holds (release/fingerprint.py), as another ReadStat may differ."""
    import pyreadstat  # here: only a release writes .sav files

    table = labelled_table(rows, schema)
    frame = table.frame.copy()
    for name in frame:
        if str(frame[name].dtype) == "Int64":  # SPSS numbers are doubles; a missing one is system-missing
            frame[name] = frame[name].astype("float64")
    for name in table.dates:  # datetime.date objects: pyreadstat writes them as SPSS dates, not date-times
        frame[name] = [None if value is None or value != value else value.date()
                       for value in frame[name].astype(object)]
    formats = {field["name"]: "F12.0" for field in schema["fields"]
               if field["type"] == "integer" or field["name"] in table.value_labels}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.sav")
        pyreadstat.write_sav(frame, path, file_label=title, column_labels=table.column_labels,
                             variable_value_labels=table.value_labels, variable_format=formats)
        with open(path, "rb") as stream:
            content = bytearray(stream.read())
    year, month, day = released.split("-")
    content[_CREATION_DATE] = f"{day} {_MONTHS[int(month) - 1]} {year[2:]}".encode("ascii")
    content[_CREATION_TIME] = b"00:00:00"
    return bytes(content)
