"""Publishing from a dataset repository (issue 20): the engine is stopped with the command that
started it; the GitHub Action's steps, run in order as GitHub runs them; the lock of the
dependencies; the wheel a release builds; the `overrides/` folder of a site."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import BUNDLE, ROOT, TINY, build_env, clean_checkout, copy_project, datasite, mkdocs_build, page, set_site_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """The processes `pid` started (Linux: /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_serve_leaves_no_engine_behind_and_frees_its_port(tmp_path, stop):
    """An IDE's stop button or a script (SIGTERM), or `kill -INT`, sent to `datasite serve`:
    the engine it started stops too, the command exits with the engine's status, the port is free."""
    project = copy_project(tmp_path / "project", TINY)
    port = free_port()
    command = subprocess.Popen([sys.executable, "-m", "datasite.cli", "serve", "-a", f"127.0.0.1:{port}"],
                               cwd=project, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)  # no terminal: the signal reaches datasite alone
    try:
        deadline = time.monotonic() + 120
        while True:
            assert command.poll() is None, command.stdout.read()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the preview never answered"
            time.sleep(0.2)
        engines = children_of(command.pid)
        assert engines and all(alive(pid) for pid in engines)
        command.send_signal(stop)
        status = command.wait(timeout=60)
    finally:
        if command.poll() is None:
            command.kill()
    output = command.stdout.read()
    assert "Traceback" not in output, output
    # SIGTERM ends the engine as it ends any Python program (128 + 15, as a shell reports it);
    # SIGINT is the engine's own Ctrl-C: it shuts the server down and exits 0.
    assert status == (128 + signal.SIGTERM if stop == signal.SIGTERM else 0), output
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in engines) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in engines)
    with socket.socket() as probe:  # nothing answers on the port any more ...
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    with socket.socket() as again:  # ... and a new preview can take it (as servers do: past TIME_WAIT)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


# -- the GitHub Action, its steps run as GitHub runs them -----------------------------------------

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class Context:
    """What the expressions of action.yml may name: `inputs.*`, `steps.<id>.outputs.*`,
    `github.action_path`. Anything else is an error, so a new expression is added here, on purpose."""

    def __init__(self, inputs: dict[str, str], action_path: Path):
        self.inputs, self.action_path = inputs, action_path
        self.outputs: dict[str, dict[str, str]] = {}

    def value(self, term: str) -> str:
        term = term.strip()
        if re.fullmatch(r"'[^']*'", term):
            return term[1:-1]
        if "||" in term:  # the first term that is not empty
            return next((v for v in (self.value(t) for t in term.split("||")) if v), "")
        if term.startswith("inputs."):
            return self.inputs[term.removeprefix("inputs.")]
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", term)
        if found:
            return self.outputs.get(found[1], {}).get(found[2], "")
        if term == "github.action_path":
            return str(self.action_path)
        raise AssertionError(f"action.yml uses an expression the step runner does not know: {term}")

    def condition(self, text: str) -> bool:
        text = EXPRESSION.sub(lambda m: m[1], text)
        results = []
        for part in text.split("&&"):
            found = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", part)
            assert found, f"action.yml: a condition the step runner does not know: {part}"
            left, right = self.value(found[1]), self.value(found[3])
            results.append((left == right) == (found[2] == "=="))
        return all(results)

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m[1]), str(text))


def action_inputs(**given: str) -> dict[str, str]:
    declared = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["inputs"]
    assert set(given) <= set(declared), set(given) - set(declared)
    return {name: given.get(name, str(spec.get("default", ""))) for name, spec in declared.items()}


def run_action(workspace: Path, runner_temp: Path, action_path: Path, env: dict[str, str], **given: str):
    """The steps of action.yml in order, as GitHub runs a composite action's: each `run:` in
    `bash --noprofile --norc -eo pipefail`, with GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_PATH,
    GITHUB_STEP_SUMMARY and RUNNER_TEMP set; the run stops at the first failing step. The
    actions it uses are GitHub's: setup-python is this Python (on PATH as `python`), an upload
    records the path it would upload. Returns (steps run: name -> exit status, uploads, context)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    context = Context(action_inputs(**given), action_path)
    summary, path_file = runner_temp / "summary.md", runner_temp / "path.txt"
    summary.touch()
    path_file.touch()
    ran: dict[str, int] = {}
    uploads: dict[str, Path] = {}
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("uses") or str(number)
        if "if" in step and not context.condition(step["if"]):
            continue
        if "uses" in step:
            used = step["uses"].split("@")[0]
            if used == "actions/setup-python":
                assert context.expand(step["with"]["python-version"]) == "3.11"
            elif used in ("actions/upload-pages-artifact", "actions/upload-artifact"):
                uploads[used] = Path(context.expand(step["with"]["path"]))
            else:
                raise AssertionError(f"action.yml uses {used}, which the step runner does not stand in for")
            ran[name] = 0
            continue
        assert step["shell"] == "bash"
        output = runner_temp / f"output-{number}"
        output.touch()
        paths = [line for line in path_file.read_text().splitlines() if line]
        step_env = {**env, "GITHUB_ACTION_PATH": str(action_path), "GITHUB_OUTPUT": str(output),
                    "GITHUB_PATH": str(path_file), "GITHUB_STEP_SUMMARY": str(summary),
                    "RUNNER_TEMP": str(runner_temp), "GITHUB_WORKSPACE": str(workspace), "CI": "true",
                    "GITHUB_ACTIONS": "true", "PATH": os.pathsep.join([*reversed(paths), env["PATH"]])}
        step_env.update({key: context.expand(value) for key, value in step.get("env", {}).items()})
        script = runner_temp / f"step-{number}.sh"
        script.write_text(context.expand(step["run"]), encoding="utf-8")
        cwd = workspace / context.expand(step.get("working-directory", "."))
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                                env=step_env, capture_output=True, text=True, timeout=600)
        ran[name] = result.returncode
        context.outputs[step.get("id", str(number))] = dict(
            line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        if result.returncode != 0:
            context.outputs["_failure"] = {"stderr": result.stdout + result.stderr}
            break
    return ran, uploads, context, summary.read_text(encoding="utf-8")


# No name resolves and no lookup leaves the machine, in the action's processes (a sitecustomize).
OFFLINE = f"""import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import offline_resolver
offline_resolver.install()
"""


@pytest.fixture(scope="module")
def action_checkout(tmp_path_factory) -> Path:
    """This repository as `uses:` checks it out: its files, no venv, no caches."""
    return clean_checkout(tmp_path_factory.mktemp("action") / "datasite")


def runner(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """RUNNER_TEMP with the venv the install step makes, made beforehand here: no index is asked
    (PIP_NO_INDEX), the libraries of requirements.lock come from this test run's environment (the
    same versions: setup.sh installs them from the lock), and no network name resolves."""
    temp = tmp_path / "runner-temp"
    venv = temp / "datasite-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "zz_outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (Path(purelib) / "sitecustomize.py").write_text(OFFLINE, encoding="utf-8")
    shims = tmp_path / "setup-python"
    shims.mkdir()
    (shims / "python").symlink_to(sys.executable)
    env = {key: value for key, value in build_env().items() if not key.lower().endswith("_proxy")}
    env.update(PIP_NO_INDEX="1", PATH=f"{shims}{os.pathsep}{env['PATH']}")
    return temp, env


def test_the_action_publishes_the_site_every_gate_passed(action_checkout, site, tmp_path):
    """A dataset repository (the seed's files) and the action's steps, in order: datasite is
    installed from the action's checkout, the gates pass, the links go to the job summary without
    blocking, and the Pages artifact is the very site the rest of this suite checks; the offline
    bundle is built and uploaded."""
    from test_offline import tree_digest

    workspace = copy_project(tmp_path / "dataset-repo")
    temp, env = runner(tmp_path)
    ran, uploads, context, summary = run_action(workspace, temp, action_checkout, env)
    assert all(status == 0 for status in ran.values()), context.outputs.get("_failure")
    assert list(ran) == ["actions/setup-python@v5.6.0", "Install datasite with its locked dependencies",
                         "dataset.yml is valid, confirmed, and both languages agree",
                         "The generated files (README, CITATION.cff, .zenodo.json) are up to date",
                         "Check external links (reported in the job summary)", "Build the site",
                         "Build the offline bundle", "actions/upload-pages-artifact@v3.0.1",
                         "actions/upload-artifact@v4.6.2"]
    installed = subprocess.run([str(temp / "datasite-venv" / "bin" / "python"), "-c",
                                "import datasite; print(datasite.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert installed.stdout.startswith(str(temp / "datasite-venv"))  # the action's datasite, not this one
    # No network here: every link is reported as unchecked, in the summary, and the job goes on.
    assert context.outputs["links"]["result"] in ("dead", "error") and summary.strip()
    published = uploads["actions/upload-pages-artifact"]
    assert published == workspace / "site"
    # Every page, feed and file is the one the rest of the suite checks; status.json says what the
    # link check just found (here: nothing reachable), which is the point of checking before building.
    digest, checked = tree_digest(published), tree_digest(site)
    assert digest.pop("status.json") and checked.pop("status.json") and digest == checked
    bundle = uploads["actions/upload-artifact"]
    assert bundle.parent == workspace / "dist" and bundle.name == f"{BUNDLE}.zip" and bundle.is_file()


def test_the_action_stops_before_publishing_what_a_gate_refuses(action_checkout, tmp_path):
    """An unconfirmed value: `check --strict` fails, nothing is built or uploaded; `link-check: off`
    skips the link step, `strict` fails the job on a dead link after the upload."""
    workspace = copy_project(tmp_path / "dataset-repo")
    set_site_url(workspace, "https://TODO.invalid/")
    temp, env = runner(tmp_path)
    ran, uploads, context, _ = run_action(workspace, temp, action_checkout, env, **{"link-check": "off"})
    assert list(ran.values())[-1] != 0 and list(ran)[-1].startswith("dataset.yml is valid")
    assert "site_url" in context.outputs["_failure"]["stderr"] and not uploads
    assert not (workspace / "site").exists()


# -- the lock --------------------------------------------------------------------------------------

LOCKS = {"requirements.lock": (), "requirements-test.lock": ("test",)}
# Pythons datasite supports and that dataset maintainers have: Debian 12's, a current 3.11, Ubuntu 24.04's, 3.13.
PYTHONS = ("3.11.2", "3.11.7", "3.12.3", "3.13.1")


def locked(name: str) -> list[tuple[str, str, str | None, int]]:
    """(package, version, marker, hashes) of each pin of a lock file."""
    from packaging.utils import canonicalize_name

    pins = []
    text = (ROOT / name).read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = entry.split("\n", 1)[0]
        found = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", first)
        if found:
            pins.append((canonicalize_name(found[1]), found[2], found[3], entry.count("--hash=sha256:")))
    return pins


@pytest.mark.parametrize("lock,extras", LOCKS.items(), ids=list(LOCKS))
def test_the_lock_satisfies_the_ranges_for_every_supported_python(lock, extras):
    """Each range of pyproject.toml is met by exactly one pinned version, hash-checked, on each
    Python a maintainer may have (a package may need a newer Python: its pin then has a marker)."""
    import tomllib

    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for extra in extras for r in project["optional-dependencies"][extra]]
    pins = locked(lock)
    assert pins and all(hashes for _, _, _, hashes in pins)
    for python in PYTHONS:
        environment = {"python_full_version": python, "python_version": python.rsplit(".", 1)[0],
                       "sys_platform": "linux", "platform_system": "Linux", "implementation_name": "cpython"}
        applying = {}
        for package, version, marker, _ in pins:
            if marker is None or Marker(marker).evaluate(environment):
                assert package not in applying, (lock, python, package)
                applying[package] = version
        for requirement in wanted:
            name = canonicalize_name(requirement.name)
            assert name in applying, (lock, python, name)
            assert requirement.specifier.contains(applying[name], prereleases=True), (lock, python, name, applying[name])
    setuptools = {lock_name: dict((p, v) for p, v, m, _ in locked(lock_name) if m is None)["setuptools"]
                  for lock_name in ("requirements.lock", "requirements-test.lock", "requirements-release.lock")}
    assert len(set(setuptools.values())) == 1  # the wheel is built alike by CI, the action and a release


def test_the_tests_run_on_the_locked_versions():
    """What setup.sh installed is the lock (a range widened in pyproject.toml without `.ci/lock`
    shows here, not on a maintainer's machine)."""
    from importlib import metadata

    from packaging.markers import Marker

    for package, version, marker, _ in locked("requirements-test.lock"):
        if marker is None or Marker(marker).evaluate():
            assert metadata.version(package) == version, package


# -- overrides/ --------------------------------------------------------------------------------

def test_a_partial_in_overrides_replaces_datasites_own(tmp_path):
    """`init` wires overrides/ as the theme's custom_dir: a partial there wins over datasite's
    (which stays in the package and is found after it); the folder's README is not published."""
    folder = tmp_path / "repo"
    folder.mkdir()
    assert datasite(folder, "init", "--action", "example/datasite@v0.2.0").returncode == 0
    assert "custom_dir: overrides" in (folder / "mkdocs.yml").read_text(encoding="utf-8")
    partial = folder / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<div class="md-copyright">Run by the Lakeside Lab</div>\n', encoding="utf-8")
    assert mkdocs_build(folder).returncode == 0
    for language in ("", "zh/"):
        footer = page(folder / "site", f"{language}license").select_one(".md-copyright")
        assert footer.get_text(strip=True) == "Run by the Lakeside Lab"
    search = page(folder / "site", "license").select_one("[data-md-component=search]")
    assert search is not None  # datasite's own partials (search.html) are still found
    assert not [p for p in (folder / "site").rglob("*") if p.name.lower().startswith("readme")]


# -- the workflows init writes ---------------------------------------------------------------------

def test_init_never_guesses_the_action_and_follows_the_default_branch(tmp_path):
    """A datasite whose project.urls is a placeholder (this checkout) names no action: init writes
    everything else and says how to write the workflows; `datasite workflows --action` writes them
    for the branch git checks out (`master` here), pinned as given."""
    folder = tmp_path / "repo"
    folder.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "master"], cwd=folder, check=True)
    result = datasite(folder, "init")
    assert result.returncode == 0, result.stderr
    assert not (folder / ".github").exists() and "datasite workflows --action OWNER/REPO@vVERSION" in result.stderr
    refused = datasite(folder, "workflows")
    assert refused.returncode == 2 and "placeholder" in refused.stderr and not (folder / ".github").exists()
    assert datasite(folder, "workflows", "--action", "someone/datasite@v1 ; echo").returncode == 2
    written = datasite(folder, "workflows", "--action", "example/datasite@v0.2.0")
    assert written.returncode == 0, written.stderr
    pages = yaml.load((folder / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert pages["on"]["push"]["branches"] == ["master"]
    assert pages["jobs"]["build"]["steps"][1]["uses"] == "example/datasite@v0.2.0"
    assert datasite(folder, "workflows", "--action", "example/datasite@v0.2.0").returncode == 2  # never replaced silently
