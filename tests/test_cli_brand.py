"""`modes brand ID --logo FILE`: headless (no Qt), one line out, one line per refusal."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from presto_desktop.cli import main
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       '<circle r="4" cx="5" cy="5" fill="#e4572e"/></svg>')


def _png(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 120, 90)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_brand_prints_the_primary_and_stores_the_logo(capsys, data_dir: Path, tmp_path) -> None:
    assert main(["--data-dir", str(data_dir), "modes", "generate", "florist"]) == 0
    capsys.readouterr()
    logo = tmp_path / "logo.svg"
    logo.write_text(SVG)
    assert main(["--data-dir", str(data_dir), "modes", "brand", "florist", "--logo",
                 str(logo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("florist: primary #e4572e")
    mode = ModeStore(AppPaths.resolve(data_dir)).get("florist")
    assert mode.palette.primary == "#e4572e"
    assert mode.brand is not None and mode.brand.logo is not None
    assert mode.brand.logo.media_type == "image/svg+xml" and mode.brand.icon == "flower"
    summary = next(s for s in ModeStore(AppPaths.resolve(data_dir)).list_modes()
                   if s.id == "florist")
    assert summary.has_logo and summary.primary == "#e4572e"


def test_a_built_in_mode_is_branded_as_a_new_mode(capsys, data_dir: Path, tmp_path) -> None:
    code = main(["--data-dir", str(data_dir), "modes", "brand", "banking", "--logo",
                 str(_png(tmp_path / "logo.png"))])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("banking-2: primary #")
    assert ModeStore(AppPaths.resolve(data_dir)).get("banking").brand is None


@pytest.mark.parametrize(("content", "words"), [
    (SVG.replace("<circle", "<script>x</script><circle"), "script"),
    ("not an image", "not a PNG, JPEG or SVG"),
])
def test_bad_logo_is_one_line_and_exit_1(capsys, data_dir: Path, tmp_path, content,
                                          words) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(content)
    code = main(["--data-dir", str(data_dir), "modes", "brand", "banking", "--logo", str(logo)])
    err = capsys.readouterr().err
    assert code == 1 and words in err and err.count("\n") == 1


def test_brand_imports_no_qt(data_dir: Path, tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'modes', 'brand', 'banking', "
        f"'--logo', {str(logo)!r}]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
