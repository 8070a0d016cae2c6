"""`mektep sync daemon`: sync every N minutes with jitter, back off on failure, stop on SIGTERM."""

from __future__ import annotations

import logging
import random
import signal
from collections.abc import Callable

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger("mektep.sync.agent")

MAX_BACKOFF = 3600  # seconds: a hub down for a day is asked once an hour, not hammered


def backoff_seconds(failures: int, interval_seconds: float) -> float:
    """Delay before the next try: the interval when all is well, else 1, 2, 4... minutes up to an hour."""
    if failures <= 0:
        return interval_seconds
    return float(min(MAX_BACKOFF, 60 * 2 ** min(failures - 1, 12)))


class Agent:
    """Runs ``sync_once`` on an interval; reschedules itself with backoff after failures."""

    JOB = "sync"

    def __init__(
        self,
        sync_once: Callable[[], object],
        interval_minutes: int,
        first_delay: float | None = None,
    ):
        self.sync_once = sync_once
        self.first_delay = first_delay
        self.interval = max(1, interval_minutes) * 60
        self.failures = 0
        self.scheduler = BlockingScheduler(
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": self.interval}
        )
        self.scheduler.add_listener(
            self._on_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_EXECUTED
        )

    def _run(self) -> None:
        self.sync_once()

    def _schedule(self, seconds: float, first: bool = False) -> None:
        # Jitter spreads 2,400 schools over the interval instead of one second.
        jitter = int(self.interval / 3)
        if first:
            self.scheduler.add_job(
                self._run,
                "interval",
                seconds=self.interval,
                jitter=jitter,
                id=self.JOB,
                replace_existing=True,
                max_instances=1,
                coalesce=True,
                next_run_time=_soon(
                    self.first_delay
                    if self.first_delay is not None
                    else random.uniform(0, min(60, jitter))
                ),
            )
        else:
            self.scheduler.reschedule_job(
                self.JOB, trigger="interval", seconds=seconds, jitter=jitter
            )

    def _on_event(self, event) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "a sync was missed (the previous one was still running or the machine slept)"
            )
            return
        if event.code == EVENT_JOB_ERROR:
            self.failures += 1
            delay = backoff_seconds(self.failures, self.interval)
            log.error(
                "sync failed (%s in a row): %s; next try in %.0f s",
                self.failures,
                event.exception,
                delay,
            )
            self._schedule(delay)
        elif self.failures:
            self.failures = 0
            self._schedule(self.interval)

    def run(self) -> None:
        """Block until SIGTERM or SIGINT; the running sync (if any) finishes its batch."""

        def stop(signum, frame):
            log.info("stopping the sync agent")
            self.scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.start()

    def start(self) -> None:
        self._schedule(self.interval, first=True)
        self.scheduler.start()


def _soon(seconds: float):
    import datetime as dt

    return dt.datetime.now().astimezone() + dt.timedelta(seconds=seconds)
