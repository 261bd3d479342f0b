"""Escaping for text that comes from dataset.yml, and linking of bare URLs in it."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from ..tokens import CJK_CHARACTERS, find_emails, find_urls

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!")


def escape_html(text: str) -> str:
    return html.escape(text, quote=False)


def attr(value: str) -> str:
    """A value for a double-quoted HTML attribute."""
    return html.escape(value, quote=True)


def escape_markdown(text: str) -> str:
    """Text for a Markdown heading or link label that renders literally."""
    return "".join(
        "\\" + char if char in _MARKDOWN_SPECIAL else html.escape(char, quote=True) for char in text
    )


def paragraphs(text: str) -> list[list[str]]:
    """The paragraphs of a text (split at blank lines, however many) as their non-blank lines.

    Pages and the README both lay out texts from dataset.yml this way, lines kept as written."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    return [lines for lines in ([line for line in block.split("\n") if line.strip()] for block in blocks) if lines]


_CJK_LATIN = re.compile(f"(?<=[{CJK_CHARACTERS}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{CJK_CHARACTERS}])")


def spaced(text: str) -> str:
    """The site's own words with a value filled in, spaced as Chinese copywriting wants: a space
    between Chinese and Latin words or digits ("本节只有 English 版本"). Never for an author's text,
    which is shown as written."""
    return _CJK_LATIN.sub(" ", text)


def mailto(email: str) -> str:
    return "mailto:" + quote(email, safe="@.+-_")


def linkify(text: str) -> str:
    """Escape `text` as HTML, turning bare http(s) URLs and email addresses into links."""
    spans = [(start, end, url, url) for start, end, url in find_urls(text) if url.lower().startswith("http")]
    for start, end, email in find_emails(text, whole_words=True):
        if not any(s <= start < e for s, e, _, _ in spans):
            spans.append((start, end, mailto(email), email))
    out, position = [], 0
    for start, end, href, label in sorted(spans):
        out.append(escape_html(text[position:start]))
        out.append(f'<a href="{attr(href)}">{escape_html(label)}</a>')
        position = end
    out.append(escape_html(text[position:]))
    return "".join(out)


_TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
_CJK = re.compile(f"[{CJK_CHARACTERS}]+")
_RAW_TEXT = ("script", "style", "textarea")


def mark_han(html_text: str, language: str) -> str:
    """Wrap runs of Han text in <span lang="`language`"> (for pages whose language is not written
    in Han characters), so that screen readers and fonts treat them as that language. Tags and
    their attributes are kept."""
    out, raw = [], None
    for part in _TAG_OR_TEXT.split(html_text):
        if part.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _RAW_TEXT:
                raw = None if part.startswith("</") else name.group(1).lower()
            out.append(part)
        elif raw or not part:
            out.append(part)
        else:
            out.append(_CJK.sub(lambda m: f'<span lang="{language}">{m.group(0)}</span>', part))
    return "".join(out)
