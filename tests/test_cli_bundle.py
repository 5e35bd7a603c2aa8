"""`modes export` writes one file that keeps the look; `chat export` carries the mode's mark."""

from __future__ import annotations

import base64
import html.parser
import io
import json
import time
from pathlib import Path

import pytest
from PIL import Image

from presto_desktop.cli import main
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.generated_images import GeneratedImages, emblem_prompt
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import SettingsStore
from presto_desktop.core.store import ModeStore

LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
            '<circle r="4" cx="5" cy="5" fill="#e4572e"/></svg>')


def _png(size: int = 512) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (20, 120, 90)).save(out, "PNG")
    return out.getvalue()


def run(capsys, data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _generated_here(capsys, data_dir: Path) -> None:
    """The florist mode, with an image model's mark cached and the setting on."""
    assert run(capsys, data_dir, "modes", "generate", "florist")[0] == 0
    paths = AppPaths.resolve(data_dir)
    settings_store = SettingsStore(paths)
    settings = settings_store.load().model_copy(update={"generated_images": True})
    settings_store.save(settings)
    mode = ModeStore(paths).get("florist")
    GeneratedImages(paths.images_dir).put(settings.image_model, emblem_prompt(mode), _png())


def test_export_embeds_the_generated_mark_and_imports_elsewhere(capsys, data_dir, tmp_path,
                                                                monkeypatch) -> None:
    _generated_here(capsys, data_dir)
    target = tmp_path / "florist.json"
    code, out, _ = run(capsys, data_dir, "modes", "export", "florist", str(target))
    assert code == 0 and out.strip() == str(target)
    raw = json.loads(target.read_text())
    mark = raw["brand"]["mark"]
    assert mark["media_type"] == "image/png"
    assert base64.b64decode(mark["data"]).startswith(b"\x89PNG")
    assert target.stat().st_size < 1_000_000
    # The saved mode is unchanged: the mark is embedded in the shared file only.
    assert ModeStore(AppPaths.resolve(data_dir)).get("florist").brand.mark is None

    elsewhere = tmp_path / "other"  # no image cache, the setting off
    monkeypatch.setenv("PRESTO_DATA_DIR", str(elsewhere))
    code, out, _ = run(capsys, elsewhere, "modes", "import", str(target))
    assert code == 0
    imported = ModeStore(AppPaths.resolve(elsewhere)).get("florist")
    assert imported.brand is not None and imported.brand.mark is not None
    assert imported.brand.mark.data == mark["data"]
    summary = next(s for s in ModeStore(AppPaths.resolve(elsewhere)).list_modes()
                   if s.id == "florist")
    assert summary.has_logo


def test_export_without_a_generated_mark_is_plain_mode_json(capsys, data_dir, tmp_path) -> None:
    assert run(capsys, data_dir, "modes", "generate", "florist")[0] == 0
    target = tmp_path / "florist.json"
    assert run(capsys, data_dir, "modes", "export", "florist", str(target))[0] == 0
    raw = json.loads(target.read_text())
    assert "mark" not in raw.get("brand", {})  # readable by apps from before brand.mark


@pytest.mark.parametrize(("mark", "words"), [
    ({"media_type": "image/png", "data": "%%%not-base64%%%"}, "brand.mark.data"),
    ({"media_type": "image/png", "data": "A" * 400_000}, "brand.mark.data"),
    ({"media_type": "image/svg+xml",
      "data": base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script>'
                               b"</svg>").decode()}, "brand.mark.media_type"),
    ({"media_type": "image/jpeg", "data": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()},
     "not a JPEG"),
])
def test_import_refuses_a_hostile_mark_in_one_line(capsys, data_dir, tmp_path, mark,
                                                   words) -> None:
    assert run(capsys, data_dir, "modes", "generate", "florist")[0] == 0
    target = tmp_path / "florist.json"
    assert run(capsys, data_dir, "modes", "export", "florist", str(target))[0] == 0
    raw = json.loads(target.read_text())
    raw["id"] = "florist-shared"
    raw["brand"] = {"mark": mark}
    target.write_text(json.dumps(raw))
    code, _, err = run(capsys, data_dir, "modes", "import", str(target))
    assert code != 0 and words in err and len(err.strip().splitlines()) == 1, err
    assert "florist-shared" not in {s.id for s in ModeStore(AppPaths.resolve(data_dir)).list_modes()}


class Images(html.parser.HTMLParser):
    """The page's <img> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def _emblem_src(page: str) -> str:
    parser = Images()
    parser.feed(page)
    (emblem,) = [img for img in parser.images if img.get("class") == "emblem"]
    return emblem["src"] or ""


def _seed_chat(data_dir: Path, mode_id: str) -> None:
    ConversationStore(AppPaths.resolve(data_dir)).save(
        mode_id, [ChatMessage("user", "Hello", at=time.time())])


def test_html_export_shows_the_drawn_emblem_logo_or_generated_mark(capsys, data_dir,
                                                                   tmp_path) -> None:
    _generated_here(capsys, data_dir)
    _seed_chat(data_dir, "florist")
    out = tmp_path / "chat.html"
    assert run(capsys, data_dir, "chat", "export", "--mode", "florist", str(out))[0] == 0
    src = _emblem_src(out.read_text())
    assert src.startswith("data:image/png;base64,")  # the generated mark, as the header shows
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")

    settings_store = SettingsStore(AppPaths.resolve(data_dir))
    settings_store.save(settings_store.load().model_copy(update={"generated_images": False}))
    assert run(capsys, data_dir, "chat", "export", "--mode", "florist", "--force", str(out))[0] == 0
    src = _emblem_src(out.read_text())
    assert src.startswith("data:image/svg+xml;base64,")  # the drawn emblem
    svg = base64.b64decode(src.split(",", 1)[1])
    assert svg.startswith(b"<svg") and b"script" not in svg

    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO_SVG)
    assert run(capsys, data_dir, "modes", "brand", "florist", "--logo", str(logo))[0] == 0
    assert run(capsys, data_dir, "chat", "export", "--mode", "florist", "--force", str(out))[0] == 0
    svg = base64.b64decode(_emblem_src(out.read_text()).split(",", 1)[1])
    assert b"#e4572e" in svg  # the logo

    md = tmp_path / "chat.md"
    assert run(capsys, data_dir, "chat", "export", "--mode", "florist", str(md))[0] == 0
    assert "data:" not in md.read_text() and "](" not in md.read_text()  # no mark, no reference


def test_pdf_export_prints_the_emblem(qapp, capsys, data_dir, tmp_path) -> None:
    assert run(capsys, data_dir, "modes", "generate", "florist")[0] == 0
    _seed_chat(data_dir, "florist")  # no chart: the only image is the emblem
    out = tmp_path / "chat.pdf"
    assert run(capsys, data_dir, "chat", "export", "--mode", "florist", str(out))[0] == 0
    assert b"/Subtype /Image" in out.read_bytes()


def test_schema_describes_the_embedded_mark(capsys, data_dir) -> None:
    code, out, _ = run(capsys, data_dir, "schema")
    schema = json.loads(out)
    assert code == 0 and "mark" in schema["$defs"]["Brand"]["properties"]
    assert schema["$defs"]["GeneratedMark"]["properties"]["media_type"]["enum"] == [
        "image/png", "image/jpeg"]
