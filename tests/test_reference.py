"""The unit layer of issue 19: references read in the styles of real dataset READMEs (a reference is
read whole or not at all), the service names of mirror labels, Chinese description lengths
measured as a reader reads them, and the links between languages."""

from __future__ import annotations

import time

import pytest

from datasite.importer import Line, Notes, _contact_person, inline_text, parse_mirror_line, service_label, table_rows
from datasite.model import Article, Person
from datasite.render.citation import article_citations
from datasite.render.pages import format_reference
from datasite.model import reading_length
from datasite.paths import page_link
from datasite.reference import parse_bibtex, parse_reference
from datasite.render.text import spaced

# (reference as a README writes it, style, authors as "Family, Given", et al., title, journal, year,
#  volume, issue, pages, DOI)
REFERENCES = [
    ("Mira Holt et al. Wind over reed beds. Journal of Marsh Physics (2021), https://doi.org/10.5555/marsh.2021.7",
     "name-first", ["Holt, Mira"], True, "Wind over reed beds", "Journal of Marsh Physics", 2021, None, None, None,
     "10.5555/marsh.2021.7"),
    ("Mira Holt, et al. Wind over reed beds, Journal of Marsh Physics, 2026, (https://doi.org/10.5555/marsh.2026.7)",
     "name-first", ["Holt, Mira"], True, "Wind over reed beds", "Journal of Marsh Physics", 2026, None, None, None,
     "10.5555/marsh.2026.7"),
    ("Mira Holt, et al. Wind over reed beds. Journal of Marsh Physics, 2025",
     "name-first", ["Holt, Mira"], True, "Wind over reed beds", "Journal of Marsh Physics", 2025, None, None, None, None),
    ("Mira Holt et al., Wind over Reed Beds, Journal of Marsh Physics (2021), https://doi.org/10.5555/marsh.2021.7",
     "name-first", ["Holt, Mira"], True, "Wind over Reed Beds", "Journal of Marsh Physics", 2021, None, None, None,
     "10.5555/marsh.2021.7"),
    ("M. Holt, K. Ode and P. Lind, \"Wind over reed beds,'' Journal of Marsh Physics, 2023, vol. 12, pp. 1-9, "
     "DOI: 10.5555/marsh.2023.1 (https://doi.org/10.5555/marsh.2023.1)",
     "ieee", ["Holt, M.", "Ode, K.", "Lind, P."], False, "Wind over reed beds", "Journal of Marsh Physics", 2023, "12",
     None, "1-9", "10.5555/marsh.2023.1"),
    ("M. Holt, K. Ode, \"Wind over reed beds,'' 2023, Journal of Marsh Physics, DOI: 10.5555/marsh.2023.1",
     "ieee", ["Holt, M.", "Ode, K."], False, "Wind over reed beds", "Journal of Marsh Physics", 2023, None, None, None,
     "10.5555/marsh.2023.1"),
    ("M. Holt and K. Ode, “Wind over reed beds,” Journal of Marsh Physics, vol. 3, no. 2, pp. 4–9, Mar. 2020.",
     "ieee", ["Holt, M.", "Ode, K."], False, "Wind over reed beds", "Journal of Marsh Physics", 2020, "3", "2", "4-9",
     None),
    ("Holt, M., Ode, K., & Lind, P. (2022). Wind over reed beds. Journal of Marsh Physics, 12(3), 101-109. "
     "https://doi.org/10.5555/marsh.2022.3",
     "apa", ["Holt, M.", "Ode, K.", "Lind, P."], False, "Wind over reed beds", "Journal of Marsh Physics", 2022, "12", "3",
     "101-109", "10.5555/marsh.2022.3"),
    ("Wang, Q.; Wang, Z.; Liu, P.; Sauer, D.U. Large-scale field data-based battery aging prediction. "
     "Cell Rep. Phys. Sci. 2023, 4, 101720.",
     "acs", ["Wang, Q.", "Wang, Z.", "Liu, P.", "Sauer, D.U."], False, "Large-scale field data-based battery aging "
     "prediction", "Cell Rep. Phys. Sci.", 2023, "4", None, "101720", None),
    ("霍某等著, 芦苇床上的风, 沼泽物理学报, 2024",
     "chinese", ["霍, 某"], True, "芦苇床上的风", "沼泽物理学报", 2024, None, None, None, None),
    ("霍米拉, 奥德. 芦苇床上的风[J]. 沼泽物理学报, 2024, 12(3): 101-109. DOI: 10.5555/marsh.2024.5.",
     "gbt7714", ["霍, 米拉", "奥, 德"], False, "芦苇床上的风", "沼泽物理学报", 2024, "12", "3", "101-109",
     "10.5555/marsh.2024.5"),
    ("欧阳明, 林静. 海岸沙丘植被覆盖变化[J]. 海岸研究, 2021, 9(2): 33-41.",
     "gbt7714", ["欧阳, 明", "林, 静"], False, "海岸沙丘植被覆盖变化", "海岸研究", 2021, "9", "2", "33-41", None),
    # Every author by name: the list is read whole, not its first name alone.
    ("Mira Holt, Kai Ode, Pia Lind. Wind over reed beds. Journal of Marsh Physics, 2024, https://doi.org/10.5555/m.1",
     "name-first", ["Holt, Mira", "Ode, Kai", "Lind, Pia"], False, "Wind over reed beds", "Journal of Marsh Physics",
     2024, None, None, None, "10.5555/m.1"),
    ("Mira Holt, Kai Ode and Pia Lind. Wind over reed beds. Journal of Marsh Physics (2024)",
     "name-first", ["Holt, Mira", "Ode, Kai", "Lind, Pia"], False, "Wind over reed beds", "Journal of Marsh Physics",
     2024, None, None, None, None),
    ("Mira Holt, Wind over reed beds, Journal of Marsh Physics, 2024",
     "name-first", ["Holt, Mira"], False, "Wind over reed beds", "Journal of Marsh Physics", 2024, None, None, None, None),
    ("霍米拉, 奥德. 芦苇床上的风. 沼泽物理学报, 2025",
     "name-first", ["霍, 米拉", "奥, 德"], False, "芦苇床上的风", "沼泽物理学报", 2025, None, None, None, None),
    ("Holt M, Ode K. Wind over reed beds[J]. Journal of Marsh Physics, 2021, 7: 11-19.",
     "gbt7714", ["Holt, M", "Ode, K"], False, "Wind over reed beds", "Journal of Marsh Physics", 2021, "7", None, "11-19",
     None),
]


@pytest.mark.parametrize("text,style,authors,et_al,title,journal,year,volume,issue,pages,doi", REFERENCES,
                         ids=[r[1] + ":" + r[0][:30] for r in REFERENCES])
def test_references_are_read_in_the_styles_of_real_readmes(text, style, authors, et_al, title, journal, year, volume,
                                                           issue, pages, doi):
    found = parse_reference(text)
    assert found is not None, text
    assert (found.style, [f"{a['family']}, {a['given']}" for a in found.authors], found.et_al) == (style, authors, et_al)
    assert (found.title, found.journal, found.year) == (title, journal, year)
    assert (found.volume, found.issue, found.pages, found.doi) == (volume, issue, pages, doi)


@pytest.mark.parametrize("text", [
    "Please read the terms below before downloading.",
    "The data was collected in 2021 at three sites.",
    "Mira Holt et al. Wind over reed beds.",  # no journal, no year
    "See https://doi.org/10.5555/marsh.2021.7 for the article.",
    "Holt (2022). Untitled.",
    "",
    "a, 2020, " * 120,  # longer than any reference: not read
])
def test_what_is_not_a_whole_reference_is_not_read(text):
    assert parse_reference(text) is None


def test_a_doi_anywhere_in_the_reference_is_its_doi():
    found = parse_reference("Mira Holt et al. Wind over reed beds. Journal of Marsh Physics (2021), see "
                            "doi.org/10.5555/marsh.2021.7.")
    assert found is not None and found.doi == "10.5555/marsh.2021.7"


def test_bibtex_entries_are_read_with_their_fields():
    found = parse_bibtex("@article{holt2021,\n  title={Wind over {R}eed beds},\n  author={Holt, Mira and Ode, Kai "
                         "and others},\n  journal={Journal of Marsh Physics},\n  volume={7}, number={2}, pages={11--19},"
                         "\n  year={2021},\n  doi={10.5555/marsh.2021.7}\n}")
    assert found.as_article() == {
        "authors": [{"family": "Holt", "given": "Mira"}, {"family": "Ode", "given": "Kai"}], "et_al": True,
        "title": "Wind over Reed beds", "journal": "Journal of Marsh Physics", "year": 2021, "volume": "7",
        "issue": "2", "pages": "11-19", "doi": "10.5555/marsh.2021.7"}
    assert parse_bibtex("@misc{x, title={No authors}, year={2020}}") is None
    assert parse_bibtex("@article{broken") is None


def test_reading_a_reference_takes_linear_time():
    """(The patterns run on at most 1000 characters; this pins that no input takes long.)"""
    for text in ["A. " * 330, "Holt, M., " * 99, "(2020). " * 120, "x[J]. y, " * 110, "\"" * 999, "Aa Bb. " * 140]:
        started = time.perf_counter()
        parse_reference(text)
        assert time.perf_counter() - started < 1.0, text[:20]


@pytest.mark.parametrize("line,label,code", [
    ("Kaggle at ( https://www.kaggle.com/datasets/x )", "Kaggle", None),
    ("OneDrive download: https://1drv.ms/f/x", "OneDrive", None),
    ("百度网盘下载链接：https://pan.baidu.com/s/1x", "百度网盘", None),
    ("-Download (Baidu Cloud): https://pan.baidu.com/s/1x", "Baidu Cloud", None),
    ("Available at Zenodo: https://zenodo.org/records/1", "Zenodo", None),
    ("[BaiduYun Drive(code: ab12)](https://pan.baidu.com/s/1x)", "BaiduYun Drive", "ab12"),
    ("[BaiduDisk with code 1231](https://pan.baidu.com/s/1x)", "BaiduDisk", "1231"),
    ("[百度网盘【提取码:ab12】](https://pan.baidu.com/s/1x)", "百度网盘", "ab12"),
    ("Baidu Drive: https://pan.baidu.com/s/1x  The password is: rshe", "Baidu Drive", "rshe"),
    ("Data: https://pan.baidu.com/s/1x with extract code: ab12.", "Data", "ab12"),
    ("(https://pan.baidu.com/s/1x  PASSWORD: lj07)", "pan.baidu.com", "lj07"),
    ("* Baidu Disk: [Dataset](https://pan.baidu.com/s/1x?pwd=SARD)", "Baidu Disk", "SARD"),
    ("Torrent download: https://example.org/t", "Torrent", None),
])
def test_mirror_labels_are_the_services_names(line, label, code):
    parsed = parse_mirror_line(inline_text(line))
    assert parsed is not None, line
    assert (service_label(parsed[0], parsed[1]), parsed[2]) == (label, code)


@pytest.mark.parametrize("text,length", [
    ("Fifty Latin letters make the minimum of Google.", 47), ("湖冰" * 10, 50.0), ("湖冰 2021", 10.0),
    ("", 0), ("ＡＢ", 5.0),  # full-width forms are read as wide
])
def test_reading_length_counts_chinese_characters_as_a_reader_reads_them(text, length):
    assert reading_length(text) == length


@pytest.mark.parametrize("page,source,target,offline,link", [
    ("license", "en", "zh", False, "../zh/license/"), ("license", "zh", "en", False, "../../license/"),
    ("license", "en", "zh", True, "zh/license.html"), ("license", "zh", "en", True, "../license.html"),
    ("index", "en", "zh", False, "zh/"), ("index", "zh", "en", False, "../"), ("index", "zh", "en", True, "../index.html"),
])
def test_a_page_links_the_same_page_in_another_language(page, source, target, offline, link):
    assert page_link(page, source, target, ("en", "zh"), not offline) == link


@pytest.mark.parametrize("text,expected", [
    ("本节只有English版本。", "本节只有 English 版本。"), ("阅读中文版本", "阅读中文版本"),
    ("This section is written in 中文 only.", "This section is written in 中文 only."), ("版本2.0", "版本 2.0"),
])
def test_the_sites_words_are_spaced_as_chinese_copywriting_wants(text, expected):
    assert spaced(text) == expected


@pytest.mark.parametrize("language,line,person", [
    ("en", "For questions, please contact Dr. Yutong Meng: yutong@example.org", "Dr. Yutong Meng"),
    ("en", "Please contact Prof. Ana Sousa with any question.", "Prof. Ana Sousa"),
    ("en", "Clara Vogt, Institute of Water Examples, clara@example.org", "Clara Vogt"),
    ("en", "For questions, write to the address below.", None),
    ("en", "Mei Tan.", "Mei Tan"),
    ("zh", "如有问题，请联系孟雨桐，江淮海洋研究所：yutong@example.org", "孟雨桐"),
    ("zh", "如有问题，请发邮件。", None),
    ("zh", "周蕾，江淮大学储能研究所", "周蕾"),
    ("zh", "联系人：周蕾，江淮大学", "周蕾"),
])
def test_the_contact_person_is_the_name_alone(language, line, person):
    """Not a title alone ("Dr"), not the words before a comma ("如有问题"), not the affiliation."""
    assert _contact_person(language, [line]) == person


def test_a_chinese_article_is_cited_as_chinese_journals_cite_it():
    article = Article(authors=[Person(family="周", given="蕾"), Person(family="江", given="淮")], et_al=True,
                      title="锂电池热失控研究", journal="储能科学与技术", year=2023, volume="12", issue="3", pages="45-52")
    citations = article_citations(article)
    assert citations.gbt7714 == "周蕾, 江淮, 等. 锂电池热失控研究[J]. 储能科学与技术, 2023, 12(3): 45-52."
    assert citations.apa == "周蕾, 江淮, 等. (2023). 锂电池热失控研究. 储能科学与技术, 12(3), 45–52."
    english = Article(authors=[Person(family="Tan", given="Mei")], title="Thermal drift", journal="Energy Storage",
                      year=2023)
    assert article_citations(english).gbt7714 == "TAN M. Thermal drift[J]. Energy Storage, 2023."  # [J] without a DOI
    assert format_reference(english) == "Mei Tan. Thermal drift. Energy Storage (2023)"


def test_a_mirror_table_becomes_mirror_lines():
    rows = ["| Mirror | Link | Extraction code | Size |", "|---|---|:---:|---|",
            "| Baidu Netdisk | [pan.baidu.com](https://pan.baidu.com/s/1x) | `ab12` | 2 GB |",
            "| Zenodo | https://zenodo.org/records/1 | — | — |", "| Notes | none | | |"]
    notes = Notes()
    lines = table_rows([Line(n, inline_text(r)) for n, r in enumerate(rows, start=3)], notes)
    assert [(line.number, line.text) for line in lines] == [
        (5, "Baidu Netdisk: https://pan.baidu.com/s/1x (code: ab12)"), (6, "Zenodo: https://zenodo.org/records/1"),
        (7, "| Notes | none | | |")]
    assert notes.warnings == [(5, "not imported: the 'Size' column of the mirror table ('2 GB')")]


# The importer's stages, each from data to data (read -> pair -> extract -> audit).

def _half(language: str, number: int, *sections) -> "Half":
    from datasite.importer import Half, Section

    return Half(language, f"title {language}", number,
                [Section(title, line, [Line(line + 1 + i, text) for i, text in enumerate(texts)])
                 for title, line, texts in sections])


def test_pairing_merges_a_second_half_of_a_language_and_keeps_a_repeated_section_once():
    from datasite.importer import pair_halves

    first = _half("en", 1, ("Use", 2, ["Use it freely."]))
    second = _half("en", 10, ("Use", 11, ["Use it freely."]), ("Disclaimer", 14, ["No warranty."]))
    chinese = _half("zh", 20, ("使用", 21, ["可自由使用。"]))
    paired, notes = pair_halves([first, second, chinese])
    assert [s.title for s in paired["en"].sections] == ["Use", "Disclaimer"]  # mutant: no de-duplication
    assert [s.title for s in paired["zh"].sections] == ["使用"]
    assert (10, "a second en half ('title en'): its sections are added to the first one") in notes.warnings
    assert any(line == 11 and "repeats the one at line 2" in message for line, message in notes.warnings)
    assert notes.represented == {12}  # the repeated section's lines are accounted for
    assert [s.title for s in first.sections] == ["Use"]  # the halves given are left as read


@pytest.mark.parametrize("languages,warned", [
    (("en", "zh"), []),
    (("en",), ["no zh half: its texts are en only"]),
    (("zh",), ["no en half: its texts are zh only"]),
])
def test_pairing_says_which_language_has_no_half(languages, warned):
    from datasite.importer import pair_halves

    halves = [_half(language, 1 + 10 * i, ("Terms", 2 + 10 * i, ["x"])) for i, language in enumerate(languages)]
    _, notes = pair_halves(halves)
    assert [message.split(" (")[0] for line, message in notes.warnings if line is None] == warned


def test_pairing_pairs_mirror_sections_into_regions_by_position():
    from datasite.importer import pair_halves

    english = _half("en", 1, ("Download in China", 2, ["Baidu: https://pan.baidu.com/s/1a (code: ab12)"]),
                    ("International download", 5, ["Zenodo: https://zenodo.org/records/1"]))
    chinese = _half("zh", 10, ("国内下载", 11, ["百度网盘：https://pan.baidu.com/s/1a（提取码：ab12）"]),
                    ("国际下载", 14, ["Zenodo：https://zenodo.org/records/1"]))
    paired, _ = pair_halves([english, chinese])
    regions = [[s.region for s in paired[lang].sections if s.kind == "mirrors"] for lang in ("en", "zh")]
    assert regions[0] == regions[1] and len(set(regions[0])) == 2, regions


@pytest.mark.parametrize("line,data,warned", [
    ("See https://a.example.org/x", {"t": "See https://a.example.org/x"}, []),
    ("See https://a.example.org/x", {"t": "elsewhere"}, ["not imported: https://a.example.org/x"]),
    ("Write to lab@example.org", {"e": "other@example.org"}, ["not imported: lab@example.org"]),
    ("A paragraph left out.", {"t": "something else"}, ["paragraph not imported: 'A paragraph left out.…'"]),
], ids=["kept", "url-lost", "email-lost", "paragraph-lost"])
def test_the_audit_names_what_the_output_lost(line, data, warned):
    from datasite.importer import audit

    half = _half("en", 1, ("Terms", 2, [line]))
    notes = audit(data, [half], represented=set(), switches=set())
    assert [message.split(" (in")[0] for _, message in notes.warnings] == warned
    assert all(line_number == 3 for line_number, _ in notes.warnings)


def test_the_audit_accepts_a_line_read_into_a_field_but_not_a_link_it_lost():
    from datasite.importer import audit

    half = _half("en", 1, ("Contact", 2, ["Email: lab@example.org", "Web: https://lab.example.org"]))
    data = {"contact": {"email": "lab@example.org"}}
    notes = audit(data, [half], represented={3, 4}, switches=set())  # both read as fields
    assert [message.split(" (in")[0] for _, message in notes.warnings] == ["not imported: https://lab.example.org"]
