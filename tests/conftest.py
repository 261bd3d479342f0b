"""Shared fixtures: real builds of the site, temporary project copies, a local web server."""

from __future__ import annotations

import functools
import http.server
import os
import re
from urllib.parse import urlsplit
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import inprocess

ROOT = Path(__file__).resolve().parent.parent  # the repository: the tool, and the live dataset's site
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed"  # the seed dataset as a project of its own: what the tests build
TINY = FIXTURES / "tiny"
PROJECT_FILES = ("mkdocs.yml", "dataset.yml", "dataset.lock.json", "docs", "overrides", "README.dataset.md", "CITATION.cff",
                 ".zenodo.json")


def build_env(**extra: str) -> dict[str, str]:
    # As on a maintainer's machine: not on CI, and bytecode written (a sandbox may turn that off).
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONDONTWRITEBYTECODE")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`args` in `cwd`, as a command line runs them: exit code, stdout and stderr.

    `python -m mkdocs|datasite.cli …` runs in this process (inprocess.py), with the engine's
    libraries already imported, which is most of a small build's cost; it gets its own folder,
    environment and streams, and the process is put back afterwards. Everything else is a real
    subprocess.
    """
    return inprocess.run(args, cwd, build_env(**env), timeout=300)


def mkdocs_build(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mkdocs", "build", *args], cwd, **env)


def datasite(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "datasite.cli", *args], cwd, **env)


REVIEW_LINE = re.compile(r"^\S+:\d+:\d+: (?P<key>\S+): (?:inferred|copied, not translated)\b.*`datasite confirm (?P=key)`",
                         re.MULTILINE)


def review_keys(check_output: str) -> list[str]:
    """The keys of the values a tool wrote that `datasite check` asks a person to confirm."""
    return [match["key"] for match in REVIEW_LINE.finditer(check_output)]


def confirm_reviewed(folder: Path) -> list[str]:
    """As a maintainer who has checked every value the import inferred or copied: confirm each."""
    keys = review_keys(datasite(folder, "check").stderr)
    if keys:
        result = datasite(folder, "confirm", *keys)
        assert result.returncode == 0, result.stderr
    return keys


def set_site_url(folder: Path, url: str = "https://example.github.io/dataset/") -> None:
    """As a maintainer who has set where the site is published."""
    path = folder / "dataset.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {url}", text), encoding="utf-8")


def copy_project(dest: Path, source_dir: Path = SEED) -> Path:
    """A copy of a project's own files (data, lock file, pages, mkdocs.yml, generated files)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = source_dir / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def clean_checkout(dest: Path) -> Path:
    """This repository as a fresh clone has it (its files, committed or not, but nothing git
    ignores: no venv, no build folders, no caches)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def edit(project: Path, old: str, new: str, name: str = "dataset.yml") -> int:
    """Replace `old` once in the file; return the 1-based line where the edit starts."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """A copy of the seed project shared by the tests that only read it (builds write caches in it)."""
    return copy_project(tmp_path_factory.mktemp("seed-project"))


def built(project: Path, out: Path) -> Path:
    """The project's site, built with --strict into `out`."""
    result = mkdocs_build(project, "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def tiny_project(folder: Path) -> Path:
    """A copy of the tiny fixture, with its release folder."""
    project = copy_project(folder, TINY)
    shutil.copytree(TINY / "release", project / "release")
    return project


@pytest.fixture(scope="session")
def site(seed_project, tmp_path_factory) -> Path:
    """The seed dataset's site, built once with --strict."""
    return built(seed_project, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """The tiny fixture's site (a DOI, two releases, changes, a recommended mirror), built once."""
    return built(tiny_project(tmp_path_factory.mktemp("tiny-project")), tmp_path_factory.mktemp("tiny-site"))


BUNDLE = "wenzhou-randomized-battery-data-site-2026-11-25"  # the seed's bundle: its id and `updated`


@pytest.fixture(scope="session")
def bundle(seed_project, tmp_path_factory) -> Path:
    """The seed's offline bundle (`datasite bundle`), built once."""
    out = tmp_path_factory.mktemp("dist")
    result = datasite(seed_project, "bundle", "--out", str(out))
    assert result.returncode == 0, result.stderr
    zip_path = out / f"{BUNDLE}.zip"
    assert result.stdout.strip().endswith(f"{BUNDLE}.zip") and zip_path.exists()
    return zip_path


def page(site_dir: Path, url_path: str) -> BeautifulSoup:
    path = site_dir / url_path / "index.html" if not url_path.endswith(".html") else site_dir / url_path
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(element) -> str:
    """Visible text with <br> as a line break and whitespace collapsed."""
    for br in element.find_all("br"):
        br.replace_with("\n")
    return normalize(element.get_text())


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright (never a browser downloaded by Playwright)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: run tests/setup.sh")
        pytest.skip("chromium is not installed (tests/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
LOCAL = ("http://127.0.0.1:", "file://", "data:", "blob:")


def open_page(browser, url: str | None = None, *, settle: str = "load", **context_options):
    """The browser helper of every test: a fresh context and tab (1280 x 900 unless told), which
    records what a reader's devtools would show in `seen`: every request, console errors, and the
    requests that tried to leave this machine (refused). Then `url`, loaded until `settle`
    ("networkidle" where a test must have seen every request)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "outside": []}

    def guard(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            seen["outside"].append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("request", lambda request: seen["requests"].append(request.url))
    tab.on("console", lambda message: message.type == "error" and seen["errors"].append(message.text))
    tab.on("pageerror", lambda error: seen["errors"].append(str(error)))
    if url is not None:
        tab.goto(url)
        tab.wait_for_load_state(settle)
    return context, tab, seen


def search_hits(tab, query: str) -> list[str]:
    """As a reader types `query` into the site's search: the paths of the results shown."""
    field = tab.locator("input.md-search__input")
    field.click()
    field.fill(query)
    field.press("End")  # the theme searches on key events
    tab.locator(".md-search-result__item").first.wait_for()
    return [urlsplit(a.get_attribute("href")).path for a in tab.locator(".md-search-result__item > a").all()]


def axe_violations(tab) -> list[dict]:
    """axe-core's findings on the page as it is now."""
    assert AXE.exists(), "tests/setup.sh installs axe-core (npm ci)"
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations]


@pytest.fixture
def tab(browser):
    """A tab of its own (open_page); `tab.seen` is what it recorded."""
    context, page, seen = open_page(browser)
    page.seen = seen
    yield page
    context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a tab closed mid-response
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def serve():
    """serve(directory) -> base URL of a web server on 127.0.0.1 for that directory."""
    servers: dict[Path, _QuietServer] = {}  # one per folder, for the whole session

    def start(directory: Path) -> str:
        directory = Path(directory).resolve()
        if directory not in servers:
            handler = functools.partial(_QuietHandler, directory=str(directory))
            server = _QuietServer(("127.0.0.1", 0), handler)
            # A short poll: shutdown() waits for it, once per server at the end of the session.
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            servers[directory] = server
        return f"http://127.0.0.1:{servers[directory].server_address[1]}"

    yield start
    for server in servers.values():
        server.shutdown()
        server.server_close()


def pytest_collection_modifyitems(items):
    # `pytest -m "not browser"` runs everything that needs no chromium (the Pages workflow does).
    for item in items:
        if {"browser", "tab"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
