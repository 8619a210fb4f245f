"""Formats: every file of a release but the tables' CSV, one module each, and the escaping and addresses they share."""
