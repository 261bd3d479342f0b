"""The offline bundle: the site built for file:// and packed into a deterministic zip.

Same sources, same bytes: entries are sorted, timestamps come from SOURCE_DATE_EPOCH or the
dataset's `updated` date (never the clock), permissions are fixed. The zip is written beside its
final name and renamed, so an interrupted run leaves no half-written bundle.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from .problems import DatasiteError
from .engine import run_engine
from .model import Dataset


class BundleError(DatasiteError):
    """The offline build failed; the message carries what the engine said."""


_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the zip format starts in 1980


def _source_date(dataset: Dataset) -> datetime | None:
    """The bundle's date: SOURCE_DATE_EPOCH if set, else the dataset's `updated` date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or dataset.updated_epoch
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch is not None else None


def bundle_name(dataset: Dataset) -> str:
    moment = _source_date(dataset) or datetime.now(timezone.utc)
    return f"{dataset.id}-site-{moment.date().isoformat()}"


def _timestamp(dataset: Dataset) -> tuple[int, int, int, int, int, int]:
    return max(_source_date(dataset) or _ZIP_EPOCH, _ZIP_EPOCH).timetuple()[:6]


def write_zip(source: Path, target: Path, root: str, stamp: tuple) -> None:
    partial = target.with_name(f".{target.name}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{root}/{path.relative_to(source).as_posix()}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # unix, whatever machine builds it
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.replace(partial, target)
    except OSError as exc:
        if exc.filename is None:  # a failed write names no file: this one
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    finally:
        if partial.exists():
            partial.unlink()


def build_bundle(dataset: Dataset, config_file: Path, out_dir: Path, engine: str) -> Path:
    """Build the site for file:// (the plugin's `offline` setting) and pack it."""
    name = bundle_name(dataset)
    with tempfile.TemporaryDirectory(prefix="datasite-bundle-") as tmp:
        site = Path(tmp) / name
        result = run_engine(engine, "build", ["--strict", "-f", str(config_file), "-d", str(site)],
                            config_file.parent, capture=True, DATASITE_OFFLINE="true")
        if result.returncode != 0:
            raise BundleError(f"the offline build failed:\n{result.stdout}{result.stderr}".rstrip())
        target = out_dir / f"{name}.zip"
        write_zip(site, target, name, _timestamp(dataset))
    return target
