"""datasite as a tool for any dataset repository: the plugin, `datasite init`, the engines, the gates.

These tests use the live project only where the product itself is under test: the routine-edit
test edits a temporary copy of it and then runs the gates that guard it in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import (ROOT, SEED, clean_checkout, confirm_reviewed, copy_project, datasite, edit, mkdocs_build, page, run,
                      set_site_url)

GATES = (("datasite", "check", "--strict"), ("mkdocs", "build", "--strict"), ("datasite", "export", "--check"))


def run_gates(project: Path) -> None:
    for gate in GATES:
        if gate[0] == "datasite":
            result = datasite(project, *gate[1:], CI="true")
        else:
            result = mkdocs_build(project, "--strict", "--site-dir", "site", CI="true")
        assert result.returncode == 0, (gate, result.stdout, result.stderr)


def test_routine_edits_of_the_live_dataset_need_no_test_or_code_change(tmp_path):
    """Change a code (and the pwd= of its URL), add a mirror, remove one, regenerate: every gate passes,
    and the change reaches both languages' pages and the README export."""
    from ruamel.yaml import YAML

    project = copy_project(tmp_path / "live", ROOT)
    yaml = YAML()  # round trip: comments and layout stay as the maintainer wrote them
    yaml.preserve_quotes = True
    data = yaml.load(project / "dataset.yml")
    mirrors = data["mirrors"]
    coded = next((m for m in mirrors if m.get("code")), mirrors[0])
    new_code = "Qz7k" if coded.get("code") != "Qz7k" else "Xw3p"
    coded["url"] = re.sub(r"([?&]pwd=)[^&#]*", rf"\g<1>{new_code}", coded["url"])  # the code in its URL too
    coded["code"] = new_code
    removed = next((m for m in reversed(mirrors) if m is not coded), None)
    region = removed["region"] if removed is not None else coded["region"]
    if removed is not None:  # (a dataset of one mirror: nothing to remove but the one edited)
        mirrors.remove(removed)
    # Into the removed mirror's region, so that whatever the live data, no region is left empty.
    mirrors.append({"id": "routine-edit-mirror", "region": region,
                    "label": {"en": "Routine edit mirror", "zh": "例行修改镜像"},
                    "url": "https://example.org/routine-edit-mirror"})
    yaml.dump(data, project / "dataset.yml")

    for step in (("export",), ("confirm", "--all")):  # the documented regeneration
        result = datasite(project, *step)
        assert result.returncode == 0, (step, result.stderr)
    run_gates(project)

    readme = (project / "README.dataset.md").read_text(encoding="utf-8")
    assert new_code in readme and "routine-edit-mirror" in readme
    for prefix in ("", "zh/"):
        download = page(project / "site", f"{prefix}download")
        ids = {tag["id"] for tag in download.select("article [id]")}
        assert {coded["id"], "routine-edit-mirror"} <= ids and (removed is None or removed["id"] not in ids)
        assert new_code in download.select_one(f'[data-mirror="{coded["id"]}"]').get_text()


def test_the_plugin_is_the_whole_integration(seed_project):
    """A site's mkdocs.yml names the plugin; nothing of datasite lies in the site's folder."""
    config = (seed_project / "mkdocs.yml").read_text(encoding="utf-8")
    assert len(config.splitlines()) <= 25 and "- datasite" in config
    assert not [p for p in seed_project.rglob("*") if p.suffix in (".py", ".html", ".css", ".js")]


@pytest.mark.parametrize("option,message", [
    ("chek_links: true", "unknown option 'chek_links' (did you mean 'check_links'?)"),
    ("check_links: sometimes", "expected one of off, on, strict"),
    ("offline: maybe", "offline"),
])
def test_a_mistake_in_the_plugin_options_stops_the_build(project, option, message):
    edit(project, "      check_links: false", f"      {option}", name="mkdocs.yml")
    result = mkdocs_build(project, "--site-dir", "out")  # not --strict: a typo is an error anyway
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (project / "out").exists()


def plain_datasite(project: Path, *args: str) -> subprocess.CompletedProcess:
    """The command as a maintainer runs it: none of the environment that quiets third parties in tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")}
    return subprocess.run([sys.executable, "-m", "datasite.cli", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_build_says_what_it_built_in_one_line_and_nothing_from_third_parties(project):
    result = plain_datasite(project, "build", "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) <= 4, lines
    assert lines[-1].startswith("INFO    -  datasite: built 6 en, 6 zh pages, 11 mirrors,"), lines
    for noise in ("Material for MkDocs", "ProperDocs", "prefix dict", "jieba", "mkdocs_static_i18n"):
        assert noise not in result.stdout + result.stderr
    # A real warning still reaches the maintainer: a one-sided edit of a confirmed text.
    edit(project, "zh: 夸克网盘", "zh: 夸克网盘（新）")
    warned = plain_datasite(project, "build", "--site-dir", "out")
    assert warned.returncode == 0 and "WARNING -  datasite: dataset.yml:" in warned.stderr
    assert "mirrors.quark.label: stale translation" in warned.stderr


def test_mkdocs_build_ends_with_the_summary(project):
    result = mkdocs_build(project, "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("INFO    -  datasite: built")
    assert "Documentation built in" not in result.stderr  # the summary says how long it took


def test_the_core_runs_without_mkdocs():
    """Loader, model, renderers, link checker, CLI, import and export: none of them imports MkDocs."""
    code = ("import sys; sys.modules['mkdocs'] = None\n"
            "import datasite.cli, datasite.pipeline, datasite.importer, datasite.init, datasite.export, "
            "datasite.bundle, datasite.links.check, datasite.render.pages, datasite.render.readme\n"
            "print('core ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "core ok" in result.stdout, result.stderr


def generator_free(site_dir: Path) -> dict[str, bytes]:
    """Every file's bytes, with the engine's generator tag (which names the engine) taken out."""
    generator = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser") \
        .select_one('meta[name="generator"]')["content"].encode("utf-8")
    return {p.relative_to(site_dir).as_posix(): p.read_bytes().replace(generator, b"GENERATOR")
            for p in sorted(site_dir.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site(site, seed_project, tmp_path):
    """ProperDocs, the maintained fork of MkDocs 1.x, loads the same plugin and writes the same bytes."""
    out = tmp_path / "properdocs"
    result = run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
                 seed_project)
    assert result.returncode == 0, result.stderr
    assert "datasite: built 6 en, 6 zh pages" in result.stderr
    ours, theirs = generator_free(site), generator_free(out)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert b"ProperDocs" in (out / "index.html").read_bytes()  # it was really the other engine


# -- datasite init ---------------------------------------------------------------------------

def seed_readme(folder: Path, *, chinese_year: str | None = None) -> Path:
    text = (SEED / "README.original.md").read_text(encoding="utf-8")
    if chinese_year:  # make the halves disagree: a year in the Chinese half only
        english, chinese = text.split("\n# WZU", 1)
        text = english + "\n# WZU" + chinese.replace("2024", chinese_year, 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new venv with datasite installed from its wheel (not editable); the libraries it needs come
    from this test run's environment, so nothing is downloaded."""
    work = tmp_path_factory.mktemp("wheel")
    checkout = clean_checkout(tmp_path_factory.mktemp("checkout"))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                 str(work), str(checkout)], checkout)
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("datasite-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "datasite/theme/partials/alternate.html" in names and "datasite/templates/mkdocs.yml" in names
    venv = work / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work).returncode == 0
    installed = run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                     "-q", str(wheel)], work)
    assert installed.returncode == 0, installed.stderr
    site_packages = Path(run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             work).stdout.strip())
    # After the venv's own packages: this environment's (MkDocs, the theme, …), not its editable datasite.
    (site_packages / "zz_outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = run([str(venv / "bin" / "python"), "-c", "import datasite; print(datasite.__file__)"], work)
    assert where.stdout.startswith(str(site_packages)), where.stdout + where.stderr
    return venv


def test_the_wheel_holds_what_a_site_needs_and_says_its_version(fresh_venv):
    """A wheel built from a clean checkout, installed with nothing but the locked libraries: it
    holds every file of the package and the license (the release workflow's own check), and
    `datasite --version` / `python -m datasite --version` print pyproject.toml's version."""
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for command in ([str(fresh_venv / "bin" / "datasite")], [str(fresh_venv / "bin" / "python"), "-m", "datasite"]):
        shown = run([*command, "--version"], fresh_venv)
        assert shown.returncode == 0 and shown.stdout.strip() == f"datasite {version}", shown
    checked = run([sys.executable, str(ROOT / ".ci" / "check_dist.py"), str(fresh_venv.parent), "--wheel-only"], ROOT)
    assert checked.returncode == 0, checked.stderr


def test_init_from_the_installed_package_builds_a_readme_only_folder(fresh_venv, tmp_path):
    folder = seed_readme(tmp_path / "dataset-repo")
    result = run([str(fresh_venv / "bin" / "datasite"), "init", "--action", "example/datasite@v0.2.0"], folder)
    assert result.returncode == 0, result.stderr
    assert "Next steps" in result.stdout
    for name in ("dataset.yml", "dataset.lock.json", "mkdocs.yml", ".gitignore", "overrides/README.md",
                 ".github/workflows/pages.yml", ".github/workflows/links.yml", "CITATION.cff", "README.dataset.md"):
        assert (folder / name).is_file(), name
    assert not (folder / "requirements.txt").exists()  # the action installs datasite, with its locked dependencies
    assert len((folder / "mkdocs.yml").read_text(encoding="utf-8").splitlines()) <= 25
    assert not [p for p in folder.rglob("*") if p.suffix in (".py", ".html", ".css", ".js")]  # no datasite code
    assert "To review: 10 values the import did not read as written" in result.stdout
    strict = [str(fresh_venv / "bin" / "python"), "-m", "mkdocs", "build", "--strict"]
    refused = run(strict, folder)  # what the import inferred is not published until a person confirms it
    assert refused.returncode == 1 and "site_url: a placeholder (TODO)" in refused.stderr
    set_site_url(folder)
    confirm_reviewed(folder)
    built = run(strict, folder)
    assert built.returncode == 0, built.stderr
    download = page(folder / "site", "zh/download")
    assert "WZRD" in download.get_text() and len(download.select(".ds-mirror")) == 11
    assert {"site/", ".cache/", "dist/"} <= set((folder / ".gitignore").read_text(encoding="utf-8").split())


def test_init_never_overwrites_without_force(tmp_path):
    folder = seed_readme(tmp_path / "repo")
    (folder / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    assert datasite(folder, "init").returncode == 0
    assert (folder / ".gitignore").read_text(encoding="utf-8").startswith("*.pyc\n")  # kept, entries added
    data = folder / "dataset.yml"
    data.write_text(data.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    again = datasite(folder, "init")
    assert again.returncode == 2 and "dataset.yml" in again.stderr and "--force" in again.stderr
    assert data.read_text(encoding="utf-8").endswith("# my edit\n")
    assert datasite(folder, "init", "--force").returncode == 0
    assert not data.read_text(encoding="utf-8").endswith("# my edit\n")


def test_init_names_each_disagreement_between_the_readme_halves(tmp_path):
    folder = seed_readme(tmp_path / "repo", chinese_year="2023")
    result = datasite(folder, "init")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    check = datasite(folder, "check")
    assert check.returncode == 1
    assert "clauses.accessibility-and-attribution.body: the en and zh texts differ in URLs, emails, DOIs or numbers " \
           "(only in en: 2024; only in zh: 2023)" \
        in check.stderr and check.stderr.startswith("dataset.yml:")
    errors = [line for line in check.stderr.splitlines() if not line.endswith("[warning]")]
    assert len(errors) == 1 and errors[0] in result.stderr  # init named the one real disagreement, and only it
    reviewed = [line.removesuffix(" [warning]") for line in check.stderr.splitlines() if line.endswith("[warning]")]
    assert reviewed and all(line in result.stdout for line in reviewed)  # and listed the rest to review


def test_init_in_an_empty_folder_writes_a_skeleton_that_builds(tmp_path):
    folder = tmp_path / "new-dataset"
    folder.mkdir()
    result = datasite(folder, "init", "--action", "example/datasite@v9.9.9")
    assert result.returncode == 0, result.stderr
    assert "replace each TODO" in result.stdout
    skeleton = (folder / "dataset.yml").read_text(encoding="utf-8")
    assert "id: new-dataset" in skeleton and "TODO" in skeleton and skeleton.count("#") > 10  # commented
    assert "uses: example/datasite@v9.9.9" in (folder / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert datasite(folder, "check").returncode == 0
    assert mkdocs_build(folder).returncode == 0  # a preview of the skeleton builds
    # ... but no TODO is ever published: each is named, at its line, and --strict refuses them all.
    strict = datasite(folder, "check", "--strict")
    todo_lines = [n for n, line in enumerate(skeleton.splitlines(), start=1)
                  if "TODO" in line and not line.lstrip().startswith("#")]
    named = {int(m) for m in re.findall(r"^dataset\.yml:(\d+):\d+: \S+: a placeholder", strict.stderr, re.MULTILINE)}
    assert strict.returncode == 1 and set(todo_lines) <= named, (todo_lines, strict.stderr)
    assert mkdocs_build(folder, "--strict").returncode == 1


def test_init_workflows_pass_actionlint(tmp_path):
    from test_workflows import actionlint

    folder = tmp_path / "repo"
    folder.mkdir()
    result = datasite(folder, "init", "--action", "example/datasite@v0.2.0")
    assert result.returncode == 0, result.stderr
    workflows = sorted((folder / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2 and actionlint(*workflows) == []


def test_pages_stay_readable_with_minify_off(project):
    edit(project, "      check_links: false", "      check_links: false\n      minify: false", name="mkdocs.yml")
    assert mkdocs_build(project, "--site-dir", "out").returncode == 0
    html = (project / "out" / "download" / "index.html").read_text(encoding="utf-8")
    assert html.count("\n") > 100 and "<!doctype html>" in html.lower()
    assert (project / "out" / "assets" / "datasite.css").read_text(encoding="utf-8").count("\n") > 20


def test_a_site_whose_parent_cannot_be_written_is_staged_inside_it(monkeypatch, tmp_path):
    """The staging folder lies beside the site: where nothing may be made there, it lies inside
    site/ (which is replaced entry by entry), so a failing build still changes nothing."""
    from pathlib import Path

    from datasite.publish import SiteFolder

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    real_mkdir = Path.mkdir

    def refused_beside(path, *args, **kwargs):
        if path.parent == tmp_path and path != site:
            raise PermissionError(13, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refused_beside)
    folder = SiteFolder.open(site)
    assert folder.in_place and folder.staging == site / ".datasite.building"
    (folder.staging / "index.html").write_text("new", encoding="utf-8")
    folder.publish()
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    monkeypatch.undo()
    beside = SiteFolder.open(site)
    assert not beside.in_place and beside.staging == tmp_path / ".site.building"
    beside.discard()
