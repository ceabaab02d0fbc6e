"""Work started at the same moment in several threads, each on its own database connection (the
tests of row locks between concurrent transactions, PostgreSQL)."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(count: int, work: Callable[[int], object]) -> list[Exception]:
    """Run `work(0)` … `work(count - 1)` in `count` threads released together; the errors they
    raised (none, when all went well)."""
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def run(n):
        try:
            barrier.wait(timeout=10)
            work(n)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
