"""Report: verdicts joined with where each link appears, as JSON, a text table or Markdown."""

from __future__ import annotations

import json

from .verdict import Verdict
from .collect import Link


def report_entries(links: list[Link], verdicts: dict[str, Verdict]) -> list[dict]:
    entries = []
    for link in sorted(links, key=lambda l: l.url):
        verdict = verdicts.get(link.url) or Verdict(link.url, None, None, None, "not checked", None)
        entry = verdict.as_dict()
        entry["state"] = verdict.state
        entry["mirror"] = link.mirror
        entry["where"] = [o.as_dict() for o in link.occurrences]
        entries.append(entry)
    return entries


def _places(entry: dict) -> tuple[str, str, str]:
    pages = sorted({o["page"] for o in entry["where"] if o["page"]})
    languages = sorted({o["language"] for o in entry["where"] if o["language"]})
    sources = sorted({o["source"] for o in entry["where"]})
    return ", ".join(pages), ", ".join(languages), ", ".join(sources)


def _result(entry: dict) -> str:
    if entry["marker"]:
        return f"soft 404: “{entry['marker']}”" + (f" (HTTP {entry['status']})" if entry["status"] else "")
    return entry["reason"]


def summary(entries: list[dict]) -> str:
    counts = {state: sum(1 for e in entries if e["state"] == state) for state in ("reachable", "dead", "unknown")}
    return f"{len(entries)} links: {counts['reachable']} reachable, {counts['dead']} dead, {counts['unknown']} unknown"


def as_json(entries: list[dict]) -> str:
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


def as_markdown(entries: list[dict]) -> str:
    """A table of the links that need attention, for a GitHub issue or a job summary."""
    bad = [e for e in entries if e["state"] != "reachable"]
    lines = ["## Link check", "", summary(entries) + ".", ""]
    if not bad:
        return "\n".join(lines + ["Every link is reachable.", ""])
    lines += ["| State | Link | Mirror | Page | Language | Source | Result |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for entry in bad:
        page, languages, sources = _places(entry)
        cells = [entry["state"], f"<{entry['url']}>", entry["mirror"] or "", page, languages, sources, _result(entry)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def as_text(entries: list[dict]) -> str:
    lines = []
    for entry in entries:
        page, languages, sources = _places(entry)
        mirror = f" [{entry['mirror']}]" if entry["mirror"] else ""
        lines.append(f"{entry['state'].upper():9} {entry['url']}{mirror}")
        lines.append(f"          {_result(entry)}; on {page or '-'} ({languages or '-'}) from {sources}")
    lines.append(summary(entries))
    return "\n".join(lines) + "\n"
