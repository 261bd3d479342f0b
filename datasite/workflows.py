"""The GitHub workflows of a dataset repository: publish on every push to its default branch, and
check the links weekly, both through datasite's GitHub Action (`action.yml` at the root of the
repository datasite is developed in), pinned by the tag of this very version.

Where the action comes from is this package's own `project.urls` (Source, on github.com), or
what the maintainer names (`--action OWNER/REPO@REF`). A development checkout whose `project.urls`
is still a placeholder names none: then no workflow is written, and the command says how to
write one, because a workflow that names someone else's repository would run their code with
`pages: write`.
"""

from __future__ import annotations

import re
import subprocess
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from .problems import DatasiteError
from .review import placeholder_reason
from .sync import atomic_write

TEMPLATES = Path(__file__).parent / "templates" / "workflows"
WORKFLOWS = {".github/workflows/pages.yml": "pages.yml", ".github/workflows/links.yml": "links.yml"}

# OWNER/REPO@REF, or OWNER/REPO/PATH@REF for an action in a folder of a repository.
ACTION_REFERENCE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}(?:/[A-Za-z0-9._/-]+)?"
                              r"@[A-Za-z0-9._/-]{1,100}")
# What git accepts as a branch name, and nothing that would need quoting in YAML.
BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}")


class WorkflowError(DatasiteError):
    """A malformed --action, or workflows that exist without --force (a usage error: exit 2)."""

    exit_code = 2


def package_action() -> str | None:
    """`OWNER/REPO@vVERSION`: the action of the repository this datasite was released from, at
    this version's tag; None when the package names no GitHub repository (a placeholder)."""
    try:
        found = metadata.metadata("datasite")
    except metadata.PackageNotFoundError:
        return None
    for entry in found.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        url = url.strip()
        if label.strip().lower() != "source" or placeholder_reason(url):
            continue
        parts = urlsplit(url)
        path = [p for p in parts.path.split("/") if p]
        if parts.scheme == "https" and parts.hostname == "github.com" and len(path) == 2:
            return f"{path[0]}/{path[1].removesuffix('.git')}@v{found['Version']}"
    return None


def checked_action(reference: str) -> str:
    if not ACTION_REFERENCE.fullmatch(reference):
        raise WorkflowError(f"--action {reference!r}: expected OWNER/REPO@REF, e.g. you/datasite@v1.2.0 "
                            "(a tag: the workflow then runs the same datasite every time)")
    return reference


def default_branch(root: Path) -> str:
    """The branch GitHub publishes from: the remote's default (origin/HEAD), else the branch
    checked out, else `main`."""
    for query in (["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
                  ["symbolic-ref", "--quiet", "--short", "HEAD"]):
        try:
            found = subprocess.run(["git", "-C", str(root), *query], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return "main"  # no git: the name GitHub gives a new repository's branch
        name = found.stdout.strip().removeprefix("origin/")
        if found.returncode == 0 and BRANCH.fullmatch(name):
            return name
    return "main"


def render_workflow(template: str, action: str, branch: str) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return text.replace("__ACTION__", action).replace("__BRANCH__", branch)


def write_workflows(root: Path, action: str | None, *, force: bool) -> tuple[list[str], str]:
    """Write the workflows into `root`; (written paths, the action they use). Refuses to replace
    a workflow without `force`, and to guess where the action comes from."""
    action = checked_action(action) if action else package_action()
    if action is None:
        raise WorkflowError("this datasite names no GitHub repository to take its action from (its project.urls "
                            "Source is a placeholder: a development checkout); name one: "
                            "--action OWNER/REPO@vVERSION")
    existing = [name for name in WORKFLOWS if (root / name).exists()]
    if existing and not force:
        raise WorkflowError(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                            "use --force to replace")
    branch = default_branch(root)
    for target, template in WORKFLOWS.items():
        atomic_write(root / target, render_workflow(template, action, branch))
    return list(WORKFLOWS), action
