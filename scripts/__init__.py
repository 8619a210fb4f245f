"""Build, validate and release the agreements data package: source → parse → tables → validate → release."""
