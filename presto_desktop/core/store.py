"""The mode store: read-only built-ins from resources/, user modes as JSON in the data dir."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from pydantic import ValidationError

from presto_desktop.core.atomic import TargetExistsError, atomic_create_bytes, atomic_write_bytes
from presto_desktop.core.errors import (
    ModeNotFoundError,
    ModeValidationError,
    ResourceError,
    StoreError,
)
from presto_desktop.core.filelock import data_lock
from presto_desktop.core.mode_transfer import (
    ImportOutcome,
    ImportResult,
    ModeConflictError,
    export_mode,
    load_import,
)
from presto_desktop.core.modefile import MAX_MODE_BYTES, dump_mode, parse_mode
from presto_desktop.core.paths import AppPaths, resources_root
from presto_desktop.core.safe_read import (
    UnreadableFileError,
    read_limited,
    read_limited_stat,
    same_file,
)
from presto_desktop.core.summary import SLUG_PATTERN, ModeSummary
from presto_desktop.core.triggers import (
    BUILTIN_ALIASES,
    DEFAULT_MODE_ID,
    normalise,
    split_request_key,
)

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode


log = logging.getLogger(__name__)
_SLUG = re.compile(SLUG_PATTERN)
INDEX_NAME = ".index.json"
MAX_INDEX_BYTES = 16_000_000
__all__ = ["ImportResult", "ModeConflictError", "ModeStore", "check_mode_id"]


def check_mode_id(mode_id: str) -> str:
    """Return `mode_id` if it is a valid slug; refuse anything like '../x'."""
    if not isinstance(mode_id, str) or not _SLUG.match(mode_id):
        raise ModeValidationError(f"invalid mode id {mode_id[:70]!r}: use a-z, 0-9 and '-'")
    return mode_id


class ModeStore:
    """Lists, loads, saves, imports, exports and deletes modes."""

    def __init__(self, paths: AppPaths, *, builtin_dir: Path | None = None) -> None:
        self._paths = paths
        # Held while claiming ids, replacing, deleting and quarantining: another window or a
        # CLI command on the same data dir then sees a consistent library.
        self._lock = data_lock(paths.data_dir)
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
            mode = parse_mode(read_limited(path, MAX_MODE_BYTES), f"built-in {path.name}")
        except (ModeValidationError, OSError, StoreError) as exc:
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
                summary = mode.summary(builtin=True)
            fresh[key] = {"stamp": stamp, "summary": summary.model_dump(mode="json")}
            summaries.append(summary)
        return summaries

    # -- user files --------------------------------------------------------------------------
    def _file(self, mode_id: str) -> Path:
        return self._paths.modes_dir / f"{check_mode_id(mode_id)}.json"

    def _read(self, path: Path) -> Mode:
        """Parse a saved mode; a bad file is quarantined (ModeValidationError), OSError passes."""
        for attempt in (1, 2):
            try:
                data, info = read_limited_stat(path, MAX_MODE_BYTES)
            except UnreadableFileError as exc:
                self.quarantine(path, str(exc))
                raise ModeValidationError(str(exc)) from None
            try:
                mode = parse_mode(data, path.name)
                if mode.id != path.stem:
                    raise ModeValidationError(f"{path.name}: id {mode.id!r} does not match the file name")
                return mode
            except ModeValidationError as exc:
                # Under the lock, so a save in progress (an id claimed but not yet filled)
                # has finished: a file that changed since it was read is read again.
                with self._lock:
                    if attempt == 1 and self._changed(path, info):
                        continue
                    self.quarantine(path, str(exc), expected=info)
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _changed(path: Path, info: os.stat_result) -> bool:
        try:
            return not same_file(os.stat(path), info)
        except OSError:
            return True

    def quarantine(self, path: Path, reason: str, *, expected: os.stat_result | None = None) -> Path | None:
        """Move a bad file to modes/.quarantine/ with its reason; never raises.

        With `expected`, the file is moved only if it is still the one that was read.
        """
        target_dir = self._paths.quarantine_dir
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.name}.{stamp}"
        with self._lock:
            if expected is not None and self._changed(path, expected):
                log.info("not quarantining %s: it changed since it was read", path.name)
                return None
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
            index = json.loads(read_limited(self._paths.modes_dir / INDEX_NAME, MAX_INDEX_BYTES))
            return index if isinstance(index, dict) else {}
        except (OSError, ValueError, RecursionError, StoreError):
            return {}  # a cache: rebuilt from the files

    @staticmethod
    def _cached_summary(cached: object, stamp: list) -> ModeSummary | None:
        if isinstance(cached, dict) and cached.get("stamp") == stamp:
            try:
                return ModeSummary.model_validate(cached["summary"], strict=False)
            except (ValidationError, KeyError, TypeError):
                return None  # an older index's entry (e.g. before the palette roles): re-read
        return None

    def _user_summaries(self, index: dict[str, dict], fresh: dict[str, dict]) -> list[ModeSummary]:
        folder = self._paths.modes_dir
        try:
            with os.scandir(folder) as entries:
                files = [e for e in entries if e.name.endswith(".json") and not e.name.startswith(".")]
        except OSError:
            return []  # no library yet (or unreadable): built-ins only
        summaries: list[ModeSummary] = []
        for entry in files:
            summary = self._summary_of(entry, index, fresh)
            if summary is not None:
                summaries.append(summary)
        return summaries

    def _summary_of(self, entry: os.DirEntry, index: dict[str, dict],
                    fresh: dict[str, dict]) -> ModeSummary | None:
        """One listed file's summary (cached or parsed); None for a bad or vanished file."""
        try:
            stat = entry.stat()
        except FileNotFoundError:
            if entry.is_symlink():
                self.quarantine(Path(entry.path), f"{entry.name}: a link to a missing file")
            return None  # deleted by another process while we listed
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            self.quarantine(Path(entry.path), f"{entry.name}: not a regular file")
            return None
        stamp = [stat.st_mtime_ns, stat.st_size]
        summary = self._cached_summary(index.get(entry.name), stamp)
        if summary is None:
            try:
                check_mode_id(entry.name[:-5])
                summary = self._read(Path(entry.path)).summary()
            except (ModeValidationError, OSError):
                return None
        fresh[entry.name] = {"stamp": stamp, "summary": summary.model_dump(mode="json")}
        return summary

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
        try:
            return self._read(path)
        except FileNotFoundError:
            raise ModeNotFoundError(f"no mode with id {mode_id!r}") from None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def find_by_request(self, key: str) -> Mode | None:
        """A saved or built-in mode made for the same normalised request, if any."""
        industry, company = split_request_key(key)
        alias = BUILTIN_ALIASES.get(normalise(industry))
        if alias and not company:
            return self._builtin(alias)
        for summary in self.list_modes():
            if summary.request_key == key:
                try:
                    return self.get(summary.id)
                except (ModeValidationError, ModeNotFoundError, StoreError):
                    continue
        return None

    def _saved_equals(self, path: Path, mode: Mode) -> bool:
        """True when `path` already holds exactly `mode` (e.g. the same file imported twice)."""
        try:
            return parse_mode(read_limited(path, MAX_MODE_BYTES), path.name) == mode
        except (ModeValidationError, OSError, StoreError):
            return False

    def _candidate_ids(self, base: str) -> list[str]:
        """`base`, then base-2, base-3 ... (skipping built-in ids)."""
        names = [base] + [f"{base[: 64 - len(str(n)) - 1]}-{n}" for n in range(2, 1000)]
        return [name for name in names if not self.is_builtin(name)]

    def _save_new(self, mode: Mode) -> tuple[Mode, bool]:
        """Save under the first free id; the flag says an identical mode was already there."""
        with self._lock:
            for name in self._candidate_ids(mode.id):  # a copy only for an id it tries
                candidate = mode if name == mode.id else mode.model_copy(update={"id": name})
                path = self._file(candidate.id)
                if not os.path.lexists(path):
                    try:
                        # Claimed exclusively: a process without the lock cannot take it too.
                        atomic_create_bytes(path, dump_mode(candidate))
                        return candidate, False
                    except TargetExistsError:
                        pass
                if self._saved_equals(path, candidate):
                    return candidate, True
        raise StoreError(f"too many modes named {mode.id!r}")

    def save(self, mode: Mode) -> Mode:
        """Write a new mode atomically under a free id; returns it with that id."""
        return self._save_new(mode)[0]

    def replace(self, mode_id: str, mode: Mode) -> Mode:
        """Regenerate: write `mode` in place of the saved mode `mode_id` (never a built-in)."""
        if self.is_builtin(check_mode_id(mode_id)):
            return self.save(mode)
        mode = mode.model_copy(update={"id": mode_id})
        with self._lock:
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

    def delete(self, mode_id: str, *, expected: Mode | ModeSummary | None = None) -> None:
        """Delete a saved mode; built-ins cannot be deleted.

        With `expected` (the mode or summary the user chose), the file is deleted only if it
        still holds that mode: another window may have replaced it since it was listed.
        """
        if self.is_builtin(check_mode_id(mode_id)):
            raise StoreError(f"{mode_id!r} is a built-in mode and cannot be deleted")
        path = self._file(mode_id)
        with self._lock:
            if expected is not None:
                self._check_unchanged(mode_id, expected)
            try:
                path.unlink()
            except FileNotFoundError:
                raise ModeNotFoundError(f"no mode with id {mode_id!r}") from None
            except OSError as exc:
                raise StoreError(f"could not delete {mode_id!r}: {exc.strerror}") from exc

    def _check_unchanged(self, mode_id: str, expected: Mode | ModeSummary) -> None:
        current = self.get(mode_id)
        same = (current.summary() == expected if isinstance(expected, ModeSummary)
                else current == expected)
        if not same:
            raise StoreError(f"{mode_id!r} was changed by another window or command since it "
                             "was listed; nothing was deleted")

    def import_mode(self, mode: Mode, on_conflict: str = "rename") -> ImportResult:
        """Add a validated mode to the library; `on_conflict` decides when its id is taken.

        "rename": keep both (the new one becomes id-2, id-3 ...); "replace": overwrite the saved
        mode of that id (never a built-in); "error": raise ModeConflictError so the caller
        can ask. An identical saved mode is never duplicated (outcome "unchanged").
        """
        if on_conflict not in ("rename", "replace", "error"):
            raise ValueError(f"on_conflict must be rename, replace or error, not {on_conflict!r}")
        with self._lock:
            path = self._file(mode.id)
            builtin = self.is_builtin(mode.id)
            taken = builtin or os.path.lexists(path)
            if taken and not builtin and self._saved_equals(path, mode):
                return ImportResult(mode, path, "unchanged", mode.id)
            if taken and on_conflict == "error":
                raise ModeConflictError(mode.id, builtin=builtin)
            if taken and on_conflict == "replace":
                if builtin:
                    raise StoreError(f"{mode.id!r} is a built-in mode and cannot be replaced")
                atomic_write_bytes(path, dump_mode(mode))
                return ImportResult(mode, path, "replaced", mode.id)
            saved, existed = self._save_new(mode)
        outcome: ImportOutcome = "unchanged" if existed else ("renamed" if saved.id != mode.id else "new")
        return ImportResult(saved, self._file(saved.id), outcome, mode.id)

    def import_file(self, path: Path, on_conflict: str = "rename") -> Mode:
        """Validate a mode file from anywhere and save it into the library (see import_mode)."""
        return self.import_mode(load_import(Path(path)), on_conflict).mode

    def export(self, mode_id: str, path: Path, *, overwrite: bool = False) -> Path:
        """Write a mode to `path` as a shareable JSON file (0644 less the umask).

        The folder must exist; an existing file is replaced only with `overwrite`
        (TargetExistsError otherwise).
        """
        return export_mode(self.get(mode_id), Path(path), overwrite=overwrite)
