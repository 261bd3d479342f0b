"""Interface words of the generated pages, per language (from the language records,
datasite/languages/<code>.yml).

These are the site's own words (headings, buttons), the same for every dataset; everything
about a particular dataset comes from its dataset.yml.
"""

from .language import KNOWN

UI: dict[str, dict[str, str]] = {code: record.words for code, record in KNOWN.items()}

# Each language by its own name, for the language switcher.
LANGUAGE_NAMES = {code: record.name for code, record in KNOWN.items()}
