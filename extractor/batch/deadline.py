"""A per-document deadline that works in the main thread (SIGALRM) and in worker threads (Dask)."""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class DocumentTimeout(BaseException):
    """Raised inside a worker when one document takes longer than `timeout` seconds.

    A BaseException, like KeyboardInterrupt: the `except Exception` that keeps one failing
    component from ending a stream must not swallow the deadline (it did, and the next components
    ran on without one)."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise `DocumentTimeout` in the current thread when the block runs longer than `seconds`.

    The main thread uses SIGALRM (process workers, inline); other threads (Dask workers run
    tasks in a thread pool) get the exception injected with PyThreadState_SetAsyncExc. Both
    interrupt Python code only: a C call that never returns is not interrupted.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        active = [True]

        def on_alarm(signum: int, frame: Any) -> None:
            if active[0]:
                raise DocumentTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            active[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(DocumentTimeout))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:
            # Not delivered yet (the block ended first): take it back.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
