"""Nothing guessed is published (issue 19): placeholders never pass a `--strict` gate, however
they got there; what a tool inferred or copied waits in the lock file for a person's
`datasite confirm KEY`; a site without its address writes no wrong one ("None"); `datasite export`
can own README.md; init records no anchor that was never published."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY, copy_project, datasite, edit, mkdocs_build, page, run

from datasite.repository import published_site_url
from datasite.review import placeholder_reason


def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "tiny", TINY)


# -- placeholders: found in the data, refused by every strict gate -------------------------------

@pytest.mark.parametrize("old,new,key", [
    ("      en: Use the readings for anything, and cite the article of 2022.",
     "      en: TODO the terms of 2022, as the authors wrote them.", "clauses.use.body.en"),
    ("    url: https://drive.example.net/s/lakeside", "    url: https://TODO.invalid/download", "mirrors.example-drive.url"),
    ("  email: lab@example.org", "  email: lab@lab.invalid", "contact.email"),
    ("  title: Readings from imaginary lakes", "  title: 'TODO: the article to cite'", "article.title"),
])
def test_a_placeholder_typed_in_by_hand_never_passes_a_strict_gate(tmp_path, old, new, key):
    project = tiny(tmp_path)
    line = edit(project, old, new)
    # Confirmed like any text: the placeholder is found in the data, not in the lock.
    assert datasite(project, "confirm", "--all").returncode == 0
    assert datasite(project, "export").returncode == 0
    lenient = datasite(project, "check")
    assert lenient.returncode == 0 and re.search(rf"dataset\.yml:{line}:\d+: {re.escape(key)}: a placeholder.*\[warning\]",
                                                 lenient.stderr), lenient.stderr
    strict = datasite(project, "check", "--strict")
    assert strict.returncode == 1 and f"{key}: a placeholder" in strict.stderr and "[error]" in strict.stderr
    assert datasite(project, "check", CI="true").returncode == 1
    built = mkdocs_build(project, "--strict")
    assert built.returncode == 1 and f"{key}: a placeholder" in built.stderr
    assert not (project / "site").exists()
    assert datasite(project, "export", "--check").returncode == 1  # CITATION.cff would publish it
    refused = datasite(project, "confirm", key.rsplit(".", 1)[0] if key.endswith((".en", ".zh")) else key)
    assert refused.returncode == 1 and "holds a placeholder" in refused.stderr


@pytest.mark.parametrize("value,placeholder", [
    ("TODO: write it", True), ("TODO：写它", True), ("see TODO.", True), ("https://TODO.invalid/", True),
    ("mailto:a@b.invalid", True), ("a@todo.invalid", True), ("https://invalid/x", True),
    ("Todo lists", False), ("TODOS", False), ("MTODO", False), ("https://example.org/invalid", False),
    ("https://invalid.example.org/", False), ("待办TODO", True),
])
def test_placeholders_are_the_word_todo_and_the_reserved_domain(value, placeholder):
    assert bool(placeholder_reason(value)) is placeholder


# -- review items: in the lock, confirmed one by one ---------------------------------------------

def with_review(project: Path, review: dict) -> None:
    lock = project / "dataset.lock.json"
    content = json.loads(lock.read_text(encoding="utf-8"))
    content["review"] = review
    lock.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def test_an_inferred_value_is_refused_by_strict_gates_until_a_person_confirms_it(tmp_path):
    project = tiny(tmp_path)
    with_review(project, {
        "article": {"kind": "inferred", "from": "README.md:4", "why": "read as a reference from '…'"},
        "mirrors.example-drive.label": {"kind": "copied", "from": "README.md:9", "why": "the zh text is a copy"},
        "mirrors.gone.label": {"kind": "copied", "from": "README.md:12", "why": "of a mirror since removed"},
    })
    lenient = datasite(project, "check")
    assert lenient.returncode == 0
    lines = [line for line in lenient.stderr.splitlines() if "[warning]" in line]
    assert len(lines) == 2  # the removed mirror's item names nothing any more
    assert re.match(r"dataset\.yml:\d+:\d+: article: inferred \(README\.md:4\): read as a reference from '…'; "
                    r"once checked: `datasite confirm article` \[warning\]", lines[0]), lines
    assert "mirrors.example-drive.label: copied, not translated (README.md:9)" in lines[1]
    assert datasite(project, "check", "--strict").returncode == 1
    assert mkdocs_build(project, "--strict").returncode == 1
    assert mkdocs_build(project).returncode == 0  # a preview shows what there is
    # --all confirms translations, never a guess.
    confirm_all = datasite(project, "confirm", "--all")
    assert confirm_all.returncode == 0 and "2 values written by a tool still to review" in confirm_all.stderr
    assert datasite(project, "check", "--strict").returncode == 1
    one = datasite(project, "confirm", "article")
    assert one.returncode == 0 and "1 reviewed value" in one.stdout
    assert "mirrors.example-drive.label" in one.stderr
    assert datasite(project, "confirm", "mirrors.example-drive.label").returncode == 0
    assert datasite(project, "check", "--strict").returncode == 0
    assert "review" not in json.loads((project / "dataset.lock.json").read_text(encoding="utf-8"))
    assert mkdocs_build(project, "--strict").returncode == 0


def test_init_records_no_anchor_before_a_person_confirms_the_ids(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text((TINY / "README.dataset.md").read_text(encoding="utf-8")
                                      .replace("Example drive", "Example disk", 1), encoding="utf-8")
    assert datasite(folder, "init").returncode == 0
    lock = json.loads((folder / "dataset.lock.json").read_text(encoding="utf-8"))
    assert "anchors" not in lock
    # The maintainer renames an id the import made: nothing was published, nothing is "gone".
    text = (folder / "dataset.yml").read_text(encoding="utf-8")
    (folder / "dataset.yml").write_text(text.replace("id: example-disk", "id: drive"), encoding="utf-8")
    assert "is gone" not in datasite(folder, "check").stderr
    assert datasite(folder, "confirm", "--all").returncode == 0
    assert "drive" in json.loads((folder / "dataset.lock.json").read_text(encoding="utf-8"))["anchors"]["download"]


# -- the site's address --------------------------------------------------------------------------

def test_a_site_without_its_address_writes_no_wrong_one(tmp_path):
    project = tiny(tmp_path)
    edit(project, "site_url: https://example.github.io/lakeside-thermometer-readings/\n", "")
    edit(project, "doi: 10.5555/example.2022.1", "url: https://example.org/article")  # no QR code either
    strict = datasite(project, "check", "--strict")
    assert strict.returncode == 1 and re.search(r"dataset\.yml:1:1: site_url: not set: .*\[error\]", strict.stderr)
    result = mkdocs_build(project, "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    out = project / "out"
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".bib", ".ris", ".js"):
            assert "None" not in path.read_text(encoding="utf-8", errors="replace"), path
    assert not (out / "sitemap.xml").exists() and not (out / "sitemap.xml.gz").exists()
    cite = page(out, "cite")
    assert cite.select_one("link[rel=canonical]") is None
    assert cite.select_one("#qr") is None  # no empty "QR codes" heading


def test_a_placeholder_address_is_never_linked(tmp_path):
    project = tiny(tmp_path)
    edit(project, "site_url: https://example.github.io/lakeside-thermometer-readings/",
         "site_url: https://TODO.invalid/")
    assert mkdocs_build(project, "--strict", "--site-dir", "out").returncode == 1
    assert mkdocs_build(project, "--site-dir", "out").returncode == 0
    for path in (project / "out").rglob("*.html"):
        assert "TODO.invalid" not in path.read_text(encoding="utf-8"), path


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.mark.parametrize("remote,expected", [
    ("git@github.com:Some-Lab/reed-wind.git", "https://some-lab.github.io/reed-wind/"),
    ("https://github.com/some-lab/reed-wind", "https://some-lab.github.io/reed-wind/"),
    ("https://github.com/some-lab/reed-wind.git", "https://some-lab.github.io/reed-wind/"),
    ("ssh://git@github.com/some-lab/some-lab.github.io.git", "https://some-lab.github.io/"),
    ("git@gitlab.com:some-lab/reed-wind.git", "https://some-lab.gitlab.io/reed-wind/"),
    ("git@gitee.com:some-lab/reed-wind.git", None),  # no pages address datasite knows
    ("https://github.com/some-lab/group/reed-wind", None),
])
def test_the_site_address_is_read_from_the_git_remote(tmp_path, remote, expected):
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", remote)
    found = published_site_url(tmp_path)
    assert (found[0] if found else None) == expected
    if found:
        assert remote.removesuffix(".git").split("/")[-1] in found[1]


def test_a_custom_domain_in_cname_wins_over_the_remote(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "git@github.com:some-lab/reed-wind.git")
    (tmp_path / "CNAME").write_text("Data.Reed-Wind.example.org\n", encoding="utf-8")
    assert published_site_url(tmp_path) == ("https://data.reed-wind.example.org/", "the custom domain in CNAME")
    (tmp_path / "CNAME").write_text("not a domain\n", encoding="utf-8")
    assert published_site_url(tmp_path)[0] == "https://some-lab.github.io/reed-wind/"


def test_init_reads_the_address_from_git_and_asks_to_confirm_it(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "git@github.com:some-lab/new-data.git")
    result = datasite(tmp_path, "init")  # no README: the skeleton
    assert result.returncode == 0, result.stderr
    assert "site_url: https://some-lab.github.io/new-data/" in (tmp_path / "dataset.yml").read_text(encoding="utf-8")
    assert re.search(r"dataset\.yml:\d+:\d+: site_url: inferred \(the git remote origin", result.stdout)


# -- README.md, owned by the export ---------------------------------------------------------------

def test_the_export_can_own_readme_md_once_it_is_committed(tmp_path):
    project = tiny(tmp_path)
    (project / "README.md").write_text("# My own words\n", encoding="utf-8")
    git(project, "init", "-q")
    refused = datasite(project, "export", "--own-readme")  # not committed: git would not keep it
    assert refused.returncode == 1 and "commit it first" in refused.stderr
    assert (project / "README.md").read_text(encoding="utf-8") == "# My own words\n"
    git(project, "add", "README.md")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "readme")
    taken = datasite(project, "export", "--own-readme")
    assert taken.returncode == 0, taken.stderr
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("<!-- Generated from dataset.yml") and "Lakeside Thermometer Readings" in readme
    assert not (project / "README.dataset.md").exists()
    # From now on the export keeps README.md in step, and --check guards it.
    assert "README.md: fresh" in datasite(project, "export", "--check").stdout
    edit(project, "  email: lab@example.org", "  email: lab2@example.org")
    stale = datasite(project, "export", "--check")
    assert stale.returncode == 1 and "README.md: stale" in stale.stderr
    assert datasite(project, "export").returncode == 0
    assert "lab2@example.org" in (project / "README.md").read_text(encoding="utf-8")


def test_init_can_let_the_export_own_the_readme(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text((TINY / "README.dataset.md").read_text(encoding="utf-8").replace(
        "<!-- Generated from dataset.yml by `datasite export readme`; do not edit by hand. -->\n\n", ""),
        encoding="utf-8")
    git(folder, "init", "-q")
    refused = datasite(folder, "init", "--own-readme")
    assert refused.returncode == 2 and "commit it first" in refused.stderr and not (folder / "dataset.yml").exists()
    git(folder, "add", "README.md")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "readme")
    result = datasite(folder, "init", "--own-readme")
    assert result.returncode == 0, result.stderr
    assert (folder / "README.md").read_text(encoding="utf-8").startswith("<!-- Generated from dataset.yml")
    assert not (folder / "README.dataset.md").exists() and "README.md, CITATION.cff and .zenodo.json" in result.stdout


# -- the command itself ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["-m", "datasite"], ["-m", "datasite.cli"]])
def test_the_version_is_printed(command, tmp_path):
    from importlib import metadata

    result = run([sys.executable, *command, "--version"], tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"datasite {metadata.version('datasite')}"
