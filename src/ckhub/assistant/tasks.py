"""Background tasks of the answer bot."""

from __future__ import annotations

from typing import Any

from ckhub.assistant.purge import purge_unused_conversations
from ckhub.db.engine import session_scope
from ckhub.jobs.registry import JobContext, job_handler


@job_handler("assistant.purge_unused")
def purge_unused(context: JobContext) -> dict[str, Any]:
    """Delete conversations nobody wrote in, once no browser can come back to them."""
    with session_scope(context.session_factory) as session:
        return {"conversations_deleted": purge_unused_conversations(session)}
