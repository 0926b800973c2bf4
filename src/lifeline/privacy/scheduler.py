"""The daily clock of `lifeline serve`: one thread in the serving process queues the daily
tasks (retention) shortly after start and then every day.

A deployment with several servers turns it off on all but one (LIFELINE_SCHEDULER=off) or
runs `lifeline retention apply` from cron instead.
"""

import logging
import threading

from django.db import close_old_connections

logger = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600


def _run_daily(stop: threading.Event, first_delay: float, interval: float) -> None:
    from lifeline.privacy.tasks import enqueue_daily_retention

    delay = first_delay
    while not stop.wait(delay):
        delay = interval
        try:
            queued = enqueue_daily_retention()
            logger.info("daily retention queued for %s organisations", queued)
        except Exception:
            # The clock must outlive one failed day; the next day tries again.
            logger.exception("daily retention failed")
        finally:
            close_old_connections()


def start(
    *, first_delay: float = 60.0, interval: float = DAY_SECONDS
) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=_run_daily, args=(stop, first_delay, interval), name="lifeline-daily", daemon=True
    )
    thread.start()
    return thread, stop
