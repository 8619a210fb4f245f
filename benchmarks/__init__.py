"""Measure the pipeline: make bench (speed and memory at scale) and make mutate (how many small bugs the tests catch)."""
