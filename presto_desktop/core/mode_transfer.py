"""Sharing modes: reading a file to import, writing an export, and what an import did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from presto_desktop.core.atomic import atomic_create_bytes, atomic_write_bytes, shareable_mode
from presto_desktop.core.errors import ModeValidationError, StoreError
from presto_desktop.core.modefile import MAX_MODE_BYTES, dump_mode, parse_mode
from presto_desktop.core.safe_read import UnreadableFileError, read_limited

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

ImportOutcome = Literal["new", "renamed", "replaced", "unchanged"]


class ModeConflictError(StoreError):
    """An imported mode's id is taken by a different mode (on_conflict="error")."""

    def __init__(self, mode_id: str, *, builtin: bool = False) -> None:
        what = "a built-in mode" if builtin else "a different saved mode"
        super().__init__(f"a mode with id {mode_id!r} already exists ({what})")
        self.mode_id = mode_id
        self.builtin = builtin


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the saved mode, its file, and how its id was settled."""

    mode: Mode
    path: Path
    outcome: ImportOutcome
    requested_id: str  # the id in the imported file

    def describe(self) -> str:
        """One line for people: where it went and whether it was renamed."""
        if self.outcome == "renamed":
            return (f"a different mode already has id {self.requested_id!r}: kept both, "
                    f"imported as {self.mode.id!r} ({self.path})")
        if self.outcome == "replaced":
            return f"replaced the saved mode {self.mode.id!r} ({self.path})"
        if self.outcome == "unchanged":
            return f"already in the library as {self.mode.id!r} ({self.path})"
        return str(self.path)


def load_import(path: Path) -> Mode:
    """Read and validate a mode file from anywhere (one-line ModeValidationError/StoreError)."""
    try:
        data = read_limited(path, MAX_MODE_BYTES)
    except UnreadableFileError as exc:
        raise ModeValidationError(f"{path.name}: {exc.reason}") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_mode(data, path.name)


def export_mode(mode: Mode, path: Path, *, overwrite: bool = False) -> Path:
    """Write `mode` to `path` for sharing: readable by others (0644 less the umask).

    A missing folder is refused, never created; an existing file is kept unless `overwrite`
    (TargetExistsError).
    """
    if not path.parent.is_dir():
        raise StoreError(f"cannot export to {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise StoreError(f"cannot export to {path}: it is a folder")
    data = dump_mode(mode)
    if overwrite:
        atomic_write_bytes(path, data, mode=shareable_mode(), make_parents=False)
    else:
        atomic_create_bytes(path, data, mode=shareable_mode(), make_parents=False)
    return path
