"""Command line: python -m scripts build | validate | release | serve (the Makefile's targets call these)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .errors import PipelineError, ValidationFailed

# Each command imports the pipeline's modules it needs when it runs (Arrow, pandas, jsonschema: a
# second), so that --help is quick.


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="the package checkout (default: this one)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks (also VERBOSE=1)")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="rebuild data/ from the sources, validated")
    build_parser.add_argument("--force", action="store_true", help="overwrite data/ files that were edited by hand")
    validate_parser = commands.add_parser("validate", help="check a package on disk")
    validate_parser.add_argument("descriptor", nargs="?", type=Path,
                                 help="a datapackage.json (default: the checkout's)")
    commands.add_parser("release", help="build, validate, then write dist/")
    serve_parser = commands.add_parser("serve",
                                       help="serve the current release's SQLite database with Datasette on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8001, help="the port (default: 8001)")
    args = parser.parse_args(argv)
    _never_fail_to_print()
    if args.command != "serve":
        _arrow_gives_back_memory()
    debug = args.debug or os.environ.get("VERBOSE") == "1"
    try:
        return COMMANDS[args.command](args)
    except PipelineError as exc:
        _print_error(str(exc), debug)
    except ValidationFailed as exc:
        # Only the errors: each one line, once. Warnings do not stop anything and `make validate` shows them.
        for problem in exc.report.errors:
            print(f"error: {problem}", file=sys.stderr)
        print(f"  {exc.what}.", file=sys.stderr)
    except Exception as exc:  # a bug, not a bad input: still one line unless asked for more
        _print_error(f"unexpected {type(exc).__name__}: {exc}", debug,
                     hint="rerun with --debug or VERBOSE=1 for the traceback, and report it")
    return 1


def _never_fail_to_print() -> None:
    """A character the console cannot show (an arrow on a cp1252 console) is written as an escape instead of stopping
    the command, which may already have swapped a release into place."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")


def _arrow_gives_back_memory() -> None:
    """Arrow's default allocator keeps the memory it frees, for reuse: parsing a corpus's tables one after another
    then holds about twice their size (docs/benchmarks.md, Devices). Windows wheels have no jemalloc."""
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
    except NotImplementedError:
        pass


def _print_error(message: str, debug: bool, hint: str | None = None) -> None:
    if debug:
        traceback.print_exc()
    print(f"error: {message}", file=sys.stderr)
    if hint:
        print(f"  {hint}", file=sys.stderr)


def _project(args):
    from .inputs.project import Project

    return Project(args.root.resolve()) if args.root else Project()


def run_build(args) -> int:
    from .release.build import build

    project = _project(args)
    built, report = build(project, force=args.force)
    _print_warnings(report)
    rows = ", ".join(f"{name} {len(built.tables[name])}" for name in project.table_names)
    print(f"built {len(built.sources)} agreement(s) into data/: {rows} rows; valid")
    return 0


def run_validate(args) -> int:
    from .progress import step
    from .checks.validate import validate_package

    project = _project(args)
    descriptor = args.descriptor.resolve() if args.descriptor else project.descriptor_path
    with step(f"validating {descriptor.name} (frictionless and the project's checks)"):
        report = validate_package(descriptor)
    if descriptor == project.descriptor_path and report.ok:
        # Only for the checkout: a release is validated with what the validator's wheel requires, not the build.
        from .release.build import stale_files

        with step("comparing with a fresh build of the sources"):
            report.problems += stale_files(project)
    _print_warnings(report)
    if not report.ok:
        print(report.render(), file=sys.stderr)
        print(f"INVALID: {descriptor.name} has {len(report.errors)} error(s).", file=sys.stderr)
        return 1
    print(f"valid: {descriptor}")
    return 0


def run_release(args) -> int:
    from .release.publish import make_release

    print(make_release(_project(args)))
    return 0


def run_serve(args) -> int:
    from .formats import sqlite

    project = _project(args)
    name = project.package_metadata["name"]
    folder = project.dist_dir / f"{name}-{project.changelog_version()}"
    database = folder / sqlite.PATH.format(name=name)
    if not database.is_file():
        raise PipelineError(database.relative_to(project.root).as_posix(), "does not exist: there is no release of "
                            "this version to serve", "run 'make release' first ('make serve' does)")
    datasette = Path(sys.executable).parent / "datasette"
    print(f"Datasette serves {database.relative_to(project.root)} at http://127.0.0.1:{args.port}/{name} "
          "(Ctrl-C stops it)", flush=True)
    os.execv(datasette, [str(datasette), "serve", str(database), "--metadata", str(folder / sqlite.METADATA_PATH),
                         "--host", "127.0.0.1", "--port", str(args.port)])
    return 0  # not reached: Datasette has replaced this process


def _print_warnings(report) -> None:
    for problem in report.warnings:
        print(f"warning: {problem}")


COMMANDS = {"build": run_build, "validate": run_validate, "release": run_release, "serve": run_serve}

if __name__ == "__main__":
    sys.exit(main())
