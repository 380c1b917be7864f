"""Running the queue consumer: inside `ckhub serve` (embedded) or as `ckhub worker`."""

from __future__ import annotations

from huey.consumer import Consumer

from ckhub.runtime import Runtime


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that leaves signal handling to the web server it runs beside."""

    def _set_signal_handlers(self) -> None:
        # uvicorn owns SIGINT/SIGTERM; `ckhub serve` stops this consumer after uvicorn returns.
        pass


def start_embedded_consumer(runtime: Runtime) -> EmbeddedConsumer:
    consumer = EmbeddedConsumer(
        runtime.queue.huey,
        workers=runtime.settings.worker_threads,
        worker_type="thread",
        periodic=True,
    )
    consumer.start()
    return consumer


def run_worker(runtime: Runtime, threads: int, periodic: bool) -> None:
    """Block running a consumer until SIGINT/SIGTERM (the `ckhub worker` process)."""
    consumer = runtime.queue.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=periodic
    )
    consumer.run()
