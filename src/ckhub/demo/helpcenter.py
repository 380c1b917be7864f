"""The demo company's help center: a few reviewed articles, and the one that has gone stale.

The stale one is the sync how-to written for firmware 2.2 (the same text the knowledge base
holds as an internal note): published seven months ago with a 90-day verification interval,
so the freshness check marks it overdue and reminds its owner, and an agent has flagged it as
outdated after the 2.3 release — the content-health page shows both.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer
from ckhub.auth.service import find_user_by_login, viewer_for
from ckhub.demo import phrases as p
from ckhub.demo.service import DEMO_ACTOR
from ckhub.helpcenter.freshness import check_freshness, flag_outdated
from ckhub.helpcenter.service import (
    ArticleDraft,
    ArticleSettings,
    create_article,
    get_article,
    mark_verified,
    review_article,
    submit_for_review,
)
from ckhub.helpcenter.structure import save_category, save_section
from ckhub.settings import Settings
from ckhub.timeutil import utcnow

# (category slug, zh, en, [(section slug, zh, en)])
STRUCTURE = [
    (
        "tablets",
        "平板",
        "Tablets",
        [("sync", "同步与账户", "Sync and accounts"), ("stylus", "手写笔", "Stylus")],
    ),
    ("phones", "手机", "Phones", [("battery", "电池与充电", "Battery and charging")]),
    ("heaters", "热水器", "Water heaters", [("install", "安装与使用", "Installation and use")]),
]
# (section, slug, zh title, zh body, en title, en body)
ARTICLES = [
    (
        "stylus",
        "pair-stylus",
        "手写笔怎么配对",
        "## 步骤\n\n1. 打开平板的蓝牙。\n2. 长按笔帽三秒，指示灯闪烁。\n"
        "3. 在 设置 → 蓝牙 中选择“手写笔”。",
        "How to pair the stylus",
        "## Steps\n\n1. Turn on Bluetooth on the tablet.\n2. Hold the cap for three seconds until "
        "the light blinks.\n3. Choose “Stylus” in Settings → Bluetooth.",
    ),
    (
        "battery",
        "battery-drains-fast",
        "手机电池掉电快怎么办",
        "1. 在 设置 → 电池 查看耗电排行，关闭异常应用的后台运行。\n2. 关闭常亮显示。\n"
        "3. 仍然异常请联系售后检测电池健康。",
        "Phone battery drains fast",
        "1. See Settings → Battery for the apps that use most, and stop their background "
        "activity.\n2. Turn off always-on display.\n3. If it persists, ask support to check "
        "the battery health.",
    ),
    (
        "install",
        "heater-installation",
        "热水器安装需要预约吗",
        "需要。下单后客服会在 24 小时内联系您预约上门时间，安装师傅会带好标准配件。",
        "Do I need an appointment for heater installation?",
        "Yes. After your order, support calls within 24 hours to book a visit; the installer "
        "brings the standard parts.",
    ),
]
STALE_SLUG = "tablet-sync-fails"


def load_demo_articles(session: Session, settings: Settings) -> dict[str, int]:
    writer = find_user_by_login(session, "km.wang")
    author = viewer_for(session, writer) if writer else DEMO_ACTOR
    sections: dict[str, int] = {}
    for position, (slug, zh, en, children) in enumerate(STRUCTURE):
        category = save_category(
            session, DEMO_ACTOR, slug=slug, name_zh=zh, name_en=en, position=position
        )
        for child_position, (child, child_zh, child_en) in enumerate(children):
            sections[child] = save_section(
                session,
                DEMO_ACTOR,
                category_id=category.id,
                slug=child,
                name_zh=child_zh,
                name_en=child_en,
                position=child_position,
            ).id
    for section, slug, zh_title, zh_body, en_title, en_body in ARTICLES:
        _publish(
            session,
            author,
            ArticleSettings(section_id=sections[section], slug=slug, visibility="public"),
            [ArticleDraft("zh", zh_title, zh_body), ArticleDraft("en", en_title, en_body)],
        )
    stale = _publish(
        session,
        author,
        ArticleSettings(
            section_id=sections["sync"], slug=STALE_SLUG, visibility="public", verify_every_days=90
        ),
        [ArticleDraft("zh", p.STALE_ARTICLE_TITLE, p.STALE_ARTICLE_BODY)],
    )
    # Published seven months ago: overdue for verification since four months.
    article = get_article(session, stale)
    article.published_at = utcnow() - timedelta(days=210)
    mark_verified(article, article.published_at)
    session.commit()
    check_freshness(session, settings)
    agent = find_user_by_login(session, "agent.li")
    if agent is not None:
        flag_outdated(
            session,
            settings,
            viewer_for(session, agent),
            stale,
            "2.3 固件里已经没有“同步设置”菜单了，客户照着做找不到，最近好几个人反馈。",
        )
    return {"articles": len(ARTICLES) + 1}


def _publish(
    session: Session, author: Viewer, settings: ArticleSettings, drafts: list[ArticleDraft]
) -> int:
    """Written by the knowledge manager, approved by the demo's own reviewer."""
    article = create_article(session, author, settings, drafts)
    submit_for_review(session, author, article.id)
    review_article(session, DEMO_ACTOR, article.id, "approve", "")
    return article.id
