"""Street addresses: an optional flat, a house number, one to three words and a street type."""

import regex

from .base import RegexRecogniser, context_before, words

_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|Grove|"
    "Gr|Place|Pl|Terrace|Terr|Square|Sq|Hill|Park|Rise|View|Walk|Mews|Row|Parade|Green|Vale|Mount|Fields|"
    "Meadow|Meadows|Wharf|Yard|Quay|Gate|Chase|Croft|End|Boulevard|Approach|Circus|Embankment|Broadway|"
    "Promenade|Esplanade|Hollow|Wynd|Brow|Bank|Side|Dene|Garth|Leys|Nook|Paddock|Heights|Cottages|Villas|"
    "Buildings|Estate|Common|Crossing|Grange|Orchard|Glade|Path|Passage|Alley|Circle|Spur|Loop|Link|Wood|Reach"
)
# Word lengths are bounded ({1,30}) so that junk such as "A-A-A-..." cannot cause quadratic backtracking.
_FLAT = r"(?:(?:Flat|Apartment|Apt|Unit|Room|Studio)\s+\d{1,4}[A-Za-z]?,?\s+)?"
_BUILDING = (
    r"(?:(?:\p{Lu}[\p{Ll}'’-]{1,30}\s+){1,2}"
    r"(?:House|Court|Lodge|Mansions|Tower|Point|Heights|Buildings),?\s+)?"
)
# A town after the street belongs to the address when a postcode or the end of the clause follows it.
_TOWN = (
    r"(?:,\s*\p{Lu}[\p{Ll}'’]{1,30}(?:[\s-]\p{Lu}[\p{Ll}'’]{1,30}){0,2}"
    r"(?=\s*,?\s*(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|[.,;)]|$)))?"
)
_CAPITALISED = regex.compile(
    rf"(?<![\w]){_FLAT}{_BUILDING}\d{{1,4}}[A-Za-z]?,?\s+(?:\p{{Lu}}[\p{{L}}'’-]{{1,30}}\s+){{1,3}}"
    rf"(?:{_STREET_TYPES})\b\.?{_TOWN}"
)
_ANY_CASE = regex.compile(_CAPITALISED.pattern, regex.IGNORECASE)
_CONTEXT = regex.compile(
    words(
        "address", "lives at", "living at", "resides at", "residing at", "home at", "home address", "at home"
    ),
    regex.IGNORECASE,
)


class AddressRecogniser(RegexRecogniser):
    ENTITY = "ADDRESS"
    PATTERNS = ((_CAPITALISED, 0.85), (_ANY_CASE, 0.7))

    def score_match(self, text, match, score):
        if match.re is _ANY_CASE and not context_before(text, match.start(), _CONTEXT, window=30):
            return None
        return score

    def _results(self, text):
        for result in super()._results(text):
            if text[result.end - 1] == ".":
                result.end -= 1
            yield result
