"""The mode store: read-only built-ins from resources/, user modes as JSON in the data dir."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from presto_desktop.core.atomic import atomic_write_bytes
from presto_desktop.core.errors import (
    ModeNotFoundError,
    ModeValidationError,
    ResourceError,
    StoreError,
)
from presto_desktop.core.modefile import MAX_MODE_BYTES, dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths, resources_root
from presto_desktop.core.summary import SLUG_PATTERN, ModeSummary
from presto_desktop.core.triggers import DEFAULT_MODE_ID, normalise

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode


log = logging.getLogger(__name__)
_SLUG = re.compile(SLUG_PATTERN)
INDEX_NAME = ".index.json"
# Words that ask for a built-in mode rather than a newly generated one.
BUILTIN_ALIASES = {
    "bank": "banking",
    "banking": "banking",
    "a bank": "banking",
    "insurance": "insurance",
    "insurer": "insurance",
    "insurance company": "insurance",
    "healthcare": "healthcare",
    "health care": "healthcare",
    "healthcare provider": "healthcare",
    "default": DEFAULT_MODE_ID,
}


def check_mode_id(mode_id: str) -> str:
    """Return `mode_id` if it is a valid slug; refuse anything like '../x'."""
    if not isinstance(mode_id, str) or not _SLUG.match(mode_id):
        raise ModeValidationError(f"invalid mode id {mode_id[:70]!r}: use a-z, 0-9 and '-'")
    return mode_id


class ModeStore:
    """Lists, loads, saves, imports, exports and deletes modes."""

    def __init__(self, paths: AppPaths, *, builtin_dir: Path | None = None) -> None:
        self._paths = paths
        self._builtin_dir = builtin_dir
        self._builtin_paths: dict[str, Path] | None = None
        self._builtins: dict[str, Mode] = {}

    # -- built-ins ---------------------------------------------------------------------------
    def _builtin_files(self) -> dict[str, Path]:
        if self._builtin_paths is None:
            folder = self._builtin_dir or resources_root() / "modes"
            self._builtin_paths = {p.stem: p for p in sorted(folder.glob("*.json"))}
            if DEFAULT_MODE_ID not in self._builtin_paths:
                raise ResourceError("bundled resource missing: modes/default.json")
        return self._builtin_paths

    def _builtin(self, mode_id: str) -> Mode | None:
        """Parse one built-in on first use (start-up needs only the mode it shows)."""
        if mode_id in self._builtins:
            return self._builtins[mode_id]
        path = self._builtin_files().get(mode_id)
        if path is None:
            return None
        try:
            mode = parse_mode(path.read_bytes(), f"built-in {path.name}")
        except (ModeValidationError, OSError) as exc:
            raise ResourceError(f"bundled mode damaged: modes/{path.name}: {exc}") from exc
        self._builtins[mode_id] = mode
        return mode

    def is_builtin(self, mode_id: str) -> bool:
        """True for the read-only modes shipped in resources/."""
        return mode_id in self._builtin_files()

    def default_mode(self) -> Mode:
        """The neutral mode 'back to normal' returns to."""
        mode = self._builtin(DEFAULT_MODE_ID)
        assert mode is not None  # _builtin_files() guarantees the file exists
        return mode

    def _builtin_summaries(self, index: dict[str, dict], fresh: dict[str, dict]) -> list[ModeSummary]:
        summaries = []
        for mode_id, path in self._builtin_files().items():
            key = f"@builtin/{mode_id}"
            try:
                stat = path.stat()
            except OSError as exc:
                raise ResourceError(f"bundled resource unreadable: modes/{path.name}") from exc
            stamp = [stat.st_mtime_ns, stat.st_size, str(path)]
            summary = self._cached_summary(index.get(key), stamp)
            if summary is None:
                mode = self._builtin(mode_id)
                assert mode is not None
                summary = ModeSummary.of(mode, builtin=True)
            fresh[key] = {"stamp": stamp, "summary": summary.model_dump(mode="json")}
            summaries.append(summary)
        return summaries

    # -- user files --------------------------------------------------------------------------
    def _file(self, mode_id: str) -> Path:
        return self._paths.modes_dir / f"{check_mode_id(mode_id)}.json"

    def _read(self, path: Path) -> Mode:
        try:
            size = path.stat().st_size
            if size > MAX_MODE_BYTES:
                raise ModeValidationError(f"{path.name}: file is {size:,} bytes; limit {MAX_MODE_BYTES:,}")
            mode = parse_mode(path.read_bytes(), path.name)
        except ModeValidationError as exc:
            self.quarantine(path, str(exc))
            raise
        if mode.id != path.stem:
            reason = f"{path.name}: id {mode.id!r} does not match the file name"
            self.quarantine(path, reason)
            raise ModeValidationError(reason)
        return mode

    def quarantine(self, path: Path, reason: str) -> Path | None:
        """Move a bad file to modes/.quarantine/ with its reason; never raises."""
        target_dir = self._paths.quarantine_dir
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.name}.{stamp}"
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n", "utf-8")
        except OSError as exc:
            log.error("could not quarantine %s (%s): %s", path, exc, reason)
            return None
        log.warning("quarantined %s: %s", path.name, reason)
        return target

    def _load_index(self) -> dict[str, dict]:
        try:
            index = json.loads((self._paths.modes_dir / INDEX_NAME).read_bytes())
            return index if isinstance(index, dict) else {}
        except (OSError, ValueError, RecursionError):
            return {}

    @staticmethod
    def _cached_summary(cached: object, stamp: list) -> ModeSummary | None:
        if isinstance(cached, dict) and cached.get("stamp") == stamp:
            try:
                return ModeSummary.model_validate(cached["summary"], strict=False)
            except (ValidationError, KeyError, TypeError):
                return None
        return None

    def _user_summaries(self, index: dict[str, dict], fresh: dict[str, dict]) -> list[ModeSummary]:
        folder = self._paths.modes_dir
        if not folder.is_dir():
            return []
        summaries: list[ModeSummary] = []
        with os.scandir(folder) as entries:
            files = [e for e in entries if e.name.endswith(".json") and e.is_file()]
        for entry in files:
            stat = entry.stat()
            stamp = [stat.st_mtime_ns, stat.st_size]
            summary = self._cached_summary(index.get(entry.name), stamp)
            if summary is None:
                try:
                    check_mode_id(entry.name[:-5])
                    summary = ModeSummary.of(self._read(Path(entry.path)))
                except ModeValidationError:
                    continue
            fresh[entry.name] = {"stamp": stamp, "summary": summary.model_dump(mode="json")}
            summaries.append(summary)
        return summaries

    # -- public API ---------------------------------------------------------------------------
    def list_modes(self) -> list[ModeSummary]:
        """Built-ins first, then user modes newest first; bad files are quarantined."""
        index = self._load_index()
        fresh: dict[str, dict] = {}
        builtins = self._builtin_summaries(index, fresh)
        builtins.sort(key=lambda s: (s.id != DEFAULT_MODE_ID, s.name))
        users = sorted(self._user_summaries(index, fresh), key=lambda s: s.created_at, reverse=True)
        if fresh != index:
            try:
                atomic_write_bytes(self._paths.modes_dir / INDEX_NAME, json.dumps(fresh).encode())
            except StoreError as exc:
                log.warning("mode index not written: %s", exc)
        return builtins + [s for s in users if not self.is_builtin(s.id)]

    def get(self, mode_id: str) -> Mode:
        """Load one mode by id (built-in or saved)."""
        check_mode_id(mode_id)
        builtin = self._builtin(mode_id)
        if builtin is not None:
            return builtin
        path = self._file(mode_id)
        if not path.exists():
            raise ModeNotFoundError(f"no mode with id {mode_id!r}")
        return self._read(path)

    def find_by_request(self, key: str) -> Mode | None:
        """A saved or built-in mode made for the same normalised request, if any."""
        industry, _, company = key.partition("|")
        alias = BUILTIN_ALIASES.get(normalise(industry))
        if alias and not company:
            return self._builtin(alias)
        for summary in self.list_modes():
            if summary.request_key == key:
                try:
                    return self.get(summary.id)
                except (ModeValidationError, ModeNotFoundError):
                    continue
        return None

    def _free_id(self, mode: Mode) -> tuple[str, bool]:
        """The mode's id, or id-2, id-3 ... so a new mode never overwrites a different one.

        The flag says an identical mode is already saved under that id (e.g. imported twice).
        """
        base = mode.id
        for n in range(1, 1000):
            candidate = base if n == 1 else f"{base[: 64 - len(str(n)) - 1]}-{n}"
            if self.is_builtin(candidate):
                continue
            path = self._file(candidate)
            if not path.exists():
                return candidate, False
            try:
                existing = parse_mode(path.read_bytes(), path.name)
            except (ModeValidationError, OSError):
                continue
            if existing == mode.model_copy(update={"id": candidate}):
                return candidate, True
        raise StoreError(f"too many modes named {base!r}")

    def save(self, mode: Mode) -> Mode:
        """Write a new mode atomically under a free id; returns it with that id."""
        mode_id, already_saved = self._free_id(mode)
        if mode_id != mode.id:
            mode = mode.model_copy(update={"id": mode_id})
        if not already_saved:
            atomic_write_bytes(self._file(mode_id), dump_mode(mode))
        return mode

    def replace(self, mode_id: str, mode: Mode) -> Mode:
        """Regenerate: write `mode` in place of the saved mode `mode_id` (never a built-in)."""
        if self.is_builtin(check_mode_id(mode_id)):
            return self.save(mode)
        mode = mode.model_copy(update={"id": mode_id})
        atomic_write_bytes(self._file(mode_id), dump_mode(mode))
        return mode

    def path_of(self, mode_id: str) -> Path:
        """Where a saved user mode lives."""
        return self._file(mode_id)

    def source_of(self, mode_id: str) -> Path | None:
        """The file `get(mode_id)` reads (built-in or saved), or None if there is none."""
        builtin = self._builtin_files().get(mode_id)
        if builtin is not None:
            return builtin
        path = self._file(mode_id)
        return path if path.exists() else None

    def delete(self, mode_id: str) -> None:
        """Delete a saved mode; built-ins cannot be deleted."""
        if self.is_builtin(check_mode_id(mode_id)):
            raise StoreError(f"{mode_id!r} is a built-in mode and cannot be deleted")
        try:
            self._file(mode_id).unlink()
        except FileNotFoundError:
            raise ModeNotFoundError(f"no mode with id {mode_id!r}") from None
        except OSError as exc:
            raise StoreError(f"could not delete {mode_id!r}: {exc.strerror}") from exc

    def import_file(self, path: Path) -> Mode:
        """Validate a mode file from anywhere and save it into the library."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_MODE_BYTES:
                raise ModeValidationError(f"{path.name}: file is {size:,} bytes; limit {MAX_MODE_BYTES:,}")
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
        return self.save(parse_mode(data, path.name))

    def export(self, mode_id: str, path: Path) -> Path:
        """Write a mode to `path` as a shareable JSON file."""
        atomic_write_bytes(Path(path), dump_mode(self.get(mode_id)))
        return Path(path)
