"""One file, one entry: call and chat transcripts (.txt, .vtt, .srt) and meeting notes
(Markdown or text). Given a folder, every file in it is imported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ckhub.knowledge.connectors.base import ImportOptions, RowError
from ckhub.knowledge.connectors.encoding import open_text
from ckhub.knowledge.connectors.times import parse_time
from ckhub.knowledge.inputs import EntryInput

MAX_FILE_CHARS = 2_000_000
_CUE_TIME = re.compile(
    r"(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VTT_VOICE = re.compile(r"^<v(?:\.[^ >]+)?\s+([^>]+)>(.*?)(?:</v>)?$")
_SPEAKER_LINE = re.compile(
    r"^(?:\[?(\d{1,2}:\d{2}(?::\d{2})?)\]?\s*)?([^:：\[\]]{1,24})[:：]\s*(.+)$"
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _documents(path: Path, suffixes: tuple[str, ...]) -> Iterator[tuple[int, Path, str]]:
    """(number, file, text) for the file, or for each file with these suffixes in the folder."""
    files = [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    for number, file in enumerate(files, 1):
        with open_text(file) as text:
            yield number, file, text.read(MAX_FILE_CHARS)


def _start_seconds(cue: str) -> float:
    first = cue.split("-->")[0].strip().replace(",", ".")
    parts = [float(part) for part in first.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def parse_transcript(text: str, suffix: str) -> tuple[list[str], dict[str, object]]:
    """Lines "Speaker: words" and facts about the conversation (speakers, turns, length)."""
    lines: list[str] = []
    speakers: dict[str, int] = {}
    last_time = 0.0
    speaker = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "WEBVTT" or line.isdigit() or line.startswith(("NOTE", "STYLE")):
            continue
        if _CUE_TIME.search(line):
            last_time = max(last_time, _start_seconds(line))
            continue
        voice = _VTT_VOICE.match(line) if suffix == ".vtt" else None
        said = _SPEAKER_LINE.match(line) if voice is None else None
        if voice:
            speaker, words = voice.group(1).strip(), voice.group(2).strip()
        elif said and not said.group(2).strip().startswith("http"):
            speaker, words = said.group(2).strip(), said.group(3).strip()
        else:
            words = line  # a continuation of the current speaker
        speakers[speaker] = speakers.get(speaker, 0) + 1
        lines.append(f"{speaker}: {words}" if speaker else words)
    facts: dict[str, object] = {
        "turns": len(lines),
        "speakers": sorted(name for name in speakers if name),
    }
    if last_time:
        facts["duration_seconds"] = round(last_time)
    return lines, facts


class TranscriptConnector:
    kind = "transcript"
    default_channel = "call"
    suffixes = (".txt", ".vtt", ".srt")

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        for number, file, content in _documents(path, self.suffixes):
            lines, facts = parse_transcript(content, file.suffix.lower())
            yield (
                number,
                EntryInput(
                    channel=options.channel or self.default_channel,
                    source=options.source,
                    source_id=file.stem,
                    title=file.stem,
                    body="\n".join(lines),
                    visibility=options.visibility,
                    team=options.team,
                    extra=facts,
                ),
            )


class MeetingNotesConnector:
    kind = "meeting"
    default_channel = "meeting"
    suffixes = (".md", ".markdown", ".txt")

    def read(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, EntryInput | RowError]]:
        for number, file, content in _documents(path, self.suffixes):
            meta: dict[str, str] = {}
            front = _FRONT_MATTER.match(content)
            if front:
                content = content[front.end() :]
                for line in front.group(1).splitlines():
                    key, _, value = line.partition(":")
                    meta[key.strip().lower()] = value.strip().strip("\"'")
            heading = re.search(r"^#\s+(.+)$", content, re.MULTILINE)
            occurred = None
            if meta.get("date"):
                try:
                    occurred = parse_time(meta["date"], options.timezone)
                except ValueError as problem:
                    yield number, RowError(number, "occurred_at", f"{file.name}: {problem}")
                    continue
            yield (
                number,
                EntryInput(
                    channel=options.channel or self.default_channel,
                    source=options.source,
                    source_id=file.stem,
                    title=meta.get("title") or (heading.group(1).strip() if heading else file.stem),
                    body=content.strip(),
                    occurred_at=occurred,
                    visibility=options.visibility,
                    team=options.team,
                ),
            )
