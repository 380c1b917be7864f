"""Telling requesters: shipped → each requester's own e-mail (name, words, what changed) at a
real SMTP server and a message in every feedback webhook's format; never twice."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.feedback.hooks import add_webhook
from ckhub.feedback.merging import merge_items
from ckhub.feedback.models import RequesterNotice
from ckhub.feedback.workflow import change_status
from ckhub.notify.delivery import deliver_due
from ckhub.notify.transport import make_transport
from ckhub.notify.webhooks import signature
from ckhub.settings import Settings
from tests.factories import SYSTEM
from tests.feedback_factories import asker, item_from
from tests.servers import Inbox, Receiver, smtp_settings


def _deliver(db: Session, settings: Settings) -> None:
    deliver_due(db, settings, make_transport(settings))


def test_shipped_tells_every_requester_once_in_their_language(
    db: Session, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    settings = smtp_settings(settings, port)
    wang = asker(db, "Wang Fang", "希望报表能批量导出成Excel，每周都要一个个下载太麻烦了")
    anna = asker(db, "Anna Smith", "Please let us export all reports at once.", language="en")
    target = item_from(db, settings, wang, "批量导出报表", is_public=True)
    duplicate = item_from(db, settings, anna, "Export every report at once")
    merge_items(db, settings, SYSTEM, duplicate.id, target.id)

    change_status(db, settings, SYSTEM, target.id, "shipped", "报表页新增“全部导出”按钮。")
    _deliver(db, settings)
    by_address = {str(m["To"]): m for m in inbox.messages}
    assert len(inbox.messages) == 2
    chinese = next(m for to, m in by_address.items() if "wang.fang" in to)
    english = next(m for to, m in by_address.items() if "anna.smith" in to)
    chinese_text = chinese.get_content()
    assert "Wang Fang，您好" in chinese_text and wang.words in chinese_text
    assert chinese["Subject"] == "您的建议已实现：批量导出报表"
    assert "全部导出" in chinese_text and f"/roadmap/{target.id}" in chinese_text
    assert "Dear Anna Smith" in english.get_content()
    assert anna.words in english.get_content()

    # Reopened and shipped again: nobody hears it twice.
    change_status(db, settings, SYSTEM, target.id, "in_progress")
    change_status(db, settings, SYSTEM, target.id, "shipped", "again")
    _deliver(db, settings)
    assert len(inbox.messages) == 2
    notices = db.scalars(select(RequesterNotice)).all()
    assert sorted(n.channel for n in notices) == ["email", "email"]


def test_webhooks_carry_requester_messages_signed_and_in_chat_formats(
    db: Session, settings: Settings, receiver: Receiver
) -> None:
    settings = settings.model_copy(update={"webhook_secret": "s3cret"})
    add_webhook(db, SYSTEM, url=receiver.url, format="generic")
    add_webhook(db, SYSTEM, url=receiver.url + "/dingtalk", format="dingtalk")
    add_webhook(db, SYSTEM, url=receiver.url + "/feishu", format="feishu",
                sends_requester_messages=False, sends_status_changes=True)  # fmt: skip
    wang = asker(db, "Wang Fang", "退款申请两周了还没到账")
    item = item_from(db, settings, wang, "退款太慢", kind="complaint")
    change_status(db, settings, SYSTEM, item.id, "declined", "退款需要银行处理，已催办。")
    _deliver(db, settings)
    bodies = {headers.get("X-Ckhub-Event", ""): [] for headers, _ in receiver.received}
    for headers, body in receiver.received:
        assert headers["X-Ckhub-Signature"] == signature("s3cret", body)
        bodies[headers["X-Ckhub-Event"]].append(json.loads(body))
    generic, dingtalk = bodies["feedback.requester_message"]
    if "msgtype" in generic:
        generic, dingtalk = dingtalk, generic
    assert generic["customer"]["name"] == "Wang Fang"
    assert generic["their_words"] == wang.words
    assert dingtalk["msgtype"] == "text" and "Wang Fang" in dingtalk["text"]["content"]
    [feishu] = bodies["feedback.status_changed"]
    assert feishu["msg_type"] == "text" and "退款太慢" in feishu["content"]["text"]
