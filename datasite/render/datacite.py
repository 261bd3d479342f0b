"""Pure function: the model -> DataCite Metadata Schema 4.6 XML (`datacite.xml`), the record a
DOI is minted from, valid against DataCite's kernel-4.6 `metadata.xsd` (tests/schemas/).

Every language's title and description, each with its `xml:lang`; the creators with their
ORCID iDs and affiliations (ROR); the source article as `IsSupplementTo`; the site in its other
languages as `HasTranslation`; the license by its SPDX id; a CSTR identifier where there is one.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..mediatypes import media_type
from ..model import Dataset, Organization, Person, orcid_url, ror_url
from ..language import metadata_language
from ..paths import page_path

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = "https://schema.datacite.org/meta/kernel-4.6/metadata.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UNAVAILABLE = "(:unav)"  # DataCite's standard value for information that is not available


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str | None) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: value for key, value in attributes.items() if value is not None})
    if text is not None:
        element.text = text
    return element


def _affiliation(parent: ET.Element, organization: Organization, language: str) -> None:
    if organization.ror:
        _add(parent, "affiliation", organization.name[language], affiliationIdentifier=ror_url(organization.ror),
             affiliationIdentifierScheme="ROR", schemeURI="https://ror.org")
    else:
        _add(parent, "affiliation", organization.name[language])


def _person(parent: ET.Element, tag: str, person: Person, language: str, **attributes: str) -> None:
    element = _add(parent, tag, **attributes)
    _add(element, f"{tag}Name", f"{person.family}, {person.given}", nameType="Personal")
    _add(element, "givenName", person.given)
    _add(element, "familyName", person.family)
    if person.orcid:
        _add(element, "nameIdentifier", orcid_url(person.orcid), nameIdentifierScheme="ORCID",
             schemeURI="https://orcid.org")
    if person.affiliation:
        _affiliation(element, person.affiliation, language)


def datacite_xml(dataset: Dataset) -> str:
    language = metadata_language(dataset.languages)
    # The kernel's namespace as the default one, written as attributes (as in DataCite's own
    # examples; ElementTree's namespace registry is process-wide).
    root = ET.Element("resource", {"xmlns": NAMESPACE, "xmlns:xsi": _XSI,
                                   "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA_LOCATION}"})
    if dataset.doi:
        _add(root, "identifier", dataset.doi, identifierType="DOI")
    else:  # (a site without a DOI yet: its address identifies it until one is minted)
        _add(root, "identifier", dataset.site_url or UNAVAILABLE, identifierType="URL")
    if dataset.cstr:
        _add(_add(root, "alternateIdentifiers"), "alternateIdentifier", dataset.cstr, alternateIdentifierType="CSTR")
    creators = _add(root, "creators")
    for person in dataset.dataset_creators:
        _person(creators, "creator", person, language)
    titles = _add(root, "titles")
    for code in [language, *(other for other in dataset.languages if other != language)]:
        _add(titles, "title", dataset.name[code], titleType=None if code == language else "TranslatedTitle",
             **{_LANG: code})
    publisher = dataset.publishing_organization
    if publisher and publisher.ror:
        _add(root, "publisher", publisher.name[language], publisherIdentifier=ror_url(publisher.ror),
             publisherIdentifierScheme="ROR", schemeURI="https://ror.org/", **{_LANG: language})
    elif publisher:
        _add(root, "publisher", publisher.name[language], **{_LANG: language})
    else:
        _add(root, "publisher", UNAVAILABLE)
    _add(root, "publicationYear", str(dataset.publication_year))
    _add(root, "resourceType", "Dataset", resourceTypeGeneral="Dataset")
    if dataset.keywords:
        subjects = _add(root, "subjects")
        for keyword in dataset.keywords:
            for code, text in keyword.items():
                _add(subjects, "subject", text, **{_LANG: code})
    contributors = _add(root, "contributors")
    contact = _add(contributors, "contributor", contributorType="ContactPerson")
    _add(contact, "contributorName", dataset.contact.person[language])
    if dataset.contact.institution:
        _affiliation(contact, dataset.contact.institution, language)
    dates = _add(root, "dates")
    if dataset.publication_date:
        _add(dates, "date", dataset.publication_date.isoformat(), dateType="Issued")
    if dataset.updated:
        _add(dates, "date", dataset.updated.isoformat(), dateType="Updated")
    if not len(dates):
        root.remove(dates)
    # One language: that one; several: "mul" (as DataCite's own example of parallel languages).
    _add(root, "language", dataset.languages[0] if len(dataset.languages) == 1 else "mul")
    related = _add(root, "relatedIdentifiers")
    for article in dataset.articles:
        if article.doi:
            _add(related, "relatedIdentifier", article.doi, relatedIdentifierType="DOI", relationType="IsSupplementTo",
                 resourceTypeGeneral="JournalArticle")
        elif article.url:
            _add(related, "relatedIdentifier", article.url, relatedIdentifierType="URL", relationType="IsSupplementTo",
                 resourceTypeGeneral="JournalArticle")
    if dataset.site_url:
        for code in dataset.languages[1:]:
            _add(related, "relatedIdentifier", dataset.site_url + page_path("index", code, dataset.languages),
                 relatedIdentifierType="URL", relationType="HasTranslation", resourceTypeGeneral="Text")
    for record in dataset.other_records:
        _add(related, "relatedIdentifier", record, relatedIdentifierType="URL", relationType="IsIdenticalTo")
    if not len(related):
        root.remove(related)
    release = dataset.latest_release
    if release and release.files:
        _add(_add(root, "sizes"), "size", f"{release.size} bytes")
        formats = _add(root, "formats")
        for kind in dict.fromkeys(media_type(item.name, item.format) for item in release.files):
            _add(formats, "format", kind)
    if release:
        _add(root, "version", release.version)
    rights = _add(root, "rightsList")
    for code, name in dataset.license.name.items():
        _add(rights, "rights", name, rightsURI=dataset.license.url, rightsIdentifier=dataset.license.spdx.lower(),
             rightsIdentifierScheme="SPDX", schemeURI="https://spdx.org/licenses/", **{_LANG: code})
    descriptions = _add(root, "descriptions")
    for code, text in dataset.description.items():
        _add(descriptions, "description", text, descriptionType="Abstract", **{_LANG: code})
    if dataset.funding:
        funding = _add(root, "fundingReferences")
        for grant in dataset.funding:
            reference = _add(funding, "fundingReference")
            _add(reference, "funderName", grant.funder.name[language])
            if grant.funder.ror:
                _add(reference, "funderIdentifier", ror_url(grant.funder.ror), funderIdentifierType="ROR",
                     schemeURI="https://ror.org")
            if grant.award:
                _add(reference, "awardNumber", grant.award)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
