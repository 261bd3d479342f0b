"""Pure function: the model -> Croissant 1.0 metadata (`croissant.json`), the JSON-LD that
machine-learning tools read (NeurIPS Datasets & Benchmarks asks for it; Hugging Face, Kaggle and
Dataverse write it), valid for `mlcroissant validate`.

The release files with a URL of their own are its FileObjects (Croissant's file needs its
`contentUrl` and a checksum); a file that lies in a share only, and a mirror, are not: the
share page is not the file. Record sets (the columns inside the files) are the data's own
business and are left out; Croissant allows a dataset without them.
"""

from __future__ import annotations

import re

from ..language import metadata_language
from ..mediatypes import media_type
from ..model import Dataset
from .citation import article_citations, dataset_url
from .metadata import organization_jsonld, person_jsonld, published, same_as

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
# Croissant 1.0's @context, as the specification and mlcroissant write it (a validator warns of any
# other); its "@language" is the metadata's own (croissant_json).
CONTEXT = {
    "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty", "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "samplingRate": "cr:samplingRate", "sc": "https://schema.org/",
    "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
}


def _file_id(name: str, taken: set[str]) -> str:
    """A FileObject's @id: its name, whitespace made "_" (Croissant allows none in an @id),
    numbered where two names would meet."""
    base = re.sub(r"\s", "_", name)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}~{number}"
    taken.add(candidate)
    return candidate


def croissant_json(dataset: Dataset) -> dict:
    language = metadata_language(dataset.languages)
    data: dict = {
        "@context": {**CONTEXT, "@language": language},
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": dataset.name[language],
        "description": dataset.description[language],
        "url": dataset_url(dataset),
        "license": dataset.license.url,
        "creator": [person_jsonld(person, language) for person in dataset.dataset_creators],
        "datePublished": published(dataset),
        # The dataset's terms ask for the source article to be cited (BibTeX, as Croissant asks).
        "citeAs": article_citations(dataset.article).bibtex.strip(),
        "inLanguage": list(dataset.languages),
        "isAccessibleForFree": True,
    }
    publisher = dataset.publishing_organization
    if publisher:
        data["publisher"] = organization_jsonld(publisher, language)
    if dataset.keywords:
        data["keywords"] = [keyword[language] for keyword in dataset.keywords]
    if same_as(dataset):
        data["sameAs"] = same_as(dataset)
    if dataset.updated:
        data["dateModified"] = dataset.updated.isoformat()
    release = dataset.latest_release
    if release:
        data["version"] = release.version
        taken: set[str] = set()
        data["distribution"] = [
            {"@type": "cr:FileObject", "@id": _file_id(item.name, taken), "name": item.name,
             "contentUrl": item.url, "encodingFormat": media_type(item.name, item.format),
             "contentSize": f"{item.size} B", "sha256": item.sha256}
            for item in release.files if item.url]
    return data
