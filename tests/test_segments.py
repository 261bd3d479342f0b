"""The Chinese words of the search index, remembered between builds (datasite/segments.py).

A build whose texts were all segmented before does not load jieba's dictionary; the index it
writes is the one a build without the cache writes."""

from __future__ import annotations

import json
import shutil
import types
from pathlib import Path

import msgspec
import pytest

from conftest import TINY, copy_project, mkdocs_build
from datasite.segments import FORMAT, CachedSegmenter, SegmentCache, dictionary_key


class Counting:
    """A segmenter that cuts a text into pairs of characters and counts its calls."""

    def __init__(self):
        self.calls: list[str] = []

    def __call__(self, text: str):
        self.calls.append(text)
        return [text[i:i + 2] for i in range(0, len(text), 2)]


def test_a_text_is_segmented_once_and_kept_for_the_next_build(tmp_path):
    path = tmp_path / "segments.msgpack"
    first = Counting()
    cache = SegmentCache(path, "k", first)
    assert cache.cut("许可协议") == ["许可", "协议"]
    assert cache.cut("许可协议") == ["许可", "协议"]
    assert first.calls == ["许可协议"]  # mutant: no memo in cut() -> two calls
    cache.save()

    second = Counting()
    again = SegmentCache(path, "k", second)
    assert again.cut("许可协议") == ["许可", "协议"]
    assert second.calls == []  # mutant: save() writes nothing, or the file is not read


def test_another_dictionary_or_segmenter_version_segments_again(tmp_path):
    path = tmp_path / "segments.msgpack"
    cache = SegmentCache(path, "jieba 0.42\n-\n-", Counting())
    cache.cut("数据")
    cache.save()
    other = Counting()
    SegmentCache(path, "jieba 0.42\nabc\n-", other).cut("数据")
    assert other.calls == ["数据"]  # mutant: the key not compared on load


def test_only_the_texts_of_the_last_build_are_kept(tmp_path):
    path = tmp_path / "segments.msgpack"
    cache = SegmentCache(path, "k", Counting())
    cache.cut("旧文本")
    cache.save()
    cache = SegmentCache(path, "k", Counting())
    cache.cut("新文本")
    cache.save()
    kept = msgspec.msgpack.decode(path.read_bytes())["words"]
    assert list(kept) == ["新文本"]


@pytest.mark.parametrize("content", [
    b"\xc1 not msgpack",
    msgspec.msgpack.encode({"format": FORMAT + 1, "key": "k", "words": {"数据": ["数据"]}}),
    msgspec.msgpack.encode(["a list"]),
    msgspec.msgpack.encode({"format": FORMAT, "key": "k", "words": {"数据": ["数", 1]}}),
    msgspec.msgpack.encode({"format": FORMAT, "key": "k", "words": {"数据": ["别的"]}}),
], ids=["damaged", "other-format", "not-a-mapping", "not-strings", "words-not-the-text"])
def test_a_damaged_or_foreign_cache_is_segmented_again(tmp_path, content):
    path = tmp_path / "segments.msgpack"
    path.write_bytes(content)
    segment = Counting()
    assert SegmentCache(path, "k", segment).cut("数据") == ["数据"]
    assert segment.calls == ["数据"]


def test_an_unwritable_cache_still_segments(tmp_path):
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the cache's folder should be")
    cache = SegmentCache(folder / "segments.msgpack", "k", Counting())
    assert cache.cut("数据") == ["数据"]
    cache.save()  # (nothing written, nothing raised)


def test_the_stand_in_cuts_what_the_theme_passes_and_forwards_the_rest(tmp_path):
    calls = []
    module = types.SimpleNamespace(cut=lambda text, *a, **k: calls.append((text, a, k)) or iter([text]),
                                   set_dictionary=lambda path: calls.append(("set", path)))
    stand_in = CachedSegmenter(module, SegmentCache(None, "k", Counting()))
    # The theme passes UTF-8 bytes and joins what comes back.
    assert "\u200b".join(stand_in.cut("温州数据".encode())) == "温州\u200b数据"
    stand_in.set_dictionary("dict.txt")
    list(stand_in.cut("温州", cut_all=True))  # a call of another kind goes to jieba itself
    assert calls == [("set", "dict.txt"), ("温州", (), {"cut_all": True})]


def test_dictionary_key_names_each_dictionary_by_its_content(tmp_path):
    words = tmp_path / "user.txt"
    words.write_text("温州 5\n", encoding="utf-8")
    before = dictionary_key("0.42.1", [None, str(words)])
    words.write_text("温州 9\n", encoding="utf-8")
    assert dictionary_key("0.42.1", [None, str(words)]) != before
    assert dictionary_key("0.42.2", [None, str(words)]) != dictionary_key("0.42.1", [None, str(words)])


def _chinese_index(site: Path) -> str:
    return (site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_build_from_the_cache_writes_the_index_a_build_without_it_writes(tmp_path):
    project = copy_project(tmp_path / "project", TINY)
    shutil.copytree(TINY / "release", project / "release")
    cache = project / ".cache" / "datasite" / "segments.msgpack"
    shutil.rmtree(project / ".cache", ignore_errors=True)

    result = mkdocs_build(project, "--strict", "--site-dir", str(tmp_path / "cold"))
    assert result.returncode == 0, result.stderr
    content = msgspec.msgpack.decode(cache.read_bytes())
    assert content["words"], "the Chinese texts the theme segmented are kept"

    result = mkdocs_build(project, "--strict", "--site-dir", str(tmp_path / "warm"))
    assert result.returncode == 0, result.stderr
    assert _chinese_index(tmp_path / "warm") == _chinese_index(tmp_path / "cold")
    for name in ("search/search_index.json", "index.html", "zh/index.html"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()

    # The warm build's words are the cache's: a text whose kept words are changed (still making
    # up the text) is indexed with them, so the build did not ask jieba (the dictionary not loaded).
    text = next(text for text, words in content["words"].items() if any(len(word) > 1 for word in words))
    content["words"][text] = list(text)
    cache.write_bytes(msgspec.msgpack.encode(content))
    result = mkdocs_build(project, "--strict", "--site-dir", str(tmp_path / "poisoned"))
    assert result.returncode == 0, result.stderr
    index = json.loads(_chinese_index(tmp_path / "poisoned"))
    joined = "\u200b".join(text)
    assert any(joined in doc["text"] or joined in doc["title"] for doc in index["docs"])
