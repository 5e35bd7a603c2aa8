"""`presto-desktop demo run|play` and `schema --demo`: headless, no Qt, no openai."""

from __future__ import annotations


def print_schema() -> int:
    """Print the JSON Schema of a demo script."""
    from presto_desktop.core.demo_script import schema_text

    print(schema_text())
    return 0
