"""Screenshots of five modes in light and dark as one compact contact sheet (docs/BRAND.md).

Usage: QT_QPA_PLATFORM=offscreen python scripts/contact_sheet.py OUT.jpg
Builds a temporary data dir with four built-in modes plus two offline-generated ones (one
branded with a drawn logo through `modes brand`), takes `--screenshot`s in both themes and
lays them out: one column per mode, light above dark, each with its header at full size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MODES = ["banking", "insurance", "healthcare", "florist", "bakery-crumb-co"]
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        '<circle cx="32" cy="32" r="30" fill="#d35400"/>'
        '<path d="M16 38 C20 22 44 22 48 38 Z" fill="#fdf2e9"/>'
        '<rect x="18" y="38" width="28" height="8" rx="3" fill="#fdf2e9"/></svg>')
THUMB = (480, 300)
LABEL = 28
HEADER = 68  # the header's left part at full size: the emblem crisp, above each thumbnail


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "presto_desktop", *args], check=True,
                   stdout=subprocess.DEVNULL)


def _shots(folder: Path) -> dict[tuple[str, str], Path]:
    data = folder / "data"
    _cli("modes", "generate", "florist", "--offline", "--data-dir", str(data))
    _cli("modes", "generate", "bakery", "--company", "Crumb & Co", "--offline",
         "--data-dir", str(data))
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    _cli("modes", "brand", "bakery-crumb-co", "--logo", str(folder / "logo.svg"),
         "--data-dir", str(data))
    (data / "config").mkdir(parents=True, exist_ok=True)
    shots = {}
    for theme in ("light", "dark"):
        (data / "config" / "settings.json").write_text(json.dumps({"theme": theme}))
        for mode in MODES:
            shot = folder / f"{mode}-{theme}.png"
            _cli("--data-dir", str(data), "--offline", "--mode", mode, "--screenshot", str(shot))
            shots[(mode, theme)] = shot
    return shots


def main(out: Path) -> int:
    """Write the contact sheet to `out` (JPEG or PNG by its suffix)."""
    with tempfile.TemporaryDirectory() as tmp:
        shots = _shots(Path(tmp))
        cell = LABEL + HEADER + THUMB[1]
        width, height = THUMB[0] * len(MODES), cell * 2
        sheet = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default(size=16)
        for column, mode in enumerate(MODES):
            for row, theme in enumerate(("light", "dark")):
                x, y = column * THUMB[0], row * cell
                with Image.open(shots[(mode, theme)]) as shot:
                    full = shot.convert("RGB")
                sheet.paste(full.crop((0, 0, THUMB[0], HEADER)), (x, y + LABEL))
                thumb = full.resize(THUMB, Image.Resampling.LANCZOS)
                sheet.paste(thumb, (x, y + LABEL + HEADER))
                draw.text((x + 8, y + 5), f"{mode} · {theme}", fill="black", font=font)
        sheet.save(out, quality=85, optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
