"""Located problems: what the maintainer reads when dataset.yml or a page is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.file}:{self.line}:{self.column}:{key} {self.message}"


class DatasiteError(Exception):
    """The root of every error datasite tells a maintainer about, caught once by the CLI.

    Its text is the message; `problems` are the located ones it holds (file, line, column, key),
    if any; `exit_code` is the command's status (1: something to fix; 2: the command was used
    wrongly, as argparse's own convention); `prefixed`: the CLI puts `datasite <command>: ` before
    the text (located problems name their file and need none)."""

    exit_code = 1
    prefixed = True

    def __init__(self, message: str = "", problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems))


class DatasetError(DatasiteError):
    """Raised with every problem found, so one run shows the maintainer all of them."""

    prefixed = False

    def __init__(self, problems: Iterable[Problem]):
        super().__init__(problems=problems)
