"""Build, validate and release the agreements data package, by stage: inputs → tables → checks → formats → release."""
