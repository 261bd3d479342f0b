"""The `datasite` command.

Exit codes: 0 all good, 1 problems found, 2 usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loader import LoadedDataset, display_name, load_dataset
from .model import LinkCheck
from .problems import DatasetError, DatasiteError
from .review import covers
from .sync import (check_sync, in_ci, key_paths, lock_path_for, placeholder_problems, published_anchors, read_lock,
                   read_review, scan_pages, translation_units, unconfirmed_keys, write_lock)


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", default="dataset.yml", type=Path, help="the dataset file (default: dataset.yml)")
    parser.add_argument("--docs", type=Path, help="folder of hand-written pages (default: docs/ beside the data file)")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _load(path: Path) -> LoadedDataset:
    """The dataset (its located problems, raised, are printed by `main`)."""
    return load_dataset(path)


def _docs_dir(args) -> Path:
    return args.docs if args.docs else args.data.parent / "docs"


def cmd_check(args) -> int:
    loaded = _load(args.data)
    report = check_sync(loaded, _docs_dir(args), lock_path_for(args.data))
    strict = args.strict or in_ci()
    for problem in report.errors:
        print(problem, file=sys.stderr)
    for problem in report.warnings:  # what --strict (and CI) refuses is an error there
        print(f"{problem} [{'error' if strict else 'warning'}]", file=sys.stderr)
    if report.errors or (strict and report.warnings):
        return 1
    d = loaded.dataset
    print(
        f"{loaded.display}: ok ({len(d.mirrors)} mirrors, {len(d.clauses)} clauses, "
        f"{len(report.units)} translated texts, {len(report.warnings)} warnings)"
    )
    return 0


def cmd_confirm(args) -> int:
    if not args.keys and not args.all:
        print("datasite confirm: name the texts to confirm (as printed by `datasite check`) or use --all",
              file=sys.stderr)
        return 2
    loaded = _load(args.data)
    pages, _ = scan_pages(_docs_dir(args), loaded.dataset.languages)
    units = translation_units(loaded, pages)
    lock_file = lock_path_for(args.data)
    review = read_review(lock_file)
    pending = unconfirmed_keys(loaded, review)
    # A placeholder is replaced, never confirmed.
    paths = key_paths(loaded)
    blocked = [(key, found) for key in args.keys for found in placeholder_problems(loaded)
               if found.key and paths.get(found.key) is not None and covers(key, found.key)]
    if blocked:
        for key, found in blocked:
            print(f"datasite confirm: {key} holds a placeholder: {found}", file=sys.stderr)
        return 1
    known = {unit.key for unit in units} | pending
    unknown = [key for key in args.keys if key not in known]
    if unknown:
        print(f"datasite confirm: unknown text {', '.join(unknown)}", file=sys.stderr)
        return 1
    lock, lock_problems = read_lock(lock_file)
    if lock_problems and not args.all:
        for problem in lock_problems:
            print(problem, file=sys.stderr)
        return 1
    # --all also records the anchors as they are now (a removed mirror's anchor is let go). It
    # confirms translations; what a tool inferred or copied is confirmed one value at a time.
    anchors = published_anchors(loaded) if args.all or not lock_file.exists() else None
    keys = None if args.all else {key for key in args.keys if key not in pending}
    for key in args.keys:
        if key in pending:  # its translations are confirmed with it
            keys |= {unit.key for unit in units if covers(key, unit.key)}
            del review[key]
    remaining = {key: item for key, item in review.items() if key in pending}  # (gone values are let go)
    written = write_lock(lock_file, units, keys, lock, anchors, remaining)
    reviewed = [key for key in args.keys if key in pending]
    said = f"confirmed {len(written)} text{'s' if len(written) != 1 else ''}"
    if reviewed:
        said += f" and {len(reviewed)} reviewed value{'s' if len(reviewed) != 1 else ''}"
    print(f"{lock_file}: {said}")
    left = unconfirmed_keys(loaded, remaining)
    if left:
        print(f"{len(left)} value{'s' if len(left) != 1 else ''} written by a tool still to review, one by one "
              f"(`datasite check` lists them): {', '.join(sorted(left))}", file=sys.stderr)
    return 0


def cmd_links(args) -> int:
    from .links import check_links
    from .links.collect import collect_links, links_from_file
    from .links.report import as_json, as_markdown, as_text, report_entries
    from .pipeline import link_check_options, open_link_cache

    if args.offline and args.refresh:
        print("datasite links: --offline and --refresh contradict each other", file=sys.stderr)
        return 2
    try:
        loaded = load_dataset(args.data)
    except DatasetError as exc:
        if not args.urls:
            print(exc, file=sys.stderr)
            return 1
        loaded = None  # a URL list can be checked without a valid dataset
    if args.urls:
        try:
            links = links_from_file(args.urls)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"datasite links: cannot read {args.urls}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 2
    else:
        links = collect_links(loaded, _docs_dir(args))
    settings = loaded.dataset.link_check if loaded else None
    options = link_check_options(settings, timeout=args.timeout, per_host=args.per_host, retries=args.retries,
                                 deadline=args.deadline, run_deadline=args.run_deadline,
                                 resolve_dois=args.resolve_dois, allow_private_redirects=args.allow_private_redirects)
    cache = open_link_cache(args.data, settings, path=args.cache, ttl_hours=args.ttl)
    if cache.problem:
        print(cache.problem, file=sys.stderr)
    verdicts = check_links([link.url for link in links], cache, options, offline=args.offline, refresh=args.refresh)
    if cache.save_problem:
        print(f"warning: {cache.save_problem}", file=sys.stderr)
    entries = report_entries(links, verdicts)
    render = {"json": as_json, "markdown": as_markdown, "text": as_text}[args.format]
    sys.stdout.write(render(entries))
    return 0 if all(entry["ok"] for entry in entries) else 1


def cmd_export(args) -> int:
    from .export import TARGETS, export

    loaded = _load(args.data)
    names = [args.target] if args.target else list(TARGETS)
    root = args.data.resolve().parent
    if args.own_readme:
        from .export import take_readme

        refusal = None if args.check else take_readme(root)
        if refusal:
            print(f"datasite export: {refusal}", file=sys.stderr)
            return 1
    from .pipeline import render_cache_path
    from .render.memo import RenderMemo

    memo = RenderMemo(render_cache_path(args.data))  # (the citations the last build formatted)
    with memo.active():
        results = export(loaded.dataset, root, names, args.check, own_readme=args.own_readme)
    failed = False
    # What the files would publish must be real: a placeholder or a guess is not (as `check --strict`).
    from .sync import placeholder_problems, read_review, review_problems

    unconfirmed = placeholder_problems(loaded) + review_problems(loaded, read_review(lock_path_for(args.data)))
    for problem in unconfirmed:
        print(f"{problem} [{'error' if args.check else 'warning'}]", file=sys.stderr)
    if args.check and unconfirmed:
        failed = True
    for path, state in results:
        shown = display_name(path)
        if state in ("stale", "missing"):
            failed = True
            print(f"{shown}: {state}; run `datasite export` and commit it", file=sys.stderr)
        else:
            print(f"{shown}: {state}")
    return 1 if failed else 0


def cmd_bundle(args) -> int:
    from .bundle import build_bundle

    loaded = _load(args.data)
    config = args.config or args.data.resolve().parent / "mkdocs.yml"
    if not config.exists():
        print(f"datasite bundle: {config} not found", file=sys.stderr)
        return 2
    target = build_bundle(loaded.dataset, config.resolve(), args.out.resolve(), args.engine)
    print(display_name(target))
    return 0


def cmd_import(args) -> int:
    from .importer import import_readme, to_yaml
    from .loader import format_path, parse_yaml
    from .sync import atomic_write
    from .validation import SchemaError, validate

    if args.output.exists() and not args.force:
        print(f"datasite import: {args.output} exists; use --force to replace it", file=sys.stderr)
        return 2
    try:
        from .fsio import read_bytes

        raw = read_bytes(args.readme)
    except OSError as exc:
        print(f"datasite import: cannot read {args.readme}: {exc.strerror}", file=sys.stderr)
        return 2
    result = import_readme(raw, display_name(args.readme), args.readme.resolve().parent)
    text = to_yaml(result.data, args.readme.name)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    from .init import write_import_lock
    try:  # what is written must load; otherwise say what is missing and write nothing
        validate(parse_yaml(text, str(args.output))[0])
    except SchemaError as exc:
        for key_path, message in exc.errors:
            print(f"datasite import: the README gives no valid {format_path(key_path) or 'dataset'}: {message}",
                  file=sys.stderr)
        return 1
    atomic_write(args.output, text)
    loaded = load_dataset(args.output)  # (if it does not load, `datasite check` says why; the lock waits)
    # The README's texts are its author's own: confirmed as they are; what was inferred or copied
    # is listed in the lock to review.
    write_import_lock(loaded, args.output.parent / "docs", result.review)
    data = result.data
    print(f"{display_name(args.output)}: {len(data['mirrors'])} mirrors, {len(data['clauses'])} clauses, "
          f"{len(result.warnings)} warnings, {len(result.review)} values to review (`datasite check` lists them)")
    return 0


def cmd_files(args) -> int:
    from .files import files_command

    return files_command(args.folder, args.data, args.release)


def cmd_engine(args, extra: list[str]) -> int:
    """`datasite build` / `datasite serve`: the engine's own command, without its banners."""
    from .engine import run_engine

    return run_engine(args.engine, args.command, extra, Path.cwd()).returncode


def cmd_init(args) -> int:
    from .init import init_repository

    root = args.dir
    if not root.is_dir():
        print(f"datasite init: {root} is not a folder", file=sys.stderr)
        return 2
    imported = not args.skeleton and (args.source or (root / "README.md").is_file())
    result = init_repository(root, args.source, force=args.force, action=args.action,
                             own_readme=args.own_readme, as_skeleton=args.skeleton)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{root.resolve()}: wrote {', '.join(result.written)}")
    if result.no_workflows:
        print(f"warning: no workflows written: {result.no_workflows}; write them with "
              "`datasite workflows --action OWNER/REPO@vVERSION`", file=sys.stderr)
    if result.problems:
        print("\ndatasite check finds these, to fix in dataset.yml:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    if result.review:
        print(f"\nTo review: {len(result.review)} value{'s' if len(result.review) != 1 else ''} "
              f"{'the import did not read as written' if imported else 'to fill in'} (`--strict` builds refuse "
              "them until each is replaced or confirmed):")
        for line in result.review:
            print(f"  {line.removesuffix(' [warning]')}")
    source = f"imported from {args.source or 'README.md'}" if imported else "a skeleton: replace each TODO"
    readme = "" if result.readme == "README.md" else (
        "\n  (`datasite export --own-readme` lets the export replace README.md, the page GitHub shows,\n"
        "   once README.md is committed: git keeps the hand-written one.)")
    publish = "  6. Commit and push" + _PUBLISH
    if not result.action:
        publish = ("  6. datasite workflows --action OWNER/REPO@vVERSION   # the workflows that publish the site\n"
                   + publish.replace("  6.", "  7.", 1))
    print(f"""
Next steps:
  1. Read dataset.yml ({source}); every text has an en and a zh version.
  2. datasite check                  # every mistake and every value to review, with file, line and key
  3. datasite confirm KEY            # once you have checked a value listed above (or after editing
                                     # both languages of a text); --all confirms every translation
  4. datasite build --strict         # the site, in site/ (datasite serve: a preview that reloads)
  5. datasite export                 # {result.readme}, CITATION.cff and .zenodo.json from dataset.yml{readme}
{publish}""")
    return 1 if result.problems else 0


def cmd_workflows(args) -> int:
    from .workflows import write_workflows

    written, action = write_workflows(args.dir, args.action, force=args.force)
    print(f"{args.dir.resolve()}: wrote {', '.join(written)} (they use the action {action})")
    print(f"Next: commit and push{_PUBLISH}")  # (the same words as init's last step)
    return 0


_PUBLISH = (", then choose GitHub Actions under Settings -> Pages -> Source: every push to the default branch\n"
            "     publishes the site (the workflow runs datasite's GitHub Action; see the Actions tab).")


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("datasite")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    from .links.verdict import CheckOptions

    parser = argparse.ArgumentParser(prog="datasite", description="Bilingual dataset sites from one dataset.yml.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate dataset.yml and the translations without building")
    _add_paths(check)
    check.add_argument("--strict", action="store_true", help="stale translations are errors (always so with CI=true)")
    check.set_defaults(func=cmd_check)

    confirm = sub.add_parser("confirm", help="record that the translations of texts match again")
    _add_paths(confirm)
    confirm.add_argument("keys", nargs="*", metavar="TEXT", help="e.g. clauses.disclaimer.body or docs/guide")
    confirm.add_argument("--all", action="store_true", help="confirm every text")
    confirm.set_defaults(func=cmd_confirm)

    links = sub.add_parser("links", help="check every external link (mirrors first of all)")
    _add_paths(links)
    links.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    links.add_argument("--offline", action="store_true", help="check nothing; report from the cache")
    links.add_argument("--refresh", action="store_true", help="ignore cached verdicts and check everything")
    links.add_argument("--cache", type=Path, help="verdict cache (default: .cache/datasite/links.json beside the data)")
    links.add_argument("--urls", type=Path, help="check the URLs listed in this file (one per line) instead")
    defaults = CheckOptions()
    links.add_argument("--ttl", type=float, metavar="HOURS",
                       help=f"how long a verdict stays fresh (default: link_check.ttl_hours, {LinkCheck().ttl_hours:g})")
    links.add_argument("--timeout", type=float, default=defaults.timeout, metavar="SECONDS",
                       help=f"per request (default {defaults.timeout:g})")
    links.add_argument("--per-host", type=_positive, default=defaults.per_host, metavar="N",
                       help=f"requests at once per host (default {defaults.per_host})")
    links.add_argument("--retries", type=int, default=defaults.retries, metavar="N", choices=range(0, 11),
                       help=f"further attempts after a timeout or a 5xx answer (default {defaults.retries})")
    links.add_argument("--deadline", type=float, metavar="SECONDS",
                       help="for a whole request, however slowly the server answers (default: 3 timeouts)")
    links.add_argument("--run-deadline", type=float, metavar="SECONDS",
                       help="for the whole check; links not done by then are reported as not checked")
    links.add_argument("--allow-private-redirects", action="store_true",
                       help="follow redirects from public hosts to private or local addresses")
    links.add_argument("--resolve-dois", action="store_true", help="also resolve DOI links online")
    links.set_defaults(func=cmd_links)

    export = sub.add_parser("export", help="write the generated README.dataset.md, CITATION.cff and .zenodo.json")
    export.add_argument("target", nargs="?", choices=("readme", "cff", "zenodo"), help="only this file")
    export.add_argument("--data", default="dataset.yml", type=Path, help="the dataset file (default: dataset.yml)")
    export.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file is stale or would publish an unconfirmed value")
    export.add_argument("--own-readme", action="store_true",
                        help="write the README to README.md from now on (README.md must be committed: git keeps it)")
    export.set_defaults(func=cmd_export)

    bundle = sub.add_parser("bundle", help="build the offline site and pack it as dist/<id>-site-<date>.zip")
    bundle.add_argument("--data", default="dataset.yml", type=Path, help="the dataset file (default: dataset.yml)")
    bundle.add_argument("--config", type=Path, help="the site's MkDocs config (default: mkdocs.yml beside the data)")
    _add_engine(bundle)
    bundle.add_argument("--out", type=Path, default=Path("dist"), help="folder of the zip (default: dist)")
    bundle.set_defaults(func=cmd_bundle)

    importer = sub.add_parser("import", help="make a dataset.yml from a bilingual README in the seed's style")
    importer.add_argument("readme", type=Path, help="the README to import")
    importer.add_argument("-o", "--output", type=Path, default=Path("dataset.yml"), help="default: dataset.yml")
    importer.add_argument("--force", action="store_true", help="replace the output file if it exists")
    importer.set_defaults(func=cmd_import)

    files = sub.add_parser("files", help="write the names, sizes and SHA-256 of release files into dataset.yml")
    files.add_argument("folder", type=Path, metavar="DIR", help="the folder of the release's files")
    files.add_argument("--release", metavar="VERSION", help="the release (default: the latest; a new one is added)")
    files.add_argument("--data", default="dataset.yml", type=Path, help="the dataset file (default: dataset.yml)")
    files.set_defaults(func=cmd_files)

    init = sub.add_parser("init", help="make this folder a datasite site (dataset.yml from its README)")
    init.add_argument("--from", dest="source", type=Path, metavar="FILE",
                      help="the README to import (default: README.md, if there is one)")
    init.add_argument("--dir", type=Path, default=Path("."), help="the folder (default: this one)")
    init.add_argument("--skeleton", action="store_true",
                      help="write a commented dataset.yml to fill in, even if there is a README.md (left as it is)")
    init.add_argument("--force", action="store_true", help="replace files that exist")
    init.add_argument("--own-readme", action="store_true",
                      help="let the README export replace README.md (it must be committed: git keeps the hand-written one)")
    init.add_argument("--action", metavar="OWNER/REPO@REF",
                      help="the datasite GitHub Action the workflows use (default: this datasite's own repository, "
                           "at this version's tag)")
    init.set_defaults(func=cmd_init)

    workflows = sub.add_parser("workflows", help="write the GitHub workflows that publish the site (through "
                                                 "datasite's GitHub Action)")
    workflows.add_argument("--dir", type=Path, default=Path("."), help="the repository (default: this folder)")
    workflows.add_argument("--action", metavar="OWNER/REPO@REF",
                           help="the action to use (default: this datasite's own repository, at this version's tag)")
    workflows.add_argument("--force", action="store_true", help="replace workflows that exist (after an upgrade)")
    workflows.set_defaults(func=cmd_workflows)

    for name, what in (("build", "build the site (the engine's `build`; options are passed on)"),
                       ("serve", "preview the site, rebuilt on every change (the engine's `serve`)")):
        engine = sub.add_parser(name, help=what, add_help=False)
        _add_engine(engine)
        engine.set_defaults(func=cmd_engine, passes_options=True)
    return parser


def _add_engine(parser: argparse.ArgumentParser) -> None:
    from .engine import ENGINES, default_engine

    parser.add_argument("--engine", choices=ENGINES, default=default_engine(),
                        help="the site engine (default: mkdocs if installed)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passes_options", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args, extra) if getattr(args, "passes_options", False) else args.func(args)
    except DatasiteError as exc:  # every error datasite tells of: located problems, or one message
        print(f"datasite {args.command}: {exc}" if exc.prefixed else exc, file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        # A full disk, a read-only folder, a file of the wrong type: one line with its path. Every
        # file is written by a rename (fsio.atomic_write), so the ones that were there are intact.
        from .fsio import describe

        print(f"datasite {args.command}: {describe(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
