"""A closed microphone reads b"", even when a chunk arrived after the last read."""

from __future__ import annotations

from presto_desktop.ui.voice.audio import QtMicrophone


def test_a_chunk_left_at_close_is_not_read_after_it(qapp, qloop) -> None:
    microphone = QtMicrophone()
    microphone._open = True  # as after open(); no device is needed for what close does
    microphone._queue.put_nowait(b"\x01\x00\x02\x00")  # readyRead in the close's loop turn

    async def close_then_read() -> tuple[bytes, bytes]:
        await microphone.close()
        return await microphone.read(), await microphone.read()

    assert qloop.run_until_complete(close_then_read()) == (b"", b"")
    assert not microphone.is_open


def test_a_pending_read_wakes_with_the_end_at_close(qapp, qloop) -> None:
    import asyncio

    microphone = QtMicrophone()
    microphone._open = True

    async def read_while_closing() -> bytes:
        reading = asyncio.ensure_future(microphone.read())
        await asyncio.sleep(0)
        await microphone.close()
        return await asyncio.wait_for(reading, 5)

    assert qloop.run_until_complete(read_while_closing()) == b""
