"""Small builders for valid modes used across tests (no engine needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.models import Metric, Mode, OfflineAnswer, Source, Tab
from presto_desktop.core.palette import derive_palette
from presto_desktop.core.persona import persona_seed
from presto_desktop.core.persona_maker import make_persona


def make_mode(
    mode_id: str = "florist",
    *,
    industry: str = "florist",
    company: str = "Petal & Stem",
    primary: str = "#c2185b",
    kind: str = "generic",
    request_key: str | None = None,
) -> Mode:
    """A complete, valid mode for tests."""
    return Mode(
        schema_version=1,
        id=mode_id,
        industry=industry,
        name=industry.title(),
        company_name=company,
        tagline=f"{company} at your service",
        palette=derive_palette(primary),
        personality="Warm and helpful.",
        system_prompt=f"You are the assistant of {company}.",
        welcome_message=f"Welcome to {company}!",
        tabs=[Tab(id="orders", label="Orders", icon="box", prompt="Show my orders")],
        metrics=[Metric(label="Orders", value=12.0, unit="")],
        persona=make_persona(kind, persona_seed(mode_id)),
        suggested_prompts=["What can you do?"],
        offline_content=[
            OfflineAnswer(question="What are your hours?", keywords=["hours"], answer="9 to 5.")
        ],
        request_key=request_key if request_key is not None else f"{industry}|",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        source=Source(engine="offline"),
    )


def store_with_default(tmp_path):  # noqa: ANN001, ANN201 - test helper
    """A ModeStore in tmp_path whose only built-in is a default mode."""
    from presto_desktop.core.modefile import dump_mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.store import ModeStore

    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "default.json").write_bytes(dump_mode(make_mode("default", request_key="")))
    return ModeStore(AppPaths.resolve(tmp_path / "data"), builtin_dir=folder)


def make_logo_mode(mode_id: str = "florist", company: str = "Petal & Stem") -> Mode:
    """A mode whose emblem is a small green PNG logo (#14785a)."""
    import base64
    import io

    from PIL import Image

    from presto_desktop.core.models import Brand, Logo

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (20, 120, 90)).save(out, "PNG")
    logo = Logo(media_type="image/png", data=base64.b64encode(out.getvalue()).decode())
    return make_mode(mode_id, company=company).model_copy(
        update={"brand": Brand(icon="flower", logo=logo)})


def assistant_mode() -> Mode:
    """The built-in default ("Presto Assistant") as the window tests install it."""
    return make_mode("default", industry="general", company="Presto Assistant",
                     primary="#3f51b5", request_key="")


def bank_mode() -> Mode:
    """A built-in banking mode to switch to ("you're a bank")."""
    return make_mode("banking", industry="banking", company="First Harbor Bank",
                     primary="#0d47a1", kind="banking", request_key="banking|")


def builtin_folder(folder: Path, *modes: Mode) -> Path:
    """`folder`, created, holding `modes` as built-in mode files."""
    folder.mkdir(parents=True, exist_ok=True)
    for mode in modes:
        (folder / f"{mode.id}.json").write_bytes(dump_mode(mode))
    return folder
