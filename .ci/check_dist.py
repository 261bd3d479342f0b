"""Checks of a datasite release, run by .github/workflows/release.yml (and by the tests).

    python .ci/check_dist.py --tag v0.2.0   # the tag is pyproject.toml's version; project.urls is real
    python .ci/check_dist.py dist           # the wheel (and sdist) hold what a site needs, and only that

What a site needs is every file of the `datasite` package in the repository (git ls-files): the
code, the theme's templates and assets, the templates `datasite init` writes; and the license.
Standard library only: it runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\bTODO\b|\.invalid\b", re.IGNORECASE)


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def check_tag(tag: str) -> list[str]:
    problems = []
    version = project()["version"]
    if tag != f"v{version}":
        problems.append(f"the tag {tag} is not v{version}, the version in pyproject.toml")
    for label, url in project().get("urls", {}).items():
        if PLACEHOLDER.search(url):
            problems.append(f"project.urls {label} is a placeholder ({url}): set the repository's real home in "
                            "pyproject.toml (datasite init names its GitHub Action from it)")
    return problems


def package_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "datasite"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return {name for name in listed.stdout.splitlines() if "__pycache__" not in name}


def check_wheel(wheel: Path, needed: set[str]) -> list[str]:
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode("utf-8"))
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode("utf-8")
    dist_info = info.rsplit("/", 1)[0]
    for name in sorted(needed - names):
        problems.append(f"{wheel.name}: {name} is missing (a site needs it)")
    for name in sorted(names - needed):
        if not name.startswith(dist_info + "/"):
            problems.append(f"{wheel.name}: {name} is not part of the datasite package")
    if f"{dist_info}/licenses/LICENSE" not in names:
        problems.append(f"{wheel.name}: no LICENSE")
    expected = {"Version": project()["version"], "License-Expression": project()["license"]}
    for field, value in expected.items():
        if metadata.get(field) != value:
            problems.append(f"{wheel.name}: {field} is {metadata.get(field)!r}, not {value!r}")
    if not metadata.get_all("Project-URL"):
        problems.append(f"{wheel.name}: no Project-URL")
    for needed_entry in ("datasite = datasite.cli:main", "datasite = datasite.mkdocs_plugin:DatasitePlugin"):
        if needed_entry not in entry_points:
            problems.append(f"{wheel.name}: the entry point {needed_entry!r} is missing")
    return problems


def check_sdist(sdist: Path, needed: set[str]) -> list[str]:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    wanted = needed | {"pyproject.toml", "LICENSE", "README.md"}
    return [f"{sdist.name}: {name} is missing" for name in sorted(wanted - names)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", nargs="?", type=Path, help="the folder of the built wheel and sdist")
    parser.add_argument("--tag", help="the tag being released (v<version>)")
    parser.add_argument("--wheel-only", action="store_true", help="no sdist is expected (a test's build)")
    args = parser.parse_args(argv)
    problems = check_tag(args.tag) if args.tag else []
    if args.dist:
        needed = package_files()
        wheels, sdists = sorted(args.dist.glob("datasite-*.whl")), sorted(args.dist.glob("datasite-*.tar.gz"))
        if len(wheels) != 1 or (len(sdists) != 1 and not args.wheel_only):
            problems.append(f"{args.dist}: expected one wheel and one sdist, found {[p.name for p in wheels + sdists]}")
        problems += [p for wheel in wheels for p in check_wheel(wheel, needed)]
        problems += [p for sdist in sdists for p in check_sdist(sdist, needed)]
    for problem in problems:
        print(f"::error::{problem}" if "GITHUB_ACTIONS" in os.environ else problem, file=sys.stderr)
    if not problems:
        print("release checks passed" + (f": {', '.join(p.name for p in sorted(args.dist.iterdir()))}" if args.dist else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
