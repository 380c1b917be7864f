"""With an OpenAI-compatible LLM configured, the bot lets it write the answer from the sources it
found, still citing them; anything unfaithful or failing falls back to the quoted passage. The
LLM is a fake server on this machine (the real one lies outside the product)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.assistant.llm import AnswerWriter
from ckhub.assistant.service import ask, start_conversation
from ckhub.auth.permissions import Viewer
from ckhub.runtime import Runtime
from tests.factories import free_port, post_form
from tests.helpcenter_factories import answering_tools

API_KEY = "sk-test-not-for-logs"


class FakeLlm:
    """Answers /v1/chat/completions with `reply`, and keeps what it was sent."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                fake.requests.append(json.loads(self.rfile.read(length)))
                fake.headers.append(dict(self.headers))
                body = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": fake.reply}}]}
                ).encode()
                self.send_response(fake.status)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def llm() -> Iterator[FakeLlm]:
    fake = FakeLlm()
    yield fake
    fake.server.shutdown()


def _ask(db: Session, runtime: Runtime, writer: AnswerWriter, question: str) -> Any:
    chat = start_conversation(db, Viewer.anonymous(), "zh")
    return ask(db, Viewer.anonymous(), chat, question, *answering_tools(runtime), writer)


def test_the_llm_writes_from_the_sources_and_cites_them(
    db: Session, runtime: Runtime, published: None, llm: FakeLlm
) -> None:
    llm.reply = "请这样做：\n1. 打开 设置 → 账户 → 同步 [1]\n2. 关闭自动同步，10 秒后再打开 [1]"
    writer = AnswerWriter(llm.url, "qwen-test", API_KEY)
    reply = _ask(db, runtime, writer, "我的平板一直同步不了怎么办")
    assert reply.body == llm.reply
    assert reply.citations[0]["url"] == "/help/articles/tablet-sync"

    sent = llm.requests[-1]
    assert sent["model"] == "qwen-test" and sent["temperature"] == 0
    system, user = sent["messages"]
    assert "关闭自动同步" in system["content"] and "ONLY" in system["content"]
    assert "简体中文" in system["content"]
    assert "研发修复中" not in system["content"]  # the internal article is not the asker's
    assert user["content"] == "我的平板一直同步不了怎么办"
    assert llm.headers[-1]["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    "reply",
    [
        "关闭自动同步，30 秒后再打开 [1]",  # a number the article does not have
        "关闭自动同步后再打开。",  # cites nothing
        "关闭自动同步后再打开 [2]",  # cites a source it was not given
        "NO_ANSWER",
    ],
)
def test_unfaithful_answers_fall_back_to_the_quoted_passage(
    db: Session, runtime: Runtime, published: None, llm: FakeLlm, reply: str
) -> None:
    llm.reply = reply
    answer = _ask(db, runtime, AnswerWriter(llm.url, "m"), "我的平板一直同步不了怎么办")
    assert (
        answer.body.startswith("摘自《平板同步失败怎么办》") or "平板同步失败怎么办" in answer.body
    )
    assert reply not in answer.body and "关闭自动同步" in answer.body


def test_a_failing_llm_never_breaks_the_bot_nor_leaks_the_key(
    db: Session,
    runtime: Runtime,
    published: None,
    llm: FakeLlm,
    caplog: pytest.LogCaptureFixture,
) -> None:
    llm.status = 500
    caplog.set_level(logging.DEBUG)
    answer = _ask(db, runtime, AnswerWriter(llm.url, "m", API_KEY), "我的平板一直同步不了怎么办")
    assert "关闭自动同步" in answer.body and answer.citations
    down = AnswerWriter(f"http://127.0.0.1:{free_port()}/v1", "m", API_KEY, timeout=2)
    assert "关闭自动同步" in _ask(db, runtime, down, "平板同步失败").body
    assert API_KEY not in caplog.text

    asked = len(llm.requests)
    unsure = _ask(db, runtime, AnswerWriter(llm.url, "m"), "法国的首都是哪里")
    assert unsure.abstained and len(llm.requests) == asked  # below the floor: no LLM at all


def test_the_chat_uses_the_configured_llm(
    client: TestClient, runtime: Runtime, published: None, llm: FakeLlm
) -> None:
    llm.reply = "打开 设置 → 账户 → 同步，关闭自动同步，10 秒后再打开 [1]"
    runtime.settings.llm_url = llm.url
    client.get("/help/chat")
    post_form(client, "/help/chat/ask", {"question": "平板同步失败怎么办"}, page="/help/chat")
    assert "10 秒后再打开 [1]" in client.get("/help/chat").text
