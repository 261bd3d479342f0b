"""Chinese word segmentation for the search index, remembered between builds.

The theme's search cuts every run of Han characters into words with jieba, whose dictionary
takes half a second to load, more than the rest of a small site's build. The words of a text
depend only on the text and the dictionaries, so they are kept on disk (MessagePack, data only)
under a key naming jieba's version and the dictionaries in use; a build whose texts were all
seen before never loads the dictionary, and writes the same index as one that did.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Iterable

import msgspec

from .fsio import atomic_write, read_bytes

FORMAT = 1


def dictionary_key(version: str, dictionaries: Iterable[str | None]) -> str:
    """What the words depend on besides the text: the segmenter's version and the content of
    each dictionary file given (a path that cannot be read counts as its name)."""
    parts = [version]
    for path in dictionaries:
        if not path:
            parts.append("-")
            continue
        try:
            parts.append(hashlib.sha256(read_bytes(Path(path))).hexdigest())
        except OSError:
            parts.append(f"unreadable:{path}")
    return "\n".join(parts)


class SegmentCache:
    """The words of each text segmented before with the same `key`, kept in `path`."""

    def __init__(self, path: Path | None, key: str, segment: Callable[[str], Iterable[str]]):
        self.path = path
        self.key = key
        self.segment = segment
        self.words: dict[str, list[str]] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is None:
            return
        try:
            content = msgspec.msgpack.decode(read_bytes(path))
        except (OSError, msgspec.DecodeError):
            return  # (missing, damaged or unreadable: segmented again)
        if isinstance(content, dict) and content.get("format") == FORMAT and content.get("key") == key:
            words = content.get("words")
            if isinstance(words, dict):
                # (an entry whose words do not make up its text is not the segmenter's: dropped)
                self.words = {text: cut for text, cut in words.items()
                              if isinstance(text, str) and isinstance(cut, list)
                              and all(isinstance(w, str) for w in cut) and "".join(cut) == text}

    def cut(self, text: str) -> list[str]:
        words = self.words.get(text)
        if words is None:
            words = list(self.segment(text))
            self.words[text] = words
            self.changed = True
        self.used.add(text)
        return words

    def save(self) -> None:
        """Keep the texts of this build (those of older builds are dropped)."""
        if self.path is None or not (self.changed or set(self.words) != self.used):
            return
        kept = {text: self.words[text] for text in sorted(self.used)}
        try:
            atomic_write(self.path, msgspec.msgpack.encode({"format": FORMAT, "key": self.key, "words": kept}))
        except OSError:
            pass  # a read-only checkout still builds, loading the dictionary each time
        self.words, self.used, self.changed = kept, set(), False


class CachedSegmenter:
    """Stands for the jieba module where the theme's search calls `jieba.cut(text)`: cuts come
    from the cache, everything else (set_dictionary, load_userdict, …) goes to jieba itself."""

    def __init__(self, module, cache: SegmentCache):
        self._module = module
        self._cache = cache

    def cut(self, sentence, *args, **kwargs):
        if args or kwargs:  # (a call the cache was not made for)
            return self._module.cut(sentence, *args, **kwargs)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        return iter(self._cache.cut(text))

    def __getattr__(self, name):
        return getattr(self._module, name)
