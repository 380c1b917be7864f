"""Generating the demo company's customers, a year of knowledge on every channel, and usage.

Seeded, so the same demo comes out every time; dates count back from today so it stays current.
Storylines the product must surface are planted on purpose (see phrases.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ckhub.demo import phrases as p
from ckhub.knowledge.customers import CustomerInput

TIERS = [("strategic", 0.1), ("key", 0.25), ("standard", 0.65)]
CHANNEL_WEIGHTS = [
    ("ticket", 30),
    ("call", 12),
    ("chat", 10),
    ("email", 8),
    ("ecommerce", 18),
    ("social", 10),
    ("sales_note", 8),
    ("meeting", 4),
]
RELEASE_DAYS_AGO = 90  # firmware 2.3 shipped three months ago
WAVE_DAYS = 21


@dataclass
class DemoEntry:
    channel: str
    source: str
    source_id: str
    title: str
    body: str
    occurred_at: datetime
    customer: int | None  # index into the customer list
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class DemoUsage:
    customer: int
    event: str
    occurred_at: datetime
    level: str = ""


@dataclass
class DemoData:
    customers: list[CustomerInput]
    entries: list[DemoEntry]
    usage: list[DemoUsage]


class DemoGenerator:
    def __init__(self, now: datetime, customers: int = 200, entries: int = 1500, seed: int = 7):
        self.now, self.random = now, random.Random(seed)
        self.customer_count, self.entry_count = customers, entries
        self.customers: list[CustomerInput] = []

    def generate(self) -> DemoData:
        self.customers = [self._customer(index) for index in range(self.customer_count)]
        entries = [self._entry(index) for index in range(self.entry_count)]
        entries += self._sync_wave() + self._bulk_export_requests() + self._stale_article()
        return DemoData(self.customers, entries, self._usage())

    # People and companies -----------------------------------------------------------------

    def _person(self) -> str:
        return self.random.choice(p.SURNAMES) + "".join(
            self.random.choices(p.GIVEN, k=self.random.choice((1, 2)))
        )

    def _customer(self, index: int) -> CustomerInput:
        tier = self.random.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
        company = self.random.choice(p.COMPANY_PARTS[0]) + self.random.choice(p.COMPANY_PARTS[1])
        name = f"{company}{index + 1:03d}" if tier != "standard" else self._person()
        digits = f"1{self.random.choice('3578')}{self.random.randrange(10**9):09d}"
        return CustomerInput(
            name=name,
            company=company if tier != "standard" else "",
            tier=tier,
            region=self.random.choice(p.REGIONS),
            emails=(f"c{index + 1:03d}@demo-customer.example",),
            phones=(digits,),
            external_ids=(("crm", f"C-{index + 1:03d}"),),
        )

    def _key_customers(self) -> list[int]:
        return [i for i, c in enumerate(self.customers) if c.tier in ("strategic", "key")]

    # Text ---------------------------------------------------------------------------------

    def _when(self, start_days_ago: int = 365, end_days_ago: int = 0) -> datetime:
        days = self.random.uniform(end_days_ago, start_days_ago)
        return (self.now - timedelta(days=days)).replace(microsecond=0)

    def _decorate(self, text: str, chinese: bool, index: int) -> str:
        if chinese:
            if self.random.random() < 0.12:
                for right, wrong in p.TYPOS.items():
                    if right in text:
                        text = text.replace(right, wrong, 1)
                        break
            text = self.random.choice(p.OPENERS_ZH) + text
            closer = self.random.choice(p.CLOSERS_ZH)
            text = f"{text}，{closer}" if closer else text
        else:
            text = self.random.choice(p.OPENERS_EN) + text + self.random.choice(p.CLOSERS_EN)
        roll = self.random.random()
        if roll < 0.15:  # personal details people paste into messages: redacted on the way in
            phone = f"1{self.random.choice('3589')}{index % 10**9:09d}"
            text += (
                f" 联系电话 {phone}" if chinese else f" Call me at +1 415 555 {index % 10000:04d}"
            )
        elif roll < 0.22:
            text += (
                f" 邮箱 user{index}@mail.example"
                if chinese
                else f" Email: user{index}@mail.example"
            )
        return text

    def _phrase(self, zh: list[str], en: list[str], index: int) -> tuple[str, bool]:
        chinese = self.random.random() < 0.8 or not en
        return self._decorate(self.random.choice(zh if chinese else en), chinese, index), chinese

    def _shape(
        self, channel: str, text: str, chinese: bool, customer: int | None
    ) -> tuple[str, dict[str, object]]:
        """Wrap a customer's words the way the channel records them."""
        name = self.customers[customer].name if customer is not None else "客户"
        if channel in ("call", "chat"):
            agent = "客服" if chinese else "Agent"
            who = "客户" if chinese else "Customer"
            reply = (
                "好的，已经为您记录，我们会尽快处理。"
                if chinese
                else "Noted, we will follow up shortly."
            )
            greeting = (
                "您好，这里是售后服务中心。" if chinese else "Hello, this is customer support."
            )
            lines = [f"{agent}: {greeting}", f"{who}: {text}", f"{agent}: {reply}"]
            return "\n".join(lines), {"speakers": sorted({agent, who}), "turns": 3}
        if channel == "sales_note":
            return f"拜访{name}，对方提到：{text}", {}
        if channel == "meeting":
            return f"# {name} 季度回顾\n- 客户反馈：{text}\n- 下一步：产品团队评估", {}
        return text, {}

    def _entry(self, index: int) -> DemoEntry:
        channel = self.random.choices(
            [c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS]
        )[0]
        _topic, _line, _issue, zh, en = self.random.choice(p.TOPICS)
        text, chinese = self._phrase(zh, en, index)
        customer = (
            None
            if channel in ("ecommerce", "social")
            else self.random.randrange(self.customer_count)
        )
        body, extra = self._shape(channel, text, chinese, customer)
        # Reviews and posts have no subject; the rest are filed with the customer's words.
        title = "" if channel in ("ecommerce", "social") else text[:30]
        return DemoEntry(
            channel,
            f"demo-{channel}",
            f"{channel}-{index:05d}",
            title,
            body,
            self._when(),
            customer,
            extra,
        )

    # Storylines ---------------------------------------------------------------------------

    def _sync_wave(self) -> list[DemoEntry]:
        """Complaints about tablet sync, from the 2.3 release on: a spike the trends must show."""
        wave = []
        for index in range(max(12, self.entry_count // 12)):
            channel = self.random.choice(
                ["ticket", "ticket", "social", "ecommerce", "call", "chat"]
            )
            text, chinese = self._phrase(*p.SYNC_WAVE, index=10_000 + index)
            customer = (
                None
                if channel in ("ecommerce", "social")
                else self.random.randrange(self.customer_count)
            )
            body, extra = self._shape(channel, text, chinese, customer)
            when = self._when(RELEASE_DAYS_AGO, RELEASE_DAYS_AGO - WAVE_DAYS)
            wave.append(
                DemoEntry(
                    channel,
                    f"demo-{channel}",
                    f"sync-{index:04d}",
                    "" if channel in ("ecommerce", "social") else "平板同步失败",
                    body,
                    when,
                    customer,
                    extra,
                )
            )
        return wave

    def _bulk_export_requests(self) -> list[DemoEntry]:
        """Key customers asking for bulk export, each in their own words, over the year."""
        asks = []
        for index, customer in enumerate(
            self._key_customers()[: max(6, self.customer_count // 12)]
        ):
            channel = self.random.choice(["sales_note", "meeting", "ticket", "email"])
            text, chinese = self._phrase(*p.BULK_EXPORT, index=20_000 + index)
            body, extra = self._shape(channel, text, chinese, customer)
            asks.append(
                DemoEntry(
                    channel,
                    f"demo-{channel}",
                    f"bulk-export-{index:03d}",
                    "批量导出需求" if chinese else "Bulk export",
                    body,
                    self._when(),
                    customer,
                    extra,
                )
            )
        return asks

    def _stale_article(self) -> list[DemoEntry]:
        """A how-to written for firmware 2.2, and customers saying it no longer matches 2.3."""
        article = DemoEntry(
            "other",
            "demo-helpcenter",
            "article-sync-2.2",
            p.STALE_ARTICLE_TITLE,
            p.STALE_ARTICLE_BODY,
            self.now - timedelta(days=RELEASE_DAYS_AGO + 120),
            None,
            {"kind": "article", "firmware": "2.2"},
        )
        followups = []
        for index in range(max(6, self.entry_count // 150)):
            channel = self.random.choice(["ticket", "chat", "social", "email"])
            text, chinese = self._phrase(*p.STALE_FOLLOWUPS, index=30_000 + index)
            customer = None if channel == "social" else self.random.randrange(self.customer_count)
            body, extra = self._shape(channel, text, chinese, customer)
            followups.append(
                DemoEntry(
                    channel,
                    f"demo-{channel}",
                    f"stale-article-{index:03d}",
                    "" if channel == "social" else ("帮助文章过时" if chinese else "Outdated help"),
                    body,
                    self._when(RELEASE_DAYS_AGO - 3, 0),
                    customer,
                    extra,
                )
            )
        return [article, *followups]

    def _usage(self) -> list[DemoUsage]:
        """Weekly use by most customers; sync errors after the release; some go quiet."""
        events = []
        features = [
            "login",
            "sync",
            "export_report",
            "share",
            "stylus_settings",
            "schedule_heating",
        ]
        for customer in range(self.customer_count):
            quiet_from = 30 if customer % 17 == 0 else 0  # every 17th customer stopped a month ago
            for week in range(12):
                days_ago = week * 7 + self.random.uniform(0, 6)
                if days_ago < quiet_from:
                    continue
                for feature in self.random.sample(features, k=self.random.randint(1, 4)):
                    events.append(DemoUsage(customer, feature, self.now - timedelta(days=days_ago)))
                if customer % 23 == 0 and week == 0:  # a few customers hit by a fresh error burst
                    events += [
                        DemoUsage(
                            customer, "sync_error", self.now - timedelta(hours=h * 7), "error"
                        )
                        for h in range(8)
                    ]
        return events
