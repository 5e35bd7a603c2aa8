"""`presto-desktop voice`: one spoken question from a WAV file, headless, against the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.audio.pcm import TRANSCRIPTION_FORMAT
from presto_desktop.core.audio.wav import read_wav, write_wav
from presto_desktop.engines.voice_factory import OFFLINE_NO_TRANSCRIPTION
from tests.core.test_audio import tone
from tests.engines.fake_openai_server import (
    MODEL,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
    tool_chunks,
)

CHART = json.dumps({"type": "pie", "title": "Spend", "unit": "$",
                    "points": [{"label": "Roses", "value": 3}]})


def question(tmp_path: Path) -> Path:
    fmt = TRANSCRIPTION_FORMAT
    return write_wav(tmp_path / "q.wav", fmt.silence(0.3) + tone(1.0) + fmt.silence(1.0), fmt)


def voice_settings(data_dir: Path, **voice: str) -> None:
    (data_dir / "config").mkdir(parents=True, exist_ok=True)
    settings = {"voice": {"transcription_model": MODEL, "speech_model": MODEL, **voice}}
    (data_dir / "config" / "settings.json").write_text(json.dumps(settings))


def test_voice_prints_turns_and_writes_the_reply(capsys: pytest.CaptureFixture[str],
                                                  data_dir: Path, tmp_path: Path) -> None:
    voice_settings(data_dir)
    script = Script(stream_events=[*text_chunks("You spent $240 this year.", 2),
                                   *tool_chunks(0, "show_chart", CHART, 1), chunk({}, "stop")])
    with FakeOpenAI(script) as server:
        code = main(["--data-dir", str(data_dir), "voice", "--base-url", server.base_url,
                     "--model", MODEL, "--input", str(question(tmp_path)),
                     "--output", str(tmp_path / "r.wav")])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "you: How much did I spend on flowers?"
    assert lines[1].startswith("tool: ") and json.loads(lines[1][6:])["name"] == "show_chart"
    assert lines[2] == "assistant: You spent $240 this year."
    assert "Voice: Pipeline" in err
    assert read_wav(tmp_path / "r.wav")[0] == Script().speech_pcm


def test_offline_voice_refuses_without_a_transcription_endpoint(
        capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    code = main(["--data-dir", str(data_dir), "--offline", "voice", "--input",
                 str(question(tmp_path))])
    _, err = capsys.readouterr()
    assert code == 1 and err.strip() == f"presto-desktop: {OFFLINE_NO_TRANSCRIPTION}"


def test_offline_voice_with_transcription_writes_no_wav(
        capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    with FakeOpenAI(Script(transcript="What are your hours?")) as server:
        voice_settings(data_dir, transcription_base_url=server.base_url)
        code = main(["--data-dir", str(data_dir), "--offline", "voice", "--input",
                     str(question(tmp_path)), "--output", str(tmp_path / "r.wav")])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "you: What are your hours?"
    assert any(line.startswith("assistant: ") for line in lines[1:])
    assert "no WAV" in err and not (tmp_path / "r.wav").exists()


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"ID3 mp3 data"])
def test_bad_input_files_are_one_line(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                      tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.wav").write_bytes(content)
    code = main(["--data-dir", str(data_dir), "--offline", "voice", "--input",
                 str(tmp_path / "bad.wav")])
    _, err = capsys.readouterr()
    assert code == 1 and len(err.strip().splitlines()) == 1 and "bad.wav" in err


def test_silence_only_input(capsys: pytest.CaptureFixture[str], data_dir: Path,
                            tmp_path: Path) -> None:
    voice_settings(data_dir)
    path = write_wav(tmp_path / "s.wav", TRANSCRIPTION_FORMAT.silence(2.0), TRANSCRIPTION_FORMAT)
    with FakeOpenAI() as server:
        code = main(["--data-dir", str(data_dir), "voice", "--base-url", server.base_url,
                     "--model", MODEL, "--input", str(path)])
        assert not server.bodies("/v1/audio/transcriptions")
    _, err = capsys.readouterr()
    assert code == 1 and "Heard only silence" in err
