"""Background jobs: recorded with status and progress, run by a real Huey consumer."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.models import AuthSession
from ckhub.auth.permissions import Role
from ckhub.jobs.consumer import start_embedded_consumer
from ckhub.jobs.models import Job, JobStatus
from ckhub.jobs.registry import JobContext, job_handler
from ckhub.jobs.schedule import PERIODIC_JOBS
from ckhub.runtime import Runtime, build_runtime
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from tests.factories import free_port, make_user, post_form, sign_in


@job_handler("tests.count_to")
def count_to(context: JobContext) -> dict[str, int]:
    """A job that reports progress as it goes, like an import does."""
    target = int(context.params["n"])
    for done in range(1, target + 1):
        context.progress(done, target, f"row {done}")
    return {"counted": target}


@job_handler("tests.explode")
def explode(context: JobContext) -> dict[str, int]:
    raise RuntimeError("password=hunter2 in a stack trace")


def _expired_session(db: Session, user_id: int) -> None:
    db.add(AuthSession(token_hash="x" * 64, user_id=user_id, expires_at=utcnow() - timedelta(1)))
    db.commit()


def test_admin_runs_the_purge_job_and_sees_its_result(
    client: TestClient, db: Session, runtime: Runtime
) -> None:
    admin = make_user(db, "root1", Role.ADMIN)
    _expired_session(db, admin.user.id)
    sign_in(client, "root1")
    response = post_form(client, "/admin/jobs/run", {"kind": "auth.purge_expired"})
    assert response.status_code == 303
    job = db.scalars(select(Job)).one()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["sessions_deleted"] == 1
    assert db.scalars(select(AuthSession)).all() != []  # the live session of root1 is kept
    page = client.get("/admin/jobs").text
    assert "auth.purge_expired" in page
    assert "sessions_deleted=1" in page


def test_the_jobs_page_says_when_each_periodic_job_runs_and_last_ran(
    client: TestClient, db: Session, runtime: Runtime
) -> None:
    make_user(db, "root2", Role.ADMIN)
    sign_in(client, "root2")
    post_form(client, "/admin/jobs/run", {"kind": "auth.purge_expired"})
    schedule = client.get("/admin/jobs").text.split('id="job-schedule"')[1]
    assert runtime.settings.default_timezone in schedule
    rows = {row.split("</code>")[0]: row for row in schedule.split("<td><code>")[1:]}
    assert set(rows) == {job.kind for job in PERIODIC_JOBS}
    purge = rows["auth.purge_expired"]
    assert "every hour at :07" in purge and "Succeeded" in purge
    digest = rows["insights.weekly_digest"]
    assert "Mondays at 07:30" in digest and "07:30</td>" in digest and "—" in digest  # never ran
    assert "*" in rows["notify.deliver"] and "every minute" in rows["notify.deliver"]
    client.cookies.set("ckhub_lang", "zh_Hans")
    assert "每周一 07:30" in client.get("/admin/jobs").text  # in the reader's language


def test_job_progress_and_failure_are_recorded_without_internals(
    db: Session, runtime: Runtime, client: TestClient
) -> None:
    ok_id = runtime.queue.enqueue("tests.count_to", {"n": 3})
    failed_id = runtime.queue.enqueue("tests.explode")
    db.expire_all()
    ok, failed = db.get(Job, ok_id), db.get(Job, failed_id)
    assert ok is not None and failed is not None
    assert (ok.status, ok.done, ok.total, ok.result) == ("succeeded", 3, 3, {"counted": 3})
    assert failed.status == "failed"
    assert "RuntimeError" in failed.error
    assert "hunter2" not in failed.error


def test_job_status_api_for_the_starter(client: TestClient, db: Session, runtime: Runtime) -> None:
    person = make_user(db, "li.na", Role.AGENT)
    job_id = runtime.queue.enqueue("tests.count_to", {"n": 2}, created_by=person.user.id)
    sign_in(client, "li.na")
    body = client.get(f"/api/v1/jobs/{job_id}").json()
    assert body["status"] == "succeeded"
    assert body["percent"] == 100
    other_job = runtime.queue.enqueue("tests.count_to", {"n": 1})
    assert client.get(f"/api/v1/jobs/{other_job}").status_code == 404


def _wait_for(runtime: Runtime, job_id: int, seconds: float = 20) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with runtime.session_factory() as session:
            job = session.get(Job, job_id)
            if job is not None and job.is_finished:
                return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s")


def _consumer_runtime(settings: Settings, **changes: object) -> Runtime:
    return build_runtime(settings.model_copy(update={"queue_immediate": False, **changes}))


def test_embedded_consumer_runs_queued_jobs(settings: Settings) -> None:
    runtime = _consumer_runtime(settings)
    consumer = start_embedded_consumer(runtime)
    try:
        job = _wait_for(runtime, runtime.queue.enqueue("tests.count_to", {"n": 5}))
    finally:
        consumer.stop(graceful=True)
        runtime.close()
    assert job.status == "succeeded"
    assert job.result == {"counted": 5}


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run `make system-deps`")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.mark.redis
def test_separate_worker_on_redis_runs_jobs(settings: Settings, redis_url: str) -> None:
    web = _consumer_runtime(settings, queue="redis", redis_url=redis_url)
    worker = _consumer_runtime(settings, queue="redis", redis_url=redis_url)
    consumer = start_embedded_consumer(worker)  # as `ckhub worker` does, minus the signals
    try:
        job = _wait_for(web, web.queue.enqueue("tests.count_to", {"n": 4}))
    finally:
        consumer.stop(graceful=True)
        web.close()
        worker.close()
    assert job.status == "succeeded"
    assert job.done == 4
