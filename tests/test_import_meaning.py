"""Real READMEs become sites that say the right things (issue 19): each README of the corpus
(`tests/fixtures/readmes/*/README.md`, written after the styles of real bilingual dataset READMEs)
imports to what it means — names, titles, the article, the notice, the mirrors and their codes,
the language of every text — as its `meaning.yml`, written by hand, says; what the importer did
not read as written is listed to review, and `datasite init` then builds with `--strict` once a
person has confirmed it, or names only the README's real disagreements and placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, confirm_reviewed, datasite, mkdocs_build

from datasite.importer import import_readme, language_of, to_yaml
from datasite.loader import load_dataset
from datasite.model import reading_length
from datasite.review import covers, placeholder_reason
from datasite.sync import placeholder_problems
from datasite.tokens import find_urls

CORPUS = sorted(p for p in (FIXTURES / "readmes").iterdir() if (p / "meaning.yml").is_file())
LANGUAGE_KEYS = {"en", "zh", "only"}


def meaning_of(folder: Path) -> dict:
    return yaml.safe_load((folder / "meaning.yml").read_text(encoding="utf-8"))


def imported(folder: Path, tmp_path: Path):
    """The README imported from a folder outside any git checkout, and the data as written."""
    shutil.copy2(folder / "README.md", tmp_path / "README.md")
    result = import_readme((tmp_path / "README.md").read_bytes(), "README.md", tmp_path)
    return result, yaml.safe_load(to_yaml(result.data, "README.md"))


def authors(article: dict) -> list[str]:
    return [f"{person['family']}, {person['given']}" for person in article["authors"]]


def assert_article(found: dict, expected: dict, what: str) -> None:
    assert authors(found) == expected["authors"], what
    for key in ("et_al", "title", "journal", "year", "volume", "issue", "pages", "doi"):
        assert found.get(key) == expected.get(key), (what, key)


def texts(node, path=()):
    """(key path, language, text) of every text of the data."""
    if isinstance(node, dict) and node and set(node) <= LANGUAGE_KEYS and any(k in node for k in ("en", "zh")):
        for language in ("en", "zh"):
            if isinstance(node.get(language), str):
                yield path, language, node[language]
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from texts(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, path + (index,))


def without_links(text: str) -> str:
    for _, _, url in find_urls(text):
        text = text.replace(url, " ")
    return re.sub(r"\S+@\S+", " ", text)


@pytest.mark.parametrize("folder", CORPUS, ids=lambda p: p.name)
def test_a_readme_imports_to_what_it_means(folder, tmp_path):
    meaning = meaning_of(folder)
    result, data = imported(folder, tmp_path)
    assert data["name"] == meaning["name"]
    assert data["title"] == meaning["title"]
    if "description" in meaning:
        assert data["description"] == meaning["description"]
    if meaning["license"] == "placeholder":
        assert placeholder_reason(data["license"]["url"]) and placeholder_reason(data["license"]["short"])
    else:
        assert data["license"]["spdx"] == meaning["license"]
    if meaning["article"] == "placeholder":  # no reference read: nothing of it is guessed, not even the year
        assert placeholder_reason(data["article"]["title"]) and {"article.year"} <= {i.key for i in result.review}
    else:
        assert_article(data["article"], meaning["article"], "article")
    assert set(data.get("article_for", {})) == set(meaning.get("article_for", {}))
    for language, article in meaning.get("article_for", {}).items():
        assert_article(data["article_for"][language], article, f"article_for.{language}")
    assert data.get("notice") == meaning.get("notice")
    mirrors = [{"en": m["label"]["en"], "zh": m["label"]["zh"], "url": m["url"], **({"code": m["code"]} if "code" in m else {})}
               for m in data["mirrors"]]
    expected = [{k: v for k, v in m.items() if k != "region"} for m in meaning["mirrors"]]
    assert mirrors == expected
    for mirror, wanted in zip(data["mirrors"], meaning["mirrors"]):
        if "region" in wanted:
            assert mirror["region"] == wanted["region"], mirror["url"]
    regions = {r["id"]: r for r in data["regions"]}
    for ident, title in meaning.get("regions", {}).items():
        assert regions[ident]["title"] == title
    for ident, note in meaning.get("region_notes", {}).items():
        assert regions[ident]["note"] == note
    assert len(data["clauses"]) == len(meaning["clauses"])
    for clause, wanted in zip(data["clauses"], meaning["clauses"]):
        assert clause["title"] == {k: v for k, v in wanted.items() if k in LANGUAGE_KEYS}
        assert set(clause["body"]) == set(clause["title"])  # a one-language clause is so in its title and body
        for language, part in wanted.get("contains", {}).items():
            assert part in clause["body"][language], (clause["id"], language)
    contact = meaning["contact"]
    for key in ("person", "email", "wechat", "intro"):
        if key in contact:
            assert data["contact"].get(key) == contact[key], key
    if "publications" in meaning:
        assert data.get("publications", []) == meaning["publications"]
    for warning in meaning.get("warnings", []):
        assert warning in result.warnings
    # What the importer did not read as written is listed to review (site_url: no git remote here,
    # so a placeholder), and what was copied says so.
    review = {item.key: item for item in result.review}
    assert set(review) == set(meaning["review"])
    copied = {key for key, item in review.items() if item.kind == "copied"}
    assert copied == set(meaning.get("copied", []))
    # Every text is in the language it stands for; only copies, to translate, are not.
    for path, language, text in texts(data):
        key = ".".join(str(p) for p in path)
        if any(covers(c, key) for c in copied) or path[:1] == ("mirrors",) and path[-1:] == ("url",):
            continue
        plain = without_links(text)
        if text.lstrip().startswith("@"):
            continue  # a BibTeX entry: the same in either language
        if language == "en":
            assert language_of(plain) == "en", (key, text)
        elif reading_length(plain) > 40:
            assert language_of(plain) == "zh", (key, text)
    assert not [w for w in result.warnings if "not imported" in w]


@pytest.mark.parametrize("folder", CORPUS, ids=lambda p: p.name)
def test_init_builds_with_strict_once_reviewed_or_names_only_what_the_readme_lacks(folder, tmp_path):
    """A maintainer's way: a repository with the README, `datasite init`, review what it lists,
    `datasite confirm` each value, `datasite build --strict`."""
    meaning = meaning_of(folder)
    repo = tmp_path / folder.name
    repo.mkdir()
    shutil.copy2(folder / "README.md", repo / "README.md")
    for command in (["init", "-q"], ["remote", "add", "origin", f"git@github.com:example/{folder.name}.git"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    init = datasite(repo, "init")
    disagreements = set(meaning.get("disagreements", []))
    assert init.returncode == (1 if disagreements else 0), init.stderr
    assert "Traceback" not in init.stderr + init.stdout
    check = datasite(repo, "check")
    errors = {line.split(": ", 2)[1] for line in check.stderr.splitlines() if line and not line.endswith("]")}
    assert errors == disagreements, check.stderr  # every real disagreement, and nothing else, is an error
    assert all(line in init.stderr for line in check.stderr.splitlines() if not line.endswith("]"))
    # The site's address is read from the remote, to be confirmed like every inferred value.
    data = yaml.safe_load((repo / "dataset.yml").read_text(encoding="utf-8"))
    assert data["site_url"] == f"https://example.github.io/{folder.name}/"
    in_git = meaning.get("with_git_remote", {})
    reviewed = set(confirm_reviewed(repo))
    assert reviewed == set(meaning["review"]) | set(in_git.get("review", [])) | {"site_url"}
    strict = datasite(repo, "check", "--strict")
    refused = {line.split(": ", 2)[1] for line in strict.stderr.splitlines() if line}
    placeholders = in_git.get("placeholders", meaning.get("placeholders", []))
    assert refused - disagreements == {p.key for p in placeholder_problems(load_dataset(repo / "dataset.yml"))}
    assert all(any(covers(prefix, key) for prefix in placeholders) for key in refused - disagreements), refused
    assert all(any(covers(prefix, key) for key in refused) for prefix in placeholders), refused
    if not refused:
        built = mkdocs_build(repo, "--strict")
        assert built.returncode == 0, built.stderr
        assert (repo / "site" / "zh" / "download" / "index.html").is_file()
