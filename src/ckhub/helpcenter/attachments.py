"""Files and images attached to articles.

Kept in the database (`article_attachments.content`), not on disk: backups and every replica
then have them, and a 10 MB limit keeps the tables reasonable. A file is accepted only when its
contents match its type (PNG, JPEG, GIF and WebP images, PDF, Office files, ZIP, plain text and
CSV); SVG and HTML are refused because a browser would run script inside them. Readers get an
attachment only when they may read its article, checked in the query like every article read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, undefer

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer, visibility_clause
from ckhub.errors import Problem, not_found
from ckhub.helpcenter.models import Article, ArticleAttachment
from ckhub.helpcenter.queries import editable_article, readable_clause
from ckhub.i18n_marker import N_

MAX_ATTACHMENT_MB = 10
MAX_ATTACHMENTS = 50  # per article


def _is_text(head: bytes) -> bool:
    return b"\x00" not in head


@dataclass(frozen=True)
class FileKind:
    content_type: str
    looks_right: Callable[[bytes], bool]
    inline: bool  # shown in the browser (images, PDF); others are downloaded


_ZIP = FileKind("application/zip", lambda head: head.startswith(b"PK\x03\x04"), False)
KINDS: dict[str, FileKind] = {
    "png": FileKind("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), True),
    "jpg": FileKind("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff"), True),
    "jpeg": FileKind("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff"), True),
    "gif": FileKind("image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a"), True),
    "webp": FileKind(
        "image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", True
    ),
    "pdf": FileKind("application/pdf", lambda head: head.startswith(b"%PDF-"), True),
    "txt": FileKind("text/plain; charset=utf-8", _is_text, False),
    "csv": FileKind("text/csv; charset=utf-8", _is_text, False),
    "zip": _ZIP,
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP.looks_right,
        False,
    ),
    "xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ZIP.looks_right,
        False,
    ),
    "pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP.looks_right,
        False,
    ),
}
# Path and control characters, and what would break a Markdown link or a URL path.
_UNSAFE = re.compile(r"[\\/:*?\"<>|#%()\[\]\s\x00-\x1f\x7f]+")


def safe_filename(name: str) -> str:
    """The name without folders, control, path or link-breaking characters (spaces become "_");
    NFC; at most 120 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", base)).strip(" ._")
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and len(cleaned) > 120:
        cleaned = stem[: 119 - len(suffix)] + "." + suffix
    return cleaned[:120]


def kind_of(filename: str) -> FileKind | None:
    return KINDS.get(filename.rpartition(".")[2].lower()) if "." in filename else None


def add_attachment(
    session: Session, viewer: Viewer, article_id: int, filename: str, stream: BinaryIO
) -> ArticleAttachment:
    article = editable_article(session, viewer, article_id)
    name = safe_filename(filename)
    kind = kind_of(name)
    if not name or kind is None:
        raise Problem(
            "attachment-type",
            "“{name}” cannot be attached: use an image (PNG, JPEG, GIF, WebP), PDF, Word, Excel, "
            "PowerPoint, ZIP, text or CSV file.",
            422,
            name=name or filename,
        )
    limit = MAX_ATTACHMENT_MB * 1024 * 1024
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise Problem(
            "attachment-too-large",
            "“{name}” is larger than {mb} MB.",
            413,
            name=name,
            mb=MAX_ATTACHMENT_MB,
        )
    if not content or not kind.looks_right(content[:4096]):
        raise Problem(
            "attachment-content",
            "“{name}” is not what its name says (its contents are not a .{suffix} file).",
            422,
            name=name,
            suffix=name.rpartition(".")[2].lower(),
        )
    if len(list_attachments(session, article.id)) >= MAX_ATTACHMENTS:
        raise Problem(
            "too-many-attachments",
            "An article can have at most {max} attachments.",
            422,
            max=MAX_ATTACHMENTS,
        )
    attachment = ArticleAttachment(
        article_id=article.id,
        filename=name,
        content_type=kind.content_type,
        size=len(content),
        content=content,
        uploaded_by_id=viewer.user_id,
    )
    session.add(attachment)
    session.flush()
    audit.record(session, viewer, "article.attachment_added", "article", article.id, file=name)
    session.commit()
    return attachment


def delete_attachment(
    session: Session, viewer: Viewer, article_id: int, attachment_id: int
) -> None:
    article = editable_article(session, viewer, article_id)
    attachment = session.get(ArticleAttachment, attachment_id)
    if attachment is None or attachment.article_id != article.id:
        raise not_found(N_("Attachment"))
    session.delete(attachment)
    audit.record(
        session,
        viewer,
        "article.attachment_deleted",
        "article",
        article.id,
        file=attachment.filename,
    )
    session.commit()


def list_attachments(session: Session, article_id: int) -> list[ArticleAttachment]:
    return list(
        session.scalars(
            select(ArticleAttachment)
            .where(ArticleAttachment.article_id == article_id)
            .order_by(ArticleAttachment.id)
        )
    )


def attachment_url(attachment: ArticleAttachment) -> str:
    return f"/help/attachments/{attachment.id}/{attachment.filename}"


def readable_attachment(session: Session, viewer: Viewer, attachment_id: int) -> ArticleAttachment:
    """The file for someone who may read its article (writers also see drafts' files)."""
    may_read = readable_clause(session, viewer)
    if viewer.can(Capability.WRITE_KNOWLEDGE):
        may_read = or_(may_read, visibility_clause(viewer, Article.visibility, Article.team_id))
    attachment = session.scalar(
        select(ArticleAttachment)
        .join(Article, Article.id == ArticleAttachment.article_id)
        .where(ArticleAttachment.id == attachment_id, may_read)
        .options(undefer(ArticleAttachment.content))
    )
    if attachment is None:
        raise not_found(N_("Attachment"))
    return attachment
