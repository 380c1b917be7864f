"""A transcript's speaker labels are taken off before aspects are read; a review's are kept."""

from __future__ import annotations

from ckhub.text.speakers import without_speaker_labels

CHAT = "客服: 您好，这里是售后服务中心。\n客户: 屏幕坏了\n客服: 好的，已经为您记录"


def test_the_speakers_of_a_transcript_are_taken_off() -> None:
    assert without_speaker_labels(CHAT, ["客服", "客户"]) == (
        "您好，这里是售后服务中心。\n屏幕坏了\n好的，已经为您记录"
    )


def test_a_label_that_starts_several_lines_is_a_speaker() -> None:
    """Without the transcript's facts (a chat pasted into a ticket), the conversation's shape
    tells: 客服 speaks twice; 客户 once, and is kept (and is no aspect anyway)."""
    assert without_speaker_labels(CHAT) == (
        "您好，这里是售后服务中心。\n客户: 屏幕坏了\n好的，已经为您记录"
    )
    assert without_speaker_labels("Agent: Hi\nCustomer: The app crashes\nAgent: Noted") == (
        "Hi\nCustomer: The app crashes\nNoted"
    )


def test_what_a_review_judges_is_no_speaker() -> None:
    review = "外观：漂亮\n屏幕：清晰\n物流特别有问题：收货时不给看"
    assert without_speaker_labels(review) == review
    assert without_speaker_labels(review, ["张三"]) == review
