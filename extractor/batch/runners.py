"""Engines: hand a batch of documents to workers, wait for any to finish, collect the outcomes.

"processes" is a `ProcessPoolExecutor` in a forkserver/spawn context (pipeline loaded by the
initializer), "dask" a `distributed` cluster (the given scheduler or a `LocalCluster`; each
worker process keeps the pipeline in a cached global), "inline" this process (no workers; for
debugging and tests).
"""

from __future__ import annotations

import concurrent.futures as cf
import ipaddress
import multiprocessing
import os
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from extractor.batch.config import BatchConfig, BatchError
from extractor.batch.inputs import Item, item_id
from extractor.batch.worker import error_outcome, init_process_worker, process_batch, warm_worker, worker_extractor


class Runner:
    def submit(self, items: list[Item]) -> Any:
        raise NotImplementedError

    def wait_any(self, futures: Iterable[Any]) -> Iterable[Any]:
        """Some finished futures (at least one)."""
        raise NotImplementedError

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        """The results, or None when the batch must be resubmitted (its worker died)."""
        return future.result()

    def close(self, *, cancel: bool = False) -> None:
        pass


class _DoneFuture:
    def __init__(self, value: list[dict[str, Any]]) -> None:
        self.value = value

    def result(self) -> list[dict[str, Any]]:
        return self.value


class InlineRunner(Runner):
    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        worker_extractor(config.model)

    def submit(self, items: list[Item]) -> _DoneFuture:
        return _DoneFuture(process_batch(items, self.config.model, self.config.timeout))

    def wait_any(self, futures: Iterable[Any]) -> list[Any]:
        return list(futures)  # all done, in the order submitted: inline runs keep the input order


class ProcessRunner(Runner):
    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        methods = multiprocessing.get_all_start_methods()
        # fork would copy the caller's threads and locks; forkserver starts clean and fast.
        self.context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.pool = self._new_pool()
        self.crashes: dict[tuple[str, ...], int] = {}

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.config.n_workers(),
            mp_context=self.context,
            initializer=init_process_worker,
            initargs=(self.config.model, os.getpid()),
        )

    def submit(self, items: list[Item]) -> cf.Future:
        return self.pool.submit(process_batch, items, self.config.model, self.config.timeout)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        done, _ = cf.wait(list(futures), return_when=cf.FIRST_COMPLETED)
        return done

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        try:
            return future.result()
        except cf.process.BrokenProcessPool:
            # A worker died (segfault, out of memory). Every batch in flight is lost with it;
            # each is retried alone, and a document that kills a worker twice is an error.
            key = tuple(item_id(item) for item in items)
            self.crashes[key] = self.crashes.get(key, 0) + 1
            if self.pool is not None and getattr(self.pool, "_broken", False):
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
            if self.crashes[key] >= 2:
                return [
                    error_outcome(item_id(item), getattr(item, "source", None), "extract", "the worker process died on this document")
                    for item in items
                ]
            return None

    def close(self, *, cancel: bool = False) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)


class DaskRunner(Runner):
    def __init__(self, config: BatchConfig) -> None:
        import logging

        from distributed import Client, LocalCluster

        self.config = config
        self.cluster = None
        if config.scheduler:
            check_loopback(config.scheduler)
            self.client = Client(config.scheduler, timeout="20s")
        else:
            self.cluster = LocalCluster(
                n_workers=config.n_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        # Load the pipeline on every worker now, in parallel, instead of inside the first tasks.
        self.client.run(warm_worker, config.model)

    def submit(self, items: list[Item]) -> Any:
        return self.client.submit(process_batch, items, self.config.model, self.config.timeout, pure=False)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        from distributed import wait

        done, _ = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done)

    def outcomes(self, future: Any, items: list[Item]) -> list[dict[str, Any]] | None:
        from distributed.scheduler import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            return [error_outcome(item_id(item), getattr(item, "source", None), "extract", f"Dask worker died: {exc}") for item in items]

    def close(self, *, cancel: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_loopback(address: str) -> None:
    """Refuse scheduler addresses that are not on this machine (tcp://127.0.0.1:8786 is fine)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    host = parts.hostname
    if parts.scheme not in ("tcp", "tls", "ws", "wss") or not host:
        raise BatchError(f"scheduler {address!r} is not an address like tcp://127.0.0.1:8786")
    try:
        infos = socket.getaddrinfo(host, parts.port or 8786, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise BatchError(f"scheduler host {host!r} cannot be resolved: {exc}") from exc
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise BatchError(f"scheduler {address!r} is not a loopback address; only 127.0.0.1, ::1 or localhost are allowed")


def make_runner(config: BatchConfig) -> Runner:
    if config.engine == "inline":
        return InlineRunner(config)
    if config.engine == "dask":
        return DaskRunner(config)
    if config.engine == "processes":
        return ProcessRunner(config)
    raise BatchError(f"unknown engine {config.engine!r}; use processes, dask or inline")
