"""Print the largest modules and functions in presto_desktop (lines, via ast), the top 5 of each."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def functions(tree: ast.AST, prefix: str = "") -> list[tuple[int, str]]:
    """(lines, qualified name) of every function and method, nested ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            found.append(((node.end_lineno or node.lineno) - node.lineno + 1, name))
            found += functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            found += functions(node, f"{prefix}{node.name}.")
    return found


def main() -> None:
    """Print the top N (default 5, or argv[1]) modules and functions by line count."""
    most = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    modules: list[tuple[int, str]] = []
    funcs: list[tuple[int, str]] = []
    for path in sorted((ROOT / "presto_desktop").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        modules.append((len(text.splitlines()), rel))
        funcs += [(size, f"{rel}:{name}") for size, name in functions(ast.parse(text))]
    print("largest modules (lines):")
    for size, name in sorted(modules, reverse=True)[:most]:
        print(f"  {size:4d}  {name}")
    print("largest functions (lines):")
    for size, name in sorted(funcs, reverse=True)[:most]:
        print(f"  {size:4d}  {name}")


if __name__ == "__main__":
    main()
