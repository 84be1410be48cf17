"""One executor interface for ensembles: inline, local processes (default) or a Dask distributed cluster.

``run_tasks(fn, tasks, workers=K, scheduler=ADDRESS, progress=cb)`` calls the picklable ``fn(task)`` for every
task and yields ``(index, result)`` as results arrive (in any order). Determinism is the caller's job: each task
carries its own seeds (``numpy.random.SeedSequence`` children), so results do not depend on where or in which
order tasks run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from equilibrium.errors import InvalidInput, MissingDependency

T = TypeVar("T")
R = TypeVar("R")


def run_tasks(fn: Callable[[T], R], tasks: Sequence[T], *, workers: int = 1, scheduler: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, R]]:
    """Run ``fn`` over ``tasks``; yield ``(task index, result)`` as each finishes.

    ``workers``: local processes (1 = in this process). ``scheduler``: address of a Dask distributed scheduler
    (``tcp://host:8786``) or ``"local"`` for an in-process Dask cluster with ``workers`` workers.
    """
    if workers < 1:
        raise InvalidInput(f"workers must be at least 1, not {workers}")
    total = len(tasks)
    done = 0
    if scheduler:
        yield from _dask(fn, tasks, workers, scheduler, progress)
        return
    if workers == 1 or total <= 1:
        for i, t in enumerate(tasks):
            r = fn(t)
            done += 1
            if progress:
                progress(done, total)
            yield i, r
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futs = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
        for f in as_completed(futs):
            done += 1
            if progress:
                progress(done, total)
            yield futs[f], f.result()


def _dask(fn: Callable[[T], R], tasks: Sequence[T], workers: int, scheduler: str,
          progress: Callable[[int, int], None] | None) -> Iterator[tuple[int, R]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependency("Dask distributed is needed for --scheduler (pip install 'dask[distributed]')") from exc
    cluster: Any = None
    try:
        if scheduler == "local":
            import logging

            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=False,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise InvalidInput(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
    try:
        futs = client.map(fn, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futs)}
        done = 0
        for f in as_completed(futs):
            done += 1
            if progress:
                progress(done, len(futs))
            yield index[f.key], f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
