"""The pipeline's layout, read from its own imports: stages in order, no import cycle, a docstring on each module."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SCRIPTS = ROOT / "scripts"
# The stages in the order the data flows through them: a stage imports only the ones before it.
STAGES = ["inputs", "tables", "checks", "formats", "release"]
# What every stage may share: errors and problems, and a table's values by type.
SHARED = {"scripts.errors", "scripts.cells"}
# Process code: how a step shows its progress. Domain code (inputs, tables, checks) never imports it.
PROCESS = {"scripts.progress"}
DOMAIN = {"inputs", "tables", "checks"}


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of scripts/ and the modules of scripts/ it imports, anywhere in its body
    (TYPE_CHECKING blocks too)."""
    modules = {_name(path): path for path in sorted(SCRIPTS.rglob("*.py"))}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def test_the_imports_are_read_from_every_module_of_every_stage():
    graph = _imports()
    assert {_stage(module) for module in graph} - {None} == set(STAGES)
    assert "scripts.checks.integrity" in graph["scripts.checks.validate"]  # the reader sees a relative import
    assert "scripts.inputs.project" in graph["scripts.release.build"]  # and one that climbs out of its stage


def test_no_module_imports_a_later_stage_and_domain_code_imports_no_process_code():
    wrong = []
    for module, targets in _imports().items():
        stage = _stage(module)
        for target in targets:
            target_stage = _stage(target)
            if stage is None:
                if module not in ("scripts", "scripts.__main__") and target_stage is not None:
                    wrong.append(f"{module} is shared by every stage but imports {target}")
            elif target_stage is not None and STAGES.index(target_stage) > STAGES.index(stage):
                wrong.append(f"{module} ({stage}) imports {target}, of the later stage {target_stage}")
            elif target_stage is None and target not in SHARED | PROCESS | {"scripts"}:
                wrong.append(f"{module} imports {target}, which is neither a stage nor shared")
            if stage in DOMAIN and target in PROCESS:
                wrong.append(f"{module} is domain code but imports the process helper {target}")
    assert wrong == []


def test_no_import_cycle_between_modules_or_between_stages():
    graph = _imports()
    stage_graph: dict[str, set[str]] = {}
    for module, targets in graph.items():
        stage_graph.setdefault(_stage(module) or module, set()).update(
            _stage(target) or target for target in targets if (_stage(target) or target) != (_stage(module) or module)
        )
    for edges in (graph, stage_graph):
        assert _cycles(edges) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_at_most_eight_modules_sit_at_the_top_of_scripts_and_every_stage_is_a_package():
    top = sorted(path.name for path in SCRIPTS.glob("*.py"))
    assert len(top) <= 8, top
    assert sorted(path.name for path in SCRIPTS.iterdir() if path.is_dir() and path.name != "__pycache__") == sorted(
        STAGES
    )


def test_every_module_and_stage_says_its_job_in_a_one_line_docstring():
    missing = []
    for path in sorted(SCRIPTS.rglob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        lines = (doc or "").splitlines()
        if not lines or not lines[0].strip() or (len(lines) > 1 and lines[1].strip()):
            missing.append(path.relative_to(ROOT).as_posix())
    assert missing == []
