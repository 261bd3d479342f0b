"""Each way dataset.yml or the pages can go wrong stops a real `mkdocs build` with a located message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import datasite, edit, mkdocs_build

TRACEBACK = "Traceback (most recent call last)"


def line_after(project: Path, anchor: str, needle: str) -> int:
    """1-based line of the first `needle` after the line containing `anchor` in dataset.yml."""
    lines = (project / "dataset.yml").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def assert_fails_at(result, file: str, line: int, key: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert TRACEBACK not in output, output
    assert re.search(rf"{re.escape(file)}:{line}:\d+: {re.escape(key)}", output), output
    return output


def test_missing_chinese_text(project):
    line = edit(project, "    label: {en: Quark Drive, zh: 夸克网盘}", "    label: {en: Quark Drive}")
    output = assert_fails_at(mkdocs_build(project, "--strict"), "dataset.yml", line, "mirrors.quark.label")
    assert "missing the 'zh' text" in output


def test_empty_text(project):
    line = edit(project, "    zh: 吕东祯博士\n", "    zh: '  '\n")
    output = assert_fails_at(mkdocs_build(project), "dataset.yml", line, "contact.person.zh")
    assert "empty" in output


def test_page_in_one_language_only(project):
    (project / "docs" / "guide.en.md").write_text("# Guide\n", encoding="utf-8")
    output = assert_fails_at(mkdocs_build(project), "docs/guide.en.md", 1, "docs/guide")
    assert "add guide.zh.md" in output


def test_invariant_token_mismatch(project):
    edit(project, "吕东祯博士已于 2023 年", "吕东祯博士已于 2032 年")
    line = line_after(project, "id: competing-interests", "body:")
    output = assert_fails_at(mkdocs_build(project), "dataset.yml", line, "clauses.competing-interests.body")
    assert "only in en: 2023" in output and "only in zh: 2032" in output


def test_url_mismatch_between_languages(project):
    text = (project / "dataset.yml").read_text(encoding="utf-8")
    old = "Cell Reports Physical Science (2024), https://doi.org/10.1016/j.xcrp.2024.102164\n      zh"
    assert old in text
    (project / "dataset.yml").write_text(text.replace(old, old.replace("102164", "102165")), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "clauses.accessibility-and-attribution.body" in result.stderr and "https://doi.org/10.1016/j.xcrp.2024.102165" in result.stderr


def test_stale_translation_fails_under_strict_and_ci_but_only_warns_otherwise(project):
    edit(project, "Users bear the risk", "Users bear all of the risk")
    line = line_after(project, "id: disclaimer", "body:")
    output = assert_fails_at(mkdocs_build(project, "--strict"), "dataset.yml", line, "clauses.disclaimer.body")
    assert "stale translation: en changed" in output
    assert "datasite confirm clauses.disclaimer.body" in output

    assert_fails_at(mkdocs_build(project, CI="true"), "dataset.yml", line, "clauses.disclaimer.body")

    lenient = mkdocs_build(project)
    assert lenient.returncode == 0, lenient.stderr
    assert "stale translation" in lenient.stderr


def test_confirm_clears_staleness(project):
    from conftest import datasite

    edit(project, "Users bear the risk", "Users bear all of the risk")
    assert datasite(project, "check", "--strict").returncode == 1
    confirmed = datasite(project, "confirm", "clauses.disclaimer.body")
    assert confirmed.returncode == 0, confirmed.stderr
    assert mkdocs_build(project, "--strict").returncode == 0


def test_broken_anchor_in_hand_written_page(project):
    (project / "docs" / "guide.en.md").write_text("# Guide\n\nSee [the mirrors](download.md#nowhere).\n")
    (project / "docs" / "guide.zh.md").write_text("# 指南\n\n见[镜像](download.md#github)。\n")
    assert datasite(project, "confirm", "docs/guide").returncode == 0
    output = assert_fails_at(mkdocs_build(project, "--strict"), "docs/guide.en.md", 3, "Doc file 'guide.en.md'")
    assert "#nowhere" in output


def test_yaml_syntax_error(project):
    line = edit(project, "    code: nj5b", "    code: [nj5b")
    result = mkdocs_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and TRACEBACK not in output
    match = re.search(r"dataset\.yml:(\d+):\d+: YAML syntax error", output)
    assert match and line <= int(match.group(1)) <= line + 2, output


def test_unknown_key(project):
    line = edit(project, "  wechat: LyuDongzhen", "  wechatt: LyuDongzhen")
    output = assert_fails_at(mkdocs_build(project), "dataset.yml", line, "contact.wechatt")
    assert "unknown key 'wechatt' (did you mean 'wechat'?)" in output


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/data", "data:text/html,hi"])
def test_disallowed_url_scheme(project, url):
    line = edit(project, "url: https://pan.quark.cn/s/0fe7ffce2dec", f"url: {url}")
    output = assert_fails_at(mkdocs_build(project), "dataset.yml", line, "mirrors.quark.url")
    assert "not allowed" in output


def test_failed_build_leaves_the_previous_site_untouched(project):
    site = project / "site"
    assert mkdocs_build(project).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(project, "  wechat: LyuDongzhen", "  wechatt: LyuDongzhen")
    assert mkdocs_build(project).returncode != 0
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("old,new,message", [
    ("        - {locale: en, name: English, default: true}\n        - {locale: zh, name: 中文}",
     "        - {locale: en, name: English}\n        - {locale: zh, name: 中文, default: true}",
     "'zh' is marked `default: true`, but dataset.yml lists en first"),
    ("        - {locale: zh, name: 中文}\n", "",
     "the languages are en, but dataset.yml's texts are in en, zh"),
])
def test_engine_languages_that_disagree_with_the_dataset_are_a_located_error(project, old, new, message):
    """Moving `default: true` to zh used to build a site whose Chinese pages searched an empty index."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"datasite: mkdocs.yml: plugins.i18n.languages: {message}" in result.stderr, result.stderr
    assert not (project / "site").exists()
