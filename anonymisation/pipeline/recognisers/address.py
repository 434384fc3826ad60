"""UK addresses as a small grammar, in any case (see docs/adr/0012).

    address  = [flat ","] [building ","] [number] street ["," locality] ["," town]
             | flat ["," building]          ("Flat 7", "Flat 12, Carlton House")
             | house-name                   ("Holly Cottage", "Rose Farm")
             | what follows "lives at" / "address:" up to the end of the clause ("The Laurels", "Parkway")
    flat     = ("Flat" | "Apartment" | "Unit" | "Room" ...) number
    building = 1-3 words + ("House" | "Court" | "Lodge" | "Mansions" | "Tower" ...)
    street   = 1-3 words + street type ("Road", "Gardens", "Mews" ...)

Capitalised text needs no context, except a street without a house number, which needs a street type
that is rarely anything else ("Victoria Road", "Elm Gardens"; not "Park" or "View"). Lower-case text
("14 station road") needs a house number and such a street type, or an address word before it. Word
lengths and repetitions are bounded, so junk cannot make a pattern backtrack for long.
"""

from functools import cache

import regex

from .base import RegexRecogniser, context_before, one_edit, words

_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|Grove|"
    "Gr|Place|Pl|Terrace|Terr|Square|Sq|Hill|Park|Rise|View|Walk|Mews|Row|Parade|Green|Vale|Mount|Fields|"
    "Meadow|Meadows|Wharf|Yard|Quay|Gate|Chase|Croft|End|Boulevard|Approach|Circus|Embankment|Broadway|"
    "Promenade|Esplanade|Hollow|Wynd|Brow|Bank|Side|Dene|Garth|Leys|Nook|Paddock|Heights|Cottages|Villas|"
    "Buildings|Estate|Common|Crossing|Grange|Orchard|Glade|Path|Passage|Alley|Circle|Spur|Loop|Link|Wood|Reach"
)
# Street types that are seldom anything else, so a street needs no house number or context with them.
_SURE_TYPES = (
    "Road|Street|Avenue|Lane|Drive|Crescent|Gardens|Grove|Terrace|Mews|Close|Boulevard|Parade|Rise|"
    "Square|Place|Way|Walk|Row|Cottages|Villas|Wynd"
)
_SURE_TYPES_LOWER = "road|rd|street|avenue|ave|lane|drive|crescent|gardens|grove|terrace|mews|boulevard|wynd"
_WORD = r"\p{Lu}[\p{Ll}'’-]{1,30}"  # a capitalised word (bounded)
_ANY_WORD = r"[\p{L}][\p{L}'’-]{0,30}"
_NOT_GRAMMAR = (  # words that never start or sit inside a street name
    r"(?!(?:a|an|the|and|or|of|to|in|on|at|by|for|with|from|into|was|were|is|are|be|been|had|has|have|"
    r"not|no|his|her|their|our|my|your|its|this|that|then|than|mg|ml|units?|doses?|hours?|mins?|"
    r"minutes?|days?|weeks?|times?|tablets?|x)\b)"
)
_FLAT = r"(?:Flat|Apartment|Apt|Unit|Room|Studio|Maisonette)\s+\d{1,4}[A-Za-z]?"
_BUILDING_TYPES = (
    r"House|Court|Lodge|Mansions|Tower|Point|Heights|Buildings|Cottage|Farm|Barn|Villa|Hall|Manor|"
    r"Bungalow|Farmhouse|Rectory|Vicarage|Grange|Works|Mill|Place"
)
_BUILDING = rf"(?:The\s+)?(?:{_WORD}\s+){{1,2}}(?:{_BUILDING_TYPES})"
_NUMBER = r"\d{1,4}[A-Za-z]?(?:\s?[-–]\s?\d{1,4}[A-Za-z]?)?"
# A town after the street belongs to the address when a postcode or the end of the clause follows it.
_TOWN = (
    r"(?:,\s*\p{Lu}[\p{Ll}'’]{1,30}(?:[\s-]\p{Lu}[\p{Ll}'’]{1,30}){0,2}"
    r"(?=\s*,?\s*(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|[.,;)]|$))){0,2}"
)
_CAPITALISED = regex.compile(
    rf"(?<![\w])(?:{_FLAT},?\s+)?(?:{_BUILDING},?\s+)?{_NUMBER},?\s+{_NOT_GRAMMAR}(?:\p{{Lu}}[\p{{L}}'’-]{{1,30}}\s+){{1,3}}"
    rf"(?:{_STREET_TYPES})\b\.?{_TOWN}"
)
_ANY_CASE = regex.compile(_CAPITALISED.pattern, regex.IGNORECASE)
# "14 station road", "flat 2 22 mill lane": lower case with a house number and a sure street type.
_LOWER_CASE = regex.compile(
    rf"(?i)(?<![\w])(?:{_FLAT},?\s+)?{_NUMBER},?\s+{_NOT_GRAMMAR}(?:{_ANY_WORD}\s+){{0,2}}{_NOT_GRAMMAR}"
    rf"{_ANY_WORD}\s+(?:{_SURE_TYPES_LOWER})\b(?:,\s*(?:{_ANY_WORD})(?:\s(?!(?:on|at|in|and|was|by)\b)"
    rf"{_ANY_WORD})?(?=\s*(?:[,.;)]|$)))?"
)
# "Victoria Road", "Flat 12, Carlton House, Mill Lane, Leeds": a capitalised street with a sure type.
_NAMED_STREET = regex.compile(
    rf"(?<![\w])(?:{_FLAT},?\s+)?(?:{_BUILDING},\s+)?(?!The\b){_WORD}(?:\s+{_WORD})?\s+(?:{_SURE_TYPES})\b{_TOWN}"
)
# "Flat 7", "Flat 12, Carlton House".
_FLAT_ALONE = regex.compile(rf"(?<![\w])Flat\s+\d{{1,4}}[A-Za-z]?(?:,\s+{_BUILDING})?(?![\w])")
# House names that are nothing else: "Holly Cottage", "Rose Farm", "The Old Rectory".
_HOUSE_NAME = regex.compile(
    rf"(?<![\w])(?:The\s+)?(?:{_WORD}\s+){{1,2}}(?:Cottage|Farm|Barn|Villa|Bungalow|Farmhouse|Rectory|Vicarage)"
    rf"(?![\w]){_TOWN}"
)
# After words that say where someone lives, the clause is the address, in any case: "lives at The
# Laurels", "lives just off windmill road", "address: Parkway, Leeds", "went home to Hillcrest, The
# Paddock". The value stops at a word that cannot be part of an address (a preposition, a verb, a time).
_STOP = (
    r"(?:until|till|near|with|w|and|at|on|in|by|as|for|now|since|from|to|into|was|is|are|were|has|had|have|but|"
    r"when|where|who|which|after|before|today|yesterday|tonight|this|that|nok|her|his|their|a|an|via|because|so|"
    r"then|alone|just|off|who|whose|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last|next|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"mr|mrs|ms|miss|dr|nhs|dob|d\.o\.b|tel|mob|phone|with|without|unwitnessed|found|admitted|and|plus|"
    r"week|weeks|day|days|month|months|year|years|morning|afternoon|evening|night|weekend|earlier|before|"
    r"again|twice|daily|previously|recently|regularly|once|every|each|several|him|them|us|me|it|patient|pt|"
    r"interpreter|nurse|sister|doctor|paramedic|carer|hca|staff|son|daughter|wife|husband|mother|father|"
    r"brother|partner|friend|neighbour|registrar|consultant|physio|agency|pharmacist|crew|police|team)"
)
_PLACE_WORD = rf"(?!{_STOP}\b)\p{{L}}[\p{{L}}'’-]{{1,30}}(?![\w])"
_PLACE_WORDS = rf"{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}}"
_SEGMENT = rf"(?:(?:flat|apartment|apt|unit)\s+\d{{1,4}}[a-z]?,?\s+)?(?:\d{{1,4}}[a-z]?,?\s+)?{_PLACE_WORDS}"
_VALUE = rf"{_SEGMENT}(?:,\s*{_SEGMENT}){{0,3}}"
_SURE_CUES = (
    r"address(?:\s+is)?|lives\s+(?:alone\s+)?(?:just\s+)?(?:off|on|at|in)|living\s+(?:alone\s+)?(?:at|on|in)|"
    r"resides\s+at|residing\s+at|home\s+(?:at|on)|(?:went|gone|going|returned|got|arrived|taken)\s+(?:back\s+)?"
    r"home\s+(?:to|at)|now\s+(?:lives\s+|living\s+)?at|(?:could\s+not|couldn'?t|unable\s+to|colud\s+not)\s+get\s+into|"
    r"discharged\s+(?:back\s+)?(?:home\s+)?to|visited|found\s+(?:collapsed|lying|wandering)\s+(?:on|in|at)"
)
_AFTER_CONTEXT = regex.compile(rf"(?i)\b(?:{_SURE_CUES})\s*:?\s*(?P<value>{_VALUE})")
# Tired staff mistype the cue too ("lievs on", "was lviing at", "could nto get into"): the same cues with
# one typing error in any word of five letters or more. Fuzzy matching is slow, so it runs only on a text
# holding a word one edit away from such a cue word (see ``_cue_typo``).
_CUE_WORD = regex.compile(r"(?<![\\\w])[a-z]{5,}(?![\w])")


def _swaps(word: str) -> list[str]:
    """The word with two neighbouring letters swapped ("lievs"): one slip, two edits to ``regex``."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


_FUZZY_CUES = _CUE_WORD.sub(
    lambda m: f"(?:(?:{m.group()}){{e<=1}}|{'|'.join(_swaps(m.group()))})", _SURE_CUES
)
_AFTER_TYPO_CONTEXT = regex.compile(rf"(?i)\b(?:{_FUZZY_CUES})\s*:?\s*(?P<value>{_VALUE})")
# "Pt from Glenview near Northampton": a place named before "near" a town.
_FROM_NEAR = regex.compile(
    rf"(?i)\bfrom\s+(?P<value>(?:the\s+)?{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})\s+near\b"
)
# "lives alone in flat 6", "went to Flat 2": a numbered flat after a preposition, in any case.
_FLAT_AFTER = regex.compile(r"(?i)\b(?:in|at|to|from|into)\s+(?P<value>flat\s+\d{1,4}[a-z]?)(?![\w])")
# A number-led address straight before a postcode, in any case: "57 the ridgeway wa1 6rz",
# "225A HIGHGATE, HUDDERSFIELD HD1 0XY".
_BEFORE_POSTCODE = regex.compile(
    rf"(?i)(?<![\w])(?P<value>(?:(?:flat|apartment|apt|unit)\s+\d{{1,4}}[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+"
    rf"{_PLACE_WORDS}(?:,\s*{_PLACE_WORDS}){{0,2}}),?\s+"
    r"(?=(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?))\s?\d[ABD-HJLNP-UW-Z]{2}\b)"
)
# A house name (and perhaps a street and a town) between a comma or "at"/"to" and a postcode: "Letter to
# Mr Abe, Treetops, Portsmouth PO4 9YZ", "at The Elms, Coventry CV1 3JX", "the firs, hull hu1 2ab".
_NAMED_BEFORE_POSTCODE = regex.compile(
    rf"(?i)(?:(?<=,\s{{0,2}})|(?<=\b(?:at|to|as|address:?)\s{{1,2}}))(?P<value>(?:the\s+)?{_PLACE_WORDS}"
    rf"(?:,\s*{_PLACE_WORDS}){{0,2}}),?\s+"
    r"(?=(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?))\s?\d[ABD-HJLNP-UW-Z]{2}\b)"
)
_POSTCODE_HINT = regex.compile(r"(?i)\b[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}\b")
_CONTEXT = regex.compile(
    words(
        "address", "lives at", "living at", "resides at", "residing at", "home at", "home address", "at home"
    ),
    regex.IGNORECASE,
)
# A single word after "home to" / "lives in" is a town when English text writes it this often (Zipf).
TOWN_ZIPF = 3.0
# Capitalised streets that name a place of care, not a home: "Mill Lane Surgery", "Park Road Clinic".
_PLACE_AFTER = regex.compile(
    r"\s+(?:Surgery|Practice|Clinic|Hospital|Health\s+Centre|Medical\s+Centre|Centre|Pharmacy|"
    r"Care\s+Home|Nursing\s+Home|Ward|Unit|School|Station|Hospice|Campus|site)\b"
)


def _a_town(match) -> bool:
    """After "home to", "discharged to", "lives in", one word that English text often writes is a town
    ("discharged home to Derby on Tuesday", "lives in Bath"), not a house name ("went home to
    Hillcrest"): a town outside an address stays. A street ("lives on Parkway") is still an address."""
    from ..lexicon import get_lexicon

    value = match.group("value")
    cue = match.group()[: match.start("value") - match.start()].strip().lower().rstrip(":").split()
    if not cue or cue[-1] not in {"to", "in", "into"} or not regex.fullmatch(r"\p{L}[\p{L}'’-]+", value):
        return False
    return get_lexicon().english.get(value.lower(), 0.0) >= TOWN_ZIPF


def _could_be_a_home(value: str) -> bool:
    """Not "the ward", "A&E", "ICU", "theatre": a place of care named by clinical vocabulary."""
    from ..allow_list import is_vocabulary_word

    words = [w for w in regex.findall(r"[\p{L}&]+", value) if w.lower() != "the"]
    return bool(words) and not all(is_vocabulary_word(w) for w in words)


# A named care home, in any case: "Willowbrook Care Home", "daisy hill nursing home"; not "the care home",
# "a local nursing home".
_NOT_A_HOME_NAME = (
    r"(?!(?:the|a|an|his|her|their|our|local|private|new|same|previous|usual|own|residential|nursing|care|to|"
    r"from|in|at|of|and|or|into|moved|transferred|admitted|discharged|back|instead|for|was|is|by|with|"
    r"another|different|this|that|any|no)\b)"
)
_CARE_HOME = regex.compile(
    rf"(?i)(?<![\w])(?:{_NOT_A_HOME_NAME}\p{{L}}[\p{{L}}'’-]{{1,30}}\s+){{1,3}}"
    r"(?:care|nursing|residential)\s+home(?![\w])"
)
# A house or building named after a move to or from it, in any case: "moved to Oak Lodge on 4/2",
# "admitted from The Hollies with ...", "From Fern Lodge in Stirling": a building type or "The" and a
# plural ("The Laurels"), up to a word that ends the place.
_MOVE_CUE = (
    r"(?:(?:moved|transferred|transfered|admitted|discharged|returned|went|came|brought|taken)\s+"
    r"(?:back\s+)?(?:home\s+)?(?:to|from|into)|^from|(?<=[.:;]\s{1,2})from)"
)
_MOVED_TO_BUILDING = regex.compile(
    rf"(?i){_MOVE_CUE}\s+(?P<value>(?:the\s+)?(?!(?:the|ward|unit|a|an|his|her|their)\b)\p{{L}}[\p{{L}}'’-]{{1,30}}"
    rf"(?:\s+\p{{L}}[\p{{L}}'’-]{{1,30}})?\s+(?:{_BUILDING_TYPES}|view|bank|lea|grove)|the\s+\p{{L}}[\p{{L}}'’-]{{1,30}}s)"
    r"(?=\s*(?:on\b|with\b|w/|in\b|at\b|,|\.|;|$|\d))",
    regex.MULTILINE,
)


class AddressRecogniser(RegexRecogniser):
    ENTITY = "ADDRESS"
    PATTERNS = (
        (_CAPITALISED, 0.85),
        (_ANY_CASE, 0.7),
        (_LOWER_CASE, 0.75),
        (_NAMED_STREET, 0.75),
        (_FLAT_ALONE, 0.8),
        (_HOUSE_NAME, 0.7),
        (_AFTER_CONTEXT, 0.8),
        (_FROM_NEAR, 0.7),
        (_FLAT_AFTER, 0.8),
        (_BEFORE_POSTCODE, 0.8),
        (_CARE_HOME, 0.8),
        (_MOVED_TO_BUILDING, 0.75),
    )

    def score_match(self, text, match, score):
        if match.re is _ANY_CASE and not context_before(text, match.start(), _CONTEXT, window=30):
            return None
        if match.re in (_NAMED_STREET, _HOUSE_NAME, _CAPITALISED) and _PLACE_AFTER.match(text, match.end()):
            return None
        if match.re in (
            _AFTER_CONTEXT,
            _AFTER_TYPO_CONTEXT,
            _FROM_NEAR,
            _NAMED_BEFORE_POSTCODE,
            _MOVED_TO_BUILDING,
        ) and (not _could_be_a_home(match.group("value"))):
            return None
        if match.re in (_AFTER_CONTEXT, _AFTER_TYPO_CONTEXT) and _a_town(match):
            return None
        return score

    def _results(self, text):
        yield from self._found(text)
        if _cue_typo(text):
            yield from self._found(text, ((_AFTER_TYPO_CONTEXT, 0.75),))
        if _POSTCODE_HINT.search(text):  # most texts have no postcode: skip the slow pattern
            yield from self._found(text, ((_NAMED_BEFORE_POSTCODE, 0.75),))

    def _found(self, text, patterns=None):
        if patterns is not None:
            self.PATTERNS, saved = patterns, self.PATTERNS
            try:
                results = list(super()._results(text))
            finally:
                self.PATTERNS = saved
        else:
            results = super()._results(text)
        for result in results:
            while result.end > result.start and text[result.end - 1] in ".,":
                result.end -= 1
            yield result


@cache
def _cue_typos() -> frozenset[str]:
    """Mistyped cue words ("lievs", "lviing", "colapsed"), minus English words ("lived", "would")."""
    from ..lexicon import get_lexicon

    english = get_lexicon().english
    cues = set(_CUE_WORD.findall(_SURE_CUES))
    return frozenset(
        variant
        for word in cues
        for variant in one_edit(word)
        if variant not in cues and english.get(variant, 0.0) < 3.0
    )


_LOWER_WORD = regex.compile(r"[a-z]{4,}")


def _cue_typo(text: str) -> bool:
    return not _cue_typos().isdisjoint(_LOWER_WORD.findall(text.lower()))
