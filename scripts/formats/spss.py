"""Write a table as an SPSS .sav file with variable and value labels, through pyreadstat (ReadStat)."""

from __future__ import annotations

import os
import tempfile

from .labelled import labelled_table


def sav_bytes(rows, schema: dict, title: str, released: str) -> bytes:
    """The table as .sav bytes. ReadStat stamps the time of writing into the file, so a release record pins
    a .sav by what it holds (release/fingerprint.py), not by its bytes."""
    import pyreadstat  # here: only a release writes .sav files

    table = labelled_table(rows, schema)
    frame = table.frame.copy()
    for name in frame:
        if str(frame[name].dtype) == "Int64":  # SPSS numbers are doubles; a missing one is system-missing
            frame[name] = frame[name].astype("float64")
    for name in table.dates:  # datetime.date objects: pyreadstat writes them as SPSS dates, not date-times
        frame[name] = [None if value is None or value != value else value.date() for value in frame[name].astype(object)]
    formats = {field["name"]: "F12.0" for field in schema["fields"] if field["type"] == "integer" or field["name"] in table.value_labels}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.sav")
        pyreadstat.write_sav(frame, path, file_label=title, column_labels=table.column_labels,
                             variable_value_labels=table.value_labels, variable_format=formats)
        with open(path, "rb") as stream:
            return stream.read()
