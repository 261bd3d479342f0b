"""Invariant tokens: the parts of a text that must read the same in every translation.

URLs, email addresses, DOIs and digit groups of four or more digits (years, patent and
application numbers) are never translated, so a difference between languages is a mistake.
"""

from __future__ import annotations

import re
import unicodedata

# Chinese characters and punctuation (CJK symbols, ideographs, full-width forms).
CJK_CHARACTERS = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# URLs and DOIs stop at whitespace and at Chinese text, which in Chinese sentences follows them
# with no space between ("见https://…获取").
_URL = re.compile(rf"(?:https?|mailto):[^\s<>\"'“”{CJK_CHARACTERS}]+", re.IGNORECASE)
_EMAIL_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DOI = re.compile(rf"\b10\.[0-9]{{4,9}}/[^\s<>\"'“”{CJK_CHARACTERS}]+")
_DIGITS = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")
_TRAILING = ".,;:!?)]}'\"*"  # "*": emphasis marks glued to a URL ("https://x.org/a**")


_CLOSING = {")": "(", "]": "[", "}": "{"}


def _trim(token: str) -> str:
    """Drop sentence punctuation after a token, but not a bracket the token itself opened
    ("https://en.wikipedia.org/wiki/Ohm_(unit)"). Brackets are counted once: linear time."""
    counts = {char: token.count(char) for char in "()[]{}"}
    end = len(token)
    while end and token[end - 1] in _TRAILING:
        last = token[end - 1]
        if last in _CLOSING and counts[_CLOSING[last]] >= counts[last]:
            break
        if last in counts:
            counts[last] -= 1
        end -= 1
    return token[:end]


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL in `text`, trailing sentence punctuation excluded."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        found.append((match.start(), match.start() + len(url), url))
    return found


def find_emails(text: str, *, whole_words: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, address) of every email address in `text`.

    Linear in the text's length: the search starts at each "@" and reads outwards, where a
    pattern tried at every position would read a long word again and again (quadratic time).
    `whole_words`: not the tail of a longer word ("邮箱a@b.cn" has none).
    """
    found: list[tuple[int, int, str]] = []
    position, floor = text.find("@"), 0
    while position >= 0:
        start = position
        while start > floor and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        domain = _EMAIL_DOMAIN.match(text, position + 1)
        if start < position and domain and not (whole_words and start > 0 and
                                                (text[start - 1].isalnum() or text[start - 1] == "_")):
            end = start + len(_trim(text[start:domain.end()]))
            found.append((start, end, text[start:end]))
            floor = end
        else:
            floor = position + 1
        position = text.find("@", max(floor, position + 1))
    return found


def find_dois(text: str) -> list[str]:
    """Every DOI in `text`, however it is written (a doi.org link, "DOI: 10.x/y", a bare 10.x/y),
    trailing punctuation excluded; each once, in order."""
    return list(dict.fromkeys(_trim(match.group()) for match in _DOI.finditer(text)))


def doi_of_url(url: str) -> str | None:
    """The DOI a doi.org link resolves, so that "https://doi.org/10.1/x" and "DOI: 10.1/x" agree."""
    match = re.match(r"https?://(?:dx\.)?doi\.org/(10\.[0-9]{4,9}/.+)$", url, re.IGNORECASE)
    return match.group(1) if match else None


def spelled_tokens(text: str) -> dict[str, str]:
    """The invariant tokens of `text`, each as compared (a doi.org link as its DOI) -> as written.

    Read in Unicode's compatibility form (NFKC): a URL typed in composed and in decomposed form
    is one URL, and a year in full-width digits (２０２５, as Chinese input methods type it) is
    the year 2025."""
    text = unicodedata.normalize("NFKC", text)
    tokens: dict[str, str] = {}
    for _, _, url in find_urls(text):
        tokens.setdefault(doi_of_url(url) or url, url)
    for _, _, email in find_emails(text):
        tokens.setdefault(email, email)
    for match in _DOI.finditer(text):
        tokens.setdefault(_trim(match.group()), _trim(match.group()))
    # Digits inside a link or DOI are compared as part of it (10.5555/x is not the number 5555).
    spans = [(start, end) for start, end, _ in find_urls(text)] + [m.span() for m in _DOI.finditer(text)]
    for match in _DIGITS.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            tokens.setdefault(match.group(), match.group())
    return tokens


def invariant_tokens(text: str) -> set[str]:
    return set(spelled_tokens(text))
