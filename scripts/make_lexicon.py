"""Compile the knowledge base (resources/kb/*.json) into resources/lexicon.json, the file the app reads.

    .venv/bin/python scripts/make_lexicon.py           # check, then write
    .venv/bin/python scripts/make_lexicon.py --check   # exit 1 if lexicon.json is out of date

kb/_fallback.json (the compositional fallback's heads and word fields) and kb/_brands.json
(well-known brands -> an industry phrase) go in as they are; entries are checked with
scripts/kb_check.py first. See docs/KNOWLEDGE_BASE.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kb_check  # noqa: E402

from presto_desktop.engines.lexicon import build_index, speller_words  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
OUT = RESOURCES / "lexicon.json"


def compile_lexicon() -> bytes:
    """The lexicon file's bytes, from the sources (raises SystemExit on problems)."""
    files = kb_check.load()
    problems = kb_check.check_all(files)
    if problems:
        raise SystemExit("knowledge base problems:\n" + "\n".join(problems[:40]))
    kb = RESOURCES / "kb"
    entries = [entry for file_entries in files.values() for entry in file_entries]
    fallback = json.loads((kb / "_fallback.json").read_text(encoding="utf-8"))
    data = {
        "version": 2,
        "icons": sorted(kb_check.ICONS),
        "brands": json.loads((kb / "_brands.json").read_text(encoding="utf-8"))["brands"],
        "fallback": fallback,
        "index": build_index(entries),
        "words": speller_words(entries, fallback),
        # Each entry as a JSON string: the app parses one only when it is used (loading the
        # file then scans strings instead of building ~900 nested objects: 6 ms, not 40).
        "entries": {e["key"]: json.dumps(e, ensure_ascii=False, separators=(",", ":"))
                    for e in entries},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def main(argv: list[str]) -> int:
    """Write (or with --check, compare) resources/lexicon.json."""
    data = compile_lexicon()
    if "--check" in argv:
        current = OUT.read_bytes() if OUT.exists() else b""
        if current != data:
            print("resources/lexicon.json is out of date: run scripts/make_lexicon.py")
            return 1
        return 0
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
