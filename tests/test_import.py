"""`datasite import`: from a hand-written bilingual README to a dataset.yml, losing nothing."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import FIXTURES, SEED, confirm_reviewed, datasite, normalize, set_site_url

SEED_README = FIXTURES / "seed" / "README.original.md"
URL = re.compile(r"https?://[^\s<>()（）]+")
CODE = re.compile(r"(?:PWD|提取码|密码)\s*[:：]\s*([A-Za-z0-9]+)")


def run_import(folder, text: str | bytes, *extra: str):
    source = folder / "README.md"
    source.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return datasite(folder, "import", "README.md", "-o", "dataset.yml", *extra)


def imported(folder) -> dict:
    return yaml.safe_load((folder / "dataset.yml").read_text(encoding="utf-8"))


def paragraphs(text: str) -> set[str]:
    out = set()
    for line in text.splitlines():
        line = re.sub(r"\s*<br>\s*$", "", line).strip()
        contact_field = re.match(r"(WeChat ID|微信号)\s*[:：]", line)  # a value, checked as a code
        if line and not line.startswith(("#", "***")) and not URL.search(line) and "@" not in line \
                and not contact_field:
            out.add(normalize(line))
    return out


def test_seed_imports_with_no_loss_and_passes_check(tmp_path):
    result = run_import(tmp_path, SEED_README.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [], warnings  # nothing lost, nothing disagrees
    assert datasite(tmp_path, "check").returncode == 0
    data = imported(tmp_path)
    assert data["name"] == {"en": "Wenzhou Randomized Battery Data", "zh": "WZU随机电池退化数据"}
    assert len(data["mirrors"]) == 11 and len(data["clauses"]) == 9
    codes = {m["url"]: m.get("code") for m in data["mirrors"]}
    assert codes["https://caiyun.139.com/m/i?2h8KfEC7bMFk6"] == "nj5b"
    assert codes["https://wwqn.lanzoul.com/b00mpb6cng"] == "3mde"
    assert codes["https://pan.baidu.com/s/1WTLFhtEZ83UfMZEmhubOUg?pwd=WZRD"] == "WZRD"
    assert data["license"]["spdx"] == "CC-BY-ND-4.0"
    assert data["article"] == {"authors": [{"family": "Lyu", "given": "Dongzhen"}], "et_al": True,
                               "title": "Battery cumulative lifetime prognostics to bridge laboratory and "
                                        "real-life scenarios",
                               "journal": "Cell Reports Physical Science", "year": 2024,
                               "doi": "10.1016/j.xcrp.2024.102164"}
    assert data["contact"]["email"] == "lvdongzhen@hrbeu.edu.cn" and data["contact"]["wechat"] == "LyuDongzhen"
    mirror = next(m for m in data["mirrors"] if m["url"].startswith("https://www.x-mol.com"))
    assert mirror["label"] == {"en": "X_MOL", "zh": "课题组X_MOL主页"}


def test_seed_round_trips_through_export(tmp_path):
    seed = SEED_README.read_text(encoding="utf-8")
    assert run_import(tmp_path, seed).returncode == 0
    assert datasite(tmp_path, "export", "readme").returncode == 0
    readme = (tmp_path / "README.dataset.md").read_text(encoding="utf-8")
    plain = normalize(re.sub(r"\\([^\w\s])", r"\1", readme))
    assert set(URL.findall(seed)) <= set(URL.findall(readme))
    for code in set(CODE.findall(seed)) | {"WZRD", "LyuDongzhen", "lvdongzhen@hrbeu.edu.cn"}:
        assert code in readme
    for paragraph in paragraphs(seed):
        assert paragraph in plain, paragraph[:60]


MIRROR_STYLES = """\
# Download of Test Data

***Access***
The data is licensed under the Creative Commons Attribution 4.0 International License (CC BY 4.0); name the data source as "Test Data" and cite: Ada Example et al. A made-up article. Journal of Tests (2021), https://doi.org/10.5555/test.1

***Storage***
Plain: https://example.org/plain
Archive at ( https://example.org/archive )
Disk (PWD:ab12): https://example.org/disk
https://example.org/bare (PWD:cd34)
Wide：https://example.org/wide （密码：ef56）
Query: https://example.org/query?pwd=gh78

***Contact Information***
For questions, please contact Dr. Ada Example.
Email: ada@example.org

# 测试数据的下载

***访问***
数据遵循知识共享署名 4.0 国际许可协议（CC BY 4.0）；请将数据来源命名为“测试数据”并引用：Ada Example et al. A made-up article. Journal of Tests (2021), https://doi.org/10.5555/test.1

***存储***
普通: https://example.org/plain
存档 at ( https://example.org/archive )
磁盘(提取码:ab12): https://example.org/disk
https://example.org/bare (密码:cd34)
宽：https://example.org/wide （密码：ef56）
查询: https://example.org/query?pwd=gh78

***联系方式***
如有疑问，请联系示例博士。
电子邮箱: ada@example.org
"""


def test_every_mirror_line_style(tmp_path):
    result = run_import(tmp_path, MIRROR_STYLES)
    assert result.returncode == 0, result.stderr
    assert datasite(tmp_path, "check").returncode == 0
    mirrors = {m["url"]: m for m in imported(tmp_path)["mirrors"]}
    assert {url: m.get("code") for url, m in mirrors.items()} == {
        "https://example.org/plain": None, "https://example.org/archive": None,
        "https://example.org/disk": "ab12", "https://example.org/bare": "cd34",
        "https://example.org/wide": "ef56", "https://example.org/query?pwd=gh78": "gh78",
    }
    assert mirrors["https://example.org/archive"]["label"] == {"en": "Archive", "zh": "存档"}
    assert mirrors["https://example.org/disk"]["label"] == {"en": "Disk", "zh": "磁盘"}
    assert mirrors["https://example.org/wide"]["label"] == {"en": "Wide", "zh": "宽"}
    assert "not imported" not in result.stderr


def test_missing_chinese_half(tmp_path):
    english = MIRROR_STYLES.split("# 测试数据的下载")[0]
    result = run_import(tmp_path, english)
    assert result.returncode == 0, result.stderr
    assert "no zh half" in result.stderr
    check = datasite(tmp_path, "check")
    assert check.returncode == 0, check.stderr
    data = imported(tmp_path)
    # Texts stay English, shown on English pages only; titles and labels are copies, to translate.
    assert data["clauses"][0]["body"]["only"] == ["en"] and "zh" not in data["clauses"][0]["body"]
    assert data["title"]["zh"] == data["title"]["en"]
    assert "dataset.yml:8:1: title: copied, not translated" in check.stderr
    assert datasite(tmp_path, "check", "--strict").returncode == 1


def test_mirror_in_one_language_only_and_conflicting_codes(tmp_path):
    text = MIRROR_STYLES.replace("普通: https://example.org/plain\n", "")
    text = text.replace("磁盘(提取码:ab12)", "磁盘(提取码:zz99)")
    result = run_import(tmp_path, text)
    assert result.returncode == 0, result.stderr
    line_of = {line: n for n, line in enumerate(text.splitlines(), start=1)}
    assert f"README.md:{line_of['Plain: https://example.org/plain']}: mirror https://example.org/plain is listed " \
           "in en only" in result.stderr
    assert "mirror https://example.org/disk has different codes: en: ab12" in result.stderr
    assert "zh: zz99" in result.stderr
    mirrors = {m["url"]: m for m in imported(tmp_path)["mirrors"]}
    assert mirrors["https://example.org/plain"]["label"]["zh"] == "Plain"
    assert datasite(tmp_path, "check").returncode == 0


def test_unknown_section_becomes_a_clause_and_unpaired_paragraphs_are_reported(tmp_path):
    text = MIRROR_STYLES.replace("***Storage***", "***Acknowledgements***\nWe thank the lake.\n\n***Storage***")
    result = run_import(tmp_path, text)
    assert result.returncode == 0, result.stderr
    clauses = imported(tmp_path)["clauses"]
    assert [c["title"]["en"] for c in clauses] == ["Access", "Acknowledgements"]
    assert clauses[1]["body"] == {"en": "We thank the lake.", "only": ["en"]}
    assert clauses[1]["title"] == {"en": "Acknowledgements", "only": ["en"]}
    assert "section 'Acknowledgements' is written in en only: shown on the en pages alone" in result.stderr
    assert datasite(tmp_path, "check").returncode == 0


def test_publications_and_related_datasets_are_kept_and_shown(tmp_path):
    text = MIRROR_STYLES.replace("***Contact Information***", (
        "***Publications***\nB. Sample. Another paper. Journal of Tests (2022).\n\n"
        "***Related datasets***\nLake Data: https://example.org/lakes\n\n***Contact Information***"))
    text = text.replace("***联系方式***", (
        "***相关文献***\nB. Sample. Another paper. Journal of Tests (2022).\n\n"
        "***相关数据集***\n湖泊数据: https://example.org/lakes\n\n***联系方式***"))
    result = run_import(tmp_path, text)
    assert result.returncode == 0, result.stderr
    data = imported(tmp_path)
    assert data["publications"][0]["text"]["en"] == "B. Sample. Another paper. Journal of Tests (2022)."
    assert data["related_datasets"] == [{"name": {"en": "Lake Data", "zh": "湖泊数据"},
                                         "url": "https://example.org/lakes"}]
    assert datasite(tmp_path, "check").returncode == 0
    assert datasite(tmp_path, "export", "readme").returncode == 0
    readme = (tmp_path / "README.dataset.md").read_text(encoding="utf-8")
    assert "Another paper" in readme and "https://example.org/lakes" in readme


def test_windows_line_endings_and_bom(tmp_path):
    raw = b"\xef\xbb\xbf" + MIRROR_STYLES.replace("\n", "\r\n").encode("utf-8")
    result = run_import(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    data = imported(tmp_path)
    assert data["title"]["en"] == "Download of Test Data"
    assert all("\r" not in m["url"] for m in data["mirrors"]) and len(data["mirrors"]) == 6


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    (b"\xff\xfe\xfa not utf-8", "not UTF-8"),
    ("Just some notes.\nNothing else here.\n".encode(), "does not look like a dataset README"),
    ("# Notes\n\nJust a title and some notes.\n".encode(), "does not look like a dataset README"),
])
def test_malformed_input_gets_a_clear_error(tmp_path, content, message):
    result = run_import(tmp_path, content)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dataset.yml").exists()


def test_existing_output_is_not_replaced_without_force(tmp_path):
    (tmp_path / "dataset.yml").write_text("keep me", encoding="utf-8")
    result = run_import(tmp_path, MIRROR_STYLES)
    assert result.returncode == 2 and "--force" in result.stderr
    assert (tmp_path / "dataset.yml").read_text(encoding="utf-8") == "keep me"
    assert run_import(tmp_path, MIRROR_STYLES, "--force").returncode == 0


def test_migration_builds_a_site(tmp_path):
    """The README's three commands: import, check, build."""
    import shutil

    from conftest import mkdocs_build

    assert run_import(tmp_path, MIRROR_STYLES).returncode == 0
    assert datasite(tmp_path, "check").returncode == 0
    shutil.copy2(SEED / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "docs").mkdir()
    assert mkdocs_build(tmp_path, "--site-dir", "out").returncode == 0  # a preview builds at once
    refused = mkdocs_build(tmp_path, "--strict", "--site-dir", "out")  # but nothing guessed is published
    assert refused.returncode == 1 and "article: inferred (README.md:4)" in refused.stderr
    set_site_url(tmp_path)
    confirm_reviewed(tmp_path)
    result = mkdocs_build(tmp_path, "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    assert "ef56" in (tmp_path / "out" / "zh" / "download" / "index.html").read_text(encoding="utf-8")


def test_a_readme_without_mirrors_gets_a_placeholder_to_fill_in(tmp_path):
    text = "# Title\n\n***Terms***\nUse it well.\n\n# 标题\n\n***条款***\n好好使用。\n"
    result = run_import(tmp_path, text)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "README.md:1: no mirror list and no git remote: mirror 'download' is a placeholder" in result.stderr
    assert imported(tmp_path)["mirrors"][0]["url"] == "https://TODO.invalid/download"
    strict = datasite(tmp_path, "check", "--strict")
    assert strict.returncode == 1 and "mirrors.download.url: a placeholder (TODO)" in strict.stderr
