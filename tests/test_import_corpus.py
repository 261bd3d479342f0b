"""`datasite import` over the variety of bilingual READMEs: a corpus of fixtures, each with the
dataset.yml and the warnings it must give; the round trip through `datasite export readme`; and
tables of the inline Markdown and mirror-line readers (a unit layer: no build, no subprocess)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, SEED, TINY, datasite

from datasite.importer import ImportFailure, import_readme, inline_text, parse_mirror_line, text_values, to_yaml
from datasite.loader import load_dataset
from datasite.render.readme import render_readme
from datasite.review import PLACEHOLDER_HOST
from datasite.tokens import invariant_tokens
from datasite.validation import validate

CORPUS = sorted(p for p in (FIXTURES / "readmes").iterdir() if p.is_dir())


def import_copy(folder: Path, tmp_path: Path):
    """Import the fixture's README from a folder outside any git checkout (no remote to find)."""
    shutil.copy2(folder / "README.md", tmp_path / "README.md")
    return import_readme((tmp_path / "README.md").read_bytes(), "README.md", tmp_path)


@pytest.mark.parametrize("folder", CORPUS, ids=lambda p: p.name)
def test_corpus_imports_as_expected(folder, tmp_path):
    result = import_copy(folder, tmp_path)
    assert to_yaml(result.data, "README.md") == (folder / "expected.dataset.yml").read_text(encoding="utf-8")
    assert result.warnings == (folder / "expected.warnings").read_text(encoding="utf-8").splitlines()
    assert not [w for w in result.warnings if "not imported" in w]


# What a reader of the README sees as words, links and codes; read here without the importer's help.
URL = re.compile(r"(?:https?|ftp)://[^\s<>()（）\[\]`\"*]+")
DOI = re.compile(r"10\.\d{4,9}/[^\s<>()（）\[\]{}`\"*,;，。；]+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WORD = re.compile(r"[A-Za-z]{4,}|[\u4e00-\u9fff]{2,}")
# Words that name a value (a code, an address): the value is kept, in its own field.
FIELD_LABELS = {"extraction", "code", "Email", "邮箱", "电子邮箱", "提取码", "密码", "APA", "License", "许可协议", "Website", "网站",
                "with", "Password", "password", "access"}
# Words around a mirror's name ("OneDrive download") and link texts that name nothing ("[Dataset](…)",
# "链接: …"): the mirror's label is the service's name, which a person confirms.
CONNECTING_WORDS = {"download", "Download", "Dataset", "链接"}
# A citation section's lead-in ("please cite:") above the reference read as the article.
LEAD_IN = re.compile(r"(?:cite|引用)\s*[:：]\s*$")
BIBTEX = re.compile(r"\s*(?:```|@\w+\{|\w+\s*=\s*\{|\}\s*$)")


@pytest.mark.parametrize("folder", CORPUS, ids=lambda p: p.name)
def test_corpus_loses_nothing(folder, tmp_path):
    """Every URL, DOI, email and word of the README's text is somewhere in dataset.yml."""
    data = yaml.safe_load(to_yaml(import_copy(folder, tmp_path).data, "README.md"))
    strings = " ".join(text_values(data))
    articles = [data["article"], *data.get("article_for", {}).values()]
    strings += " " + " ".join(p["family"] + p["given"] for a in articles for p in a["authors"])  # 林静: 林 + 静
    readme = (folder / "README.md").read_text(encoding="utf-8")
    readme = readme.split("<!-- datasite-data")[0]
    lines = readme.splitlines()
    for index, line in enumerate(lines):
        setext = index + 1 < len(lines) and re.fullmatch(r"(=+|-+)\s*", lines[index + 1]) and line.strip()
        if re.match(r"\s*(#|\*\*|##|<!--)", line) or not line.strip() or setext or re.fullmatch(r"(=+|-+)\s*", line):
            continue  # headings are titles (also underlined ones); checked through the words of the fields below
        if line.startswith("|") and index + 1 < len(lines) and re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", lines[index + 1]):
            continue  # a table's header names its columns (the mirror's label, link and code)
        for pattern in (URL, DOI, EMAIL):
            for token in pattern.findall(line):
                token = token.rstrip(".")
                doi = token.split("doi.org/", 1)[-1]  # a DOI link is kept as its DOI (article.doi)
                assert token in strings or doi in strings, (folder.name, token)
        if re.match(r"- (APA|GB/T 7714-2015|The dataset itself|数据集本身)\s*[:：]", line):
            continue  # the citation formats datasite writes: renderings of `article` (its DOI checked above)
        line = re.sub(r"\[[^\]]*\]\(#[^)]*\)", "", line)  # links within the README (a language switch)
        line = re.sub(r"\]\([^)]*\)", "]", line)  # link targets: checked as URLs above
        # A line that is a lead-in and a reference ("Manuscripts in Chinese, please cite: …"): the
        # cite page says the lead-in itself, over the article.
        line = re.sub(r"^[^.。:：]{0,60}(?:cite|引用)\s*[:：]\s*(?=\S)", "", line)
        if LEAD_IN.search(line) or BIBTEX.match(line):
            continue  # (a BibTeX entry read as the article: its DOI is checked above, its fields in the meaning test)
        for word in WORD.findall(line):
            if word not in FIELD_LABELS | CONNECTING_WORDS:
                assert word in strings, (folder.name, word, line)


def test_every_corpus_import_passes_check_except_where_the_halves_disagree(tmp_path):
    for folder in CORPUS:
        work = tmp_path / folder.name
        work.mkdir()
        (work / "dataset.yml").write_text((folder / "expected.dataset.yml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
        result = datasite(work, "check")
        disagreements = yaml.safe_load((folder / "meaning.yml").read_text(encoding="utf-8")).get("disagreements")
        if disagreements:
            assert result.returncode == 1, folder.name
            assert {line.split(": ", 2)[1] for line in result.stderr.splitlines()
                    if not line.endswith("]")} == set(disagreements), result.stderr
        if folder.name == "13-halves-disagree":
            # Named with file, line and both values.
            assert result.returncode == 1
            assert re.search(r"dataset\.yml:\d+:\d+: clauses\.terms\.body: the en and zh texts differ .*"
                             r"only in en: 1200; only in zh: 1300", result.stderr), result.stderr
        elif not disagreements:
            assert result.returncode == 0, (folder.name, result.stderr)


def dataset_files() -> list[Path]:
    return [SEED / "dataset.yml", TINY / "dataset.yml"] + [f / "expected.dataset.yml" for f in CORPUS]


@pytest.mark.parametrize("path", dataset_files(), ids=lambda p: p.parent.name)
def test_export_then_import_gives_back_the_same_dataset(path, tmp_path):
    dataset = load_dataset(path).dataset
    readme = render_readme(dataset)
    result = import_readme(readme.encode("utf-8"), "README.md", tmp_path)
    assert result.warnings == []
    assert validate(yaml.safe_load(to_yaml(result.data, "README.md"))) == dataset


@pytest.mark.parametrize("path", [SEED / "dataset.yml", TINY / "dataset.yml"], ids=["seed", "tiny"])
def test_an_edited_export_is_read_as_a_readme(path, tmp_path):
    """Without its data (edited by hand), the export's own format still reads back: the citation
    section is not a clause, no Markdown escapes or list marks reach the texts, the website and
    the license are kept."""
    dataset = load_dataset(path).dataset
    readme = render_readme(dataset).replace(dataset.contact.email or "@", (dataset.contact.email or "@") + " ", 1)
    result = import_readme(readme.encode("utf-8"), "README.md", tmp_path)
    assert "edited after `datasite export readme`" in result.warnings[0]
    data = result.data
    assert [c["body"] for c in data["clauses"]] == [{"en": c.body.en, "zh": c.body.zh} for c in dataset.clauses]
    assert {m["url"]: (m["label"], m.get("code")) for m in data["mirrors"]} == {
        m.url: ({"en": m.label.en, "zh": m.label.zh}, m.code) for m in dataset.mirrors}
    assert data["license"]["url"] == dataset.license.url and data["license"]["short"] == dataset.license.short
    assert data.get("site_url") == dataset.site_url
    assert data["article"]["doi"] == dataset.article.doi and data["article"]["year"] == dataset.article.year
    assert data["contact"]["email"] == dataset.contact.email
    release = dataset.latest_release
    if release:
        assert data["releases"] == [{"version": release.version, "date": release.date, "files": [
            {"name": f.name, "size": f.size, "sha256": f.sha256} for f in release.files]}]
    assert validate(yaml.safe_load(to_yaml(data, "README.md"))) is not None  # what is written loads
    texts = " ".join(text_values(data))
    assert "\\[" not in texts and "- APA" not in texts and "How to cite" not in texts
    assert not [w for w in result.warnings if "not imported" in w]


def test_a_readme_without_mirrors_in_a_git_checkout_gets_the_repository_as_its_mirror(tmp_path):
    shutil.copy2(FIXTURES / "readmes" / "06-no-mirrors" / "README.md", tmp_path / "README.md")
    for command in (["init", "-q"], ["remote", "add", "origin", "git@github.com:example/hedge-birds.git"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, capture_output=True)
    result = datasite(tmp_path, "import", "README.md")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "dataset.yml").read_text(encoding="utf-8"))
    assert data["mirrors"] == [{"id": "download", "region": "repository", "label": {"en": "GitHub", "zh": "GitHub"},
                                "url": "https://github.com/example/hedge-birds"}]
    assert "README.md:1: no mirror list: the repository https://github.com/example/hedge-birds is the one mirror" \
        in result.stderr
    assert datasite(tmp_path, "check").returncode == 0


@pytest.mark.parametrize("markdown,text", [
    ("[DOI: 10.5555/a.1](https://doi.org/10.5555/a.1)", "DOI: 10.5555/a.1 (https://doi.org/10.5555/a.1)"),
    ("see [https://a.example.org/b](https://a.example.org/b).", "see https://a.example.org/b."),
    ("**see https://a.example.org/tree**", "see https://a.example.org/tree"),
    ("cite 10.1016/j.x.2024.1**", "cite 10.1016/j.x.2024.1**"),  # unmatched: kept as written
    ("code `abc1` here", "code abc1 here"),
    (r"Readings\[J\]. A \& B", "Readings[J]. A & B"),
    ('<a href="https://a.example.org">Archive</a>', "Archive (https://a.example.org)"),
    ("[中文](#下载)", "中文"),
    ("[ines@example.org](mailto:ines@example.org)", "ines@example.org"),
    ("![logo](https://a.example.org/logo.png)", "logo (https://a.example.org/logo.png)"),
    ("plain text, nothing to read", "plain text, nothing to read"),
    ("_emphasis_ and *more*", "emphasis and more"),
    ("X_MOL and snake_case_name", "X_MOL and snake_case_name"),
])
def test_inline_markdown_becomes_plain_text(markdown, text):
    assert inline_text(markdown) == text


@pytest.mark.parametrize("line,parsed", [
    ("Plain: https://example.org/plain", ("Plain", "https://example.org/plain", None)),
    ("Archive at ( https://example.org/archive )", ("Archive", "https://example.org/archive", None)),
    ("Disk (PWD:ab12): https://example.org/disk", ("Disk", "https://example.org/disk", "ab12")),
    ("https://example.org/bare (PWD:cd34)", ("example.org", "https://example.org/bare", "cd34")),
    ("宽：https://example.org/wide （密码：ef56）", ("宽", "https://example.org/wide", "ef56")),
    ("Query: https://example.org/q?pwd=gh78", ("Query", "https://example.org/q?pwd=gh78", "gh78")),
    ("- Drive: https://example.org/d (extraction code: `0042`)", ("Drive", "https://example.org/d", "0042")),
    ("- Records (https://example.org/r)", ("Records", "https://example.org/r", None)),
    # not mirror lines: kept as text by the importer
    ("FTP: ftp://example.org/pub", None),
    ('Old: https://example.org/x"target="_blank (closed)', None),
    ("The instrument manual is at https://example.org/manual and the code too.", None),
    ("Two: https://example.org/a https://example.org/b", None),
    ("Every share opens with the password cave19.", None),
])
def test_mirror_lines(line, parsed):
    assert parse_mirror_line(line) == parsed


@pytest.mark.parametrize("english,chinese", [
    ("https://doi.org/10.5555/x.1", "DOI: 10.5555/x.1"),
    ("see https://a.example.org/tree**", "见 https://a.example.org/tree"),
    ("write to a.b@example.org.", "写信至a.b@example.org。"),
])
def test_markup_and_doi_spellings_are_not_disagreements(english, chinese):
    assert invariant_tokens(english) == invariant_tokens(chinese)


# -- members of the classes of input that lost text or time (a review's findings) ------------------

BASE = (FIXTURES / "readmes" / "07-plain-headings" / "README.md").read_text(encoding="utf-8")


def imported_text(readme: str, tmp_path: Path):
    result = import_readme(readme.encode("utf-8"), "README.md", tmp_path)
    return result, " ".join(text_values(result.data))


@pytest.mark.parametrize("markdown", [
    "Archive: https://x.example.org/_data_/v1", "Files: https://x.example.org/pkg/__init__.py",
    "Star: https://x.example.org/a*b*c", "Tick: https://x.example.org/`x`/y",
])
def test_bare_urls_are_not_read_as_markdown(markdown):
    assert inline_text(markdown) == markdown


@pytest.mark.parametrize("line", [
    "Code repository: https://github.com/example/data", "Codebook: https://example.org/codebook",
    "Barcode images: https://example.org/barcodes", "Source code on GitHub: https://github.com/example/data",
])
def test_words_after_code_are_not_extraction_codes(line):
    parsed = parse_mirror_line(line)
    assert parsed is not None and parsed[2] is None


@pytest.mark.parametrize("addition,kept", [
    ("\n# Acknowledgements\nWe thank the crew of site 4471.\n", "We thank the crew of site 4471."),
    ("\n## Fetch\n```sh\n# fetch the grid\ncurl -O https://archive.example.org/dune-grid/all.zip\n```\n",
     "# fetch the grid"),
    ("\n## Related datasets\nDune Wind: https://example.org/dune-wind\nThese come from the same field campaign of 2017.\n",
     "These come from the same field campaign of 2017."),
])
def test_text_in_unusual_places_is_kept(tmp_path, addition, kept):
    english, chinese = BASE.split("\n# 沙丘", 1)
    result, texts = imported_text(english + addition + "\n# 沙丘" + chinese, tmp_path)
    assert kept in texts, result.warnings
    assert not [w for w in result.warnings if "not imported" in w]


def test_contact_lines_keep_what_follows_the_address(tmp_path):
    readme = BASE.replace("Email: sana@example.org", "Email: sana@example.org (replies within two weeks)")
    readme = readme.replace("如有疑问，请联系卡迪尔。", "<!-- TODO --> 如有疑问，请联系卡迪尔。")
    result, texts = imported_text(readme, tmp_path)
    assert "Email: sana@example.org (replies within two weeks)" in result.data["contact"]["intro"]["en"]
    assert result.data["contact"]["intro"]["zh"].startswith("如有疑问，请联系卡迪尔。")
    assert not [w for w in result.warnings if "not imported" in w]


def test_two_mirror_sections_of_one_region_keep_their_titles(tmp_path):
    readme = BASE.replace("## International Mirrors", "## Mirrors in China (Aliyun)\nAliyun: https://example.cn/a\n\n"
                          "## International Mirrors")
    readme = readme.replace("## 国际镜像", "## 中国大陆镜像（阿里云）\n阿里云: https://example.cn/a\n\n## 国际镜像")
    result, _ = imported_text(readme, tmp_path)
    titles = {r["id"]: r["title"]["en"] for r in result.data["regions"]}
    assert titles == {"china": "Mirrors in China", "china-2": "Mirrors in China (Aliyun)",
                      "international": "International Mirrors"}


def test_a_deeply_nested_data_block_is_refused_without_a_traceback(tmp_path):
    readme = BASE + "\n<!-- datasite-data\n" + "[" * 100_000 + "]" * 100_000 + "\n-->\n"
    result, _ = imported_text(readme, tmp_path)
    assert "its datasite-data block is damaged" in result.warnings[0]


def test_init_never_replaces_generated_files_and_makes_a_valid_id(tmp_path):
    folder = tmp_path / "2024-soil-survey"
    folder.mkdir()
    (folder / "CITATION.cff").write_text("message: my own\n", encoding="utf-8")
    refused = datasite(folder, "init")
    assert refused.returncode == 2 and "CITATION.cff" in refused.stderr
    assert (folder / "CITATION.cff").read_text(encoding="utf-8") == "message: my own\n"
    (folder / "CITATION.cff").unlink()
    assert datasite(folder, "init").returncode == 0
    assert "id: m-2024-soil-survey" in (folder / "dataset.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("readme,where", [
    ("# Lake Ice\n# 湖冰\n\n## License\n## 许可\nCC BY 4.0 text.\n\n## Download\n## 下载\nZenodo: https://zenodo.org/records/1\n",
     "lines 1-2: 'Lake Ice' then '湖冰'"),
    ("# Lake Ice\n\n## 1. 简介（Introduction）\ntext\n\n## 2. 下载（Download）\nZenodo: https://zenodo.org/records/1\n\n"
     "## 3. 许可（License）\nCC BY 4.0\n\n## 4. 联系（Contact）\nx@example.org\n", "line 3: '简介（Introduction）'"),
])
def test_a_readme_that_alternates_the_languages_heading_by_heading_is_refused_clearly(readme, where, tmp_path):
    """Pairs of headings are not halves: rather than scramble them, the import says what it reads."""
    with pytest.raises(ImportFailure) as refused:
        import_readme(readme.encode("utf-8"), "README.md", tmp_path)
    assert where in str(refused.value) and "datasite init --skeleton" in str(refused.value)


def test_layout_lines_are_not_text_or_sections(tmp_path):
    """A front matter block, a bold language switch, `---` rules and <details>/<summary> fold the
    page; underlined (setext) headings are headings."""
    english, chinese = BASE.split("\n# ", 1)
    readme = ("---\nlicense: cc-by-4.0\npretty_name: x\n---\n**English | [中文](#zh)**\n\n" + english + "\n---\n\n"
              "<details>\n<summary>中文说明（点击展开）</summary>\n\n# " + chinese + "\n</details>\n")
    plain, _ = imported_text(BASE, tmp_path)
    result, strings = imported_text(readme, tmp_path)
    assert result.data == plain.data
    underlined = re.sub(r"(?m)^## (.+)$", lambda m: m[1] + "\n" + "-" * len(m[1]), BASE)
    underlined = re.sub(r"(?m)^# (.+)$", lambda m: m[1] + "\n" + "=" * len(m[1]), underlined)
    assert imported_text(underlined, tmp_path)[0].data == plain.data


def test_the_contact_is_the_first_address_named(tmp_path):
    readme = BASE.replace("Email: ", "Email: first@example.org, then ", 1)
    result, _ = imported_text(readme, tmp_path)
    assert result.data["contact"]["email"] == "first@example.org"


@pytest.mark.parametrize("remote,url,label,site", [
    ("git@github.com:example/hedge-birds.git", "https://github.com/example/hedge-birds", "GitHub",
     "https://example.github.io/hedge-birds/"),
    ("ssh://git@gitlab.com/lab/hedge-birds", "https://gitlab.com/lab/hedge-birds", "GitLab",
     "https://lab.gitlab.io/hedge-birds/"),
    ("https://gitee.com/lab/hedge-birds.git", "https://gitee.com/lab/hedge-birds", "Gitee", None),
    ("file:///srv/git/hedge-birds", None, None, None),  # not a web address: no mirror made of it
    (None, None, None, None),  # no git, or no remote
], ids=["github-ssh", "gitlab-ssh-url", "gitee-https", "local-path", "none"])
def test_the_repository_s_remote_is_read_through_the_lookup_it_is_given(tmp_path, remote, url, label, site):
    """The git lookup is passed in (no git process here): what the remote says becomes the one
    mirror and the guessed site address, both listed to review."""
    shutil.copy2(FIXTURES / "readmes" / "06-no-mirrors" / "README.md", tmp_path / "README.md")
    asked = []

    def lookup(folder):
        asked.append(folder)
        return remote

    result = import_readme((tmp_path / "README.md").read_bytes(), "README.md", tmp_path, git_remote=lookup)
    assert asked and all(folder == tmp_path for folder in asked)
    mirror = result.data["mirrors"][0]
    if url:
        assert (mirror["url"], mirror["label"]["en"]) == (url, label)
    else:
        assert mirror["url"] == f"https://{PLACEHOLDER_HOST}/download"
    inferred = {item.key for item in result.review}
    if site:
        assert result.data["site_url"] == site and "site_url" in inferred
    else:
        assert result.data["site_url"] == f"https://{PLACEHOLDER_HOST}/"
