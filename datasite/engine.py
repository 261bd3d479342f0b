"""Running the site engine (MkDocs, or ProperDocs, its maintained fork) from the `datasite` command.

Both engines load the datasite plugin from mkdocs.yml; this only starts them, with their
banners about each other turned off (the maintainer reads datasite's own summary instead).
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

ENGINES = ("mkdocs", "properdocs")

# Material's end-of-life notice and ProperDocs' notice, printed by third-party packages on import.
QUIET_ENVIRONMENT = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def default_engine() -> str:
    return "mkdocs" if find_spec("mkdocs") is not None else "properdocs"


def engine_environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **QUIET_ENVIRONMENT, **extra}


def run_engine(engine: str, command: str, args: list[str], cwd: Path, *, capture: bool = False,
               **extra_env: str) -> subprocess.CompletedProcess:
    """`<engine> <command> <args>` in `cwd`, as a child process with the quiet environment."""
    return subprocess.run([sys.executable, "-m", engine, command, *args], cwd=cwd,
                          env=engine_environment(**extra_env), capture_output=capture, text=True)
