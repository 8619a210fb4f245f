"""Release: build the tables and their files, decide the version, and swap a checked release into data/ and dist/."""
