"""The outbox: stored first, delivered over real SMTP, retried with backoff, never twice."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.notify.delivery import MAX_ATTEMPTS, deliver_due
from ckhub.notify.models import MessageStatus, OutboxMessage
from ckhub.notify.service import queue_email
from ckhub.notify.transport import SmtpTransport, make_transport
from ckhub.settings import Settings
from ckhub.timeutil import utcnow
from tests.factories import free_port, make_user, post_form, sign_in
from tests.servers import Inbox, smtp_settings


def _queue(db: Session, **overrides: Any) -> OutboxMessage:
    fields = {
        "to_address": "zhou.min@example.com",
        "to_name": "周敏",
        "category": "test",
        "subject": "您的建议已上线",
        "body": "周敏您好：\n您提的导出功能已经上线。",
    }
    message = queue_email(db, **{**fields, **overrides})
    db.commit()
    assert message is not None
    return message


def test_message_is_delivered_over_smtp_with_an_unsubscribe_link(
    db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    configured = smtp_settings(settings, port)
    message = _queue(db)
    report = deliver_due(db, configured, make_transport(configured))
    assert report.sent == 1
    [received] = inbox.messages
    assert "周敏" in str(received["To"])
    assert received["Subject"] == "您的建议已上线"
    body = received.get_content()
    assert "您提的导出功能已经上线" in body
    assert "/unsubscribe?address=zhou.min%40example.com&category=test&sig=" in body
    assert received["List-Unsubscribe"].startswith("<http")
    db.refresh(message)
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    # Delivering again sends nothing more: nobody gets the same message twice.
    assert deliver_due(db, configured, make_transport(configured)).sent == 0
    assert len(inbox.messages) == 1


def test_the_same_dedup_key_is_queued_once(db: Session) -> None:
    assert (
        queue_email(
            db,
            to_address="a@example.com",
            subject="s",
            body="b",
            category="c",
            dedup_key="feedback:7:shipped:a@example.com",
        )
        is not None
    )
    assert (
        queue_email(
            db,
            to_address="a@example.com",
            subject="s",
            body="b",
            category="c",
            dedup_key="feedback:7:shipped:a@example.com",
        )
        is None
    )


def test_server_down_is_retried_with_backoff_then_delivered(
    db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    down = smtp_settings(settings, free_port())  # nothing listens there
    message = _queue(db)
    now = utcnow()
    assert deliver_due(db, down, SmtpTransport(down), now=now).retrying == 1
    db.refresh(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert message.last_error
    # Not due yet: nothing happens.
    up = smtp_settings(settings, port)
    assert deliver_due(db, up, SmtpTransport(up), now=now + timedelta(seconds=30)).sent == 0
    # Due: the server is back, the message goes out.
    assert deliver_due(db, up, SmtpTransport(up), now=now + timedelta(minutes=2)).sent == 1
    assert len(inbox.messages) == 1


def test_gives_up_after_the_last_attempt(db: Session, settings: Settings) -> None:
    down = smtp_settings(settings, free_port())
    message = _queue(db)
    when = utcnow()
    for _ in range(MAX_ATTEMPTS):
        deliver_due(db, down, SmtpTransport(down), now=when)
        when += timedelta(days=1)
    db.refresh(message)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.last_error.startswith("gave up")


def test_permanent_refusal_fails_at_once_and_suppresses_the_address(
    db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.refuse_with = "550 mailbox unavailable"
    configured = smtp_settings(settings, port)
    bounced = _queue(db)
    assert deliver_due(db, configured, make_transport(configured)).failed == 1
    db.refresh(bounced)
    assert bounced.status == MessageStatus.FAILED
    assert "550" in bounced.last_error
    inbox.refuse_with = None
    later = _queue(db, subject="second")
    assert deliver_due(db, configured, make_transport(configured)).suppressed == 1
    db.refresh(later)
    assert later.status == MessageStatus.SUPPRESSED
    assert inbox.messages == []


def test_temporary_refusal_is_retried(
    db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.refuse_with = "451 try again later"
    configured = smtp_settings(settings, port)
    message = _queue(db)
    assert deliver_due(db, configured, make_transport(configured)).retrying == 1
    db.refresh(message)
    assert message.status == MessageStatus.PENDING


def test_without_smtp_messages_are_kept_and_readable_in_the_mail_catcher(
    client: TestClient, db: Session, settings: Settings
) -> None:
    message = _queue(db)
    assert deliver_due(db, settings, make_transport(settings)).kept == 1
    make_user(db, "root1", Role.ADMIN)
    sign_in(client, "root1")
    page = client.get("/admin/outbox").text
    assert "No mail server is configured" in page
    assert "zhou.min@example.com" in page
    assert "kept" in page
    detail = client.get(f"/admin/outbox/{message.id}").text
    assert "您提的导出功能已经上线" in detail
    # Sending again after configuring a server: the admin retries it.
    assert post_form(client, f"/admin/outbox/{message.id}/retry", {}).status_code == 303


def test_only_admins_read_the_outbox(client: TestClient, db: Session) -> None:
    make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "km.wang")
    assert client.get("/admin/outbox").status_code == 403


def test_unsubscribe_link_needs_a_confirmation_and_a_valid_signature(
    client: TestClient, db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    configured = smtp_settings(settings, port)
    _queue(db)
    deliver_due(db, configured, make_transport(configured))
    body = inbox.messages[0].get_content()
    found = re.search(r"(/unsubscribe\?\S+)", body)
    assert found
    link = found.group(1)
    page = client.get(link)
    assert page.status_code == 200  # a GET (e.g. a link scanner) changes nothing
    assert "Stop sending these e-mails to zhou.min@example.com?" in page.text
    forged = client.get(link.replace("zhou.min", "someone.else"))
    assert forged.status_code == 400
    form = dict(re.findall(r'name="(address|category|sig)" value="([^"]+)"', page.text))
    done = post_form(client, "/unsubscribe", form, page=link)
    assert "will not receive these e-mails any more" in done.text
    _queue(db, subject="after unsubscribing")
    assert deliver_due(db, configured, make_transport(configured)).suppressed == 1
    assert len(inbox.messages) == 1


def test_periodic_delivery_runs_in_the_consumer(
    settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    """The scheduled job is the real path: quiet runs record a job only when mail moved."""
    from ckhub.jobs.runner import run_quietly
    from ckhub.runtime import build_runtime

    inbox, port = smtp
    runtime = build_runtime(smtp_settings(settings, port))
    with runtime.session_factory() as session:
        _queue(session)
    run_quietly(runtime.settings, runtime.session_factory, "notify.deliver")
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == 1
    from ckhub.jobs.runner import list_jobs

    with runtime.session_factory() as session:
        jobs = list_jobs(session, kind="notify.deliver")
        assert [job.result["sent"] for job in jobs] == [1]
        run_quietly(runtime.settings, runtime.session_factory, "notify.deliver")  # nothing due
        assert len(list_jobs(session, kind="notify.deliver")) == 1
    runtime.close()
