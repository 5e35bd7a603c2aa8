"""Bundle checks for features with lazily imported parts: voice (headless), brand logos and
the offline worker process."""

from __future__ import annotations

import math
import struct
import wave
import zlib
from pathlib import Path
from typing import Any


def write_tone_wav(path: Path, seconds: float = 1.0, rate: int = 16_000) -> Path:
    """A PCM16 mono sine tone."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 10)))
                                 for i in range(int(seconds * rate))))
    return path


def write_png(path: Path, rgb: tuple[int, int, int], size: int = 32) -> Path:
    """A solid-colour RGB PNG, written with the standard library only."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def feature_steps(smoke: Any, data_args: list[str], work: Path) -> None:
    """`voice` refuses plainly offline without an endpoint; `modes brand` decodes a PNG logo;
    the window's offline worker (the bundle started with --offline-worker) builds a mode."""
    question = write_tone_wav(work / "question.wav")
    smoke.run("bundle: voice --offline --input (no transcription endpoint: one line, exit 1)",
              [*data_args, "--offline", "voice", "--input", str(question)], expect=1,
              check=lambda r: None if "transcription endpoint" in r.stderr
              and len(r.stderr.strip().splitlines()) == 1 else f"got {r.stderr.strip()!r}")
    logo = write_png(work / "logo.png", (20, 120, 60))
    smoke.run("bundle: modes brand default --logo logo.png (Pillow in the bundle)",
              [*data_args, "modes", "brand", "default", "--logo", str(logo)],
              check=lambda r: None if "primary #107838" in r.stdout else f"got {r.stdout!r}")
    request = ('{"id": 1, "op": "build", "request": {"kind": "switch", "industry": "florist", '
               '"company": null, "raw": ""}}\n')
    smoke.run("bundle: --offline-worker builds a mode (the window's worker process)",
              ["--offline-worker"], stdin=request,
              check=lambda r: None if r.stdout.startswith("S 0\nM 1 {")
              and '"industry":"Florist"' in r.stdout else f"got {r.stdout[:300]!r}")
