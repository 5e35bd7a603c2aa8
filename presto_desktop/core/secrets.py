"""API key storage: the OS keyring when a usable backend exists, else a 0600 file.

A key taken from the environment is never passed here, so it is never written anywhere.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from presto_desktop.core.atomic import atomic_write_bytes, remove_temp_files
from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.safe_read import UnreadableFileError, read_limited

log = logging.getLogger(__name__)
SERVICE = "presto-desktop"
ACCOUNT = "openai-api-key"
KEY_FILE = "api_key"
MAX_KEY_FILE_BYTES = 4096
_UNUSABLE_BACKENDS = ("fail", "null", "chainer")  # keyring's "no backend" stand-ins


def keyring_service_possible(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """False when no keyring backend can work here: Linux without a D-Bus session bus.

    Finding that out through keyring itself cost ~120 ms of CPU at every start (it imports
    every platform's backend; the macOS one runs gcc and ldconfig to look for its library),
    on a worker thread holding the GIL from the window's first frames. A configured backend
    (PYTHON_KEYRING_BACKEND, a keyringrc.cfg) is always tried.
    """
    if not platform.startswith("linux") or env.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    if env.get("PYTHON_KEYRING_BACKEND"):
        return True
    home = Path(env.get("HOME") or Path.home())
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    places = [config / "python_keyring" / "keyringrc.cfg",
              data / "python_keyring" / "keyringrc.cfg"]
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        places.append(Path(runtime) / "bus")  # the session bus, when its address is not set
    return any(place.exists() for place in places)


def _usable_keyring() -> Any | None:
    """The keyring module when a real backend is available, else None."""
    if not keyring_service_possible(os.environ):
        return None
    try:
        import keyring  # optional: imported only when a key is read or written
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - not installed, or its platform backend fails to import
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - backends raise anything (D-Bus, locked, ...)
        return None
    module = type(backend).__module__.rsplit(".", 1)[-1].lower()
    if isinstance(backend, fail.Keyring) or module in _UNUSABLE_BACKENDS:
        if module == "chainer" and getattr(backend, "backends", None):
            return keyring
        return None
    with contextlib.suppress(Exception):
        if float(getattr(backend, "priority", 1)) <= 0:
            return None
    return keyring


class KeyStore:
    """get() / set(key) / clear() for the API key; `uses_keyring` says where it lives."""

    def __init__(self, paths: AppPaths, *, use_keyring: bool = True) -> None:
        self._file = paths.config_dir / KEY_FILE
        self._keyring = _usable_keyring() if use_keyring else None

    @property
    def uses_keyring(self) -> bool:
        """True when the OS keyring holds the key; False means the 0600 file (show a note)."""
        return self._keyring is not None

    @property
    def file_path(self) -> os.PathLike[str]:
        """Where the key is kept when there is no keyring."""
        return self._file

    def get(self) -> str | None:
        """The stored key, or None."""
        if self._keyring is not None:
            try:
                value = self._keyring.get_password(SERVICE, ACCOUNT)
                if value:
                    return value
            except Exception as exc:  # noqa: BLE001 - backends raise anything
                log.warning("keyring read failed (%s); trying the key file", type(exc).__name__)
        try:
            value = read_limited(self._file, MAX_KEY_FILE_BYTES).decode("utf-8").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        except UnreadableFileError as exc:
            log.warning("key file ignored: %s", exc.reason)
            return None
        except OSError as exc:
            log.warning("key file unreadable (%s)", exc.strerror)
            return None
        return value or None

    def set(self, key: str) -> None:
        """Store `key` (whitespace trimmed); an empty key clears."""
        key = key.strip()
        if not key:
            self.clear()
            return
        if "\n" in key or "\r" in key or len(key) > 1000:
            raise StoreError("That does not look like an API key (newline or too long).")
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, ACCOUNT, key)
                self._remove_file()  # never keep a second copy around
                return
            except Exception as exc:  # noqa: BLE001 - backends raise anything
                log.warning("keyring write failed (%s); using the key file", type(exc).__name__)
                self._keyring = None
        remove_temp_files(self._file.parent, self._file.name)  # older keys a crash left
        atomic_write_bytes(self._file, key.encode("utf-8"), mode=stat.S_IRUSR | stat.S_IWUSR)
        with contextlib.suppress(OSError):
            os.chmod(self._file, 0o600)

    def clear(self) -> None:
        """Forget the key everywhere it may be stored (temp copies left by a crash included)."""
        if self._keyring is not None:
            with contextlib.suppress(Exception):
                self._keyring.delete_password(SERVICE, ACCOUNT)
        self._remove_file()

    def _remove_file(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._file.unlink()
        # A crash between writing and renaming leaves `.api_key.XXXX.tmp`: a copy of a key.
        remove_temp_files(self._file.parent, self._file.name)
