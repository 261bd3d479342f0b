"""Invariant tokens: the parts of a text that must read the same in every translation.

URLs, email addresses, DOIs and digit groups of four or more digits (years, patent and
application numbers) are never translated, so a difference between languages is a mistake.
"""

from __future__ import annotations

import re

# Stops at whitespace and at CJK punctuation, which commonly follows a URL in Chinese text.
_URL = re.compile(r"(?:https?|mailto):[^\s<>\"'，。；、：（）《》“”！？]+", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DOI = re.compile(r"\b10\.[0-9]{4,9}/[^\s<>\"'，。；、：（）《》“”！？]+")
_DIGITS = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")
_TRAILING = ".,;:!?)]}'\""


def _trim(token: str) -> str:
    return token.rstrip(_TRAILING)


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL in `text`, trailing sentence punctuation excluded."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        found.append((match.start(), match.start() + len(url), url))
    return found


def invariant_tokens(text: str) -> set[str]:
    tokens = {url for _, _, url in find_urls(text)}
    tokens |= {_trim(m.group()) for m in _EMAIL.finditer(text)}
    tokens |= {_trim(m.group()) for m in _DOI.finditer(text)}
    tokens |= set(_DIGITS.findall(text))
    return tokens
