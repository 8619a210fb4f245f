"""Build, validate and release the agreements data package, stage by stage: inputs → tables → checks → formats → release."""
