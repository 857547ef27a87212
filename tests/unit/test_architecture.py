"""The import graph of src/ssbkg: no cycle, and no edge that points up the layers.

The layers, bottom to top: `namespaces` and `errors`; the stores (`ssbkg.stores.*`, which know
nothing of queries, the gate or the commands); the features; the CLI. Read from the source with
`ast`, imports inside functions included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ssbkg"

# What the stores may use besides each other: the names, the errors, and the plain helpers below them
# (`params` binds the stores' own .rq files' parameters as terms, as it binds the stored queries').
STORE_MAY_IMPORT = {
    "ssbkg.namespaces",
    "ssbkg.errors",
    "ssbkg.interruptible",
    "ssbkg.io.rdf",
    "ssbkg.querying.params",
    "ssbkg.io.terms",
}
# open_store seeds a new store through this hook (the bundled files are application policy).
STORE_HOOKS = {("ssbkg.stores", "ssbkg.writing.seed")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            subs = {f"{module}.{a.name}" for a in node.names} & set(modules)
            # `from ssbkg.stores import registry` is an edge to the submodule, not to the package.
            out |= subs if len(subs) == len(node.names) else {module, *subs} & set(modules)
    out.discard(name)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _is_cli(name: str) -> bool:
    return name == "ssbkg.__main__" or name.removeprefix("ssbkg.").startswith("cli")


def test_the_graph_is_read(graph: dict[str, set[str]]) -> None:
    # A guard on the reader itself: these edges exist, so a reader that found none would pass the rest.
    assert "ssbkg.stores.registry" in graph["ssbkg.stores.versioned"]
    assert "ssbkg.namespaces" in graph["ssbkg.querying.params"]
    assert "ssbkg.cli" in graph["ssbkg.__main__"]


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_bottom_imports_nothing_of_ssbkg(graph: dict[str, set[str]]) -> None:
    assert graph["ssbkg.namespaces"] == set()
    assert graph["ssbkg.errors"] == set()


def test_the_stores_know_nothing_above_them(graph: dict[str, set[str]]) -> None:
    upward = sorted(
        (name, target)
        for name, targets in graph.items()
        if name == "ssbkg.stores" or name.startswith("ssbkg.stores.")
        for target in targets
        if not target.startswith("ssbkg.stores")
        and target not in STORE_MAY_IMPORT
        and (name, target) not in STORE_HOOKS
    )
    assert not upward, upward


def test_nothing_below_the_cli_imports_it(graph: dict[str, set[str]]) -> None:
    upward = sorted((n, t) for n, targets in graph.items() if not _is_cli(n) for t in targets if _is_cli(t))
    assert not upward, upward


def test_the_unit_layer_runs_no_command_line_process_or_server() -> None:
    # tests/unit is the fast layer: the library on a store in memory. What needs the CLI, a process or
    # a server belongs in tests/cli or tests/contract (docs/testing.md).
    forbidden = ("CliRunner", "subprocess", "Popen", "run_embedded", "store_spec", "server_urls", "seeded_template")
    found = sorted(
        (path.name, word)
        for path in Path(__file__).parent.glob("*.py")
        if path.name != "test_architecture.py"
        for word in forbidden
        if word in path.read_text(encoding="utf-8")
    )
    assert not found, found
