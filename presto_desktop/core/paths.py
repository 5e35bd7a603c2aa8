"""Where things live: bundled resources (one function) and the user's data, config and logs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from presto_desktop.core.errors import ResourceError

APP_NAME = "presto-desktop"
DATA_DIR_ENV = "PRESTO_DATA_DIR"


def resources_root() -> Path:
    """The `resources/` folder: PyInstaller bundle, installed wheel, or source checkout."""
    return _resources_root(getattr(sys, "_MEIPASS", None), __file__)


@lru_cache(maxsize=4)
def _resources_root(bundle: str | None, module: str) -> Path:
    """`resources_root` for a bundle folder and this module's file, looked up once: a restyle's
    icons asked for it ~40 times, and each look (a path resolved, folders stat'ed) cost
    ~0.15 ms of the loop."""
    package_dir = Path(module).resolve().parent.parent
    candidates = []
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates += [package_dir / "resources", package_dir.parent / "resources"]
    for candidate in candidates:
        if (candidate / "modes").is_dir():
            return candidate
    raise ResourceError(f"resources folder not found (looked in {', '.join(map(str, candidates))})")


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource file; a missing file raises ResourceError naming it."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise ResourceError(f"bundled resource missing: {'/'.join(parts)} (expected at {path})")
    return path


@dataclass(frozen=True)
class AppPaths:
    """The user's data, config and log folders."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def modes_dir(self) -> Path:
        """Saved user modes."""
        return self.data_dir / "modes"

    @property
    def quarantine_dir(self) -> Path:
        """Mode files that failed validation, kept for inspection."""
        return self.modes_dir / ".quarantine"

    @property
    def conversations_dir(self) -> Path:
        """Saved conversations, one file per mode."""
        return self.data_dir / "conversations"

    @property
    def images_dir(self) -> Path:
        """Images an image model made (core/generated_images.py), made when first needed."""
        return self.data_dir / "images"

    @property
    def settings_file(self) -> Path:
        """The settings JSON file."""
        return self.config_dir / "settings.json"

    @property
    def start_frame_file(self) -> Path:
        """The remembered first frame of the window (a cache: safe to delete)."""
        return self.data_dir / "start_frame.json"

    @property
    def start_picture_file(self) -> Path:
        """The remembered first frame as a picture (a cache: safe to delete)."""
        return self.data_dir / "start_frame.png"

    @property
    def app_dirs(self) -> tuple[Path, ...]:
        """Every folder the app writes files into (where a crash may leave a temp file)."""
        return (self.data_dir, self.modes_dir, self.quarantine_dir, self.conversations_dir,
                self.config_dir, self.log_dir)

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """`data_dir` (or $PRESTO_DATA_DIR) holds everything; otherwise platformdirs."""
        override = data_dir or os.environ.get(DATA_DIR_ENV)
        if override:
            root = Path(override).expanduser().resolve()
            return cls(root, root / "config", root / "logs")
        import platformdirs

        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )
