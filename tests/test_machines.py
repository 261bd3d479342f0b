"""What machines read, checked by the validators those machines' makers publish (README: "Found
and cited by machines"): FAIR Signposting with the `signposting` library against the site served
on 127.0.0.1, schema.org through `extruct`, Croissant through `mlcroissant`, DataCite's XML
against DataCite's own kernel-4.6 XSD (tests/schemas/), and `.zenodo.json` by its meaning.

Three sites: the seed (no DOI, no release), the tiny example (a DOI, two releases whose files lie
in shares) and "linked", the tiny example with ORCID iDs, affiliations, a publisher, keywords,
funding, a CSTR identifier, another record of the data and release files with URLs of their own.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import TINY, built, copy_project, datasite, edit, mkdocs_build, tiny_project

SCHEMAS = Path(__file__).parent / "schemas"
DATACITE_XSD = SCHEMAS / "datacite-kernel-4.6" / "metadata.xsd"
NS = {"d": "http://datacite.org/schema/kernel-4"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TINY_URL = "https://example.github.io/lakeside-thermometer-readings/"
ORCIDS = ("0000-0002-1825-0097", "0000-0002-1694-233X")
FILE_URLS = {"lakes-2019.csv": "https://files.example.org/lakeside/2.0/lakes-2019.csv",
             "lakes-2020.csv": "https://files.example.org/lakeside/2.0/lakes-2020.csv"}
PAGES = ("", "download/", "license/", "cite/", "contact/", "changes/")
LANGUAGE_PREFIX = {"en": "", "zh": "zh/"}


def make_linked(project: Path) -> Path:
    """The tiny example as a maintainer who fills in every field machines read would write it."""
    edit(project, "doi: 10.5555/lakeside.data   # the dataset's own DOI (a concept DOI: every version)\n",
         "doi: 10.5555/lakeside.data\ncstr: 31253.11.example.lakeside\n"
         "other_records: [https://zenodo.example.org/records/4242]\n"
         "published: 2021-03-01\n"
         "keywords:\n  - {en: water temperature, zh: 水温}\n  - {en: lakes, zh: 湖泊}\n"
         "funding:\n  - funder: {name: {en: Example Science Fund, zh: 示例科学基金}, ror: 05dxps055}\n"
         "    award: ESF-2020-17\n")
    affiliation = "affiliation: {name: {en: Example University, zh: 示例大学}, ror: 02mhbdp94}"
    edit(project, "    - {family: Example, given: Ada}\n",
         f"    - {{family: Example, given: Ada, orcid: {ORCIDS[0]}, {affiliation}}}\n")
    edit(project, "    - {family: Sample, given: Bo}\n", f"    - {{family: Sample, given: Bo, orcid: {ORCIDS[1]}}}\n")
    edit(project, "  person: {en: The Example Lab, zh: 示例实验室}\n",
         "  person: {en: The Example Lab, zh: 示例实验室}\n"
         "  institution: {name: {en: Example University, zh: 示例大学}, ror: 02mhbdp94}\n")
    for name, url in FILE_URLS.items():
        size = "76" if name == "lakes-2019.csv" else "104"
        line = next(l for l in (project / "dataset.yml").read_text(encoding="utf-8").splitlines()
                    if l.startswith(f"      - {{name: {name}, size: {size},"))
        edit(project, line + "\n", line.removesuffix("}") + f", url: {url}}}\n")
    result = datasite(project, "confirm", "--all")  # (the new texts: checked by the person who wrote them)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def linked_site(tmp_path_factory) -> Path:
    project = make_linked(tiny_project(tmp_path_factory.mktemp("linked-project")))
    return built(project, tmp_path_factory.mktemp("linked-site"))


@pytest.fixture(params=["seed", "tiny", "linked"])
def any_site(request):
    """(name, built site, its published URL)."""
    name = request.param
    built = {"seed": "site", "tiny": "tiny_site", "linked": "linked_site"}[name]
    folder = request.getfixturevalue(built)
    url = "https://lvdongzhen.github.io/Wenzhou-Randomized-Battery-Data/" if name == "seed" else TINY_URL
    return name, folder, url


def local(url: str, published: str, served: str) -> str:
    """A URL of the published site, on the copy served on 127.0.0.1."""
    assert url.startswith(published), url
    return served + "/" + url.removeprefix(published)


# -- FAIR Signposting ---------------------------------------------------------------------

def _signposting_html(url: str):
    from signposting import find_signposting_html

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the library's warnings (an invalid link, a second cite-as) fail
        return find_signposting_html(url)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_page_signposts_the_dataset_at_level_one(any_site, serve, language):
    name, folder, published = any_site
    served = serve(folder)
    for path in PAGES:
        signposting = _signposting_html(f"{served}/{LANGUAGE_PREFIX[language]}{path}")
        cite = "https://doi.org/10.5555/lakeside.data" if name != "seed" else published
        assert signposting.citeAs.target == cite, path  # mutant: the page's own URL as what to cite
        described = {(s.target, s.type) for s in signposting.describedBy}
        assert described == {(published + "datacite.xml", "application/vnd.datacite.datacite+xml"),
                             (published + "dataset.jsonld", "application/ld+json"),
                             (published + "croissant.json", "application/ld+json")}
        assert {s.target for s in signposting.types} == {"https://schema.org/AboutPage", "https://schema.org/Dataset"}
        spdx = "CC-BY-ND-4.0" if name == "seed" else "CC-BY-4.0"
        assert signposting.license.target == f"https://spdx.org/licenses/{spdx}"  # SPDX's URI, as the profile asks
        authors = {s.target for s in signposting.authors}
        assert authors == ({f"https://orcid.org/{orcid}" for orcid in ORCIDS} if name == "linked" else set())
        items = {(s.target, s.type) for s in signposting.items}
        expected = {(url, "text/csv") for url in FILE_URLS.values()} if name == "linked" and path == "" else set()
        assert items == expected, path  # the home page is the landing page of the files; a share is not one
        (linkset,) = signposting.linksets
        assert (linkset.target, linkset.type) == (published + "linkset.json", "application/linkset+json")
        for target, _ in described:  # every metadata file is there
            assert (folder / target.removeprefix(published)).stat().st_size > 200


def test_the_linkset_holds_every_pages_signposts(any_site, serve):
    from signposting import Signposting, find_signposting_linkset

    name, folder, published = any_site
    served = serve(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = find_signposting_linkset(f"{served}/linkset.json")
    for language, prefix in LANGUAGE_PREFIX.items():
        for path in PAGES:
            from_html = _signposting_html(f"{served}/{prefix}{path}")
            from_linkset = Signposting(published + prefix + path, whole.signposts, include_no_context=False)
            html = {(s.rel, s.target, s.type) for s in from_html if s.rel != "linkset"}
            assert {(s.rel, s.target, s.type) for s in from_linkset} == html, (language, path)
    # Level 2's inverse links: each metadata file describes, each file is an item of, the landing
    # page (the home page the DOI leads to).
    for metadata in ("datacite.xml", "dataset.jsonld", "croissant.json"):
        described = Signposting(published + metadata, whole.signposts, include_no_context=False)
        assert [s.target for s in described.describes] == [published]
    files = FILE_URLS.values() if name == "linked" else ()
    for url in files:
        assert Signposting(url, whole.signposts, include_no_context=False).collection.target == published


def test_a_site_without_a_published_url_signposts_with_relative_links(tmp_path, serve):
    """The offline bundle and a site whose URL is not set yet: the links still lead to the files."""
    project = copy_project(tmp_path / "project", TINY)
    edit(project, f"site_url: {TINY_URL}\n", "")
    edit(project, "doi: 10.5555/lakeside.data   # the dataset's own DOI (a concept DOI: every version)\n", "")
    assert mkdocs_build(project, "--site-dir", "out").returncode == 0
    served = serve(project / "out")
    signposting = _signposting_html(f"{served}/zh/license/")
    assert signposting.citeAs is None  # nothing permanent to cite: no DOI, no published address
    datacite = next(s for s in signposting.describedBy if s.type == "application/vnd.datacite.datacite+xml")
    assert datacite.target == f"{served}/datacite.xml"  # ../../datacite.xml from /zh/license/
    import xmlschema

    xml = (project / "out" / "datacite.xml").read_text(encoding="utf-8")
    xmlschema.XMLSchema(str(DATACITE_XSD), allow="local").validate(xml)


# -- schema.org, through extruct ----------------------------------------------------------

def _jsonld(folder: Path, path: str) -> dict:
    import extruct

    html = (folder / path / "index.html").read_text(encoding="utf-8")
    (data,) = extruct.extract(html, base_url=TINY_URL + path, syntaxes=["json-ld"], uniform=True)["json-ld"]
    return data


@pytest.mark.parametrize("language", ["en", "zh"])
def test_schema_org_fills_every_recommended_field_it_can(linked_site, language):
    prefix = LANGUAGE_PREFIX[language]
    data = _jsonld(linked_site, prefix + "download/")
    assert data["@type"] == "Dataset" and data["datePublished"] == "2021-03-01"
    assert data["publisher"] == {"@type": "Organization", "name": {"en": "Example University", "zh": "示例大学"}[language],
                                 "@id": "https://ror.org/02mhbdp94", "sameAs": "https://ror.org/02mhbdp94"}
    assert data["sameAs"] == ["https://doi.org/10.5555/lakeside.data", "https://cstr.cn/31253.11.example.lakeside",
                              "https://zenodo.example.org/records/4242"]
    assert data["keywords"] == {"en": ["water temperature", "lakes"], "zh": ["水温", "湖泊"]}[language]
    assert [f["name"] for f in data["funder"]] == [{"en": "Example Science Fund", "zh": "示例科学基金"}[language]]
    assert data["funding"][0]["identifier"] == "ESF-2020-17"
    assert [c.get("sameAs") for c in data["creator"]] == [f"https://orcid.org/{orcid}" for orcid in ORCIDS]
    assert data["creator"][0]["affiliation"]["sameAs"] == "https://ror.org/02mhbdp94"
    # Files with a URL of their own are the distributions, each with its media type; the mirrors
    # (share pages) are actions that download the data, not files.
    assert {d["contentUrl"]: d["encodingFormat"] for d in data["distribution"]} == \
        {url: "text/csv" for url in FILE_URLS.values()}
    assert all(d["@type"] == "DataDownload" and len(d["sha256"]) == 64 for d in data["distribution"])
    targets = [action["target"] for action in data["potentialAction"]]
    assert targets == ["https://archive.example.org/lakeside", "https://drive.example.net/s/lakeside"]
    assert all(action["@type"] == "DownloadAction" for action in data["potentialAction"])


def test_files_that_lie_in_a_share_are_parts_not_downloads(tiny_site):
    data = _jsonld(tiny_site, "download/")
    assert "distribution" not in data  # (mutant: the share's URL as each file's contentUrl)
    parts = {part["name"]: part for part in data["hasPart"]}
    assert parts["lakes-2020.csv"]["encodingFormat"] == "text/csv" and "contentUrl" not in parts["lakes-2020.csv"]
    assert data["datePublished"] == "2021-03-01"  # the first release's date


# -- Croissant, through mlcroissant -------------------------------------------------------

def test_croissant_is_valid_for_mlcroissant(any_site, caplog):
    import logging

    import mlcroissant

    name, folder, published = any_site
    path = folder / "croissant.json"
    caplog.set_level(logging.WARNING, logger="absl")
    dataset = mlcroissant.Dataset(jsonld=str(path))  # raises ValidationError on any error
    metadata = dataset.metadata
    assert not list(metadata.ctx.issues.errors)
    # A @context other than Croissant 1.0's is only logged (mutant: a key of CONTEXT left out).
    assert not [r.getMessage() for r in caplog.records if "not standard" in r.getMessage()]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["conformsTo"] == "http://mlcommons.org/croissant/1.0" and data["citeAs"].startswith("@article{")
    assert data["license"].startswith("https://creativecommons.org/licenses/")
    if name == "linked":
        assert data["version"] == "2.0" and data["datePublished"] == "2021-03-01"
        files = {f["contentUrl"]: f for f in data["distribution"]}
        assert set(files) == set(FILE_URLS.values())
        assert all(f["@type"] == "cr:FileObject" and f["encodingFormat"] == "text/csv" and len(f["sha256"]) == 64
                   for f in files.values())
        assert files[FILE_URLS["lakes-2020.csv"]]["contentSize"] == "104 B"
        assert [c["sameAs"] for c in data["creator"]] == [f"https://orcid.org/{orcid}" for orcid in ORCIDS]
        assert not list(metadata.ctx.issues.warnings)
    if name == "tiny":  # its files lie in shares: no FileObject pretends a share page is the file
        assert data["distribution"] == []


# -- DataCite 4.6 ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def datacite_schema():
    """DataCite's XSD, its includes read from tests/schemas/ and nothing from anywhere else."""
    import xmlschema

    return xmlschema.XMLSchema(str(DATACITE_XSD), allow="local")


def test_datacite_xml_is_valid_against_the_kernel_4_6_schema(any_site, datacite_schema):
    _, folder, _ = any_site
    datacite_schema.validate(str(folder / "datacite.xml"))  # raises with the element and the rule


def test_datacite_xml_says_what_a_doi_is_minted_from(linked_site):
    root = ET.parse(linked_site / "datacite.xml").getroot()
    assert root.find("d:identifier", NS).text == "10.5555/lakeside.data"
    assert root.find("d:alternateIdentifiers/d:alternateIdentifier[@alternateIdentifierType='CSTR']", NS).text == \
        "31253.11.example.lakeside"
    titles = {t.get(XML_LANG): t.text for t in root.findall("d:titles/d:title", NS)}
    assert titles == {"en": "Lakeside Thermometer Readings", "zh": "湖畔温度计读数"}
    creator = root.find("d:creators/d:creator", NS)
    assert creator.find("d:nameIdentifier", NS).text == f"https://orcid.org/{ORCIDS[0]}"
    assert creator.find("d:affiliation", NS).get("affiliationIdentifier") == "https://ror.org/02mhbdp94"
    relations = {(r.get("relationType"), r.text) for r in root.findall("d:relatedIdentifiers/d:relatedIdentifier", NS)}
    assert ("IsSupplementTo", "10.5555/example.2022.1") in relations
    assert ("HasTranslation", TINY_URL + "zh/") in relations
    rights = root.find("d:rightsList/d:rights", NS)
    assert (rights.get("rightsIdentifierScheme"), rights.get("rightsIdentifier")) == ("SPDX", "cc-by-4.0")
    assert root.find("d:version", NS).text == "2.0" and root.find("d:publicationYear", NS).text == "2021"
    assert root.find("d:sizes/d:size", NS).text == "180 bytes"
    assert [f.text for f in root.findall("d:formats/d:format", NS)] == ["text/csv"]
    assert root.find("d:publisher", NS).get("publisherIdentifier") == "https://ror.org/02mhbdp94"
    assert root.find("d:fundingReferences/d:fundingReference/d:awardNumber", NS).text == "ESF-2020-17"


# -- .zenodo.json -------------------------------------------------------------------------------

def test_zenodo_json_is_exported_and_guarded(tmp_path):
    project = copy_project(tmp_path / "project", TINY)
    make_linked(project)
    result = datasite(project, "export")
    assert result.returncode == 0, result.stderr
    assert datasite(project, "export", "--check").returncode == 0
    data = json.loads((project / ".zenodo.json").read_text(encoding="utf-8"))
    assert data["upload_type"] == "dataset" and data["title"] == "Lakeside Thermometer Readings"
    assert data["creators"][0] == {"name": "Example, Ada", "affiliation": "Example University", "orcid": ORCIDS[0]}
    assert data["license"] == "cc-by-4.0" and data["version"] == "2.0" and data["publication_date"] == "2021-03-01"
    assert data["keywords"] == ["water temperature", "lakes"] and data["language"] == "eng"
    assert data["related_identifiers"] == [{"identifier": "10.5555/example.2022.1", "relation": "isSupplementTo",
                                            "scheme": "doi", "resource_type": "publication-article"}]
    assert '<p lang="zh">' in data["description"] and data["contributors"][0]["type"] == "ContactPerson"
    edit(project, "published: 2021-03-01", "published: 2021-03-02")
    check = datasite(project, "export", "--check")
    assert check.returncode == 1 and ".zenodo.json: stale" in check.stderr  # CI fails until it is exported
    assert "CITATION.cff: fresh" in check.stdout  # (which has no publication date)
