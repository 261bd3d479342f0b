"""A large dataset: a release of a thousand files and a hundred mirrors. Only the download page
grows with them; its rows are grouped and collapsed but every file keeps its anchor, its row,
its search entry and its line in SHA256SUMS; the feed carries the recent changes only.

(How fast and how light, at 10,000 files and 300 mirrors, is benchmarks/scale.py's to say.)"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import TINY, copy_project, datasite, mkdocs_build, open_page, page, search_hits

from datasite.loader import load_dataset
from datasite.render.pages import (FILES_MARKER, GROUP_BYTES, file_groups, file_search_entries, files_pages, files_table,
                                   listing_blocks, render_pages)

FILES = 1_100  # a folder too large for one page (split in parts), one just not, a small one, some at the top


def file_names(count: int = FILES) -> list[str]:
    names = []
    for index in range(count):
        if index < 30:
            names.append(f"readme-{index:02d}.txt")
        elif index < 60:
            names.append(f"meta data/part {index:03d}.json")  # spaces: an id may not hold them
        elif index < 650:
            names.append(f"cells/cell-{index:04d}.csv")
        else:
            names.append(f"日志/记录-{index:04d}.csv")
    return names


def large_text(mirrors: int = 100, changes: int = 60) -> str:
    data = yaml.safe_load((TINY / "dataset.yml").read_text(encoding="utf-8"))
    for index in range(mirrors):
        data["mirrors"].append({"id": f"extra-{index:03d}", "region": "everywhere",
                                "label": {"en": f"Extra mirror {index}", "zh": f"备用镜像 {index}"},
                                "url": f"https://extra-{index:03d}.example.org/lakeside"})
    data["releases"].append({"version": "3.0", "date": "2023-05-01", "files": [
        {"name": name, "size": 1000 + index, "sha256": hashlib.sha256(name.encode()).hexdigest(), "format": "csv"}
        for index, name in enumerate(file_names())]})
    data["changes"] += [{"date": f"2023-{1 + i // 28:02d}-{1 + i % 28:02d}", "kind": "other",
                         "text": {"en": f"Change {i}.", "zh": f"第 {i} 项变更。"}} for i in range(changes)]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    return re.sub(r"date: '(\d{4}-\d\d-\d\d)'", r"date: \1", text)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("large") / "p", TINY)
    (project / "dataset.yml").write_text(large_text(), encoding="utf-8")
    assert datasite(project, "confirm", "--all").returncode == 0
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    return project / "site"


# -- the unit layer -------------------------------------------------------------------------

def release_of(names: list[str]):
    from datetime import date

    from datasite.model import Release, ReleaseFile

    return Release(version="1", date=date(2026, 1, 1), files=[
        ReleaseFile(name=name, size=10, sha256=hashlib.sha256(name.encode()).hexdigest()) for name in names])


def dataset_with(names: list[str]):
    import msgspec

    return msgspec.structs.replace(load_dataset(TINY / "dataset.yml").dataset, releases=[release_of(names)])


def test_a_small_release_is_one_table_on_the_download_page_with_a_copy_button_per_digest():
    dataset = dataset_with(["a.csv", "b c.csv"])
    blocks = listing_blocks(dataset, "en")
    assert list(blocks) == ["download"] and list(files_pages(dataset, "en", {"directory_urls": True})) == []
    html = BeautifulSoup(blocks["download"][FILES_MARKER], "html.parser")
    assert [row["id"] for row in html.select("tbody tr")] == ["f-a.csv", "f-b_c.csv"]
    assert len(html.select("button")) == 2


def test_a_large_release_is_listed_by_folder_on_pages_of_its_own_and_keeps_every_row():
    names = file_names()
    dataset = dataset_with(names)
    groups = file_groups(dataset.latest_release)
    assert [slug for slug, _, _ in groups] == ["top", "cells-1", "cells-2", "meta-data", "日志"]
    blocks = listing_blocks(dataset, "zh")
    assert list(blocks) == [f"download/files/{slug}" for slug, _, _ in groups]
    rows = [row for block in blocks.values() for row in BeautifulSoup(block[FILES_MARKER], "html.parser").select("tbody tr")]
    assert sorted(r.select_one("code").get_text() for r in rows) == sorted(names)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids) and "f-meta_data/part_030.json" in ids
    # Pages are cut by the bytes of their rows, so that each stays light whatever the names' length.
    assert max(len(b[FILES_MARKER].encode()) for b in blocks.values()) <= GROUP_BYTES
    assert not any("<button" in b[FILES_MARKER] for b in blocks.values())
    download = render_pages(dataset, "zh")["download"]
    assert FILES_MARKER not in download and "共 1100 个文件，按文件夹分 5 页列出" in download
    summary = BeautifulSoup(download, "html.parser").select("table.ds-file-pages tbody tr")
    assert [row["id"] for row in summary] == [f"files-{slug}" for slug, _, _ in groups]
    first, last = groups[1][2][0].name.split("/")[1], groups[1][2][-1].name.split("/")[1]
    assert summary[1].select_one("a")["href"] == "files/cells-1/" and f"cells/ ({first} – {last})" in summary[1].get_text()


def test_rows_whose_ids_would_clash_get_their_own():
    html = BeautifulSoup(files_table(release_of(["a b.csv", "a_b.csv"]).files, "en", buttons=False), "html.parser")
    assert [row["id"] for row in html.select("tbody tr")] == ["f-a_b.csv", "f-a_b.csv-2"]


def test_file_names_are_searched_by_name_on_their_page_and_digests_are_not():
    dataset = dataset_with(file_names())
    release = dataset.latest_release
    entries = file_search_entries(dataset, "en")
    assert [e["location"] for e in entries] == [f"download/files/{slug}/" for slug, _, _ in file_groups(release)]
    assert "cells/cell-0100.csv" in " ".join(e["text"] for e in entries)
    assert not any(item.sha256 in e["text"] for e in entries for item in release.files[:5])
    assert file_search_entries(dataset, "zh", directory_urls=False)[0]["location"] == "download/files/top.html"
    small = dataset_with(["a.csv"])
    assert file_search_entries(small, "zh") == [{"location": "download/#files", "title": "版本 1（2026-01-01）的文件",
                                                 "text": "a.csv"}]


def test_the_feed_carries_the_latest_twenty_changes():
    from datasite.render.feed import FEED_ENTRIES, atom_feed
    from datasite.validation import validate
    from datasite.loader import parse_yaml

    dataset = validate(parse_yaml(large_text(mirrors=0), "dataset.yml")[0])
    feed = atom_feed(dataset, "en")
    assert FEED_ENTRIES == 20 and feed.count("<entry>") == 20
    newest = sorted(dataset.changes, key=lambda c: c.date)[-1]
    assert f"<updated>{newest.date}T00:00:00Z</updated>" in feed and "Change 0." not in feed


def test_the_readme_lists_two_hundred_files_and_says_where_the_rest_are():
    from datasite.render.readme import README_FILES, render_readme
    from datasite.validation import validate
    from datasite.loader import parse_yaml

    dataset = validate(parse_yaml(large_text(mirrors=0), "dataset.yml")[0])
    text = render_readme(dataset)
    assert README_FILES == 200
    assert "and 900 more files: the site's download page and SHA256SUMS list them all" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert "cells/cell-0199.csv" in "\n".join(table) and "cells/cell-0200.csv" not in "\n".join(table)


# -- the built site -------------------------------------------------------------------------

def test_only_the_download_page_grows(large_site, tiny_site):
    for name in ("", "license", "cite", "contact", "zh/", "zh/license", "zh/cite"):
        small = (tiny_site / name / "index.html").stat().st_size
        large = (large_site / name / "index.html").stat().st_size
        assert large < small * 1.2 + 3_000, (name, small, large)  # (the nav and the new release's date)
    ld = json.loads(page(large_site, "").select_one('script[type="application/ld+json"]').string)
    assert len(ld["potentialAction"]) == 3 and "hasPart" not in ld and "distribution" not in ld
    html = page(large_site, "download")
    download = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert "hasPart" not in download and len(download["potentialAction"]) == 102
    # The complete listing: one file, that every page's Signposting links (describedby).
    (described,) = html.select('link[rel="describedby"][type="application/ld+json"]:not([profile])')
    assert described["href"].endswith("/dataset.jsonld")
    listing = json.loads((large_site / "dataset.jsonld").read_text(encoding="utf-8"))
    assert sum(1 for d in listing["hasPart"] if "sha256" in d) == FILES


def test_a_long_history_is_one_page_without_a_table_of_contents(large_site):
    html = page(large_site, "changes")
    assert len(html.select("article h2")) == 62 and not html.select(".md-nav--secondary li")


def test_every_file_is_on_a_page_of_files_in_sha256sums_and_in_search(large_site):
    for prefix in ("", "zh/"):
        download = page(large_site, f"{prefix}download")
        links = [a["href"] for a in download.select("table.ds-file-pages a")]
        rows = {}
        for link in links:
            listing = page(large_site, f"{prefix}download/{link.rstrip('/')}")
            rows.update({row["id"]: row for row in listing.select("table.ds-files tbody tr")})
            back = [a["href"] for a in listing.select("p.ds-intro a")]
            here = large_site / prefix / "download" / link
            assert back[0] == "../../" and (here / back[1]).resolve() == (large_site / "SHA256SUMS").resolve()
            assert "datasite:files" not in str(listing)
        assert len(rows) == FILES and "f-日志/记录-1099.csv" in rows
        index = json.loads((large_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("download/files/"))
        assert all(name in texts for name in ("readme-00.txt", "meta data/part 059.json", "日志/记录-0700.csv"))
        assert not [doc for doc in index["docs"] if doc["location"].startswith("download/files/")
                    and hashlib.sha256(b"readme-00.txt").hexdigest() in doc["text"]]
    sums = (large_site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == FILES


def test_a_file_is_found_by_search_and_its_link_shows_its_row(large_site, serve, browser):
    base = serve(large_site)
    context, tab, seen = open_page(browser, f"{base}/download/files/cells-1/#f-cells/cell-0300.csv")
    try:
        from playwright.sync_api import expect

        expect(tab.locator('[id="f-cells/cell-0300.csv"]')).to_be_in_viewport()
        tab.goto(f"{base}/zh/download/")
        hrefs = search_hits(tab, "记录-0700")
        assert any(href.endswith("download/files/日志/") or "%E6%97%A5%E5%BF%97/" in href for href in hrefs), hrefs
        assert seen["errors"] == [] and seen["outside"] == []
    finally:
        context.close()


# -- parsing a large file again, by section -------------------------------------------------

def test_sections_are_the_top_level_keys_with_their_lines():
    from datasite.parsecache import sections

    text = "# about\nid: x\nmirrors:\n- id: a\n  url: u\n\nreleases:\n  - version: '1'\n"
    assert sections(text) == [("id", 1, "id: x"), ("mirrors", 2, "mirrors:\n- id: a\n  url: u\n"),
                              ("releases", 6, "releases:\n  - version: '1'\n")]
    for unusual in ("---\nid: x\nname: y\n", "- y\nid: x\n", "id: x\nid: y\n", '"id": x\nname: y\n', "%YAML 1.2\nid: x\n"):
        assert sections(unusual) is None, unusual


@pytest.mark.parametrize("edit", [
    lambda text: text,  # the same file: every section from the cache
    lambda text: text.replace("Change 7.", "Change seven."),  # one section parsed again
    lambda text: text.replace("changes:", "changes: &all", 1).replace("link_check:", "again: *all\nlink_check:", 1)
    if "link_check:" in text else text + "again: *all\n",
])
def test_a_file_parsed_by_section_gives_what_it_gives_whole(tmp_path, edit):
    """The same data, marks and messages as without the cache, whatever was edited."""
    from datasite.parsecache import ParseCache

    path = tmp_path / "dataset.yml"
    original = large_text(mirrors=5, changes=10)
    path.write_text(original, encoding="utf-8")
    cache_file = tmp_path / "sections.msgpack"
    warm = ParseCache(cache_file)
    load_dataset(path, warm)
    warm.save()
    path.write_text(edit(original), encoding="utf-8")
    try:
        whole = load_dataset(path)
    except Exception as exc:  # (the alias: refused, with its line)
        with pytest.raises(type(exc)) as cached:
            load_dataset(path, ParseCache(cache_file))
        assert str(cached.value) == str(exc) and "alias" in str(exc)
        return
    again = ParseCache(cache_file)
    parsed = load_dataset(path, again)
    assert (parsed.dataset, parsed.marks, parsed.ids) == (whole.dataset, whole.marks, whole.ids)
    assert again.changed == (edit(original) != original)


def test_a_damaged_section_cache_is_parsed_again(tmp_path):
    from datasite.parsecache import ParseCache

    path = tmp_path / "dataset.yml"
    path.write_text(large_text(mirrors=1, changes=2), encoding="utf-8")
    (tmp_path / "sections.msgpack").write_bytes(b"\xc1 not msgpack")
    assert load_dataset(path, ParseCache(tmp_path / "sections.msgpack")).dataset == load_dataset(path).dataset
