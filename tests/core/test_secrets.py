"""KeyStore: the OS keyring when usable, else a 0600 file; environment keys never written."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from presto_desktop.core import secrets
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.secrets import KeyStore


class FakeKeyring:
    """Stands in for the keyring module."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.store.get((service, account))

    def set_password(self, service: str, account: str, value: str) -> None:
        self.store[(service, account)] = value

    def delete_password(self, service: str, account: str) -> None:
        self.store.pop((service, account), None)


def _paths(tmp_path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "data")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_file_fallback_is_0600_and_round_trips(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(secrets, "_usable_keyring", lambda: None)
    store = KeyStore(_paths(tmp_path))
    assert not store.uses_keyring and store.get() is None
    store.set("  sk-file-0123456789  ")
    assert store.get() == "sk-file-0123456789"
    mode = stat.S_IMODE(os.stat(store.file_path).st_mode)
    assert mode == 0o600
    store.clear()
    assert store.get() is None and not os.path.exists(store.file_path)


def test_keyring_is_used_when_available_and_no_file_is_written(tmp_path, monkeypatch) -> None:
    fake = FakeKeyring()
    monkeypatch.setattr(secrets, "_usable_keyring", lambda: fake)
    paths = _paths(tmp_path)
    store = KeyStore(paths)
    store.set("sk-ring-0123456789")
    assert store.uses_keyring and store.get() == "sk-ring-0123456789"
    assert not os.path.exists(store.file_path)
    store.clear()
    assert store.get() is None and fake.store == {}


def test_broken_keyring_falls_back_to_the_file(tmp_path, monkeypatch) -> None:
    class Broken(FakeKeyring):
        def set_password(self, *args: str) -> None:
            raise RuntimeError("locked")

    monkeypatch.setattr(secrets, "_usable_keyring", lambda: Broken())
    store = KeyStore(_paths(tmp_path))
    store.set("sk-fallback-0123")
    assert not store.uses_keyring and store.get() == "sk-fallback-0123"


def test_fail_backend_counts_as_unavailable(monkeypatch) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backends import fail

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")  # keyring is asked

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert secrets._usable_keyring() is None
    finally:
        keyring.set_keyring(previous)


def test_rejects_multiline_keys(tmp_path, monkeypatch) -> None:
    from presto_desktop.core.errors import StoreError

    monkeypatch.setattr(secrets, "_usable_keyring", lambda: None)
    with pytest.raises(StoreError):
        KeyStore(_paths(tmp_path)).set("sk-a\nsk-b")


def test_environment_key_is_never_written(tmp_path, monkeypatch) -> None:
    from presto_desktop.core.settings import Settings, SettingsStore
    from presto_desktop.engines.factory import make_engine

    monkeypatch.setattr(secrets, "_usable_keyring", lambda: None)
    paths = _paths(tmp_path)
    store = KeyStore(paths)
    env = {"OPENAI_API_KEY": "sk-env-NEVERWRITTEN-1234"}
    engine = make_engine(Settings(), env=env, keys=store)
    SettingsStore(paths).save(Settings())
    assert engine.kind == "openai" and engine.config.api_key == env["OPENAI_API_KEY"]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(b"NEVERWRITTEN" not in p.read_bytes() for p in written)
    assert store.get() is None


def test_linux_without_a_session_bus_has_no_keyring_service(tmp_path) -> None:
    home = {"HOME": str(tmp_path)}
    assert not secrets.keyring_service_possible(home, "linux")
    assert secrets.keyring_service_possible({**home, "DBUS_SESSION_BUS_ADDRESS": "unix:x"},
                                            "linux")
    assert secrets.keyring_service_possible({**home, "PYTHON_KEYRING_BACKEND": "x.y"}, "linux")
    assert secrets.keyring_service_possible(home, "darwin")
    assert secrets.keyring_service_possible(home, "win32")
    runtime = tmp_path / "run"
    runtime.mkdir()
    assert not secrets.keyring_service_possible({**home, "XDG_RUNTIME_DIR": str(runtime)},
                                                "linux")
    (runtime / "bus").touch()  # a session bus whose address is not in the environment
    assert secrets.keyring_service_possible({**home, "XDG_RUNTIME_DIR": str(runtime)}, "linux")
    config = tmp_path / ".config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=x.Keyring\n")
    assert secrets.keyring_service_possible(home, "linux")


def test_no_keyring_service_means_keyring_is_not_even_imported(monkeypatch) -> None:
    class Refusing:
        def __getattr__(self, name: str) -> object:
            raise AssertionError("keyring was asked")

    monkeypatch.setattr(secrets, "keyring_service_possible", lambda env: False)
    monkeypatch.setitem(sys.modules, "keyring", Refusing())
    assert secrets._usable_keyring() is None
