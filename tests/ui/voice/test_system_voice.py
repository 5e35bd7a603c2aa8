"""The system voice (QtTextToSpeech's mock engine): Settings' voice where it exists, and speed."""

from __future__ import annotations

import pytest

from presto_desktop.core.settings import VoiceSettings
from presto_desktop.ui.voice.devices import QtDevices
from presto_desktop.ui.voice.speaker import QtSystemVoice, speed_to_rate


@pytest.fixture
def mock_engine(qapp) -> str:
    from PySide6.QtTextToSpeech import QTextToSpeech

    if "mock" not in QTextToSpeech.availableEngines():
        pytest.skip("QtTextToSpeech's mock engine is not installed with this PySide6")
    return "mock"


def test_the_chosen_voice_is_used_where_the_system_has_it(mock_engine) -> None:
    # The mock engine's voices: Bob and Anne (en_GB, Bob the default), Mary (en_US), ...
    assert QtSystemVoice(mock_engine, voice="anne").voice_name == "Anne"
    assert QtSystemVoice(mock_engine, voice=" Mary ").voice_name == "Mary"  # another language


def test_an_unknown_voice_falls_back_to_the_default(mock_engine) -> None:
    default = QtSystemVoice(mock_engine).voice_name
    speaker = QtSystemVoice(mock_engine, voice="marin")  # a server voice, not a system one
    assert speaker.voice_name == default and speaker.problem is None


def test_the_speaking_speed_is_honoured_with_the_voice(mock_engine) -> None:
    assert QtSystemVoice(mock_engine, 2.0, voice="Anne").rate == pytest.approx(0.5)
    assert QtSystemVoice(mock_engine, 0.5).rate == pytest.approx(-0.5)
    assert speed_to_rate(1.0) == 0.0 and speed_to_rate(16.0) == 1.0


def test_the_window_devices_pass_settings_voice_and_speed(qapp, mock_engine) -> None:
    from PySide6.QtCore import QObject

    owner = QObject()
    speaker = QtDevices(owner, mock_engine).speaker(VoiceSettings(voice="Anne", speed=1.5))
    assert isinstance(speaker, QtSystemVoice)
    assert speaker.voice_name == "Anne" and speaker.rate == pytest.approx(speed_to_rate(1.5))
