"""Formats: every file of a release besides the tables' CSV and Parquet, one module each, and the escaping and addresses they share."""
