"""PyInstaller hook for Faker that keeps only the providers Faker("en_US") loads.

It replaces pyinstaller-hooks-contrib's hook (user hooks take priority), which collects
every locale (about 25 MB). Faker finds its providers and locales in a bundle by globbing
`_MEIPASS/faker/providers/*/__init__.py`, so those files ship as data as well as modules.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

LOCALE = "en_US"

_spec = importlib.util.find_spec("faker.providers")
_root = Path(next(iter(_spec.submodule_search_locations)))
hiddenimports: list[str] = ["faker.providers"]
datas: list[tuple[str, str]] = []
for init in sorted(_root.glob("*/__init__.py")):
    name = init.parent.name
    text = init.read_text("utf-8")
    package = f"faker.providers.{name}"
    hiddenimports.append(package)
    datas.append((str(init), f"faker/providers/{name}"))
    if not re.search(r"^localized\s*=\s*True", text, re.MULTILINE):
        continue
    default = re.search(r"^default_locale\s*=\s*[\"']([A-Za-z_]+)[\"']", text, re.MULTILINE)
    locale = LOCALE if (init.parent / LOCALE / "__init__.py").exists() else (
        default.group(1) if default else LOCALE)
    locale_init = init.parent / locale / "__init__.py"
    if locale_init.exists():
        hiddenimports.append(f"{package}.{locale}")
        datas.append((str(locale_init), f"faker/providers/{name}/{locale}"))
