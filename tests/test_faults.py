"""Faults, races and tampered state: no kill, full disk, concurrent build, special file, look-alike
host, bad server answer or edited cache loses a site or publishes a wrong one.

Each test names its class (as the adversarial pass found them) and runs members of its own. The
publishing steps are killed one by one in real processes (SIGKILL or os._exit: nothing of
Python's clean-up runs); servers are in-process (httpx.MockTransport) or on 127.0.0.1."""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, TINY, build_env, copy_project, datasite, mkdocs_build, page

from datasite.links.check import Checker
from datasite.links.verdict import CheckOptions, Verdict
from datasite.loader import load_dataset
from datasite.publish import IN_PLACE_RETIRED, IN_PLACE_STAGING, PublishError, SiteFolder

from test_hostile import BASE, problems_of, replaced  # noqa: E402  (the loader, in-process)


# -- 1. a kill while publishing ------------------------------------------------------------

OLD_SITE = {"index.html": "old home", "zh/index.html": "旧首页", "only-old.html": "gone next", ".git/HEAD": "ref: gh-pages",
            ".nojekyll": ""}
NEW_SITE = {"index.html": "new home", "zh/index.html": "新首页", "only-new.html": "added", ".nojekyll": ""}


def write_tree(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def read_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_bytes_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Runs one publish in a process of its own, killed (os._exit: no clean-up) just before its
# N-th file-system step: every rename, removal, folder made and mark written.
PUBLISH_KILLED_AT = textwrap.dedent("""
    import os, shutil, sys
    from pathlib import Path
    from datasite import publish
    from datasite.publish import SiteFolder
    target, in_place, kill_at, fault = Path(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3]), sys.argv[5]
    folder = SiteFolder.open(target, in_place=in_place)
    for name, text in eval(sys.argv[4]).items():
        (folder.staging / name).parent.mkdir(parents=True, exist_ok=True)
        (folder.staging / name).write_text(text, encoding="utf-8")
    steps = [0]
    def counted(function):
        def step(*args, **kwargs):
            steps[0] += 1
            if steps[0] == kill_at:
                if fault == "kill":
                    os._exit(9)
                raise OSError(28, "No space left on device", str(args[0]) if args else None)
            return function(*args, **kwargs)
        return step
    publish.os.replace = counted(os.replace)
    publish.shutil.rmtree = counted(shutil.rmtree)
    Path.mkdir = counted(Path.mkdir)
    Path.touch = counted(Path.touch)
    Path.rmdir = counted(Path.rmdir)
    try:
        folder.publish()
    except publish.PublishError as exc:
        print(exc)
        folder.discard()  # as the plugin does after a failed build
        sys.exit(3)
""")


@pytest.mark.parametrize("fault", ["kill", "full disk"])
@pytest.mark.parametrize("in_place", [False, True], ids=["renamed", "in-place"])
def test_a_kill_at_any_step_of_publishing_leaves_a_whole_site_and_keeps_the_worktree(tmp_path, in_place, fault):
    """Class 1: killed (or failing: a full disk) before each step in turn, the site — as the
    failed build leaves it and as the next build finds it — is the old one or the new one, whole,
    with the gh-pages worktree's .git; never a mix, never an empty folder."""
    seen = set()
    for kill_at in range(1, 40):
        target = tmp_path / f"run{kill_at}" / "site"
        target.mkdir(parents=True)
        write_tree(target, OLD_SITE)
        run = subprocess.run([sys.executable, "-c", PUBLISH_KILLED_AT, str(target), "1" if in_place else "0",
                              str(kill_at), repr(NEW_SITE), "kill" if fault == "kill" else "error"],
                             capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert run.returncode in (0, 9 if fault == "kill" else 3), run.stderr
        if run.returncode == 3:  # what a reader sees before any next build: a whole site
            shown = read_tree(target)
            kept_aside = [target.parent / ".site.previous" / ".git", target / IN_PLACE_RETIRED / ".git"]
            assert "home" in shown.get("index.html", ""), (kill_at, shown)
            assert ".git/HEAD" in shown or any(p.exists() for p in kept_aside), (kill_at, shown)  # (back next build)
            assert ("the site before it is kept" in run.stdout) == (shown["index.html"] == "old home"), run.stdout
        notes = []
        SiteFolder.open(target, notes.append, in_place=in_place).discard()  # what the next build does first
        after = read_tree(target)
        assert after[".git/HEAD"] == "ref: gh-pages", (kill_at, after)
        after.pop(".git/HEAD")
        whole = {"old": {k: v for k, v in OLD_SITE.items() if k != ".git/HEAD"}, "new": NEW_SITE}
        state = next((name for name, tree in whole.items() if after == tree), None)
        assert state, f"killed at step {kill_at}: a mix of sites {after}"
        leftovers = [p.name for p in target.parent.iterdir() if p.name != "site"] + \
            [name for name in (IN_PLACE_STAGING, IN_PLACE_RETIRED) if (target / name).exists()]
        assert not leftovers, (kill_at, leftovers)
        seen.add(state)
        if run.returncode == 0:
            break
    else:
        pytest.fail("publishing never completed")
    assert seen == {"old", "new"}  # both kinds of recovery were exercised


# A real `mkdocs build`, SIGKILLed at its N-th rename in datasite's publishing.
BUILD_KILLED_AT = textwrap.dedent("""
    import os, runpy, signal, sys
    from datasite import publish
    kill_at, replace, count = int(sys.argv.pop(1)), os.replace, [0]
    def killing(*args, **kwargs):
        count[0] += 1
        if count[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return replace(*args, **kwargs)
    publish.os = type(os)("os_with_a_kill")
    publish.os.__dict__.update(os.__dict__)
    publish.os.replace = killing
    sys.argv = ["mkdocs", "build"]
    runpy.run_module("mkdocs", run_name="__main__")
""")


@pytest.mark.parametrize("kill_at", [1, 2, 3])
def test_a_build_killed_while_publishing_is_completed_or_undone_by_the_next(tmp_path, kill_at):
    """Class 1, end to end: the gh-pages worktree in site/ survives a build killed at each rename."""
    project = copy_project(tmp_path / "p", TINY)
    site = project / "site"
    write_tree(site, {".git/HEAD": "ref: refs/heads/gh-pages\n", ".nojekyll": "", "index.html": "old"})
    killed = subprocess.run([sys.executable, "-c", BUILD_KILLED_AT, str(kill_at)], cwd=project,
                            capture_output=True, text=True, env=build_env(PYTHONPATH=str(ROOT)), timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (project / "site" / ".git" / "HEAD").exists() or (project / ".site.previous" / ".git" / "HEAD").exists()
    again = mkdocs_build(project)
    assert again.returncode == 0, again.stderr
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert (site / ".nojekyll").exists() and (site / "zh" / "download" / "index.html").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_failed_publish_leaves_the_staging_name_to_the_next_build(tmp_path, monkeypatch):
    """Class 2: once publishing has begun, the lock is gone: dropping the staging folder by name
    then could remove the next build's."""
    from datasite import publish

    target = tmp_path / "site"
    write_tree(target, {"index.html": "old"})
    folder = SiteFolder.open(target)
    write_tree(folder.staging, {"index.html": "new"})

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]))

    monkeypatch.setattr(publish.os, "replace", full)
    with pytest.raises(PublishError, match="the site before it is kept"):
        folder.publish()
    monkeypatch.undo()
    following = SiteFolder.open(target)  # the next build, which takes the name
    write_tree(following.staging, {"index.html": "next"})
    folder.discard()  # (the first build's error handling, late)
    assert read_tree(following.staging) == {"index.html": "next"}
    following.publish()
    assert read_tree(target) == {"index.html": "next"}


def test_a_site_in_folders_that_do_not_exist_yet_is_made(tmp_path):
    folder = SiteFolder.open(tmp_path / "out" / "build" / "site")
    write_tree(folder.staging, {"index.html": "new"})
    folder.publish()
    assert read_tree(tmp_path / "out" / "build" / "site") == {"index.html": "new"}


# -- 2. concurrent builds ------------------------------------------------------------------

def test_three_builds_into_one_site_take_turns_and_publish_a_whole_site(tmp_path):
    """Class 2: three builds started together into one site/ all succeed, one after another;
    the site is complete (as a build on its own makes it) and nothing is left beside it."""
    project = copy_project(tmp_path / "p", TINY)
    assert mkdocs_build(project, "--site-dir", "alone").returncode == 0
    expected = sorted(p.relative_to(project / "alone").as_posix() for p in (project / "alone").rglob("*"))
    builds = [subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=build_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(build.wait(timeout=300), build.stderr.read()) for build in builds]
    for build in builds:
        build.stdout.close()
        build.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0], results
    built = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*"))
    assert built == expected
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")]


def test_a_build_that_cannot_get_its_turn_says_so(tmp_path):
    """Class 2: while another build holds the site, a second one waits; past its wait, it stops
    with a message, touching nothing."""
    target = tmp_path / "site"
    write_tree(target, {"index.html": "first"})
    first = SiteFolder.open(target)
    notes = []
    try:
        with pytest.raises(PublishError, match=r"another build has been writing .*site/ for more than 0.2 s"):
            SiteFolder.open(target, notes.append, wait=0.2)
        assert notes == [f"another build is writing {target}/; waiting for it to end"]
        assert first.staging.is_dir()  # the first build's staging folder was not cleared
    finally:
        first.discard()
    assert read_tree(target) == {"index.html": "first"}


# -- 3. a site folder that is a mount point ------------------------------------------------

def test_a_mount_point_site_is_replaced_in_place_and_a_failing_build_leaves_it_alone(tmp_path, monkeypatch):
    """Class 3: site/ that cannot be renamed (a mount point) gets its staging folder inside it: a
    failing --strict build writes nothing there; a passing one replaces its content, keeping .git."""
    project = copy_project(tmp_path / "p", TINY)
    site = project / "site"
    write_tree(site, {".git/HEAD": "worktree", "index.html": "old"})
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == site or real(path))  # (the build runs in this process)
    assert SiteFolder.needs_in_place(site)
    (project / "docs" / "broken.en.md").write_text("[x](missing.md)\n", encoding="utf-8")
    (project / "docs" / "broken.zh.md").write_text("[x](missing.md)\n", encoding="utf-8")
    failed = mkdocs_build(project, "--strict")
    assert failed.returncode == 1
    assert read_tree(site) == {".git/HEAD": "worktree", "index.html": "old"}
    assert mkdocs_build(project).returncode == 0
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "worktree"
    assert "Lakeside Thermometer Readings" in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / IN_PLACE_STAGING).exists() and not (site / IN_PLACE_RETIRED).exists()


# -- 4. -q and --strict --------------------------------------------------------------------

@pytest.mark.parametrize("command", [["-m", "mkdocs", "build"], ["-m", "datasite.cli", "build"]])
def test_quiet_strict_build_still_fails_on_a_broken_link(tmp_path, command):
    """Class 4: -q hides warnings; --strict still counts them (and shows them: they fail the build)."""
    project = copy_project(tmp_path / "p", TINY)
    for language in ("en", "zh"):
        (project / "docs" / f"guide.{language}.md").write_text("# Guide\n\n[a page](nowhere.md)\n", encoding="utf-8")
    from conftest import run

    assert datasite(project, "confirm", "docs/guide").returncode == 0

    strict = run([sys.executable, *command, "-q", "--strict"], project)
    assert strict.returncode == 1 and "nowhere.md" in strict.stderr
    assert not (project / "site").exists()
    quiet = run([sys.executable, *command, "-q"], project)
    assert quiet.returncode == 0 and "nowhere.md" not in quiet.stderr and quiet.stdout == ""


# -- 5. files written through their symlinks, with their modes; read-only ones refused -----

def test_files_writes_a_symlinked_dataset_yml_through_its_link_and_keeps_its_mode(tmp_path):
    import shutil

    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    real = project / "data" / "dataset.real.yml"
    real.parent.mkdir()
    (project / "dataset.yml").rename(real)
    os.chmod(real, 0o640)
    (project / "dataset.yml").symlink_to(os.path.relpath(real, project))
    (project / "release" / "lakes-2021.csv").write_text("lake,t\nA,3\n", encoding="utf-8")
    result = datasite(project, "files", "release")
    assert result.returncode == 0, result.stderr
    assert (project / "dataset.yml").is_symlink() and "lakes-2021.csv" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not [p for p in real.parent.iterdir() if p.name != real.name]  # no temporary file left


@pytest.mark.parametrize("command", [["files", "release"], ["confirm", "--all"]])
def test_a_read_only_file_is_refused_not_replaced(tmp_path, command):
    import shutil

    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    (project / "release" / "lakes-2021.csv").write_text("lake,t\nA,3\n", encoding="utf-8")
    target = project / ("dataset.yml" if command[0] == "files" else "dataset.lock.json")
    before = target.read_bytes()
    os.chmod(target, 0o444)
    result = datasite(project, *command)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{target.name}: read-only; not replaced" in result.stderr
    assert target.read_bytes() == before and stat.S_IMODE(target.stat().st_mode) == 0o444


# -- 6. an unwritable cache ----------------------------------------------------------------

def test_links_reports_every_verdict_when_its_cache_cannot_be_written(tmp_path):
    from linkserver import LinkServer, Reply

    project = copy_project(tmp_path / "p", TINY)
    (project / ".cache").write_text("a file where the cache folder goes\n", encoding="utf-8")
    with LinkServer() as server:
        server.route("/ok", Reply(200, "fine"))
        (project / "urls.txt").write_text(server.url("/ok") + "\n", encoding="utf-8")
        result = datasite(project, "links", "--urls", "urls.txt")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "REACHABLE" in result.stdout and "1 links: 1 reachable" in result.stdout
    assert "the link cache was not saved" in result.stderr and ".cache" in result.stderr


# -- 7. a full disk: one line with the path, nothing lost ----------------------------------

def _small_files_only():
    """The process may write files of 500 bytes at most (as on a disk that is full): a larger
    write fails with EFBIG instead of the signal that would end the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (500, 500))


@pytest.mark.parametrize("command", [
    ["files", "release", "--release", "3.0"], ["confirm", "--all"], ["export"], ["bundle"], ["build", "--strict"],
])
def test_a_full_disk_is_one_message_and_loses_nothing(tmp_path, command):
    import shutil

    project = copy_project(tmp_path / "p", TINY)
    shutil.copytree(TINY / "release", project / "release")
    # (Stale, so that each command has something to write.)
    for name in ("dataset.lock.json", "README.dataset.md"):
        (project / name).write_text((project / name).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    kept = {name: (project / name).read_bytes() for name in ("dataset.yml", "dataset.lock.json", "README.dataset.md",
                                                              "CITATION.cff", ".zenodo.json")}
    site = read_bytes_tree(project / "site")
    result = subprocess.run([sys.executable, "-m", "datasite.cli", *command], cwd=project, capture_output=True,
                            text=True, env=build_env(PYTHONDONTWRITEBYTECODE="1"), preexec_fn=_small_files_only,
                            timeout=300)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "File too large" in result.stderr, result.stderr
    if command[0] in ("files", "confirm", "export"):  # (the file being written is named)
        assert any(re.search(rf"[ /]{re.escape(name)}: File too large", result.stderr) for name in ("dataset.yml", "dataset.lock.json",
                                                                               "README.dataset.md", "CITATION.cff"))
    for name, content in kept.items():
        assert (project / name).read_bytes() == content, name
    assert read_bytes_tree(project / "site") == site
    # (No half-written temporary file left beside them.)
    assert not [p.name for p in project.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".zenodo.json")]


# -- 8. names with invisible or direction characters ---------------------------------------

@pytest.mark.parametrize("name,shown", [
    ("invoice\\u202egpj.exe", "U+202E"), ("data\\u2066.csv", "U+2066"), ("a\\u200bb.csv", "U+200B"),
    ("line\\u2028break.csv", "U+2028"), ("end\\u00ad.csv", "U+00AD"), ("unassigned\\U000e0fff.csv", "U+E0FFF"),
    ("a/../b.csv", "the part '..'"), ("folder /b.csv", "the part 'folder '"),
])
def test_file_names_show_what_the_file_is_called(tmp_path, name, shown):
    problems = problems_of(tmp_path, replaced("{name: lakes-2020.csv,", f'{{name: "{name}",'))
    assert any("releases[1].files[1].name" in p and shown in p for p in problems), problems


# -- 9. special files ----------------------------------------------------------------------

@pytest.mark.parametrize("where", ["docs/pipe.en.md", "docs/assets/data.bin", "dataset.yml", "dataset.lock.json"])
def test_a_named_pipe_is_refused_by_its_type_and_never_waited_on(tmp_path, where):
    project = copy_project(tmp_path / "p", TINY)
    fifo = project / where
    fifo.parent.mkdir(parents=True, exist_ok=True)
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    for command in (["check"], ["build", "--strict"]):
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "datasite.cli", *command], cwd=project, capture_output=True,
                                text=True, env=build_env(), timeout=120)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{where}:1:1:" in result.stderr and "a named pipe (FIFO)" in result.stderr, result.stderr
        assert time.monotonic() - started < 60


def test_named_pipes_in_the_caches_are_set_aside_not_waited_on(tmp_path):
    project = copy_project(tmp_path / "p", TINY)
    caches = project / ".cache" / "datasite"
    caches.mkdir(parents=True)
    for name in ("links.json", "render.json"):
        os.mkfifo(caches / name)
    result = subprocess.run([sys.executable, "-m", "datasite.cli", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, env=build_env(), timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "links.json: the link cache is unreadable" in result.stderr and "a named pipe (FIFO)" in result.stderr
    assert (project / "site" / "index.html").exists()


# -- 10. hand-written files where the build writes its own ---------------------------------

@pytest.mark.parametrize("name", ["SHA256SUMS", "status.json", "feed.xml", "zh/feed.xml", "citation/lakeside-thermometer-readings.bib",
                                  "assets/datasite.css", "search/search_index.json"])
def test_a_hand_written_file_at_a_generated_path_is_refused(tmp_path, name):
    project = copy_project(tmp_path / "p", TINY)
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / name).write_text("mine\n", encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1
    assert f"docs/{name}:1:1: {name}: the build generates /{name} from dataset.yml" in result.stderr


# -- 11. credentials and look-alike hosts --------------------------------------------------

@pytest.mark.parametrize("url,message", [
    ("https://reader:s3cret@drive.example.net/s/lakeside", "may not hold a user name or password"),
    ("https://archive.example.org@drive.example.net/s/x", "may not hold a user name or password"),
    ("https://drive.exаmple.net/s/lakeside", "mixes Cyrillic and Latin letters in 'exаmple'"),
    ("https://drive.xn--exmple-4nf.net/s/lakeside", "mixes Cyrillic and Latin letters"),
])
def test_mirror_urls_with_credentials_or_look_alike_hosts_are_refused(tmp_path, url, message):
    problems = problems_of(tmp_path, replaced("url: https://drive.example.net/s/lakeside", f"url: {url}"))
    assert any("mirrors.example-drive.url" in p and message in p for p in problems), problems


@pytest.mark.parametrize("host,shown", [
    ("pan.baidu.com", "pan.baidu.com"), ("资料.example.cn", "资料.example.cn"),
    ("xn--fiq228c.example", "中文.example"), ("データ.example.jp", "データ.example.jp"),
    ("аррӏе.com", "xn--80ak6aa92e.com"),  # all Cyrillic, shaped as Latin: shown in ASCII, as browsers do
    ("DATA.Example.ORG", "data.example.org"),
])
def test_hosts_are_shown_as_a_browser_shows_them(host, shown):
    from datasite.hosts import display_host

    assert display_host(host) == shown


def test_the_download_page_shows_a_mirrors_host_as_the_address_bar_will(tmp_path):
    from datasite.render.pages import render_pages

    text = replaced("url: https://drive.example.net/s/lakeside", "url: https://xn--qevx69f.example.cn/s/lakeside")
    dataset = load_dataset(_written(tmp_path, text)).dataset
    row = BeautifulSoup(render_pages(dataset, "zh")["download"], "html.parser").select_one("#example-drive")
    assert row.select_one(".ds-host").get_text() == "资料.example.cn"
    assert row.select_one("a")["href"] == "https://xn--qevx69f.example.cn/s/lakeside"  # the link as written


# -- 12. invariant tokens in Unicode's compatibility form ----------------------------------

def test_invariant_tokens_are_compared_in_compatibility_form(tmp_path):
    import unicodedata

    from datasite.sync import token_problems

    url = "https://example.org/café"
    composed, decomposed = unicodedata.normalize("NFC", url), unicodedata.normalize("NFD", url)
    same = replaced("note: {en: Every release since 2019., zh: 自 2019 年起的全部版本。}",
                    f'note: {{en: "See {composed}", zh: "见 {decomposed}"}}')
    (tmp_path / "a").mkdir()
    assert problems_of(tmp_path / "a", same) == []
    assert token_problems(load_dataset(tmp_path / "a" / "dataset.yml")) == []
    full_width = replaced("zh: 可将读数用于任何用途，并请引用 2022 年的文章。", "zh: 可将读数用于任何用途，并请引用 ２０２２ 年的文章。")
    (tmp_path / "b").mkdir()
    assert token_problems(load_dataset(_written(tmp_path / "b", full_width))) == []
    only_one = replaced("zh: 可将读数用于任何用途，并请引用 2022 年的文章。", "zh: 可将读数用于任何用途，并请引用 ２０２５ 年的文章。")
    (tmp_path / "c").mkdir()
    found = [str(p) for p in token_problems(load_dataset(_written(tmp_path / "c", only_one)))]
    assert any("only in en: 2022; only in zh: 2025" in p for p in found), found


def _written(folder: Path, text: str) -> Path:
    (folder / "dataset.yml").write_text(text, encoding="utf-8")
    return folder / "dataset.yml"


# -- 13. the link checker's answers --------------------------------------------------------

FAST = {"timeout": 2.0, "retries": 0, "backoff": 0.01, "max_retry_after": 5.0}


def checked(handler, url: str = "https://pan.example.com/s/1", **options) -> Verdict:
    """One verdict, answered in-process (httpx.MockTransport): nothing leaves the machine."""
    async def no_lookups(host: str) -> list[str]:
        raise AssertionError(f"no name is looked up in these tests ({host})")

    options = {**FAST, "markers": {"pan.example.com": ("share is gone",)}, **options}
    return Checker(CheckOptions(**options), httpx.MockTransport(handler), resolver=no_lookups).run([url])[url]


@pytest.mark.parametrize("headers,retries", [({}, 0), ({}, 2), ({"Retry-After": "1"}, 1), ({"Retry-After": "5"}, 0)])
def test_a_rate_limit_is_not_a_dead_link(headers, retries):
    """Class 13: 429 to every attempt says nothing of the link: unknown (rate-limited), never dead."""
    attempts = []

    def handler(request):
        attempts.append(request.method)
        return httpx.Response(429, headers=headers, stream=httpx.ByteStream(b""))

    verdict = checked(handler, retries=retries)
    assert verdict.ok is None and verdict.kind == "rate-limited" and verdict.status == 429
    assert verdict.state == "unknown" and len(attempts) == retries + 1


def test_a_rate_limited_mirror_is_not_struck_through():
    from datasite.render.pages import render_pages

    dataset = load_dataset(TINY / "dataset.yml").dataset
    url = "https://drive.example.net/s/lakeside"
    limited = Verdict(url, None, 429, url, "not checked: rate limited", None, kind="rate-limited")
    html = render_pages(dataset, "en", {url: limited})["download"]
    row = BeautifulSoup(html, "html.parser").select_one("#example-drive")
    assert row["data-state"] == "unknown" and not row.select("del, s") and "dead" not in row.get_text()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_without_a_location_is_not_reachable(status):
    verdict = checked(lambda request: httpx.Response(status, stream=httpx.ByteStream(b"")), "https://archive.example.org/x")
    assert verdict.ok is False and f"HTTP {status} redirect without a Location" in verdict.reason


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize("encoding,encode", [
    ("deflate", _raw_deflate), ("deflate", zlib.compress), ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
    ("gzip", gzip.compress), ("x-gzip", gzip.compress), ("identity, gzip", gzip.compress),
    ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
])
def test_a_dead_share_is_found_in_every_content_coding(encoding, encode):
    """Class 13: a dead share's text is searched after every coding is undone, in order."""
    body = encode("<html><p>This share is gone.</p></html>".encode())
    verdict = checked(lambda request: httpx.Response(200, headers={"Content-Encoding": encoding}, stream=httpx.ByteStream(body)))
    assert verdict.ok is False and verdict.marker == "share is gone", verdict


def test_a_body_in_a_coding_that_cannot_be_read_is_not_called_alive():
    body = b"\x1b\x2a\x00\xf8"  # (brotli's framing: not decoded here)
    verdict = checked(lambda request: httpx.Response(200, headers={"Content-Encoding": "br"}, stream=httpx.ByteStream(body)))
    assert verdict.ok is None and verdict.kind == "not-checked" and "br" in verdict.reason


# -- 14. cached verdicts are checked where they are published -------------------------------

@pytest.mark.parametrize("entry,why", [
    ({"ok": True, "status": 200, "checked_at": "2999-12-31T00:00:00Z"}, "it is dated in the future (2999-12-31T00:00:00Z)"),
    ({"ok": False, "status": 99999, "checked_at": "2026-01-01T00:00:00Z"}, "HTTP status 99999 is not one"),
    ({"ok": True, "status": 200, "checked_at": "yesterday"}, "its date 'yesterday' is not one"),
    ({"ok": False, "status": 200, "checked_at": "2026-01-01T00:00:00Z", "final_url": "javascript:alert(1)"},
     "its final URL is not an http(s) one"),
    ({"ok": None, "status": None, "checked_at": None, "kind": "alive-ish"}, "unknown kind 'alive-ish'"),
])
def test_a_tampered_verdict_is_never_published(tmp_path, entry, why):
    project = copy_project(tmp_path / "p", TINY)
    url = "https://drive.example.net/s/lakeside"
    cache = project / ".cache" / "datasite" / "links.json"
    cache.parent.mkdir(parents=True)
    full = {"url": url, "final_url": None, "reason": "HTTP 200", "marker": None, **entry}
    cache.write_text(json.dumps({"version": 1, "entries": {url: full}}), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0 and f"the verdict for {url} is not used: {why}" in result.stderr, result.stderr
    drive = page(project / "site", "download").select_one("#example-drive")
    assert drive["data-state"] == "unknown" and "2999" not in drive.get_text()
    status = json.loads((project / "site" / "status.json").read_text(encoding="utf-8"))
    assert next(e for e in status if e["url"] == url)["state"] == "unknown"


# -- 15. the lock file is checked as dataset.yml is -----------------------------------------

@pytest.mark.parametrize("change,message", [
    (lambda lock: lock.update(version="1"), 'version: expected 1, found "1"'),
    (lambda lock: lock.update(version=2), "version: expected 1, found 2"),
    (lambda lock: lock.update(anchors={"download": "example-drive"}), "anchors.download: expected a list of anchors"),
    (lambda lock: lock.update(anchors=["example-drive"]), "anchors: expected an object of pages"),
    (lambda lock: lock.update(anchors={"download": ["Example Drive"]}), "anchors.download: expected a list"),
    (lambda lock: lock.update(anchors={"downloads": ["example-drive"]}), "anchors.downloads: unknown page"),
    (lambda lock: lock.update(review={"name.zh": {"kind": "guessed"}}), "review.name.zh: expected"),
    (lambda lock: lock.update(extra=1), "extra: unknown key"),
])
def test_a_malformed_lock_is_an_error_and_never_switches_a_guard_off(tmp_path, change, message):
    project = copy_project(tmp_path / "p", TINY)
    path = project / "dataset.lock.json"
    lock = json.loads(path.read_text(encoding="utf-8"))
    change(lock)
    path.write_text(json.dumps(lock, indent=1), encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert "`datasite confirm --all`" in result.stderr


# -- 16. every link the pages show is checked ----------------------------------------------

def test_links_in_notes_and_change_texts_are_collected(tmp_path):
    from datasite.links.collect import collect_links

    text = replaced("note: {en: Every release since 2019., zh: 自 2019 年起的全部版本。}",
                    "note: {en: See https://notes.example.org/m, zh: 见 https://notes.example.org/m}")
    text = text.replace("notes: {en: The readings of 2019., zh: 2019 年的读数。}",
                        "notes: {en: 'Readme: https://release.example.org/1', zh: '说明：https://release.example.org/1'}")
    text = text.replace("text: {en: Release 2.0 adds the readings of 2020., zh: 2.0 版增加了 2020 年的读数。}",
                        "text: {en: 'See https://change.example.org/2', zh: '见 https://change.example.org/2'}")
    links = {link.url: link for link in collect_links(load_dataset(_written(tmp_path, text)))}
    assert links["https://notes.example.org/m"].mirror == "example-archive"
    pages = {url: {o.page for o in links[url].occurrences} for url in
             ("https://release.example.org/1", "https://change.example.org/2")}
    assert pages == {"https://release.example.org/1": {"download"}, "https://change.example.org/2": {"changes"}}
    assert {o.language for o in links["https://change.example.org/2"].occurrences} == {"en", "zh"}


def test_every_field_of_the_model_is_on_a_page():
    from datasite.links.collect import FIELD_PAGES, NOT_LINKED
    from datasite.model import Dataset

    assert set(Dataset.__struct_fields__) == set(FIELD_PAGES) | NOT_LINKED


def test_every_external_link_of_the_built_pages_is_in_status_json(tiny_site):
    """What is checked is what is rendered: each http(s) and mailto link of every page is listed."""
    listed = {entry["url"] for entry in json.loads((tiny_site / "status.json").read_text(encoding="utf-8"))}
    linked = set()
    for html in tiny_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for anchor in soup.select("main a[href], article a[href]"):
            href = anchor["href"]
            if href.startswith(("https://", "http://", "mailto:")) and "example.github.io" not in href:
                linked.add(href)
    assert linked and linked <= listed, linked - listed


def test_an_os_error_is_described_with_its_path():
    from datasite.fsio import describe

    assert describe(OSError(errno.ENOSPC, "No space left on device", "dataset.yml")) == \
        "dataset.yml: No space left on device (the disk is full; nothing was replaced)"
    assert describe(OSError(errno.EXDEV, "Invalid cross-device link", "a", None, "b")) == \
        "a -> b: Invalid cross-device link"
