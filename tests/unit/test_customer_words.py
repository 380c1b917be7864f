"""Aspects are read from what customers said: a transcript's company side and speaker labels
are taken off; a review's labels are kept."""

from __future__ import annotations

from ckhub.knowledge.entry_text import customer_part, customer_text
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.text.speakers import customer_words

CHAT = "客服: 您好，这里是售后服务中心。\n客户: 屏幕坏了\n客服: 好的，已经为您记录"


def test_the_agents_lines_and_the_labels_are_taken_off() -> None:
    assert customer_words(CHAT, ["客服", "客户"]) == "屏幕坏了"
    assert (
        customer_words(
            "Agent: Hello, this is customer support.\nCustomer: The battery drains fast\n"
            "Agent: Noted, we will follow up shortly.",
            ["Agent", "Customer"],
        )
        == "The battery drains fast"
    )


def test_a_named_agent_is_known_by_how_they_answer() -> None:
    """VTT voices and exported chats name people; the company's side opens the way only it does
    (这里是…, 工号…, thank you for calling), and a continuation line is still theirs."""
    call = "王芳: 您好，工号 1024 为您服务\n王芳: 请问有什么可以帮您\n李明: 物流太慢了\n一周还没到"
    assert customer_words(call, ["王芳", "李明"]) == "物流太慢了\n一周还没到"
    english = (
        "Sam: Thank you for calling Acme.\nJo: This is the third time the app crashed\nSam: Sorry"
    )
    assert customer_words(english, ["Sam", "Jo"]) == "This is the third time the app crashed"


def test_without_facts_labels_that_start_several_lines_are_speakers() -> None:
    """A chat pasted into a ticket: both speak twice, and 客服 is the company."""
    pasted = "客服: 您好\n客户: 屏幕坏了\n客服: 好的，已经为您记录\n客户: 尽快"
    assert customer_words(pasted) == "屏幕坏了\n尽快"


def test_nothing_is_dropped_unless_someone_else_speaks() -> None:
    """A review judging 客服 line by line is the customer's own; so is a transcript whose every
    speaker seems the company's (mislabelled), and one where the customer spoke only once
    without the import's facts (客户 is then no known speaker)."""
    review = "外观：漂亮\n客服：态度差\n客服：回复慢"
    assert customer_words(review) == "外观：漂亮\n态度差\n回复慢"
    both = "客服A: 您好\n客服B: 系统又崩溃了\n客服A: 我看一下\n客服B: 好的"
    assert customer_words(both) == "您好\n系统又崩溃了\n我看一下\n好的"
    assert customer_words(CHAT) == "您好，这里是售后服务中心。\n客户: 屏幕坏了\n好的，已经为您记录"


def test_a_customer_asking_for_an_agents_number_stays_a_customer() -> None:
    call = "A: 您好，这里是客服中心\nB: 你工号多少？态度太差了\nA: 我的工号是 88\nB: 我要投诉"
    assert customer_words(call) == "你工号多少？态度太差了\n我要投诉"


def test_what_a_review_judges_is_no_speaker() -> None:
    review = "外观：漂亮\n屏幕：清晰\n物流特别有问题：收货时不给看"
    assert customer_words(review) == review
    assert customer_words(review, ["张三"]) == review


def test_an_entry_where_the_customer_says_nothing_is_read_whole() -> None:
    said = KnowledgeEntry(
        title="", body="客服: 您好\n客服: 请问在吗", extra={"speakers": ["客服", "客户"]}
    )
    assert customer_text(said) == "客服: 您好\n客服: 请问在吗"
    call = KnowledgeEntry(title="回访", body=CHAT, extra={"speakers": ["客服", "客户"]})
    assert customer_text(call) == "回访\n屏幕坏了"


def test_only_a_transcript_with_a_customer_has_a_part_of_its_own() -> None:
    """What gets a second vector (knowledge/entry_vectors.py): not reviews, not all-agent text."""
    assert customer_part(CHAT, ["客服", "客户"]) == "屏幕坏了"
    assert customer_part("外观：漂亮\n屏幕：清晰") is None
    assert customer_part("客服: 您好\n客服: 请问在吗", ["客服", "客户"]) is None
    assert customer_part("物流太慢了") is None
