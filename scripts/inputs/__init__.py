"""Inputs: read and check what curators write (metadata, contracts, schemas, changelog, sources) before any use."""
