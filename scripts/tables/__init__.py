"""Tables: each agreement's checked inputs made into the rows of every table, each value traced to its source."""
