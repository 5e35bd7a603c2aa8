"""Check the industry knowledge base (resources/kb/*.json); see docs/KNOWLEDGE_BASE.md.

    python scripts/kb_check.py            # every file, prints problems, exit 1 if any
    python scripts/kb_check.py FILE...    # only those files' entries (cross-checks use all files)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

KB_DIR = Path(__file__).resolve().parent.parent / "resources" / "kb"

GROUPS = {
    "food", "drink", "hospitality", "travel", "entertainment", "events", "retail", "ecommerce",
    "beauty", "personal", "pets", "health", "wellness", "fitness", "sports", "education",
    "arts", "culture", "nonprofit", "religious", "civic", "childcare", "finance", "insurance",
    "legal", "professional", "realestate", "tech", "telecom", "utilities", "energy", "home",
    "trades", "auto", "transport", "logistics", "manufacturing", "agriculture", "construction",
    "media", "funeral",
}
RELATIONSHIPS = {
    "purchase": set(), "booking": {"upcoming"}, "appointment": {"upcoming"},
    "subscription": {"plan"}, "membership": {"plan", "upcoming"}, "policy": set(),
    "account": set(), "case": {"upcoming"}, "enrolment": {"upcoming"}, "ticket": {"upcoming"},
    "donation": set(), "rental": {"upcoming"}, "stay": {"upcoming"}, "project": {"upcoming"},
}
GENERIC_TOPICS = {"history", "spend", "favourites", "catalog", "popular", "status", "profile",
                  "summary"}
PERSONA_TOPICS = {
    "banking": {"accounts", "transactions", "spending", "balance_history", "credit", "summary",
                "catalog"},
    "insurance": {"policies", "premiums", "premium_history", "claims", "coverage",
                  "deductibles", "summary", "catalog"},
    "healthcare": {"deductible", "out_of_pocket", "appointments", "prescriptions", "plan",
                   "summary", "catalog"},
}
PERSONA_RELATIONSHIP = {"banking": "account", "insurance": "policy", "healthcare": "appointment"}
ICONS = {
    "activity", "award", "bank", "bar-chart", "bed", "bell", "book", "box", "briefcase",
    "building", "calendar", "camera", "car", "cart", "chart", "circle", "clipboard", "clock",
    "cloud", "code", "coffee", "credit-card", "dollar", "droplet", "dumbbell", "file", "film",
    "flower", "gift", "globe", "heart", "home", "key", "leaf", "library", "list", "lock", "mail",
    "map-pin", "message", "music", "paw", "percent", "phone", "pie-chart", "pill", "plane",
    "receipt", "school", "scissors", "settings", "shield", "sparkle", "star", "stethoscope",
    "sun", "tag", "target", "tool", "trending-up", "truck", "user", "users", "utensils",
    "wallet", "zap",
    # aliases the window maps to those files (ui/theme/icons.py)
    "card", "pie", "package", "map", "chat", "bolt", "cup", "sparkles", "trophy",
}
FILLER = [
    r"\byour trusted\b", r"\bmade simple\b", r"\bmade easy\b", r"\bevery day\b$",
    r"\bquality you can trust\b", r"\bexcellence\b", r"\bsolutions?\b", r"\bbetter .+, every\b",
    r"\bpartner\b", r"\bone-stop\b", r"\bsecond to none\b", r"\bnumber one\b", r"\bbest in\b",
    r"\bworld[- ]class\b", r"\bcutting[- ]edge\b", r"\bnext[- ]level\b",
]
TEMPLATE_SUFFIXES = {"works", "labs", "studio", "co", "co.", "associates", "group", "partners",
                     "hub", "solutions", "collective", "& co.", "inc", "llc"}
KEYS = {"key", "label", "synonyms", "misspellings", "group", "relationship", "persona", "noun",
        "color", "icon", "names", "taglines", "personality", "items", "price_note", "free",
        "tabs", "kpis", "fields", "qa"}
REQUIRED = KEYS - {"misspellings", "persona", "price_note", "free"}


def words(text: str) -> str:
    """Lower-case words with naive singulars, as the engine folds requests."""
    out = []
    for w in re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ").replace("'", "")):
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def _text(value: object, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit and value == value.strip()


def check_entry(e: dict) -> list[str]:
    """Problems with one entry on its own."""
    p: list[str] = []
    if not isinstance(e, dict):
        return ["entry is not an object"]
    missing, extra = REQUIRED - e.keys(), e.keys() - KEYS
    if missing:
        p.append(f"missing {sorted(missing)}")
    if extra:
        p.append(f"unknown fields {sorted(extra)}")
    if missing:
        return p
    key = e["key"]
    if not (isinstance(key, str) and re.fullmatch(r"[a-z0-9][a-z0-9 '&-]{0,58}[a-z0-9]", key)):
        p.append("key must be lower case words")
    if not _text(e["label"], 40):
        p.append("label: 1-40 chars")
    for name, low, high in (("synonyms", 3, 12), ("misspellings", 0, 4)):
        vals = e.get(name, [])
        if not isinstance(vals, list) or not low <= len(vals) <= high or not all(
                _text(v, 60) for v in vals):
            p.append(f"{name}: {low}-{high} strings")
    if e["group"] not in GROUPS:
        p.append(f"group {e['group']!r} not in GROUPS")
    rel = e["relationship"]
    if rel not in RELATIONSHIPS:
        p.append(f"relationship {rel!r} unknown")
    persona = e.get("persona", "generic")
    if persona != "generic" and PERSONA_RELATIONSHIP.get(persona) != rel:
        p.append(f"persona {persona!r} needs relationship {PERSONA_RELATIONSHIP.get(persona)!r}")
    if rel in ("policy", "account") and persona == "generic":
        p.append(f"relationship {rel!r} needs persona "
                 f"{'insurance' if rel == 'policy' else 'banking'}")
    if not _text(e["noun"], 20) or not re.fullmatch(r"[a-z][a-z -]*", e["noun"]):
        p.append("noun: lower-case plural word")
    if not (isinstance(e["color"], str) and re.fullmatch(r"#[0-9a-f]{6}", e["color"])):
        p.append("color: #rrggbb lower case")
    if e["icon"] not in ICONS:
        p.append(f"icon {e['icon']!r} not in ICONS")
    p += _check_brand(e)
    if not _text(e["personality"], 300):
        p.append("personality: 1-300 chars")
    p += _check_items(e)
    p += _check_tabs(e, rel, persona)
    p += _check_kpis(e)
    fields = e["fields"]
    if not isinstance(fields, list) or not 2 <= len(fields) <= 4 or not all(
            isinstance(f, list) and len(f) == 2 and _text(f[0], 40) and isinstance(f[1], list)
            and 3 <= len(f[1]) <= 5 and all(_text(c, 60) for c in f[1]) for f in fields):
        p.append("fields: 2-4 [label, [3-5 choices]]")
    qa = e["qa"]
    if not isinstance(qa, list) or not 4 <= len(qa) <= 6:
        p.append("qa: 4-6 entries")
    else:
        for i, q in enumerate(qa):
            if not (isinstance(q, list) and len(q) == 3 and _text(q[0], 120)
                    and isinstance(q[1], list) and 1 <= len(q[1]) <= 12
                    and all(_text(k, 40) for k in q[1]) and _text(q[2], 600)):
                p.append(f"qa[{i}]: [question <=120, [1-12 keywords], answer <=600]")
            elif re.search(r"\$\d", q[2]) and any(
                    f"${_price(v)}" in q[2] for _, v in e["items"] if isinstance(v, int | float)):
                p.append(f"qa[{i}]: quotes an item price (the engine computes those)")
    return p


def _price(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _check_brand(e: dict) -> list[str]:
    p = []
    names, tags = e["names"], e["taglines"]
    if not isinstance(names, list) or not 3 <= len(names) <= 5 or not all(
            _text(n, 40) for n in names):
        return ["names: 3-5 strings <= 40 chars"]
    label_words = words(e["label"])
    for n in names:
        parts = n.lower().split()
        if words(n) == label_words or (len(parts) > 1 and parts[-1] in TEMPLATE_SUFFIXES
                                       and words(" ".join(parts[:-1])) == label_words):
            p.append(f"name {n!r} echoes the label")
    if not isinstance(tags, list) or not 3 <= len(tags) <= 5 or not all(
            _text(t, 70) for t in tags):
        return p + ["taglines: 3-5 strings <= 70 chars"]
    for t in tags:
        for pattern in FILLER:
            if re.search(pattern, t.lower()):
                p.append(f"tagline {t!r} is filler ({pattern})")
        if label_words and f" {label_words} " in f" {words(t)} ":
            p.append(f"tagline {t!r} repeats the label")
    return p


def _check_items(e: dict) -> list[str]:
    items, free = e["items"], e.get("free", False)
    if not isinstance(items, list) or not 6 <= len(items) <= 8:
        return ["items: 6-8 [name, price]"]
    p = []
    for it in items:
        if not (isinstance(it, list) and len(it) == 2 and _text(it[0], 48)
                and isinstance(it[1], int | float) and not isinstance(it[1], bool)):
            p.append(f"item {it!r}: [name <= 48, price]")
        elif (it[1] != 0) if free else not 0 < it[1] < 1_000_000:
            p.append(f"item {it!r}: price must be {'0 (free)' if free else '> 0'}")
        elif re.search(r"gift card|voucher", it[0].lower()) and words(e["label"]) in words(it[0]):
            p.append(f"item {it!r} is a template product")
    if len({words(it[0]) for it in items if isinstance(it, list) and it}) != len(items):
        p.append("items: duplicate names")
    if "price_note" in e and not _text(e["price_note"], 12):
        p.append("price_note: <= 12 chars")
    return p


def _check_tabs(e: dict, rel: str, persona: str) -> list[str]:
    tabs = e["tabs"]
    if not isinstance(tabs, list) or not 5 <= len(tabs) <= 6:
        return ["tabs: 5-6 entries"]
    allowed = (PERSONA_TOPICS[persona] if persona in PERSONA_TOPICS
               else GENERIC_TOPICS | RELATIONSHIPS.get(rel, set()))
    p, seen = [], set()
    for t in tabs:
        if not (isinstance(t, list) and len(t) == 4 and _text(t[0], 16) and t[1] in ICONS
                and _text(t[2], 120) and isinstance(t[3], str)):
            p.append(f"tab {t!r}: [label <= 16, icon in ICONS, prompt <= 120, topic]")
            continue
        topic = t[3]
        if topic.startswith("qa:"):
            if not (topic[3:].isdigit() and int(topic[3:]) < len(e["qa"])):
                p.append(f"tab {t[0]!r}: {topic} has no such qa")
        elif topic not in allowed:
            p.append(f"tab {t[0]!r}: topic {topic!r} not allowed for {rel}/{persona}")
        if t[0].lower() in seen:
            p.append(f"tab {t[0]!r} twice")
        seen.add(t[0].lower())
    return p


def _check_kpis(e: dict) -> list[str]:
    kpis = e["kpis"]
    if not isinstance(kpis, list) or len(kpis) != 4:
        return ["kpis: exactly 4"]
    p = []
    for k in kpis:
        if not (isinstance(k, list) and len(k) == 4 and _text(k[0], 40)
                and isinstance(k[1], str) and len(k[1]) <= 8
                and all(isinstance(v, int | float) for v in k[2:]) and k[2] <= k[3]):
            p.append(f"kpi {k!r}: [label <= 40, unit <= 8, low, high] with low <= high")
        elif re.search(r"lifetime spend|loyalty points|your ", k[0].lower()):
            p.append(f"kpi {k[0]!r} repeats the customer card")
    return p


def load(paths: list[Path] | None = None, *, strict: bool = True) -> dict[Path, list[dict]]:
    """Entries per KB file (not strict: a file that does not parse is reported and skipped)."""
    out: dict[Path, list[dict]] = {}
    for path in paths or sorted(p for p in KB_DIR.glob("*.json") if not p.name.startswith("_")):
        try:
            out[path] = json.loads(path.read_text(encoding="utf-8"))["entries"]
        except (ValueError, KeyError, TypeError) as exc:
            if strict:
                raise
            print(f"{path.name}: does not parse ({exc}); skipped")
    return out


def check_all(files: dict[Path, list[dict]]) -> list[str]:
    """Problems across all files: entries on their own, then clashes between entries."""
    problems: list[str] = []
    phrases: dict[str, str] = {}
    names: dict[str, str] = {}
    tabsets: Counter[tuple[str, ...]] = Counter()
    kpisets: Counter[tuple[str, ...]] = Counter()
    keys: dict[str, str] = {}
    for path, entries in files.items():
        for e in entries:
            where = f"{path.name}:{e.get('key', '?') if isinstance(e, dict) else '?'}"
            problems += [f"{where}: {x}" for x in check_entry(e)]
            if not isinstance(e, dict) or REQUIRED - e.keys():
                continue
            if keys.setdefault(e["key"], path.name) != path.name or sum(
                    1 for x in entries if isinstance(x, dict) and x.get("key") == e["key"]) > 1:
                problems.append(f"{where}: key {e['key']!r} is defined twice")
            for phrase in [e["key"], *e["synonyms"], *e.get("misspellings", [])]:
                folded = words(phrase)
                other = phrases.setdefault(folded, e["key"])
                if other != e["key"]:
                    problems.append(f"{where}: phrase {phrase!r} also belongs to {other!r}")
            for n in e["names"] if isinstance(e["names"], list) else []:
                other = names.setdefault(n.lower(), e["key"])
                if other != e["key"]:
                    problems.append(f"{where}: name {n!r} also used by {other!r}")
            if isinstance(e["tabs"], list):
                tabsets[tuple(sorted(str(t[0]).lower() for t in e["tabs"] if t))] += 1
            if isinstance(e["kpis"], list):
                kpisets[tuple(sorted(str(k[0]).lower() for k in e["kpis"] if k))] += 1
    problems += [f"tab set {s} used by {n} entries (max 3)" for s, n in tabsets.items() if n > 3]
    problems += [f"KPI set {s} used by {n} entries (max 3)" for s, n in kpisets.items() if n > 3]
    return problems


def check_fallback(data: dict) -> list[str]:
    """Problems with kb/_fallback.json (heads, word fields, brand words)."""
    p: list[str] = []
    heads = data.get("heads", [])
    ids = {h.get("id") for h in heads if isinstance(h, dict)}
    for h in heads:
        where = f"head {h.get('id')!r}"
        rel = h.get("relationship")
        if rel not in RELATIONSHIPS or rel in ("policy", "account"):
            p.append(f"{where}: relationship {rel!r}")
            continue
        if h.get("group") not in GROUPS or h.get("icon") not in ICONS or not h.get("words"):
            p.append(f"{where}: group, icon and words needed")
        items = h.get("items", [])
        if not 5 <= len(items) <= 8 or not all(
                len(i) == 3 and 0 < i[1] <= i[2] for i in items):
            p.append(f"{where}: 5-8 items [name, low, high] with 0 < low <= high")
        allowed = GENERIC_TOPICS | RELATIONSHIPS[rel]
        for tab in h.get("tabs", []):
            topic = tab[3]
            if not (topic in allowed or (topic.startswith("qa:") and topic[3:].isdigit()
                                         and int(topic[3:]) < len(h.get("qa", [])))):
                p.append(f"{where}: tab {tab[0]!r} topic {topic!r}")
            if tab[1] not in ICONS:
                p.append(f"{where}: tab icon {tab[1]!r}")
        if len(h.get("tabs", [])) < 5 or len(h.get("kpis", [])) < 4 or len(h.get("qa", [])) < 3:
            p.append(f"{where}: 5+ tabs, 4+ kpis, 3+ qa")
        if len(h.get("names", [])) < 3 or len(h.get("taglines", [])) < 3:
            p.append(f"{where}: 3+ names and taglines")
        for t in h.get("taglines", []):
            if any(re.search(f, t.lower()) for f in FILLER):
                p.append(f"{where}: filler tagline {t!r}")
    for name, head in data.get("default_heads", {}).items():
        if head not in ids:
            p.append(f"default head {name}: {head!r} is no head")
    for f in data.get("fields", []):
        if f.get("head") not in ids or f.get("icon") not in ICONS or len(f.get("brands", [])) < 8:
            p.append(f"field {f.get('id')!r}: head, icon and 8+ brands needed")
    return p


def main(argv: list[str]) -> int:
    """Print problems; exit 1 if any."""
    files = load(strict=False)
    if argv:
        wanted = {Path(a).resolve() for a in argv}
        problems = check_all(files)
        names = {p.name for p in wanted}
        problems = [x for x in problems if x.split(":", 1)[0] in names or x.startswith(
            ("tab set", "KPI set"))]
    else:
        problems = check_all(files)
    fallback = KB_DIR / "_fallback.json"
    if fallback.exists() and not argv:
        try:
            problems += check_fallback(json.loads(fallback.read_text(encoding="utf-8")))
        except ValueError as exc:
            problems.append(f"_fallback.json: does not parse ({exc})")
    for line in problems:
        print(line)
    count = sum(len(v) for v in files.values())
    print(f"{count} entries in {len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
