"""Column mapping: which column of an export feeds which field of an entry.

Given as `field=column` (several columns joined with `+`, e.g. `body=问题描述+处理结果`), or guessed
from the header names in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ckhub.errors import Problem

FIELDS = (
    "body",
    "title",
    "source_id",
    "occurred_at",
    "channel",
    "customer_name",
    "customer_email",
    "customer_phone",
    "customer_external_id",
    "product_line",
    "issue_type",
    "tags",
    "language",
    "visibility",
    "team",
)

# Header names people use for each field, lower-case.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "body": (
        "body",
        "content",
        "text",
        "description",
        "comment",
        "review",
        "message",
        "note",
        "notes",
        "内容",
        "正文",
        "描述",
        "问题描述",
        "评论",
        "评价",
        "留言",
        "备注",
        "记录",
        "详情",
    ),
    "title": ("title", "subject", "summary", "标题", "主题", "摘要"),
    "source_id": ("id", "source_id", "ticket_id", "ticket id", "编号", "工单号", "单号", "序号"),
    "occurred_at": (
        "occurred_at",
        "date",
        "time",
        "created",
        "created_at",
        "timestamp",
        "datetime",
        "日期",
        "时间",
        "创建时间",
        "发生时间",
        "提交时间",
    ),
    "channel": ("channel", "渠道", "来源渠道"),
    "customer_name": (
        "customer",
        "customer_name",
        "company",
        "account",
        "name",
        "客户",
        "客户名称",
        "公司",
        "姓名",
    ),
    "customer_email": (
        "email",
        "e-mail",
        "customer_email",
        "邮箱",
        "电子邮箱",
        "客户邮箱",
        "联系邮箱",
    ),
    "customer_phone": (
        "phone",
        "mobile",
        "tel",
        "电话",
        "手机",
        "手机号",
        "联系电话",
        "客户电话",
        "客户手机",
    ),
    "customer_external_id": ("customer_id", "account_id", "客户编号", "客户id"),
    "product_line": (
        "product",
        "product_line",
        "category",
        "cat",
        "产品",
        "产品线",
        "品类",
        "类别",
    ),
    "issue_type": ("issue_type", "type", "问题类型", "类型"),
    "tags": ("tags", "labels", "标签"),
    "language": ("language", "lang", "语言"),
    "visibility": ("visibility", "可见范围"),
    "team": ("team", "团队", "部门"),
}


@dataclass
class ColumnMapping:
    columns: dict[str, list[str]] = field(default_factory=dict)  # field -> source columns

    def value(self, row: dict[str, str], name: str) -> str:
        parts = [(row.get(column) or "").strip() for column in self.columns.get(name, [])]
        return "\n".join(part for part in parts if part)


def parse_mapping(pairs: list[str]) -> dict[str, list[str]]:
    """`["body=内容", "title=标题"]` → {"body": ["内容"], "title": ["标题"]}."""
    mapping: dict[str, list[str]] = {}
    for pair in pairs:
        name, separator, columns = pair.partition("=")
        name = name.strip()
        if not separator or name not in FIELDS or not columns.strip():
            raise Problem(
                "invalid-mapping",
                "“{pair}” is not a mapping; write field=column with a field among: {fields}.",
                422,
                pair=pair,
                fields=", ".join(FIELDS),
            )
        mapping[name] = [column.strip() for column in columns.split("+") if column.strip()]
    return mapping


def build_mapping(header: list[str], given: dict[str, list[str]]) -> ColumnMapping:
    """The given mapping, completed by guesses from the header; checks the columns exist."""
    present = {column.strip() for column in header}
    for name, columns in given.items():
        missing = [column for column in columns if column not in present]
        if missing:
            raise Problem(
                "unknown-column",
                "The file has no column “{column}” (for {field}); its columns are: {columns}.",
                422,
                column=missing[0],
                field=name,
                columns=", ".join(header),
            )
    mapping = dict(given)
    taken = {column for columns in given.values() for column in columns}
    lowered = {column.strip().lower(): column.strip() for column in header}
    for name, synonyms in _SYNONYMS.items():
        if name in mapping:
            continue
        for synonym in synonyms:
            if synonym in lowered and lowered[synonym] not in taken:
                mapping[name] = [lowered[synonym]]
                taken.add(lowered[synonym])
                break
    if "body" not in mapping:
        raise Problem(
            "no-body-column",
            "No column holds the text. Map one with body=COLUMN; the columns are: {columns}.",
            422,
            columns=", ".join(header),
        )
    return ColumnMapping(mapping)
