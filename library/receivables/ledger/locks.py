"""One run of a robot at a time, across processes and hosts: a row in the ledger's robot_locks.

Taking the lock is an insert on the robot's primary key: of two schedulers exactly one inserts.
The holder beats (updates heartbeat_at) while its robot runs; a lock whose heartbeat is older than
`stale_after` belongs to a crashed holder and is taken over by a conditional update, which the
database lets only one taker win (SQLite serialises writers; PostgreSQL re-checks the condition
on the row it locked). Release deletes the row only if it is still ours.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from receivables.ledger.db import Ledger
from receivables.ledger.models import RobotLock
from receivables.ledger.repository import insert_ignoring_duplicates
from receivables.ledger.types import utcnow

log = logging.getLogger(__name__)


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class RobotLocks:
    def __init__(self, ledger: Ledger, holder: str | None = None, stale_after: float = 300,
                 now: Callable[[], datetime] = utcnow) -> None:
        self.ledger, self.holder, self.stale_after, self.now = ledger, holder or holder_id(), stale_after, now

    def acquire(self, robot: str) -> bool:
        now = self.now()
        with self.ledger.session() as s:
            row = {"robot": robot, "holder": self.holder, "acquired_at": now, "heartbeat_at": now}
            if insert_ignoring_duplicates(s, RobotLock.__table__, [row]):
                return True
        with self.ledger.session() as s:
            previous = s.scalar(select(RobotLock.holder).where(RobotLock.robot == robot))
            taken = s.execute(
                update(RobotLock).where(RobotLock.robot == robot,
                                        RobotLock.heartbeat_at < now - timedelta(seconds=self.stale_after))
                .values(holder=self.holder, acquired_at=now, heartbeat_at=now)
                .execution_options(synchronize_session=False)).rowcount
        if taken:
            log.warning("%s: took over the lock of %s, silent for over %gs", robot, previous, self.stale_after)
        return bool(taken)

    def heartbeat(self, robot: str) -> bool:
        """False if the lock is no longer ours (we were silent too long and someone took it over)."""
        with self.ledger.session() as s:
            return bool(s.execute(
                update(RobotLock).where(RobotLock.robot == robot, RobotLock.holder == self.holder)
                .values(heartbeat_at=self.now()).execution_options(synchronize_session=False)).rowcount)

    def release(self, robot: str) -> None:
        with self.ledger.session() as s:
            s.execute(delete(RobotLock).where(RobotLock.robot == robot, RobotLock.holder == self.holder))

    def holders(self) -> dict[str, str]:
        with self.ledger.session() as s:
            return dict(s.execute(select(RobotLock.robot, RobotLock.holder)).all())

    @contextmanager
    def held(self, robot: str, heartbeat_seconds: float) -> Iterator[bool]:
        """Yields whether the lock was had; while it is, a thread beats; it is released at the end."""
        if not self.acquire(robot):
            yield False
            return
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(robot, heartbeat_seconds, stop),
                                name=f"lock-{robot}", daemon=True)
        beat.start()
        try:
            yield True
        finally:
            stop.set()
            beat.join()
            self.release(robot)

    def _beat(self, robot: str, every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            try:
                if not self.heartbeat(robot):
                    log.error("%s: lost the lock to another holder while running", robot)
                    return
            except SQLAlchemyError as exc:  # a busy database: the next beat tries again
                log.warning("%s: heartbeat failed (%s)", robot, type(exc).__name__)
