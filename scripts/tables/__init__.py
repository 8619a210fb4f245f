"""Tables: turn each agreement's checked inputs into the rows of every table, each value traced to a span of its source."""
