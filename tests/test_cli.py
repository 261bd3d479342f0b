"""The `datasite` command: exit codes and messages a maintainer sees."""

from __future__ import annotations

import json

import pytest

from conftest import SEED, TINY, copy_project, datasite, edit, mkdocs_build, page


def test_check_passes_on_the_seed_dataset():
    result = datasite(SEED, "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "11 mirrors, 9 clauses" in result.stdout


def test_check_reports_problems_with_exit_1(project):
    edit(project, "  wechat:", "  wechatt:")
    result = datasite(project, "check")
    assert result.returncode == 1
    assert "dataset.yml:" in result.stderr and "contact.wechatt: unknown key" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(project):
    assert datasite(project, "check", "--no-such-option").returncode == 2
    assert datasite(project).returncode == 2
    assert datasite(project, "confirm").returncode == 2


def test_missing_data_file(project):
    result = datasite(project, "check", "--data", "nope.yml")
    assert result.returncode == 1
    assert "nope.yml:1:1: file not found" in result.stderr


def test_numeric_extraction_code_must_be_quoted(project):
    edit(project, "code: nj5b", "code: 0042")
    result = datasite(project, "check")
    assert result.returncode == 1
    assert "mirrors.china-mobile.code: expected text" in result.stderr and "quotes" in result.stderr


def test_duplicate_ids_and_unknown_regions(project):
    edit(project, "  - id: baidu-backup", "  - id: baidu")
    edit(project, "    region: china\n    label: {en: Quark", "    region: chna\n    label: {en: Quark")
    result = datasite(project, "check")
    assert result.returncode == 1
    assert "mirrors[8].id: id 'baidu' is used more than once" in result.stderr
    assert "mirrors.quark.region: unknown region 'chna'" in result.stderr


def test_corrupt_lock_file_is_reported_and_rewritten_by_confirm(project):
    (project / "dataset.lock.json").write_text("{not json", encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1 and "dataset.lock.json:1:2: the translation lock file is unreadable" in result.stderr
    assert datasite(project, "confirm", "clauses.disclaimer.body").returncode == 1  # one text cannot mend it
    assert datasite(project, "confirm", "--all").returncode == 0
    lock = json.loads((project / "dataset.lock.json").read_text(encoding="utf-8"))
    assert "clauses.disclaimer.body" in lock["fingerprints"]
    assert datasite(project, "check", "--strict").returncode == 0


def test_hand_written_pages_are_tracked_for_staleness(project):
    docs = project / "docs"
    (docs / "guide.en.md").write_text("# Guide\n\nFirst version.\n", encoding="utf-8")
    (docs / "guide.zh.md").write_text("# 指南\n\n第一版。\n", encoding="utf-8")
    assert datasite(project, "confirm", "docs/guide").returncode == 0
    (docs / "guide.en.md").write_text("# Guide\n\nSecond version.\n", encoding="utf-8")
    result = datasite(project, "check", "--strict")
    assert result.returncode == 1
    assert "docs/guide.en.md:1:1: docs/guide: stale translation" in result.stderr
    built = mkdocs_build(project, "--site-dir", "out")
    assert built.returncode == 0, built.stderr
    assert page(project / "out", "zh/guide").select_one("article h1").get_text().startswith("指南")


def test_a_second_dataset_builds_with_the_same_code(tmp_path):
    example = copy_project(tmp_path / "tiny", TINY)
    assert datasite(example, "check", "--strict").returncode == 0
    result = mkdocs_build(example, "--strict", "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    download = page(tmp_path / "out", "zh/download")
    assert download.select_one("#example-drive") and "0042" in download.get_text()
    assert len(download.select(".ds-mirror")) == 2
    assert len(page(tmp_path / "out", "license").select("article h2")) == 1
    assert page(tmp_path / "out", "zh/format").select_one('[id="数据列"]')


@pytest.mark.parametrize("old,new,message", [
    ("site_url: https://lvdongzhen.github.io/Wenzhou-Randomized-Battery-Data/",
     "site_url: 'https://e.org/\"><script>alert(1)</script>'", "site_url: a URL may not contain"),
    ("doi: 10.1016/j.xcrp.2024.102164", "doi: '10.1016/<img src=x>'", "article.doi: '10.1016/<img src=x>' is not a DOI"),
    ("url: https://pan.quark.cn/s/0fe7ffce2dec", "url: https://pan.quark.cn:99999/s", "not a number from 0 to 65535"),
    ("label: {en: Quark Drive, zh: 夸克网盘}", "label: {en: \"Quark\\nDrive\", zh: 夸克网盘}", "must be a single line"),
    ("    code: nj5b", "    code: 'nj`5b'", "mirrors.china-mobile.code: 'nj`5b' is not an extraction code"),
])
def test_unsafe_values_are_refused(project, old, new, message):
    edit(project, old, new)
    result = datasite(project, "check")
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_yaml_aliases_are_refused_without_a_traceback(project):
    path = project / "dataset.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nlink_check: &loop\n  dead_share_markers: {x: *loop}\n",
                    encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1 and "aliases" in result.stderr and "Traceback" not in result.stderr


def test_generated_files_are_readable_by_others(project):
    assert datasite(project, "confirm", "--all").returncode == 0
    assert (project / "dataset.lock.json").stat().st_mode & 0o044 == 0o044


def test_readme_export_escapes_markdown(project):
    edit(project, "Commercial use of the relevant data is permitted",
         "1. Commercial | use & *of* the relevant data is permitted")
    edit(project, "email: lvdongzhen@hrbeu.edu.cn", "email: lv*dong*zhen@hrbeu.edu.cn")
    assert datasite(project, "export", "readme").returncode == 0
    readme = (project / "README.dataset.md").read_text(encoding="utf-8")
    assert "1\\. Commercial \\| use \\& \\*of\\* the relevant data" in readme
    assert "lv\\*dong\\*zhen@hrbeu.edu.cn" in readme


def test_lock_file_with_damaged_entries_is_reported(project):
    (project / "dataset.lock.json").write_text('{"version": 1, "fingerprints": {"name": "not a mapping"}}',
                                               encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("dataset.lock.json:1:1: fingerprints.name: expected an object of languages and 16-digit fingerprints; "
            "run `datasite confirm --all`") in result.stderr


def test_every_mistake_is_reported_in_one_run(project):
    for old, new in [("  wechat: LyuDongzhen", "  wechatt: LyuDongzhen"),
                     ("  email: lvdongzhen@hrbeu.edu.cn", "  email: lvdongzhen@hrbeu"),
                     ("year: 2024", "year: 24"),
                     ("    label: {en: Quark Drive, zh: 夸克网盘}", "    label: {en: Quark Drive}")]:
        edit(project, old, new)
    result = datasite(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for expected in ["contact.wechatt: unknown key 'wechatt' (did you mean 'wechat'?)",
                     "contact.email: 'lvdongzhen@hrbeu' is not an e-mail address",
                     "article.year: expected a whole number at least 1000 and at most 9999, got 24",
                     "mirrors.quark.label: missing the 'zh' text"]:
        assert expected in result.stderr, result.stderr


def test_unknown_key_hint_names_a_key_of_that_place(project):
    edit(project, "    url: https://github.com/lvdongzhen/Wenzhou-Randomized-Battery-Data\n",
         "    url: https://github.com/lvdongzhen/Wenzhou-Randomized-Battery-Data\n    notes: x\n")
    result = datasite(project, "check")
    # A key of mirrors ("note"), not one of another place ("notes" of releases).
    assert result.returncode == 1 and "mirrors.github.notes: unknown key 'notes' (did you mean 'note'?)" \
        in result.stderr, result.stderr


def test_key_without_value_is_named(project):
    line = edit(project, "year: 2024", "year:")
    result = datasite(project, "check")
    assert result.returncode == 1 and f"dataset.yml:{line}:3: article.year: has no value" in result.stderr, \
        result.stderr


def test_a_mirror_id_may_not_repeat_a_region_id(project):
    # Both are anchors of the download page: /download/#international must lead to one place.
    edit(project, "  - id: github", "  - id: international")
    result = datasite(project, "check")
    assert result.returncode == 1, result.stderr
    assert "regions[0].id: id 'international' is used more than once in regions and mirrors" in result.stderr
    assert "mirrors[0].id: id 'international' is used more than once" in result.stderr


def test_yaml_merge_keys_are_refused_without_a_traceback(project):
    path = project / "dataset.yml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "\nlink_check:\n  <<: {ttl_hours: 2}\n  ttl_hours: 3\n", encoding="utf-8")
    result = datasite(project, "check")
    assert result.returncode == 1 and "merge keys (<<) are not supported" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_lock_file_that_cannot_be_read_is_reported(project):
    (project / "dataset.lock.json").unlink()
    (project / "dataset.lock.json").mkdir()
    result = datasite(project, "check")
    assert result.returncode == 1 and "translation lock file is unreadable" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_every_error_datasite_tells_of_is_caught_once_by_the_cli(monkeypatch, capsys):
    """One root (problems.DatasiteError), one catch in main: a command raising any of them exits
    with its code and one message; located problems are printed as they are. (Fails if an error
    class leaves the tree or main stops catching the root.)"""
    from datasite import cli
    from datasite.bundle import BundleError
    from datasite.files import FilesError
    from datasite.importer import ImportFailure
    from datasite.init import InitRefused
    from datasite.pipeline import BuildFailure
    from datasite.problems import DatasetError, DatasiteError, Problem
    from datasite.publish import PublishError
    from datasite.workflows import WorkflowError

    cases = [(ImportFailure("not a README"), 1, "datasite check: not a README\n"),
             (InitRefused("dataset.yml exists"), 2, "datasite check: dataset.yml exists\n"),
             (WorkflowError("malformed --action"), 2, "datasite check: malformed --action\n"),
             (DatasetError([Problem("dataset.yml", 3, 1, "id", "not an id")]), 1, "dataset.yml:3:1: id: not an id\n")]
    cases += [(kind("why"), 1, "datasite check: why\n") for kind in (FilesError, BundleError, PublishError)]
    cases.append((BuildFailure(["a.md:1:1: wrong"]), 1, "datasite check: 1 problem to fix before the site can be "
                                                          "built:\n  a.md:1:1: wrong\n"))
    for error, code, said in cases:
        assert isinstance(error, DatasiteError)

        def failing(args, error=error):
            raise error

        monkeypatch.setattr(cli, "cmd_check", failing)
        assert cli.main(["check"]) == code
        assert capsys.readouterr().err == said
