"""Pure function: the model -> `.zenodo.json`, what Zenodo reads when it archives a GitHub
release of the dataset's repository (without it, Zenodo guesses from CITATION.cff).

Zenodo's deposit metadata: `upload_type`, title, description, creators ("Family, Given", ORCID,
affiliation), the license by its id (Zenodo's ids are SPDX's, lowercased), version, publication
date, keywords, language (ISO 639-3), the source article as `isSupplementTo`, the contact person.
"""

from __future__ import annotations

import json

from ..language import language as language_record, metadata_language
from ..model import Dataset
from .text import escape_html


def zenodo_json(dataset: Dataset) -> str:
    language = metadata_language(dataset.languages)
    creators = []
    for person in dataset.dataset_creators:
        creator = {"name": f"{person.family}, {person.given}"}
        if person.affiliation:
            creator["affiliation"] = person.affiliation.name[language]
        if person.orcid:
            creator["orcid"] = person.orcid
        creators.append(creator)
    content: dict = {
        "upload_type": "dataset",
        "title": dataset.name[language],
        # (Zenodo shows the description as HTML: every language's, each its own paragraph.)
        "description": "".join(f'<p lang="{code}">{escape_html(text)}</p>' for code, text in dataset.description.items()),
        "creators": creators,
        "access_right": "open",
        "license": dataset.license.spdx.lower(),
        "language": language_record(language).iso639_3,
    }
    release = dataset.latest_release
    if release:
        content["version"] = release.version
    if dataset.publication_date:  # (a full date; without one Zenodo takes the release's)
        content["publication_date"] = dataset.publication_date.isoformat()
    if dataset.keywords:
        content["keywords"] = [keyword[language] for keyword in dataset.keywords]
    related = []
    for article in dataset.articles:
        if article.doi:
            related.append({"identifier": article.doi, "relation": "isSupplementTo", "scheme": "doi",
                            "resource_type": "publication-article"})
        elif article.url:
            related.append({"identifier": article.url, "relation": "isSupplementTo", "scheme": "url",
                            "resource_type": "publication-article"})
    if related:
        content["related_identifiers"] = related
    contact = {"name": dataset.contact.person[language], "type": "ContactPerson"}
    if dataset.contact.institution:
        contact["affiliation"] = dataset.contact.institution.name[language]
    content["contributors"] = [contact]
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
