"""Build resources/lexicon.json from the compact tables in lexicon_rows.py and lexicon_families.py.

The committed JSON is the source of truth at run time; rerun this after editing the tables:
    .venv/bin/python scripts/make_lexicon.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lexicon_families import COLORS, FAMILIES, ICONS
from lexicon_rows import ROWS

OUT = Path(__file__).resolve().parent.parent / "resources" / "lexicon.json"

# Well-known brands -> industry key, so "Presto-Change-O, you're Wells Fargo" works offline.
BRANDS = {
    "Wells Fargo": "bank", "Chase": "bank", "JPMorgan Chase": "bank", "Bank of America": "bank",
    "Citibank": "bank", "HSBC": "bank", "Barclays": "bank", "Navy Federal": "credit union",
    "Capital One": "credit card", "American Express": "credit card", "Amex": "credit card",
    "PayPal": "payments", "Stripe": "payments", "Square": "payments", "Coinbase":
    "crypto exchange", "Charles Schwab": "brokerage", "Fidelity": "brokerage",
    "Robinhood": "brokerage", "Vanguard": "brokerage", "Chime": "neobank", "Revolut": "neobank",
    "Rocket Mortgage": "mortgage lender", "GEICO": "auto insurance", "Progressive":
    "auto insurance", "State Farm": "insurance", "Allstate": "insurance", "Lemonade":
    "renters insurance", "MetLife": "life insurance", "Aetna": "health insurance",
    "Kaiser Permanente": "health insurance", "UnitedHealthcare": "health insurance",
    "Cigna": "health insurance", "Mayo Clinic": "hospital", "CVS": "pharmacy", "Walgreens":
    "pharmacy", "Starbucks": "coffee shop", "Dunkin'": "donut shop", "Domino's": "pizzeria",
    "Pizza Hut": "pizzeria", "Chipotle": "taco shop", "Whole Foods": "grocery store",
    "Trader Joe's": "grocery store", "Kroger": "grocery store", "IKEA": "furniture store",
    "Home Depot": "hardware store", "Lowe's": "hardware store", "Best Buy": "electronics store",
    "Apple Store": "electronics store", "Nike": "shoe store", "Sephora": "cosmetics store",
    "Petco": "pet store", "PetSmart": "pet store", "Barnes & Noble": "bookstore",
    "Tiffany & Co.": "jewelry store", "REI": "outdoor gear", "Marriott": "hotel",
    "Hilton": "hotel", "Airbnb": "vacation rental", "Delta": "airline", "Delta Air Lines":
    "airline", "United Airlines": "airline", "Southwest": "airline", "Expedia":
    "travel agency", "Hertz": "car rental", "Enterprise": "car rental", "Carnival":
    "cruise line", "Disneyland": "theme park", "Netflix": "streaming service", "Spotify":
    "streaming service", "Verizon": "mobile carrier", "AT&T": "mobile carrier", "T-Mobile":
    "mobile carrier", "Comcast": "internet provider", "Xfinity": "internet provider",
    "Dropbox": "cloud storage", "Salesforce": "software company", "Microsoft":
    "software company", "Slack": "software company", "Tesla": "car dealership", "Jiffy Lube":
    "auto repair", "Uber": "car sharing", "FedEx": "courier", "UPS": "courier", "DHL": "courier",
    "H&R Block": "tax preparer", "Planet Fitness": "gym", "Equinox": "gym", "Peloton":
    "personal trainer", "Duolingo": "language school", "Coursera": "online courses",
    "AMC": "movie theater", "Ticketmaster": "concert venue", "New York Times": "newspaper",
    "Public Storage": "self storage", "Shell": "gas station", "Chewy": "pet food delivery",
    "Banfield": "veterinarian", "Zillow": "real estate agency", "WeWork": "coworking space",
    "Match.com": "dating service", "Tinder": "dating service", "Etsy": "gift shop",
}

SHORT_SUFFIXES = {"& Co."}


def _hook_l(hook: str) -> str:
    return hook if hook[1:2].isupper() else hook[:1].lower() + hook[1:]


# Proper words that stay capitalised when an item name is used mid-sentence.
_KEEP = {"Swedish", "Italian", "Brie", "Pinot", "Rioja", "Champagne", "Earl", "Manchego",
         "Boston", "Caribbean", "Alaska", "Beyond", "Visa", "Korean", "Masala", "Wagyu",
         "Buddha", "Matcha", "Bluetooth", "English-Spanish", "English-Japanese", "English-French",
         "Python", "SAT", "Victorian", "Art", "Ocean", "Oak", "Fish"}


def _lower(name: str) -> str:
    first, _, rest = name.partition(" ")
    if first in _KEEP or first[1:2].isupper() or first[:1].isdigit():
        return name
    return (first.lower() + " " + rest).strip()


def _join(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def _price(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.2f}%"
    text = f"${value:,.0f}" if value == int(value) and value >= 1 else f"${value:,.2f}"
    return text + ("/mo" if unit == "$/mo" else "")


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def _chart(kind: str, key: str, family: dict, items: list[dict]) -> dict | None:
    rng = _rng(key + kind)
    if kind == "popular":
        points = [{"label": i["name"][:40], "value": float(rng.randint(40, 420))} for i in items]
        points.sort(key=lambda p: -p["value"])
        return {"type": "bar", "title": "Most popular this month", "points": points,
                "unit": family["orders"][:16]}
    if kind in ("prices", "rates"):
        unit = family["unit"] if kind == "rates" else "$"
        title = {"%": "Current rates", "$": "Price guide"}.get(unit, "Price guide")
        if family["kind"] == "insurance":
            title, unit = "Starting monthly premiums", "$/mo"
        return {"type": "bar", "title": title,
                "points": [{"label": i["name"][:40], "value": i["price"]} for i in items],
                "unit": unit}
    return None


def _fill(text: str, ctx: dict) -> str:
    for name, value in ctx.items():
        text = text.replace("{" + name + "}", value)
    return text


def build_entry(line: str, seen_names: set[str], seen_tags: set[str]) -> dict:
    """One industry entry from one table line."""
    parts = [p.strip() for p in line.split(" | ")]
    parts += [""] * (10 - len(parts))
    key, synonyms, fam_name, colour, words, hook, items, details, kpi, tag_override = parts[:10]
    family = FAMILIES[fam_name]
    rng = _rng(key)
    label = key[:1].upper() + key[1:]
    label = {"hvac": "HVAC", "it support": "IT support", "ev charging": "EV charging"}.get(
        key, label)
    item_list = []
    for item in items.split(";"):
        name, _, price = item.strip().rpartition(" ")
        item_list.append({"name": name, "price": float(price)})
    unit = "$/mo" if family["kind"] == "insurance" else family["unit"]
    popular = _chart("popular", key, family, item_list)
    top = [p["label"] for p in popular["points"]] if family["kind"] == "generic" else [
        i["name"] for i in item_list]
    ctx = {
        "label": label, "label_l": label if label.isupper() else label.lower(), "hook": hook,
        "hook_l": _hook_l(hook), "items3": _join([_lower(name) for name in top[:3]]),
        "item0": item_list[0]["name"], "orders": family["orders"],
        "price_list": ", ".join(f"{_lower(i['name'])} {_price(i['price'], unit)}"
                                for i in item_list),
    }
    fields = []
    for spec in [d for d in (details + "; " + family["details"]).split(";") if d.strip()]:
        name, _, choices = spec.partition(":")
        if name.strip() and name.strip() not in [f["label"] for f in fields]:
            fields.append({"label": name.strip(), "choices": [c.strip() for c in
                                                             choices.split("/")]})
    qa = []
    for question, keywords, answer, chart_kind in family["qa"]:
        entry = {"question": _fill(question, ctx), "keywords": keywords,
                 "answer": _fill(answer, ctx)}
        chart = _chart(chart_kind, key, family, item_list) if chart_kind else None
        if chart:
            entry["chart"] = chart
        qa.append(entry)
    tabs = [dict(zip(("id", "label", "icon", "prompt", "topic"), t, strict=False)) for t in family["tabs"]]
    if family["kind"] != "generic":
        tab_label = {"banking": "Rates", "insurance": "Plans", "healthcare": "Services"}[
            family["kind"]]
        tabs.append({"id": tab_label.lower(), "label": tab_label,
                     "icon": {"Rates": "percent", "Plans": "star", "Services": "heart"}[tab_label],
                     "prompt": qa[0]["question"], "topic": "qa:0"})
    tabs = tabs[:6]
    metrics = []
    for metric in family["metrics"]:
        metric = dict(metric)
        metric["label"] = _fill(metric["label"], {"kpi": kpi or "Happy customers this month"})
        metrics.append(metric)
    names = []
    for index, word in enumerate(w.strip() for w in words.split(",")):
        suffixes = family["suffixes"]
        candidates = [word] if ("&" in word or " " in word) else []
        candidates += [f"{word} {suffixes[(index + k) % len(suffixes)]}" for k in range(4)]
        for candidate in candidates:
            if candidate.lower() not in seen_names:
                seen_names.add(candidate.lower())
                names.append(candidate)
                break
    assert len(names) >= 3, (key, names)
    taglines = ([t.strip() for t in tag_override.split("/") if t.strip()] if tag_override
                else [_fill(t, ctx) for t in family["taglines"]])
    taglines = [t for t in taglines if t.lower() not in seen_tags]
    seen_tags.update(t.lower() for t in taglines)
    assert len(taglines) >= 2, (key, taglines)
    return {
        "key": key,
        "label": label,
        "synonyms": [s.strip() for s in synonyms.split(",") if s.strip()],
        "family": fam_name,
        "color_family": colour,
        "primary": rng.choice(COLORS[colour]),
        "persona_kind": family["kind"],
        "order_noun": family["orders"],
        "persona_fields": fields[:4],
        "items": item_list,
        "tabs": tabs,
        "metrics": metrics,
        "qa": qa,
        "company_names": names,
        "taglines": taglines,
        "personality": f"{family['tone']} Knows {ctx['label_l']} inside out.",
    }


FALLBACK = {
    "tabs": [
        {"id": "services", "label": "Services", "icon": "star",
         "prompt": "What {label_l} services do you offer?", "topic": "qa:0"},
        {"id": "orders", "label": "Orders", "icon": "package", "prompt": "Show my recent orders",
         "topic": "orders"},
        {"id": "spending", "label": "Spending", "icon": "chart",
         "prompt": "Show my spending over the last year", "topic": "spend_history"},
        {"id": "rewards", "label": "Rewards", "icon": "gift",
         "prompt": "How many loyalty points do I have?", "topic": "loyalty"},
        {"id": "prices", "label": "Prices", "icon": "percent", "prompt": "What are your prices?",
         "topic": "qa:1"},
    ],
    "items": ["{label} consultation", "Standard {label_l} service", "Premium {label_l} package",
              "{label} maintenance plan", "{label} gift card"],
    "suffixes": ["Works", "Collective", "& Co.", "Studio", "Partners", "Group", "House", "Labs"],
    "taglines": ["{label}, done brilliantly.", "Your trusted {label_l} partner.",
                 "{label} made simple.", "Better {label_l}, every day.",
                 "Where {label_l} meets care."],
    "personality": "Friendly, capable and concise; explains {label_l} options clearly and "
                   "suggests next steps.",
    "fields": [{"label": "Preferred contact", "choices": ["Email", "Text", "Phone"]},
               {"label": "Interested in", "choices": ["Standard service", "Premium package",
                                                      "Maintenance plan"]}],
}


def main() -> None:
    """Write resources/lexicon.json."""
    seen_names: set[str] = set()
    seen_tags: set[str] = set()
    lines = [line for line in ROWS.strip().splitlines() if line.strip()]
    industries = [build_entry(line, seen_names, seen_tags) for line in lines]
    keys = {i["key"] for i in industries}
    bad = {b: k for b, k in BRANDS.items() if k not in keys}
    assert not bad, bad
    fallback = dict(FALLBACK)
    generic = FAMILIES["retail"]
    fallback["metrics"] = generic["metrics"][:2] + [
        {"label": "Happy customers this month", "unit": "", "range": [120, 4800]},
        {"label": "Customer rating", "unit": "/5", "range": [4.4, 4.9]}]
    fallback["qa"] = [
        {"question": "What {label_l} services do you offer?",
         "keywords": ["offer", "services", "service", "popular", "recommend", "products",
                      "sell", "best seller", "menu", "range"],
         "answer": "{company} offers {items3}. The chart shows what customers chose most this "
                   "month.", "chart": "popular"},
        {"question": "What are your prices?", "keywords": ["price", "prices", "cost",
                                                           "how much", "pricing", "fee"],
         "answer": "Here's a quick price guide: {price_list}.", "chart": "prices"},
        {"question": "How do I get started?", "keywords": ["start", "book", "sign up", "begin",
                                                           "appointment", "contact"],
         "answer": "Getting started with {company} is easy: book online or call us, and we'll "
                   "confirm the details within one business day."},
        {"question": "What are your opening hours?", "keywords": ["hours", "open", "close",
                                                                  "opening"],
         "answer": "We're open Monday to Saturday, 9 am to 6 pm, and you can reach us online "
                   "any time."},
    ]
    data = {"version": 1, "icons": ICONS,
            "colors": COLORS,
            "brands": [{"name": b, "industry": k} for b, k in BRANDS.items()], "fallback": fallback, "industries": industries}
    # One industry per line: compact to load, still readable in a diff.
    head = {k: v for k, v in data.items() if k != "industries"}
    body = ",\n".join(json.dumps(i, ensure_ascii=False) for i in industries)
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "industries": [\n' + body + "\n]}\n"
    json.loads(text)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(industries)} industries, {OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
