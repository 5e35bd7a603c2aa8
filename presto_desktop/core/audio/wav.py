"""WAV files: read PCM16 (checked: regular file, size cap, PCM only) and write them atomically."""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

from presto_desktop.core.atomic import atomic_write_bytes, shareable_mode
from presto_desktop.core.audio.pcm import SAMPLE_WIDTH, AudioFormat, downmix
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.safe_read import read_limited

# 10 minutes of 48 kHz stereo PCM16 and a little more: anything larger is refused unread.
MAX_WAV_BYTES = 10 * 60 * 48_000 * 2 * 2 + 1_000_000
_FORMATS = {1: "PCM", 3: "floating point", 6: "A-law", 7: "mu-law", 0x11: "IMA ADPCM",
            0x55: "MP3", 0xFFFE: "extensible"}


class AudioFileError(PrestoError):
    """A WAV file that cannot be used; the message is one line naming the file."""


def _format_tag(data: bytes) -> int | None:
    """The fmt chunk's format tag, or None when the RIFF structure has no fmt chunk."""
    position = 12
    while position + 8 <= len(data):
        chunk_id, size = struct.unpack_from("<4sI", data, position)
        if chunk_id == b"fmt " and size >= 2:
            tag: int = struct.unpack_from("<H", data, position + 8)[0]
            if tag == 0xFFFE and size >= 26:  # extensible: the real tag is in the sub-format
                tag = struct.unpack_from("<H", data, position + 32)[0]
            return tag
        position += 8 + size + size % 2
    return None


def parse_wav(data: bytes, name: str = "audio") -> tuple[bytes, AudioFormat]:
    """Mono PCM16 and its format from WAV `data` (stereo is mixed down); AudioFileError if not."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioFileError(f"{name}: not a WAV file (no RIFF/WAVE header)")
    tag = _format_tag(data)
    if tag is None:
        raise AudioFileError(f"{name}: corrupt WAV file (no format chunk)")
    if tag != 1:
        kind = _FORMATS.get(tag, f"format {tag}")
        raise AudioFileError(f"{name}: {kind} audio is not supported; use 16-bit PCM WAV")
    try:
        with wave.open(io.BytesIO(data)) as reader:
            width, channels = reader.getsampwidth(), reader.getnchannels()
            rate, frames = reader.getframerate(), reader.getnframes()
            pcm = reader.readframes(frames)
    except (wave.Error, EOFError, struct.error, ValueError) as exc:
        raise AudioFileError(f"{name}: corrupt WAV file ({exc})") from None
    if width != SAMPLE_WIDTH:
        raise AudioFileError(f"{name}: {width * 8}-bit samples are not supported; "
                             "use 16-bit PCM WAV")
    if not 1 <= channels <= 8 or not 4_000 <= rate <= 192_000:
        raise AudioFileError(f"{name}: unusable WAV ({channels} channels at {rate} Hz)")
    if not pcm:
        raise AudioFileError(f"{name}: the WAV file holds no audio")
    return downmix(pcm, channels), AudioFormat(rate)


def read_wav(path: Path | str, limit: int = MAX_WAV_BYTES) -> tuple[bytes, AudioFormat]:
    """Read mono PCM16 from WAV file `path` (regular file, at most `limit` bytes)."""
    path = Path(path)
    try:
        data = read_limited(path, limit)
    except FileNotFoundError:
        raise AudioFileError(f"{path.name}: no such file") from None
    except PrestoError as exc:
        raise AudioFileError(str(exc)) from None
    except OSError as exc:
        raise AudioFileError(f"{path.name}: {exc.strerror or exc}") from None
    return parse_wav(data, path.name)


def wav_bytes(pcm: bytes, fmt: AudioFormat) -> bytes:
    """A complete mono PCM16 WAV file holding `pcm`."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(fmt.sample_rate)
        writer.writeframes(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH])
    return buffer.getvalue()


def write_wav(path: Path | str, pcm: bytes, fmt: AudioFormat) -> Path:
    """Write `pcm` as a WAV file atomically (no partial file on a crash); returns the path."""
    path = Path(path)
    atomic_write_bytes(path, wav_bytes(pcm, fmt), mode=shareable_mode(), make_parents=False)
    return path
