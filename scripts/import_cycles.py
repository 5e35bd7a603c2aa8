"""Print the import cycles inside presto_desktop, TYPE_CHECKING imports included."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "presto_desktop"


def module_name(path: Path) -> str:
    """The dotted name of a module file under the repository root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every presto_desktop module this file imports anywhere (lazy and TYPE_CHECKING ones too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # "from pkg import module" names a module; "from module import name" names its module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith(PACKAGE):
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    """Print each cycle (package __init__ re-exports aside) and return 1 when there is one."""
    files = {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}
    known = set(files)
    graph = {name: imports_of(path, name, known) for name, path in files.items()}
    # A package importing its own submodules (re-exports) is not a back-pointer; leave those edges out.
    for name in graph:
        graph[name] = {t for t in graph[name] if not (files[name].name == "__init__.py" and t.startswith(name + "."))
                       and not (files.get(t) and files[t].name == "__init__.py" and name.startswith(t + "."))}
    found = cycles(graph)
    for component in found:
        print("cycle:", " <-> ".join(component))
    print(f"{len(found)} import cycles among {len(files)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
