"""The released formats besides CSV and Parquet: one module each, each turning the built tables into one file's bytes."""
