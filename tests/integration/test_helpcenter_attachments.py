"""Files and images on articles: checked on upload, served only to readers of the article."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.helpcenter.models import Article, ArticleAttachment
from tests.factories import another_browser, csrf_token, make_user, sign_in
from tests.helpcenter_factories import publish_sync_examples

# A real 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def writer(client: TestClient, db: Session) -> TestClient:
    publish_sync_examples(db)
    make_user(db, "writer", Role.AGENT)
    sign_in(client, "writer")
    return client


def _article_id(db: Session, slug: str) -> int:
    found = db.scalar(select(Article.id).where(Article.slug == slug))
    assert found is not None
    return found


def _upload(client: TestClient, article_id: int, name: str, content: bytes):  # type: ignore[no-untyped-def]
    page = f"/help/manage/{article_id}"
    return client.post(
        f"{page}/attachments",
        data={"csrf_token": csrf_token(client, page)},
        files={"file": (name, content)},
    )


def _stored(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ArticleAttachment)) or 0


def test_an_image_on_a_public_article_is_served_to_anyone(writer: TestClient, db: Session) -> None:
    public = _article_id(db, "tablet-sync")
    sent = _upload(writer, public, "C:\\截图 设置.png", PNG)
    assert sent.status_code == 303
    edit = writer.get(f"/help/manage/{public}").text
    attachment = db.scalar(select(ArticleAttachment))
    assert attachment is not None and attachment.filename == "截图_设置.png"
    url = f"/help/attachments/{attachment.id}/截图_设置.png"
    assert f"![截图_设置.png]({url})" in edit  # the Markdown to paste

    visitor = another_browser(writer)
    image = visitor.get(url)
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith("inline")
    assert "/help/attachments/" in visitor.get("/help/articles/tablet-sync").text


def test_files_of_internal_articles_and_drafts_stay_inside(writer: TestClient, db: Session) -> None:
    internal = _article_id(db, "sync-defect")
    _upload(writer, internal, "日志.txt", "同步日志：错误 0x81".encode())
    attachment = db.scalar(select(ArticleAttachment))
    assert attachment is not None
    url = f"/help/attachments/{attachment.id}/日志.txt"
    assert writer.get(url).headers["content-disposition"].startswith("attachment")
    assert another_browser(writer).get(url).status_code == 404
    make_user(db, "zhou", Role.CUSTOMER)
    customer = another_browser(writer)
    sign_in(customer, "zhou")
    assert customer.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("diagram.svg", b"<svg onload=alert(1)>", 422, "cannot be attached"),
        ("page.html", b"<script>alert(1)</script>", 422, "cannot be attached"),
        ("photo.png", b"GIF89a not a png", 422, "not what its name says"),
        ("manual.pdf", b"MZ\x90\x00 an exe", 422, "not what its name says"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), 413, "larger than 10 MB"),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    writer: TestClient, db: Session, name: str, content: bytes, status: int, says: str
) -> None:
    refused = _upload(writer, _article_id(db, "tablet-sync"), name, content)
    assert refused.status_code == status and says in refused.text
    assert _stored(db) == 0


def test_deleting_an_attachment(writer: TestClient, db: Session) -> None:
    public = _article_id(db, "tablet-sync")
    _upload(writer, public, "a.png", PNG)
    attachment_id = db.scalar(select(ArticleAttachment.id))
    page = f"/help/manage/{public}"
    writer.post(
        f"{page}/attachments/{attachment_id}/delete",
        data={"csrf_token": csrf_token(writer, page)},
    )
    assert _stored(db) == 0
    assert writer.get(f"/help/attachments/{attachment_id}/a.png").status_code == 404
