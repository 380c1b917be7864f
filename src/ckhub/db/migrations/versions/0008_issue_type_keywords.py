"""issue-type keywords one per line

The seeded issue types of 0003 had their keywords separated by spaces, but keywords are
separated by new lines, commas or semicolons (multi-word phrases such as "how to" are one
keyword), so each seeded list was one long keyword that never matched. Rows still holding the
seeded text are rewritten; keywords someone edited are left alone.

Revision ID: 0008_issue_type_keywords
Revises: 0007_assistant
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_issue_type_keywords"
down_revision: str | None = "0007_assistant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# key: (as 0003 seeded them, one per line)
KEYWORDS = {
    "bug": (
        "故障 坏了 报错 错误 崩溃 闪退 无法 不能用 失败 死机 卡死 没反应 打不开 "
        "bug error crash broken fails failed not working doesn't work",
        "故障\n坏了\n报错\n错误\n崩溃\n闪退\n无法\n不能用\n失败\n死机\n卡死\n没反应\n打不开\n"
        "bug\nerror\ncrash\nbroken\nfails\nfailed\nnot working\ndoesn't work",
    ),
    "how_to": (
        "怎么 如何 怎样 在哪 哪里 教程 设置 步骤 请问 "
        "how to how do where is setup configure tutorial",
        "怎么\n如何\n怎样\n在哪\n哪里\n教程\n设置\n步骤\n请问\n"
        "how to\nhow do\nwhere is\nsetup\nconfigure\ntutorial",
    ),
    "billing": (
        "发票 账单 付款 退款 扣费 扣款 价格 收费 订阅 续费 "
        "invoice bill billing payment refund charged price subscription",
        "发票\n账单\n付款\n退款\n扣费\n扣款\n价格\n收费\n订阅\n续费\n"
        "invoice\nbill\nbilling\npayment\nrefund\ncharged\nprice\nsubscription",
    ),
    "feature_request": (
        "希望 建议 能不能 能否 增加 添加 "
        "支持一下 需求 wish suggest feature request please add would be nice",
        "希望\n建议\n能不能\n能否\n增加\n添加\n支持一下\n需求\n"
        "wish\nsuggest\nfeature request\nplease add\nwould be nice",
    ),
    "complaint": (
        "投诉 差评 太差 失望 不满 垃圾 态度 欺骗 "
        "complaint disappointed terrible unacceptable worst",
        "投诉\n差评\n太差\n失望\n不满\n垃圾\n态度\n欺骗\n"
        "complaint\ndisappointed\nterrible\nunacceptable\nworst",
    ),
    "praise": (
        "好评 满意 不错 很好 喜欢 感谢 点赞 给力 great love excellent thanks awesome happy",
        "好评\n满意\n不错\n很好\n喜欢\n感谢\n点赞\n给力\n"
        "great\nlove\nexcellent\nthanks\nawesome\nhappy",
    ),
}

issue_types = sa.table("issue_types", sa.column("key"), sa.column("keywords"))


def upgrade() -> None:
    for key, (seeded, per_line) in KEYWORDS.items():
        op.execute(
            issue_types.update()
            .where(issue_types.c.key == key, issue_types.c.keywords == seeded)
            .values(keywords=per_line)
        )


def downgrade() -> None:
    for key, (seeded, per_line) in KEYWORDS.items():
        op.execute(
            issue_types.update()
            .where(issue_types.c.key == key, issue_types.c.keywords == per_line)
            .values(keywords=seeded)
        )
