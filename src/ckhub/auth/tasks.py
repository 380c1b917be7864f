"""Background tasks of the accounts area."""

from __future__ import annotations

from typing import Any

from ckhub.auth.signin import purge_expired_sessions
from ckhub.auth.tokens import purge_expired_tokens
from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler


@job_handler("auth.purge_expired")
def purge_expired(context: JobContext) -> dict[str, Any]:
    """Delete ended sessions, old sign-in attempts and long-revoked API tokens."""
    with session_scope(context.session_factory) as session:
        context.progress(0, 2, "sessions")
        result = purge_expired_sessions(session, context.settings)
        context.progress(1, 2, "tokens")
        result["tokens_deleted"] = purge_expired_tokens(session)
        context.progress(2, 2, "done")
    return result
