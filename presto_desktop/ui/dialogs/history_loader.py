"""Reads the History dialog's rows off the GUI thread: only the newest request's rows arrive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from presto_desktop.core.errors import PrestoError
from presto_desktop.session.history import HistoryRow

Job = Callable[[], list[HistoryRow]]
# deliver(rows, error): error is "" or why the conversations could not be read.
Deliver = Callable[[list[HistoryRow], str], None]


def run_job(job: Job) -> tuple[list[HistoryRow], str]:
    """Run `job` here; its rows, or [] and why it failed."""
    try:
        return job(), ""
    except (PrestoError, OSError) as exc:
        return [], str(exc)


class LatestRows:
    """Runs row jobs on a worker thread (asyncio.to_thread); a newer job makes older ones moot.

    Parsing every conversation file may take far longer than a frame, so it never runs on the
    qasync loop; without a running loop (a synchronous caller) a job runs at once.
    """

    def __init__(self) -> None:
        self._generation = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> bool:
        """Whether a job is still being read."""
        return self._task is not None and not self._task.done()

    def request(self, job: Job, deliver: Deliver) -> bool:
        """Read `job`'s rows and hand them to `deliver`; True when that happens later."""
        self.cancel()
        generation = self._generation
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            deliver(*run_job(job))
            return False
        self._task = loop.create_task(self._read(generation, job, deliver))
        return True

    async def _read(self, generation: int, job: Job, deliver: Deliver) -> None:
        rows, error = await asyncio.to_thread(run_job, job)
        if generation == self._generation:  # a newer request (or cancel) came since: moot
            deliver(rows, error)

    def cancel(self) -> None:
        """Forget the job being read (its thread finishes; its rows are dropped)."""
        self._generation += 1
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()


__all__ = ["Deliver", "Job", "LatestRows", "run_job"]
