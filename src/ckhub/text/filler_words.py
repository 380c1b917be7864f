"""Words that say nothing about what a text is about: function words, who speaks, and the
greetings and courtesies every support message carries ("客服你好……请尽快处理", "Hi, … Any
update? Thanks"). Topic labels leave them all out (`FILLER_WORDS`); aspect extraction
(ml/aspects.py) knows the courtesies and the words for the customer. Search does not: its stop
list (text/segment.py) is kept short so that any query still finds its words."""

from __future__ import annotations

# Politeness in Chinese messages (jieba tags 麻烦 as a noun in 麻烦问一下).
CHINESE_COURTESIES = frozenset("麻烦 请问 谢谢 您好 你好 亲".split())
# How staff-written notes name the customer (客户反馈…, 对方提到…).
CUSTOMER_REFERENCES = frozenset("对方 客户 顾客 用户 客人".split())

FILLER_WORDS = (
    CHINESE_COURTESIES
    | CUSTOMER_REFERENCES
    | frozenset(
        # Chinese: pronouns, adverbs, conjunctions, more courtesies, and transcripts' speaker.
        "这个 那个 这些 那些 这样 那样 这里 那里 就是 还是 只是 也是 都是 不是 已经 因为 所以 "
        "但是 不过 然后 如果 虽然 而且 或者 一下 一直 一些 一点 有点 有些 非常 真的 比较 特别 "
        "感觉 觉得 东西 时候 现在 之后 之前 可能 应该 知道 为什么 什么 怎么 怎么样 哪里 哪个 "
        "自己 大家 多谢 感谢 尽快 回复 哈哈 哈哈哈 哈哈哈哈 呵呵 坐席 "
        # English: function words, auxiliaries, vague verbs and adverbs, courtesies, speakers.
        "about above after again all also always any are aren because been before being below "
        "between both but can cannot could did didn does doesn doing done don down during each "
        "even ever every few for from further get gets getting got had has hasn have haven having "
        "here how however into its just more most much must nor now off once only other ought our "
        "ours out over own really same shall should since some still such than that the their "
        "theirs them then there these they this those through too under until upon very was wasn "
        "way were weren what when where whether which while who whom whose why will with within "
        "without would yet you your yours "
        "hello thanks thank please pls kindly regards dear question noted okay sure "
        "customer customers agent".split()
    )
)
