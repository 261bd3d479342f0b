"""The media type (MIME type) of a release file, from its name: what schema.org's
`encodingFormat`, Croissant's FileObjects, DataCite's `format` and Signposting's `type` say.

One table, written out rather than read from the system's mime.types or Python's `mimetypes`
(which differ between machines and Python versions: the same dataset.yml must give the same
bytes everywhere). IANA's registered type where there is one (`application/vnd.rar`), else the
type in common use (`application/x-7z-compressed`, `application/x-hdf5`).
"""

from __future__ import annotations

MEDIA_TYPES: dict[str, str] = {
    # archives
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "7z": "application/x-7z-compressed",
    "tar": "application/x-tar",
    "gz": "application/gzip",
    "tgz": "application/gzip",
    "tar.gz": "application/gzip",
    "bz2": "application/x-bzip2",
    "tar.bz2": "application/x-bzip2",
    "xz": "application/x-xz",
    "tar.xz": "application/x-xz",
    "zst": "application/zstd",
    "tar.zst": "application/zstd",
    # tables and text
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "txt": "text/plain",
    "md": "text/markdown",
    "json": "application/json",
    "jsonl": "application/jsonl",
    "xml": "application/xml",
    "yaml": "application/yaml",
    "yml": "application/yaml",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    # scientific arrays
    "mat": "application/x-matlab-data",
    "h5": "application/x-hdf5",
    "hdf5": "application/x-hdf5",
    "nc": "application/x-netcdf",
    "npy": "application/x-npy",
    "npz": "application/x-npz",
    # documents, images, code
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "py": "text/x-python",
    "ipynb": "application/x-ipynb+json",
}
UNKNOWN = "application/octet-stream"  # (RFC 2046: arbitrary binary data)
_DOUBLE = tuple(key for key in MEDIA_TYPES if "." in key)


def media_type(name: str, declared: str | None = None) -> str:
    """The media type of a file called `name`; `declared`, the file's `format` in dataset.yml,
    wins where it is a media type itself ("application/zip"), and names the extension where it
    is not ("CSV")."""
    if declared and "/" in declared:
        return declared.strip().lower()
    lower = name.lower()
    for key in _DOUBLE:
        if lower.endswith("." + key):
            return MEDIA_TYPES[key]
    base = lower.rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[1] if "." in base else ""
    if extension in MEDIA_TYPES:
        return MEDIA_TYPES[extension]
    if declared and declared.strip().lower() in MEDIA_TYPES:
        return MEDIA_TYPES[declared.strip().lower()]
    return UNKNOWN
