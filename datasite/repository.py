"""What git knows of the repository a README lies in: its web address, and where GitHub Pages
publishes its site. Read-only: `git config`, and a CNAME file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit


GitRemote = Callable[[Path], "str | None"]
"""How the remote origin of the repository holding a folder is found (passed in, so that the
importer and its tests can be given another)."""


def remote_origin(folder: Path) -> str | None:
    """`git config --get remote.origin.url` in `folder`, as git prints it; None without git or remote."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def repository_url(folder: Path, git_remote: GitRemote = remote_origin) -> str | None:
    """The web address of the git repository that holds `folder` (its `origin`), if any."""
    remote = (git_remote(folder) or "").strip()
    ssh = re.fullmatch(r"(?:ssh://)?git@([\w.-]+)[:/]([\w./-]+?)(?:\.git)?/?", remote)
    if ssh:
        remote = f"https://{ssh.group(1)}/{ssh.group(2)}"
    elif re.fullmatch(r"https?://[^\s@]+", remote):
        remote = re.sub(r"\.git/?$", "", remote)
    else:
        return None
    return remote


# Hosts whose pages service publishes a repository at https://<owner>.<pages>/<repository>/.
PAGES_HOSTS = {"github.com": "github.io", "gitlab.com": "gitlab.io"}


def published_site_url(folder: Path, git_remote: GitRemote = remote_origin) -> tuple[str, str] | None:
    """Where the repository's site is published, and what says so: the domain of a CNAME file
    (GitHub Pages' custom domain), else the pages address of the git remote's host."""
    for cname in (folder / "CNAME", folder / "docs" / "CNAME"):
        try:
            domain = cname.read_text(encoding="utf-8").strip().split("\n")[0].strip()
        except (OSError, UnicodeDecodeError):
            continue
        if re.fullmatch(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+", domain):
            return f"https://{domain.lower()}/", f"the custom domain in {cname.relative_to(folder).as_posix()}"
    remote = repository_url(folder, git_remote)
    if not remote:
        return None
    parts = urlsplit(remote)
    pages = PAGES_HOSTS.get((parts.hostname or "").lower())
    path = [p for p in parts.path.split("/") if p]
    if not pages or len(path) != 2:
        return None
    owner, name = path[0].lower(), path[1]
    if name.lower() == f"{owner}.{pages}":
        return f"https://{owner}.{pages}/", f"the git remote origin ({remote})"
    return f"https://{owner}.{pages}/{name}/", f"the git remote origin ({remote})"
