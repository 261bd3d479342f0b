"""Property-based tests (hypothesis, bounded example counts): whatever the input, the loader, the
renderers and the importer give a result or located messages — never a traceback or a hang."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY

from datasite.importer import ImportFailure, import_readme, to_yaml
from datasite.loader import load_dataset, parse_yaml
from datasite.problems import DatasetError
from datasite.validation import SchemaError, validate

BASE = (TINY / "dataset.yml").read_text(encoding="utf-8")
LOCATED = re.compile(r"^\S+:\d+:\d+: ")
BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text of any kind: controls, line and paragraph separators, bidi controls, surrogates left out.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
# Where a value can go: a quoted scalar of these lines of the tiny dataset.
FIELDS = ["  en: Lakeside Thermometer Readings\n", "    url: https://archive.example.org/lakeside\n",
          '    code: "0042"\n', "  spdx: CC-BY-4.0\n", "  - id: use\n", "  year: 2022\n",
          "  title: Readings from imaginary lakes\n"]


def outcome(tmp_path, text: str) -> list[str]:
    path = tmp_path / "dataset.yml"
    path.write_text(text, encoding="utf-8")
    try:
        load_dataset(path)
        return []
    except DatasetError as exc:
        return [str(p) for p in exc.problems]


@BOUNDED
@given(field=st.sampled_from(FIELDS), value=ANY_TEXT)
def test_any_value_in_any_field_is_accepted_or_located(tmp_path, field, value):
    key = field.split(":")[0]
    text = BASE.replace(field, f"{key}: {json.dumps(value)}\n", 1)
    problems = outcome(tmp_path, text)
    assert all(LOCATED.match(p) for p in problems), problems


@BOUNDED
@given(position=st.integers(min_value=0, max_value=len(BASE)), junk=ANY_TEXT)
def test_any_insertion_into_the_file_is_accepted_or_located(tmp_path, position, junk):
    problems = outcome(tmp_path, BASE[:position] + junk + BASE[position:])
    assert all(LOCATED.match(p) for p in problems), problems


@BOUNDED
@given(value=st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=60)
       .filter(lambda v: v.strip()))
def test_text_from_the_data_is_escaped_in_every_output(value):
    """Whatever a text says, it reaches pages, README, citations and feeds as text."""
    from datasite.render.citation import bib_file, ris_file
    from datasite.render.feed import atom_feed
    from datasite.render.metadata import citation_cff, head_tags
    from datasite.render.pages import render_pages
    from datasite.render.readme import render_readme

    marker = f"<x-inject>{value}</x-inject>"
    text = BASE.replace("note: {en: Every release since 2019.,", f"note: {{en: {json.dumps(marker, ensure_ascii=False)},", 1)
    text = text.replace("  title: Readings from imaginary lakes", f"  title: {json.dumps(marker, ensure_ascii=False)}", 1)
    text = text.replace("text: {en: Release 2.0 adds the readings of 2020.,",
                        f"text: {{en: {json.dumps(marker, ensure_ascii=False)},", 1)
    data, _ = parse_yaml(text, "dataset.yml")
    try:
        dataset = validate(data)
    except SchemaError:
        return  # a value the model refuses (one-line fields): the loader says so, located (above)
    for language in ("en", "zh"):
        for name, markdown in render_pages(dataset, language).items():
            # (inside fenced code blocks Markdown itself shows text as text)
            assert "<x-inject>" not in re.sub(r"(?ms)^(`{3,}).*?^\1$", "", markdown), name
        assert "<x-inject>" not in head_tags(dataset, language, "t", "d", None, {})
        feed = atom_feed(dataset, language)
        assert "<x-inject>" not in feed
        import xml.etree.ElementTree as ET

        entries = ET.fromstring(feed.encode("utf-8")).findall("{http://www.w3.org/2005/Atom}entry")
        if language == "en":  # the text comes back as written, as text
            assert marker in [e.findtext("{http://www.w3.org/2005/Atom}content") for e in entries]
    readme = render_readme(dataset)
    assert "<x-inject>" not in readme.split("<!-- datasite-data")[0]
    import bibtexparser
    import rispy
    import yaml

    bib = bibtexparser.parse_string(bib_file(dataset))
    assert not bib.failed_blocks and len(bib.entries) == 2
    assert [r["type_of_reference"] for r in rispy.loads(ris_file(dataset))] == ["JOUR", "DATA"]
    assert yaml.safe_load(citation_cff(dataset))["preferred-citation"]["title"] == marker


@BOUNDED
@given(readme=st.text(st.characters(exclude_categories=("Cs",)), max_size=400))
def test_any_readme_imports_or_is_refused_in_one_line(readme):
    try:
        result = import_readme(readme.encode("utf-8"), "README.md")
    except ImportFailure as exc:
        assert "\n" not in str(exc)
        return
    _written_and_judged(result)


def _written_and_judged(result) -> None:
    """What the importer writes reads back as what it made, and is valid or refused with a
    message for each key (fails if to_yaml drops or alters a value, or a refusal has no words)."""
    from datasite.loader import format_path

    text = to_yaml(result.data, "README.md")
    data, marks = parse_yaml(text, "dataset.yml")
    assert data == json.loads(json.dumps(result.data, default=str)) or data == result.data
    try:
        validate(data)
    except SchemaError as exc:
        for key_path, message in exc.errors:
            assert message.strip() and (not key_path or format_path(key_path))
            assert not key_path or key_path[:1] in [k[:1] for k in marks] or key_path[0] not in data


HALF = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=120)


@BOUNDED
@given(english=HALF, chinese=HALF, title=st.sampled_from(["Data", "The Lake Readings", "电池数据"]))
def test_two_halves_of_any_text_import_or_are_refused_in_one_line(english, chinese, title):
    """Two halves, as the importer looks for them, with anything inside: the importer's body runs
    (not only the split), and its result is written and judged."""
    readme = f"# {title}\n\n{english}\n\n# 中文说明\n\n{chinese}\n"
    try:
        result = import_readme(readme.encode("utf-8"), "README.md")
    except ImportFailure as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    assert result.data["name"]["en"] and result.data["name"]["zh"]
    _written_and_judged(result)


@BOUNDED
@given(headings=st.lists(st.sampled_from(["# T", "# 标题", "***A***", "**B**", "## C", "***条款***", "x", "",
                                          "Mirror: https://example.org/a", "镜像（提取码：ab12）: https://example.org/b",
                                          "<!-- c -->", "```", "- [L](https://example.org/c)", "Email: a@b.org"]),
                         max_size=40))
def test_readmes_made_of_the_supported_pieces_import_without_a_crash(headings):
    readme = "\n".join(headings)
    try:
        result = import_readme(readme.encode("utf-8"), "README.md")
    except ImportFailure as exc:
        assert "\n" not in str(exc)
        return
    _written_and_judged(result)
