"""Data flows one way through Frontline: this checks it from the source, imports inside functions
included (an import there still ties the modules together; it only hides the cycle until run time).

Rules (docs/contributing.md, "Which way imports go"):

1. No import cycle among ``frontline`` modules.
2. No cycle between apps' domain layers. Pages (views, urls, forms and their ``*_views`` /
   ``*_urls`` / ``*_forms`` siblings, template tags, admin, management commands, context
   processors, middleware, the ``api`` and ``demo`` apps) may read across apps; everything else
   (models, services, selectors, tasks and the domain modules beside them) may not go round in a
   circle: today workforce <- schedules <- budget.
3. Services never import tasks (they start background work through ``frontline.core.background``).
4. Selectors import no services and no tasks (a read never writes).
5. The engine imports no app (and no Django: tests/engine check that at run time).

Run from the repository root: ``python3 scripts/import_layers.py``; exits 1 listing what breaks
a rule. ``tests/test_architecture.py`` runs it with the suite.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PAGE_NAMES = ("views", "urls", "forms", "templatetags", "admin", "management", "context_processors", "middleware")
PAGE_APPS = ("api", "demo")


@dataclass(frozen=True)
class Graph:
    """``edges[module]``: the frontline modules it imports (by dotted name)."""

    edges: dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module or ""
    yield target
    yield from (f"{target}.{alias.name}" for alias in node.names)  # ``from pkg import module``


def build_graph(root: Path) -> Graph:
    """Every module under ``root`` (the ``frontline`` package) but migrations, and what it imports."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts}
    edges: dict[str, set[str]] = {m: set() for m in files}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in imported_names(node, module, path.name == "__init__.py"):
                while name and name not in files and "." in name:
                    name = name.rpartition(".")[0]
                if name in files and name != module and not module.startswith(name + "."):
                    edges[module].add(name)
    return Graph(edges)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _leaf_parts(module: str) -> list[str]:
    return module.split(".")[2:]


def is_page(module: str) -> bool:
    if app_of(module).rpartition(".")[2] in PAGE_APPS:
        return True
    return any(part in PAGE_NAMES or part.endswith(tuple(f"_{n}" for n in PAGE_NAMES))
               for part in _leaf_parts(module))


def _layer(module: str, name: str) -> bool:
    """Whether ``module`` is a ``name`` module: ``services``, ``forecast_selectors``, ``services/x``."""
    return any(part == name or part.endswith(f"_{name}") for part in _leaf_parts(module))


def app_edges(graph: Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module, targets in graph.edges.items():
        if is_page(module) or app_of(module) == "frontline.engine":
            continue
        out.setdefault(app_of(module), set()).update(
            app_of(t) for t in targets if app_of(t) != app_of(module) and not is_page(t))
    for targets in list(out.values()):
        for t in targets:
            out.setdefault(t, set())
    return out


def problems(graph: Graph) -> list[str]:
    """Every rule broken, one sentence each (empty when the imports flow one way)."""
    found = [f"import cycle: {' -> '.join(c)}" for c in cycles(graph.edges)]
    found += [f"app cycle between domain layers: {' <-> '.join(c)}" for c in cycles(app_edges(graph))]
    for module, targets in sorted(graph.edges.items()):
        for target in sorted(targets):
            if _layer(module, "services") and _layer(target, "tasks"):
                found.append(f"{module} imports {target}: services start tasks through frontline.core.background")
            if _layer(module, "selectors") and (_layer(target, "services") or _layer(target, "tasks")):
                found.append(f"{module} imports {target}: a selector reads, it imports no services or tasks")
            if app_of(module) == "frontline.engine" and app_of(target) != "frontline.engine":
                found.append(f"{module} imports {target}: the engine is pure and imports no app")
    return found


def main(argv: Iterable[str] = ()) -> int:
    args = list(argv)
    root = Path(args[0]) if args else Path("frontline")
    graph = build_graph(root)
    found = problems(graph)
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) among {len(graph.edges)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
