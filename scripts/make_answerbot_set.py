"""Write the answer-bot benchmark set (FAQ + queries) from the shared dev data.

    python scripts/make_answerbot_set.py --data ../shared/data --out /tmp/answerbot

- faq.jsonl: the 68 CovidFAQ entries, {"_id", "question", "answer"}.
- queries.jsonl: the 1,387 labelled user queries ({"_id", "text", "faq_id"}) and out-of-scope
  questions ("faq_id": null): 150 customer-service utterances sampled from Banking77 (seed 7) and
  the general questions below, collected for this benchmark. None of them is about COVID-19, so
  the right behaviour is to abstain.
- learn.jsonl / heldout.jsonl: the same queries split for measuring the bot after it learned
  (`--learn learn.jsonl --queries heldout.jsonl`): half of the in-scope queries (seed 11) to live
  through first, the rest and all out-of-scope questions to measure.

Nothing from ../shared is copied into the repository: the output goes where --out says.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

GENERAL_OUT_OF_SCOPE = [
    "How do I reset my router password?",
    "What is the capital of Australia?",
    "Can I return shoes I bought online last week?",
    "How long should I boil an egg?",
    "Who won the football world cup in 2018?",
    "What time does the public library open on Sundays?",
    "How do I renew my driver's license?",
    "How much does a new laptop battery cost?",
    "My washing machine makes a loud noise when spinning",
    "How do I change the language of my phone keyboard?",
    "What is the best way to learn Spanish?",
    "Why is my internet connection so slow in the evening?",
    "How do I cancel my gym membership?",
    "Can you recommend a good science fiction book?",
    "How do I transfer photos from my phone to my computer?",
    "What is the difference between a crocodile and an alligator?",
    "How do I file my income tax return?",
    "My car makes a squeaking sound when I brake",
    "How many calories are in a banana?",
    "What's the exchange rate between euros and dollars?",
    "How do I unclog a kitchen sink?",
    "When is the next full moon?",
    "How do I set up a new email account?",
    "What are the rules of chess castling?",
    "How do I get a refund for a concert ticket?",
    "Why does my cat keep scratching the sofa?",
    "How do I repot a plant?",
    "What is the speed of light?",
    "How can I improve my credit score?",
    "My printer says it is offline, what do I do?",
    "How do I make sourdough bread?",
    "Where can I park my bicycle downtown?",
    "How do I update the firmware of my smart TV?",
    "What is a good name for a golden retriever puppy?",
    "How do I remove a red wine stain from a carpet?",
    "Can I pay my electricity bill by credit card?",
    "How do I tie a tie?",
    "What programming language should I learn first?",
    "How do I stop my glasses from fogging up in winter?",
    "Is it going to snow this weekend?",
    "How do I book a table at a restaurant online?",
    "What does the stock market index measure?",
    "How do I clean a cast iron pan?",
    "My laptop keyboard stopped working",
    "How far is the moon from the earth?",
    "How do I write a cover letter for a job application?",
    "Why is the sky blue?",
    "How do I pair wireless headphones with my phone?",
    "What is the warranty on a new refrigerator?",
    "How do I change a flat tire?",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = json.loads((args.data / "covidfaq_query_answer_pairs.json").read_text("utf-8"))
    faq_of_answer: dict[str, str] = {}
    faqs: list[dict[str, str]] = []
    for row in rows:
        if row["query_type"] == "faq":
            faq_id = f"faq{len(faqs)}"
            faq_of_answer[row["answer"]] = faq_id
            faqs.append({"_id": faq_id, "question": row["question"], "answer": row["answer"]})
    queries = [
        {"_id": f"q{number}", "text": row["question"], "faq_id": faq_of_answer[row["answer"]]}
        for number, row in enumerate(r for r in rows if r["query_type"] == "user_query")
        if row["answer"] in faq_of_answer
    ]
    with (args.data / "banking77_train.csv").open(encoding="utf-8") as handle:
        banking = [row["text"] for row in csv.DictReader(handle)]
    outside = random.Random(7).sample(banking, 150) + GENERAL_OUT_OF_SCOPE
    queries += [{"_id": f"oos{n}", "text": text, "faq_id": None} for n, text in enumerate(outside)]
    # The bot learning in use: half of the real queries (seed 11) as earlier conversations, the
    # other half and every out-of-scope question measured after it.
    chooser = random.Random(11)
    learn_ids = {q["_id"] for q in queries if q["faq_id"] and chooser.random() < 0.5}
    learn = [q for q in queries if q["_id"] in learn_ids]
    heldout = [q for q in queries if q["_id"] not in learn_ids]
    args.out.mkdir(parents=True, exist_ok=True)
    for name, items in (
        ("faq.jsonl", faqs),
        ("queries.jsonl", queries),
        ("learn.jsonl", learn),
        ("heldout.jsonl", heldout),
    ):
        with (args.out / name).open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    print(f"{len(faqs)} FAQs, {len(queries)} queries ({len(outside)} out of scope) in {args.out}")


if __name__ == "__main__":
    main()
