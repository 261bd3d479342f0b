"""Host names as a reader's browser shows them, and the look-alike ones it would warn about.

A browser shows an internationalized host in its own letters only where that cannot deceive
(one script per label, or Latin with Chinese, Japanese or Korean script), and as its ASCII form
(punycode, xn--…) otherwise. A host that mixes scripts in one label (a Cyrillic "а" among Latin
letters) is how look-alike addresses are made: refused in dataset.yml.
"""

from __future__ import annotations

import unicodedata

# Scripts that may share a label, as browsers allow them (UTS #39's "highly restrictive" sets).
_ALLOWED_MIXES = ({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}, {"LATIN", "HAN", "BOPOMOFO"}, {"LATIN", "HAN", "HANGUL"})
_SHOWN_AS_WRITTEN = {"LATIN", "HAN", "HIRAGANA", "KATAKANA", "BOPOMOFO", "HANGUL"}
_SCRIPT_WORDS = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA"}  # (ー: either kana)


def _script(char: str) -> str | None:
    """The script of a letter (by its Unicode name), None for digits, hyphens and marks."""
    if not char.isalpha():
        return None
    word = unicodedata.name(char, "UNKNOWN").split(" ")[0]
    if word in ("FULLWIDTH", "HALFWIDTH"):
        word = unicodedata.name(char).split(" ")[1]
    return _SCRIPT_WORDS.get(word, word)


def label_scripts(label: str) -> set[str]:
    return {script for script in map(_script, label) if script}


def mixed_script_label(host: str) -> str | None:
    """The first label of `host` whose letters mix scripts no browser shows together, if any."""
    for label in _unicode_host(host).split("."):
        scripts = label_scripts(label)
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_MIXES):
            return label
    return None


def _unicode_host(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.lower().startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def ascii_host(host: str) -> str:
    """The host as it is looked up: each label in ASCII (punycode for the others)."""
    try:
        return ".".join(label.encode("idna").decode("ascii") if not label.isascii() else label
                        for label in host.split("."))
    except UnicodeError:
        return host


def display_host(host: str) -> str:
    """The host as a reader's browser shows it in the address bar."""
    unicode = _unicode_host(host.lower())
    if unicode.isascii():
        return unicode
    if mixed_script_label(unicode) is None and all(
            label_scripts(label) <= _SHOWN_AS_WRITTEN for label in unicode.split(".")):
        return unicode
    return ascii_host(unicode)
