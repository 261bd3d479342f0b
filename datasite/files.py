"""`datasite files DIR`: the release files a maintainer has locally -> names, sizes and SHA-256
digests in dataset.yml, written into the file with its comments and layout kept (ruamel.yaml).

Archives of several GB are streamed through SHA-256 in blocks, so memory stays flat; hashing is
bound by the disk (see benchmarks/hashing.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .problems import DatasiteError

BLOCK = 1 << 20  # 1 MiB reads: large enough for the disk, small enough for memory


@dataclass(frozen=True)
class ScannedFile:
    name: str  # relative to the scanned folder, with /
    size: int
    sha256: str


class FilesError(DatasiteError):
    """A folder to scan or a dataset.yml to update that cannot be used as it is."""


def file_format(name: str) -> str:
    """A format from the file name ("tar.gz", "zip", "csv")."""
    lower = name.lower()
    for double in (".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst"):
        if lower.endswith(double):
            return double[1:]
    suffix = Path(lower).suffix
    return suffix[1:] if suffix else "file"


def sha256_of(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb", buffering=0) as handle:
        buffer = bytearray(BLOCK)
        view = memoryview(buffer)
        while True:
            count = handle.readinto(buffer)
            if not count:
                break
            digest.update(view[:count])
            if progress:
                progress(count)
    return digest.hexdigest()


class Progress:
    """One line on a terminal, rewritten: file, percentage and MB/s; plain lines elsewhere (CI logs)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream = max(total, 1), 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.name = ""
        self.shown = -1

    def start(self, name: str) -> None:
        self.name = name
        if not self.tty:
            print(f"hashing {name}", file=self.stream)

    def advance(self, count: int) -> None:
        self.done += count
        percent = self.done * 100 // self.total
        if self.tty and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            print(f"\r[{bar:<25}] {percent:3d}% {self.name[:40]}", end="", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=self.stream)


def scan(folder: Path, progress_stream=sys.stderr) -> list[ScannedFile]:
    """Every regular file below `folder` (hidden ones and SHA256SUMS left out), sorted by name."""
    if not folder.is_dir():
        raise FilesError(f"{folder} is not a folder")
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                   and p.name != "SHA256SUMS")
    if not paths:
        raise FilesError(f"{folder} holds no files")
    progress = Progress(sum(p.stat().st_size for p in paths), progress_stream)
    scanned = []
    for path in paths:
        name = path.relative_to(folder).as_posix()
        progress.start(name)
        scanned.append(ScannedFile(name, path.stat().st_size, sha256_of(path, progress.advance)))
    progress.finish()
    return scanned


def update_release(data_path: Path, scanned: list[ScannedFile], version: str | None, today: date) -> tuple[str, str]:
    """Write the files into the release `version` (the latest if None; created if it is new).

    Returns (the new text of dataset.yml, the version). Comments, order and quoting elsewhere in
    the file are kept as they were."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ruamel.yaml.util import load_yaml_guess_indent

    raw = data_path.read_bytes().decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    _, sequence, offset = load_yaml_guess_indent(text)
    sequence, offset = sequence or 2, offset or 0
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    # The file's own indentation ("  - item" under a key, say), so that untouched lines stay as they are.
    yaml.indent(mapping=max(2, sequence - offset), sequence=sequence, offset=offset)
    yaml.explicit_start = text.lstrip().startswith("---")
    data = yaml.load(text)
    if not isinstance(data, dict):
        raise FilesError(f"{data_path}: not a dataset.yml")
    releases = data.get("releases")
    if releases is None:
        if version is None:
            raise FilesError("dataset.yml has no releases yet: name the new one with --release VERSION")
        releases = data["releases"] = CommentedSeq()
    release = None
    if version is None:
        release = max(reversed(list(releases)), key=lambda r: str(r.get("date")), default=None)
        if release is None:
            raise FilesError("dataset.yml has no releases yet: name the new one with --release VERSION")
        version = str(release["version"])
    else:
        release = next((r for r in releases if str(r.get("version")) == version), None)
        if release is None:
            release = CommentedMap([("version", version), ("date", today)])
            releases.append(release)
    old_files = release.get("files")
    formats = {str(f.get("name")): f.get("format") for f in old_files or []}
    urls = {str(f.get("name")): f.get("url") for f in old_files or [] if f.get("url")}  # (kept: the scan cannot know them)
    files = CommentedSeq()
    for item in scanned:
        entry = CommentedMap([("name", item.name), ("size", item.size), ("sha256", item.sha256),
                              ("format", formats.get(item.name) or file_format(item.name))])
        if item.name in urls:
            entry["url"] = urls[item.name]
        entry.fa.set_flow_style()  # one line per file, as a person would write it
        files.append(entry)
    if isinstance(old_files, CommentedSeq):
        del old_files[:]  # the same list, refilled: what ruamel keeps with it (comments after it) stays
        old_files.extend(files)
    else:
        release["files"] = files
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().replace("\n", newline), version


def files_command(folder: Path, data_path: Path, version: str | None) -> int:
    """The `datasite files` command; returns its exit code."""
    from .loader import display_name, load_dataset
    from .problems import DatasetError
    from .sync import atomic_write

    try:
        load_dataset(data_path)  # a broken file is reported as such, not half-rewritten
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        scanned = scan(folder)
        text, version = update_release(data_path, scanned, version, date.today())
    except (FilesError, OSError) as exc:
        print(f"datasite files: {exc}", file=sys.stderr)
        return 1
    # What is written must load: checked on a copy before dataset.yml is replaced.
    probe = data_path.with_name(f".{data_path.name}.files-check")
    try:
        try:
            atomic_write(probe, text)
        except OSError as exc:  # (the copy is datasite's own: the file the maintainer knows is not written)
            raise OSError(exc.errno, exc.strerror, str(data_path)) from None
        load_dataset(probe)
    except DatasetError as exc:
        print(f"datasite files: the updated dataset.yml would not load:\n{exc}", file=sys.stderr)
        return 1
    finally:
        if probe.exists():
            os.unlink(probe)
    atomic_write(data_path, text)
    total = sum(f.size for f in scanned)
    print(f"{display_name(data_path)}: release {version}: {len(scanned)} files, {total} bytes")
    print(f"""
Next steps:
  1. Add a `changes` entry for release {version} (date, kind: release, text in every language).
  2. datasite confirm --all          # the new texts' translations
  3. datasite export                 # the README and CITATION.cff carry the new release
  4. datasite build --strict         # check the download page, then commit and push""")
    return 0
