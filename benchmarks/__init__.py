"""Measure the pipeline: make bench (speed and memory at scale), make mutate (how many small bugs the tests catch)."""
