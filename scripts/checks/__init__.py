"""Checks: validate a package on disk, with frictionless and the integrity checks it does not make, in one report."""
