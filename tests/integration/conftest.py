"""Fixtures the integration tests of the help center and the bot share."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.helpcenter_factories import publish_sync_examples
from tests.servers import receiver, smtp  # noqa: F401 - fixtures shared by the tests


@pytest.fixture
def published(db: Session) -> None:
    """Two public articles and an internal one about a known defect, all published."""
    publish_sync_examples(db)
