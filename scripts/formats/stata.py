"""Write a table as a Stata 14+ .dta file (version 118, UTF-8) with variable, value and dataset labels."""

from __future__ import annotations

import datetime as dt
import io

from ..errors import PipelineError
from .labelled import labelled_table

# The widest str# Stata holds, in bytes; a longer text goes to a strL column.
_STR_BYTES = 2045
# Stata's limit for variable and dataset labels, in characters.
_LABEL = 80


def stata_bytes(rows, schema: dict, title: str, released: str) -> bytes:
    """The table as .dta bytes, stamped with the release date, not the time: the same table gives the same bytes."""
    table = labelled_table(rows, schema)
    frame = table.frame
    for labelled in (*table.column_labels.values(), title):
        if len(labelled) > _LABEL:
            raise PipelineError("schemas", f"the label {labelled!r} is over Stata's {_LABEL} characters",
                                "shorten the field's title or the table's title")
    long_texts = [name for name in frame if frame[name].dtype == object
                  and max((len(text.encode("utf-8")) for text in frame[name]), default=0) > _STR_BYTES]
    stream = io.BytesIO()
    frame.to_stata(stream, write_index=False, version=118, convert_dates={name: "td" for name in table.dates},
                   variable_labels=table.column_labels, value_labels=table.value_labels, data_label=title,
                   time_stamp=dt.datetime.combine(dt.date.fromisoformat(released), dt.time()), convert_strl=long_texts)
    return stream.getvalue()
