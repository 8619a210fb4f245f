"""Inputs: read and check what curators write (metadata, contracts, schemas, changelog, source documents) before anything is derived."""
