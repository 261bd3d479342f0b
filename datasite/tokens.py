"""Invariant tokens: the parts of a text that must read the same in every translation.

URLs, email addresses, DOIs and digit groups of four or more digits (years, patent and
application numbers) are never translated, so a difference between languages is a mistake.
"""

from __future__ import annotations

import re

# Chinese characters and punctuation (CJK symbols, ideographs, full-width forms).
CJK_CHARACTERS = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# URLs and DOIs stop at whitespace and at Chinese text, which in Chinese sentences follows them
# with no space between ("见https://…获取").
_URL = re.compile(rf"(?:https?|mailto):[^\s<>\"'“”{CJK_CHARACTERS}]+", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DOI = re.compile(rf"\b10\.[0-9]{{4,9}}/[^\s<>\"'“”{CJK_CHARACTERS}]+")
_DIGITS = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")
_TRAILING = ".,;:!?)]}'\""


_CLOSING = {")": "(", "]": "[", "}": "{"}


def _trim(token: str) -> str:
    """Drop sentence punctuation after a token, but not a bracket the token itself opened
    ("https://en.wikipedia.org/wiki/Ohm_(unit)")."""
    while token and token[-1] in _TRAILING:
        last = token[-1]
        if last in _CLOSING and token.count(_CLOSING[last]) >= token.count(last):
            break
        token = token[:-1]
    return token


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL in `text`, trailing sentence punctuation excluded."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        found.append((match.start(), match.start() + len(url), url))
    return found


def invariant_tokens(text: str) -> set[str]:
    tokens = {url for _, _, url in find_urls(text)}
    tokens |= {_trim(m.group()) for m in EMAIL.finditer(text)}
    tokens |= {_trim(m.group()) for m in _DOI.finditer(text)}
    tokens |= set(_DIGITS.findall(text))
    return tokens
