"""The public API: redact the free-text fields of a record, or of many records in batches.

    result = redact_texts({"description": "...", "actions": "..."}, mapping=previous_mapping)
    result.texts["description"]   # "[PERSON 1] fell ... [PHONE NUMBER 1]"
    result.entities               # types and offsets into the original text, never the values
    result.summary                # {"PERSON": 3, "PHONE_NUMBER": 1}
    result.mapping.to_json()      # store encrypted with the record; pass back in for the next revision

Steps: clean the input (limits, control characters), analyse with the Presidio engine (spaCy run in
batches with ``nlp.pipe``), spread each detected name to its other mentions in the record, drop
detections the clinical allow-list vetoes, resolve overlaps, then number the placeholders in reading
order across the fields.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import regex
from presidio_analyzer import AnalyzerEngine, RecognizerResult

from .allow_list import fold, is_vocabulary_word, protected_spans, words
from .lexicon import get_lexicon
from .placeholders import PlaceholderMapping
from .recognisers.name_model import NAME_LIKE_ENTITY
from .recognisers.person import PersonRecogniser
from .recognisers.person_words import CLOSED_CLASS
from .vocabulary import EnglishWords

MAX_TEXT_LENGTH = 100_000
DEFAULT_BATCH_SIZE = 32
# Detections at or above this score survive a structural (non-explicit) allow-list rule.
STRONG_SCORE = 0.9
# A lower-case dictionary word spreads from a found name only when it is one of some country's 3,000
# commonest names and English seldom uses it (Zipf < 3.5: "shona" 2.7, "fatima" 3.1; not "heather" 3.9).
SPREAD_NAME_RANK = 3_000
SPREAD_WORD_ZIPF = 3.5
# A word the record introduces as someone's nickname ("known to everyone as smudge") is that person
# wherever it comes back, unless English uses it often (Zipf >= 4.5).
NICKNAME_WORD_ZIPF = 4.5
# A name word an e-mail address in the record is made of spreads to its mentions (see _names_in_address)
# unless English uses it this often.
EMAIL_NAME_ZIPF = 5.0
EMAIL_NAME_SCORE = 0.8
MIN_SCORE = 0.4
# When two detections of different types overlap, the more specific one wins.
_PRIORITY = {
    "EMAIL_ADDRESS": 9, "NHS_NUMBER": 8, "NI_NUMBER": 8, "REGISTRATION_NUMBER": 8, "HOSPITAL_NUMBER": 7,
    "DATE_OF_BIRTH": 7, "URL": 6, "PHONE_NUMBER": 6, "ADDRESS": 5, "POSTCODE": 5, "PERSON": 4,
}  # fmt: skip
_KEEP_CONTROLS = {"\n", "\t", "\r"}
_LONG_RUN = regex.compile(r"\S{200,}")
_TAG = regex.compile(r"</?[A-Za-z][^<>]{0,200}>")
# Two or more hyphens typed as a dash ("Mrs O'Sullivan-- wait"): spaCy keeps them on the word.
_TYPED_DASH = regex.compile(r"-{2,}")
_UNSAFE_CHARACTER = regex.compile(r"[\p{Cf}\p{Cs}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = regex.compile(r"\w+(?:['’]\w+)*")


def _without_possessive(word: str) -> str:
    """A ``_WORD`` match without its "'s" ("adebayo's" -> "adebayo"); such a match never ends in an
    apostrophe, so only "'s" and "’s" can come off."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


_SPACES = regex.compile(r"[ \t]+")


class TextTooLongError(ValueError):
    """A field is longer than :data:`MAX_TEXT_LENGTH`; the message is fit to show to the user."""


@dataclass(frozen=True, slots=True)
class EntitySpan:
    field: str
    entity_type: str
    start: int  # offsets into the original (uncleaned) text of ``field``
    end: int
    placeholder: str
    score: float
    rule: str = ""  # which recogniser and rule found it, for the QA screen; never the value


@dataclass
class RedactionResult:
    texts: dict[str, str]
    entities: list[EntitySpan]
    mapping: PlaceholderMapping
    summary: dict[str, int] = field(default_factory=dict)
    # Where the words the learned name look found name-like but left are (name_model.NAME_LIKE): (field,
    # start, end) in the original text, as `entities`. Counted for the residual risk, never shown.
    name_like_left: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def name_like_words(self) -> int:
        return len(self.name_like_left)


# Input hygiene -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    offsets: tuple[int, ...] | None  # original index of each cleaned character, when any were removed

    def original(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        if start == end:
            position = (
                self.offsets[start]
                if start < len(self.offsets)
                else (self.offsets[-1] + 1 if self.offsets else 0)
            )
            return position, position
        return self.offsets[start], self.offsets[end - 1] + 1


def clean_text(text: str, *, field_name: str = "text") -> CleanText:
    """Check the length limit and neutralise characters that hide or reorder text.

    Control characters become spaces (offsets unchanged); zero-width and bidirectional formatting
    characters, which can split a name to dodge detection or reverse how it displays, are removed; lone
    surrogates become U+FFFD. Emoji, right-to-left scripts and markup pass through as ordinary text.
    """
    if not isinstance(text, str):
        raise TypeError(f"{field_name} must be text, not {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise TextTooLongError(
            f"{field_name} is {len(text):,} characters long; the limit is {MAX_TEXT_LENGTH:,} characters."
        )
    if not _UNSAFE_CHARACTER.search(text):
        return CleanText(text, None)
    kept: list[str] = []
    offsets: list[int] = []
    removed = False
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cf":
            removed = True
            continue
        if category == "Cc" and char not in _KEEP_CONTROLS:
            char = " "
        elif category == "Cs":
            char = "\ufffd"
        kept.append(char)
        offsets.append(index)
    return CleanText("".join(kept), tuple(offsets) if removed else None)


def _tokeniser_view(text: str) -> str:
    """The text spaCy sees, the same length as ``text`` so that every offset holds.

    Markup tags become spaces, so that "<b>Mrs Lee</b>" reads as "Mrs Lee"; so do dashes typed as two
    or more hyphens, which the tokeniser would keep on the word ("Mrs O'Sullivan-- wait"). Runs of
    over 200 non-space characters get a space every 100 characters: spaCy's tokeniser is quadratic on
    very long unbroken runs (50,000 emoji take minutes), and such runs cannot be names. The pattern
    recognisers still read the real text.
    """
    if "<" in text:
        text = _TAG.sub(lambda m: " " * len(m.group()), text)
    if "--" in text:
        text = _TYPED_DASH.sub(lambda m: " " * len(m.group()), text)
    if not _LONG_RUN.search(text):
        return text
    chars = list(text)
    for match in _LONG_RUN.finditer(text):
        for position in range(match.start() + 100, match.end(), 100):
            chars[position] = " "
    return "".join(chars)


# The pipeline --------------------------------------------------------------------------------------------
class Pipeline:
    """Presidio analyser plus the record-level steps; build it with ``engine.get_pipeline()``."""

    def __init__(self, analyzer: AnalyzerEngine) -> None:
        self.analyzer = analyzer
        self.nlp_engine = analyzer.nlp_engine
        persons = [r for r in analyzer.registry.recognizers if isinstance(r, PersonRecogniser)]
        self.english = persons[0].english if persons else EnglishWords(())

    def analyse(
        self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[list[RecognizerResult]]:
        """Raw detections for cleaned texts, spaCy running over them as one stream."""
        results = []
        views = [_tokeniser_view(text) for text in texts]
        stream = self.nlp_engine.process_batch(views, language="en", batch_size=batch_size)
        for text, (_, artifacts) in zip(texts, stream, strict=True):
            found = self.analyzer.analyze(
                text, language="en", nlp_artifacts=artifacts, score_threshold=MIN_SCORE
            )
            results.append(found)
        return results

    def redact_records(
        self,
        records: Sequence[Mapping[str, str]],
        mappings: Sequence[PlaceholderMapping | None] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> list[RedactionResult]:
        cleaned = [
            {name: clean_text(text, field_name=name) for name, text in record.items()} for record in records
        ]
        flat = [clean.text for record in cleaned for clean in record.values()]
        analysed = iter(self.analyse(flat, batch_size=batch_size))
        output = []
        for index, record in enumerate(cleaned):
            detections = {name: next(analysed) for name in record}
            mapping = mappings[index] if mappings and mappings[index] is not None else PlaceholderMapping()
            output.append(self._finish(record, detections, mapping.copy()))
        return output

    def _finish(
        self,
        record: dict[str, CleanText],
        detections: dict[str, list[RecognizerResult]],
        mapping: PlaceholderMapping,
    ) -> RedactionResult:
        texts = {name: clean.text for name, clean in record.items()}
        name_like = {
            name: [r for r in found if r.entity_type == NAME_LIKE_ENTITY]
            for name, found in detections.items()
        }
        detections = {
            name: [r for r in found if r.entity_type != NAME_LIKE_ENTITY]
            for name, found in detections.items()
        }
        kept = {name: apply_allow_list(texts[name], found) for name, found in detections.items()}
        for name, found in kept.items():
            found += apply_allow_list(texts[name], names_before_identifiers(texts[name], found))
        for name, spread in self._spread_names(texts, kept).items():
            kept[name] += apply_allow_list(texts[name], spread)
        for name, found in kept.items():
            found += dates_of_birth_near_people(texts[name], found)
            found += registration_after_doctors(texts[name], found)
        entities: list[EntitySpan] = []
        redacted: dict[str, str] = {}
        left_name_like: list[tuple[str, int, int]] = []
        for name, text in texts.items():
            chosen = resolve_overlaps(kept[name], text)
            pieces, position = [], 0
            for result in chosen:
                placeholder = mapping.placeholder(result.entity_type, text[result.start : result.end])
                pieces += [text[position : result.start], placeholder]
                position = result.end
                start, end = record[name].original(result.start, result.end)
                metadata = result.recognition_metadata or {}
                rule = f"{metadata.get('recognizer_name', '')}:{metadata.get('rule', '')}"
                entities.append(
                    EntitySpan(
                        name, result.entity_type, start, end, placeholder, round(result.score, 2), rule
                    )
                )
            redacted[name] = "".join([*pieces, text[position:]])
            left_name_like += [
                (name, *record[name].original(r.start, r.end))
                for r in _left_out(apply_allow_list(text, name_like[name]), chosen)
            ]
        summary = dict(sorted(Counter(e.entity_type for e in entities).items()))
        return RedactionResult(redacted, entities, mapping, summary, name_like_left=left_name_like)

    def _spread_names(
        self, texts: dict[str, str], detections: dict[str, list[RecognizerResult]]
    ) -> dict[str, list[RecognizerResult]]:
        """Once "Dr Oluwaseun Adebayo" is found, "Oluwaseun" alone elsewhere in the record is a name too.

        Returns the new detections per field (the names come from detections the allow-list kept).
        """
        names: dict[str, float] = {}  # each word of a found name -> the surest rule that found it
        nicknames: set[str] = set()  # words introduced as what someone is called ("known as smudge")
        sequences: dict[str, float] = {}  # two or more words of a found name, as written in a row
        mailed: set[str] = set()  # names an e-mail address is made of ("rebecca80@", "myrtle.derby@")
        for name, results in detections.items():
            for result in results:
                if result.entity_type == "PERSON" and result.score >= 0.7:
                    named = (result.recognition_metadata or {}).get("rule") == "naming"
                    parts = [
                        _without_possessive(part)
                        for part in _WORD.findall(fold(texts[name][result.start : result.end]))
                    ]
                    for part in parts:
                        if len(part) > 1 and not is_vocabulary_word(part):
                            names[part] = max(names.get(part, 0.0), result.score)
                            if named:
                                nicknames.add(part)
                    for sequence in _name_sequences(parts):
                        sequences[sequence] = max(sequences.get(sequence, 0.0), result.score)
                elif result.entity_type == "EMAIL_ADDRESS":
                    for part in _names_in_address(texts[name][result.start : result.end]):
                        names[part] = max(names.get(part, 0.0), EMAIL_NAME_SCORE)
                        mailed.add(part)
        spread: dict[str, list[RecognizerResult]] = {name: [] for name in texts}
        if not names:
            return spread
        for name, text in texts.items():
            covered = [(r.start, r.end) for r in detections[name] if _sure_person(r)]
            spread[name] += _spread_sequences(text, sequences, covered)
            for match in _WORD.finditer(fold(text)):
                found = match.group()
                bare = _without_possessive(found)
                source = names.get(bare)
                if source is None:
                    continue
                start, end = match.span()
                end -= len(found) - len(bare)
                if any(s < end and start < e for s, e in covered):
                    continue
                word = text[start:end]
                if (
                    word[0].islower()
                    and self.english.contains(word)
                    and not self._rare_word_name(word)
                    and not (word.lower() in nicknames and _zipf(word) < NICKNAME_WORD_ZIPF)
                    and fold(word) not in mailed
                    and not _mention_as_a_person(text, start, end, word)
                ):
                    continue  # "will", "grace", "smith" in lower case are more often words
                covered.append((start, end))
                # A name a title or a person's verb vouched for ("Agency HCA Shona") stays as sure
                # when it comes back alone ("Shona was new", "w/ shona"), so that a weak keep guess
                # (Shona the language) does not take it back; an explicit keep still does.
                score = STRONG_SCORE if source >= STRONG_SCORE else 0.8
                spread[name].append(
                    RecognizerResult(
                        "PERSON", start, end, score,
                        recognition_metadata={"recognizer_name": "PersonRecogniser", "rule": "spread"},
                    )
                )  # fmt: skip
        return spread

    @staticmethod
    def _rare_word_name(word: str) -> bool:
        """A listed name that English seldom uses as a word ("shona", "fatima"): once the record names
        the person, its lower-case mentions are that person too."""
        folded = fold(word)
        lexicon = get_lexicon()
        ranks = [r for r in (lexicon.given_rank(folded), lexicon.surname_rank(folded)) if r is not None]
        return (
            bool(ranks)
            and min(ranks) <= SPREAD_NAME_RANK
            and lexicon.english.get(folded, 0.0) < SPREAD_WORD_ZIPF
        )


def _names_in_address(address: str) -> Iterator[str]:
    """The name words an e-mail address is made of: "rebecca80@...", "myrtle.derby@...", "j.smith@...".

    People's addresses are built from their names, so a word of the part before "@" that the name lists
    know (and that is no clinical vocabulary nor a very common English word: not "ward", "info", "will")
    names the person wherever the record writes it."""
    local = fold(address.partition("@")[0])
    lexicon = get_lexicon()
    for part in regex.split(r"[^a-z]+", local):
        if len(part) < 3 or is_vocabulary_word(part) or lexicon.english.get(part, 0.0) >= EMAIL_NAME_ZIPF:
            continue
        if lexicon.is_name(part, given=5_000, surname=5_000):
            yield part


def _name_sequences(parts: list[str]) -> Iterator[str]:
    """Runs of two or more words of a found name ("lee long", "ka man" of "wong ka man"), each word of
    two letters or more: a run of a person's name words written again is that person, even when each
    word alone is also English ("lee long (Dr) was bleeped")."""
    for start in range(len(parts) - 1):
        for end in range(start + 2, len(parts) + 1):
            run = parts[start:end]
            if all(len(part) > 1 for part in run) and not all(is_vocabulary_word(part) for part in run):
                yield " ".join(run)


def _spread_sequences(
    text: str, sequences: dict[str, float], covered: list[tuple[int, int]]
) -> list[RecognizerResult]:
    """Other mentions of a found name's word runs, in any case; ``covered`` grows with each."""
    if not sequences:
        return []
    longest: dict[str, int] = {}  # first word of a run -> the most words a run starting with it has
    for sequence in sequences:
        first, _, _ = sequence.partition(" ")
        longest[first] = max(longest.get(first, 0), sequence.count(" ") + 1)
    folded = fold(text)
    words = [(m.start(), m.end(), _without_possessive(m.group())) for m in _WORD.finditer(folded)]
    found = []
    for i, (start, _, word) in enumerate(words):
        most = longest.get(word)
        if most is None:
            continue
        for length in range(min(most, len(words) - i), 1, -1):
            run = words[i : i + length]
            if any(not _SPACES.fullmatch(text, a[1], b[0]) for a, b in itertools.pairwise(run)):
                continue  # the words of a name are separated by spaces only (no line break, no comma)
            source = sequences.get(" ".join(w for _, _, w in run))
            if source is None:
                continue
            end = run[-1][0] + len(run[-1][2])
            if any(s < end and start < e for s, e in covered):
                break
            covered.append((start, end))
            found.append(
                RecognizerResult(
                    "PERSON", start, end, STRONG_SCORE if source >= STRONG_SCORE else 0.8,
                    recognition_metadata={"recognizer_name": "PersonRecogniser", "rule": "spread"},
                )
            )  # fmt: skip
            break
    return found


# Once the record names someone "sue", "royal" or "hazel", a lower-case mention of the word is that person
# again unless the words around it make it the common word: a determiner, a number, a degree word or a
# linking verb before it ("the rose", "3 miles", "had frank blood", "a bill"), a preposition of time
# ("at dawn", "by may"), an object after it ("mark the chart", "will be"). English uses the very
# commonest of these words as words far more often than as names, so those never spread (Zipf >= 5.3:
# "will", "may", "long", "hope").
MENTION_WORD_ZIPF = 5.3
_NOT_BEFORE_A_NAME = words(
    "a an the this that these those his her its their our my your no any some every each another "
    "was is were are be been being am has had have having very so too quite more most less much many few "
    "at in on of until till before after since during per than by around about over under not never also"
)
_NOT_AFTER_A_NAME = words("the a an his her their its my our your it them him be been being of")
_GREETINGS = words("hi hiya hello hey dear thanks cheers morning evening")
_MENTION_CONTEXT = regex.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def _mention_as_a_person(text: str, start: int, end: int, word: str) -> bool:
    """Whether the lower-case ``word`` at ``start:end`` (the word of a name found elsewhere in the
    record) stands where a person's name can, not where the common word does: "sat with miles until",
    "sue moved to", "r/v'd wallace at 2140hrs"; not "a long wait", "frank blood", "will review"."""
    if _zipf(word) >= MENTION_WORD_ZIPF or fold(word) in _GREETINGS:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    before = _MENTION_CONTEXT.findall(text, line_start, start)
    if start > 0 and (text[start - 1] in "-/'’" or text[start - 1].isalnum()):
        return False  # part of a longer token: "day-case", "r/v"
    if before and (fold(before[-1]) in _NOT_BEFORE_A_NAME or before[-1].isdigit()):
        return False
    line_end = text.find("\n", end)
    after = _MENTION_CONTEXT.findall(text, end, len(text) if line_end < 0 else line_end)
    # not "heather-coloured", "mark the chart", "will be"
    return text[end : end + 1] not in {"-", "/"} and not (after and fold(after[0]) in _NOT_AFTER_A_NAME)


def _zipf(word: str) -> float:
    return get_lexicon().english.get(fold(word), 0.0)


# A date straight after a name is that person's date of birth: "Ann Lee (12/03/1945)", "(3rd august 1993)",
# "j smith 12.3.45", "Ann Lee, b. 12-03-1945". Without brackets or "b.", only a date at least two years
# old (an incident date is recent).
_DATE_AFTER_NAME = regex.compile(
    r"['’]?s?\s{0,2}(?P<open>[(\[,:–-]\s{0,2})?(?P<intro>(?:b\.|born|dob|d\.o\.b\.?)\s{0,2}:?\s{0,2})?"
    r"(?P<value>\d{1,2}[/.-]\d{1,2}[/.-](?P<year>\d{4}|\d{2})(?![\w/.-]\d)|\d{1,2}(?:st|nd|rd|th)?\s{1,2}"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?,?\s{1,2}(?P<written>\d{4})(?!\d))",
    regex.IGNORECASE,
)


def dates_of_birth_near_people(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Dates of birth right after a detected person, in numeric or written form ("(14th March 1997)")."""
    import datetime

    this_year = datetime.date.today().year
    found = []
    taken = [(r.start, r.end) for r in results if r.entity_type == "DATE_OF_BIRTH"]
    for result in results:
        if result.entity_type != "PERSON":
            continue
        match = _DATE_AFTER_NAME.match(text, result.end)
        if not match or any(s < match.end("value") and match.start("value") < e for s, e in taken):
            continue
        year = int(match.group("year") or match.group("written"))
        year += 0 if year >= 100 else (1900 if year > this_year % 100 else 2000)
        marked = match.group("intro") or (match.group("open") or "").strip() in {"(", "["}
        if not marked and year > this_year - 2:
            continue
        found.append(
            RecognizerResult(
                "DATE_OF_BIRTH", match.start("value"), match.end("value"), 0.85,
                recognition_metadata={"recognizer_name": "DateOfBirthRecogniser", "rule": "after-name"},
            )
        )  # fmt: skip
    return found


# A patient's identifiers are written straight after the patient's name: "labelled with the details of
# jay field hospital no. H9622584", "heather green (hosp no 8794782)", "MARY O'NEILL, DOB 03/03/1944",
# "Pierce, John RXN-2281094". One to three words before such a number (and the words that introduce it),
# in the same sentence, are that person when each is a name: among some country's 1,000 commonest given
# names or surnames and no very common English word (Zipf < 5.6: not "home", "place"), or a listed name
# English hardly writes (Zipf < 3.0); an initial counts before another name word ("j field"). Not after
# a determiner ("the patient label (...)", "on the rota MRN ..."), not vocabulary.
IDENTIFIERS_AFTER_A_NAME = frozenset({"NHS_NUMBER", "HOSPITAL_NUMBER", "DATE_OF_BIRTH"})
NAME_BEFORE_IDENTIFIER_RANK = 1_000
NAME_BEFORE_IDENTIFIER_ZIPF = 5.6
RARE_NAME_BEFORE_IDENTIFIER_RANK = 5_000
RARE_NAME_BEFORE_IDENTIFIER_ZIPF = 3.0
NAME_BEFORE_IDENTIFIER_SCORE = 0.8
_IDENTIFIER_INTRO = regex.compile(
    r"(?i)(?:[ \t,:;(\[–-]|\b(?:hospital|hosp|unit|nhs|mrn|dob|d\.o\.b|born|b|no|number|num)\b\.?)*$"
)
_NAME_WORD_BEFORE = regex.compile(r"(?:(?<=[\s,(])|^)(?P<word>[^\W\d_](?:[\w'’-]*|\.))(?P<gap>[ \t]*)$")
_LOOK_BACK = 120  # characters: the intro and three words of a name fit in far fewer
_WORD_BEFORE = regex.compile(r"(?P<word>[\w'’]+)[ \t]*$")
_NOT_BEFORE_AN_IDENTIFIED_NAME = words(
    "a an the this that these those his her its their our my your no any some each every wrong same other "
    "another correct right"
)


def _left_out(name_like: list[RecognizerResult], chosen: list[RecognizerResult]) -> list[RecognizerResult]:
    """The name-like words that stay in the text: no redaction covers them."""
    return [r for r in name_like if all(r.end <= c.start or c.end <= r.start for c in chosen)]


def _sure_person(result: RecognizerResult) -> bool:
    """A person found by a rule. A word the learned second look added (``name_model``) is one word,
    not the whole name: the steps that find whole names ("LEE LONG" again, "MARY O'NEILL" before her
    date of birth) look past it, and their longer detection takes it in (``resolve_overlaps``)."""
    return result.entity_type == "PERSON" and (result.recognition_metadata or {}).get("rule") != "learned"


def names_before_identifiers(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """The name a patient identifier follows, when no rule found it (see IDENTIFIERS_AFTER_A_NAME)."""
    people = [(r.start, r.end) for r in results if _sure_person(r)]
    found = []
    for result in results:
        if result.entity_type not in IDENTIFIERS_AFTER_A_NAME:
            continue
        # the searches end at "$" and would try every position of a long line: look back a little
        line_start = max(text.rfind("\n", 0, result.start) + 1, result.start - _LOOK_BACK)
        end = _IDENTIFIER_INTRO.search(text, line_start, result.start).start()
        start, last, comma = None, 0, False
        for _ in range(3):
            match = _NAME_WORD_BEFORE.search(text, line_start, end)
            if match is None:
                break
            word = match.group("word")
            if start is None:
                word = _without_possessive(word)
            initial = (len(word) == 2 and word.endswith(".")) or len(word) == 1
            if initial and start is None:
                break  # an initial alone, or a sentence's end
            if not (initial or _name_before_an_identifier(word)):
                break
            if start is None:
                last = match.start("word") + len(word)
            start = end = match.start("word")
            while end > line_start and text[end - 1] in " \t":
                end -= 1
            if end > line_start and text[end - 1] == "," and not comma:
                end, comma = end - 1, True  # "Pierce, John": one comma, then the surname before it
        if start is None or not any(c.isalpha() and c not in "." for c in text[start:last][2:]):
            continue
        before = _WORD_BEFORE.search(text, line_start, start)
        if before and fold(before.group("word")) in _NOT_BEFORE_AN_IDENTIFIED_NAME:
            continue
        if any(s < last and start < e for s, e in people):
            continue
        people.append((start, last))
        found.append(
            RecognizerResult(
                "PERSON", start, last, NAME_BEFORE_IDENTIFIER_SCORE,
                recognition_metadata={"recognizer_name": "PersonRecogniser", "rule": "before-identifier"},
            )
        )  # fmt: skip
    return found


def _name_before_an_identifier(word: str) -> bool:
    parts = [part for part in regex.split(r"['’-]", fold(word)) if part not in {"o", "d"}]
    return bool(parts) and all(
        _listed_before_an_identifier(part) for part in parts
    )  # "O'NEILL", "stone-parker"


def _listed_before_an_identifier(folded: str) -> bool:
    if len(folded) < 2 or not folded.isalpha() or folded in CLOSED_CLASS or is_vocabulary_word(folded):
        return False
    lexicon = get_lexicon()
    ranks = [r for r in (lexicon.given_rank(folded), lexicon.surname_rank(folded)) if r is not None]
    if not ranks:
        return False
    zipf = lexicon.english.get(folded, 0.0)
    return (min(ranks) <= NAME_BEFORE_IDENTIFIER_RANK and zipf < NAME_BEFORE_IDENTIFIER_ZIPF) or (
        min(ranks) <= RARE_NAME_BEFORE_IDENTIFIER_RANK and zipf < RARE_NAME_BEFORE_IDENTIFIER_ZIPF
    )


# A GMC number is seven digits: written straight after a doctor's name ("Dr BERRY (7102427)", "Dr H
# Williams 6873969") it is the doctor's registration number, with or without the register's name.
_DOCTOR_BEFORE = regex.compile(r"(?i)\bdr\.?\s{1,2}$")
_SEVEN_DIGITS_AFTER = regex.compile(r"\s{0,2}(?P<open>\(\s{0,2})?(?P<value>\d{7})(?![\d/.:-]?\d)")


def registration_after_doctors(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Seven-digit GMC numbers right after a person named with "Dr"."""
    taken = [(r.start, r.end) for r in results if r.entity_type != "PERSON"]
    found = []
    for result in results:
        if result.entity_type != "PERSON" or not _DOCTOR_BEFORE.search(
            text, max(0, result.start - 5), result.start
        ):
            continue
        match = _SEVEN_DIGITS_AFTER.match(text, result.end)
        if not match or any(s < match.end("value") and match.start("value") < e for s, e in taken):
            continue
        found.append(
            RecognizerResult(
                "REGISTRATION_NUMBER", match.start("value"), match.end("value"), 0.8,
                recognition_metadata={"recognizer_name": "RegistrationRecogniser", "rule": "after-doctor"},
            )
        )  # fmt: skip
    return found


def apply_allow_list(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Drop (or trim) person detections that are clinical vocabulary: eponyms, drugs, wards, job titles."""
    if not any(r.entity_type == "PERSON" for r in results):
        return results
    windows = [
        (max(0, r.start - 60), min(len(text), r.end + 60)) for r in results if r.entity_type == "PERSON"
    ]
    protected = protected_spans(text, _merge_windows(windows))
    protected = [
        p for p in protected if not _listed_with_a_person(text, p, _people_besides(results, protected, p))
    ]
    kept = []
    for result in results:
        if result.entity_type != "PERSON":
            kept.append(result)
            continue
        vetoes = [
            p
            for p in protected
            if p.start < result.end and result.start < p.end and (p.explicit or result.score < STRONG_SCORE)
        ]
        kept.extend(_trim(text, result, vetoes))
    return kept


# A name-like drug or language ("ANGELICA", "Shona") listed with a person: "RN: ANGELICA, CRISTINA, JOSH",
# "DN Vicky + Shona". Only a weak keep guess (a word that is also a common name) gives way.
_LIST_AFTER = regex.compile(r"\s*(?:,|\+|&|\band\b)\s*")
_LIST_BEFORE = regex.compile(r"(?:,|\+|&|\band\b)\s*$")
_LISTED_KINDS = frozenset({"drug", "language"})


def _people_besides(results: list[RecognizerResult], protected: list, spared) -> list[tuple[int, int]]:
    """Person detections that no keep guess other than ``spared`` overlaps."""
    if spared.explicit or spared.kind not in _LISTED_KINDS:
        return []
    return [
        (r.start, r.end)
        for r in results
        if r.entity_type == "PERSON"
        and not any(q is not spared and q.start < r.end and r.start < q.end for q in protected)
    ]


def _listed_with_a_person(text: str, protected, people: list[tuple[int, int]]) -> bool:
    if protected.explicit or protected.kind not in _LISTED_KINDS:
        return False
    if " " in text[protected.start : protected.end]:
        return False
    after = _LIST_AFTER.match(text, protected.end)
    if after is not None and after.end() > protected.end:
        j = after.end()
        if any(s <= j < e for s, e in people) and j < len(text) and text[j].isalpha():
            return True
    before = _LIST_BEFORE.search(text, max(0, protected.start - 6), protected.start)
    if before is not None:
        k = before.start() - 1
        while k >= 0 and text[k] == " ":
            k -= 1
        return k >= 0 and text[k].isalpha() and any(s <= k < e for s, e in people)
    return False


def _merge_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _trim(text: str, result: RecognizerResult, vetoes: list) -> Iterator[RecognizerResult]:
    if not vetoes:
        yield result
        return
    position = result.start
    for veto in sorted(vetoes, key=lambda v: v.start):
        yield from _piece(text, result, position, min(veto.start, result.end))
        position = max(position, veto.end)
    yield from _piece(text, result, position, result.end)


def _piece(text: str, result: RecognizerResult, start: int, end: int) -> Iterator[RecognizerResult]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if end - start > 1 and any(c.isalpha() for c in text[start:end]):
        yield RecognizerResult(
            result.entity_type, start, end, result.score, recognition_metadata=result.recognition_metadata
        )


def resolve_overlaps(results: Iterable[RecognizerResult], text: str | None = None) -> list[RecognizerResult]:
    """Non-overlapping detections in text order.

    Overlapping detections of one type merge into their union; across types the more specific type wins
    (an email address over the URL inside it), then the higher score, then the longer span. Given the
    ``text``, what a losing detection holds outside the winner stays a detection of its own.
    """
    merged: list[RecognizerResult] = []
    for result in sorted(results, key=lambda r: (r.entity_type, r.start, -r.end)):
        last = merged[-1] if merged else None
        if last and last.entity_type == result.entity_type and result.start < last.end:
            last.end = max(last.end, result.end)
            last.score = max(last.score, result.score)
        else:
            merged.append(
                RecognizerResult(
                    result.entity_type,
                    result.start,
                    result.end,
                    result.score,
                    recognition_metadata=result.recognition_metadata,
                )
            )
    ranked = sorted(
        merged, key=lambda r: (_PRIORITY.get(r.entity_type, 0), r.score, r.end - r.start), reverse=True
    )
    chosen: list[RecognizerResult] = []
    for result in ranked:
        if all(result.end <= c.start or c.end <= result.start for c in chosen):
            chosen.append(result)
        elif text is not None and result.entity_type == "PERSON":
            # What the winner does not cover of a name stays redacted: "Mr Yang rhw 0974323" keeps "Yang"
            # when the hospital number takes "rhw 0974323"; "…, Harrow Ms Ryan had" keeps "Ryan".
            chosen.extend(_uncovered_pieces(text, result, chosen))
    return sorted(chosen, key=lambda r: r.start)


_LEADING_HONORIFIC = regex.compile(r"(?i)(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+")


def _uncovered_pieces(
    text: str, result: RecognizerResult, chosen: list[RecognizerResult]
) -> list[RecognizerResult]:
    pieces, position = [], result.start
    for other in sorted(
        (c for c in chosen if c.start < result.end and result.start < c.end), key=lambda c: c.start
    ):
        if other.start > position:
            pieces.append((position, other.start))
        position = max(position, other.end)
    if position < result.end:
        pieces.append((position, result.end))
    found = []
    for start, end in pieces:
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if result.entity_type == "PERSON" and (title := _LEADING_HONORIFIC.match(text, start, end)):
            start = title.end()
        if end - start < 2 or (
            result.entity_type == "PERSON" and not any(c.isalpha() for c in text[start:end])
        ):
            continue
        found.append(
            RecognizerResult(
                result.entity_type, start, end, result.score, recognition_metadata=result.recognition_metadata
            )
        )
    return found


# Module-level conveniences -----------------------------------------------------------------------------
def redact_texts(
    texts: Mapping[str, str], mapping: PlaceholderMapping | None = None, *, pipeline: Pipeline | None = None
) -> RedactionResult:
    """Redact every free-text field of one record, numbering placeholders consistently across them.

    Pass the mapping returned for the previous revision to keep the numbers stable. Raises
    :class:`TextTooLongError` (a ``ValueError``) for a field over :data:`MAX_TEXT_LENGTH` characters.
    """
    from .engine import get_pipeline

    return (pipeline or get_pipeline()).redact_records([texts], [mapping])[0]


def redact_many(
    records: Iterable[Mapping[str, str]],
    mappings: Iterable[PlaceholderMapping | None] | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: int = 256,
    pipeline: Pipeline | None = None,
) -> Iterator[RedactionResult]:
    """Redact many records, streaming: spaCy sees ``chunk_size`` records at a time through ``nlp.pipe``.

    Results come back in input order. A field over the length limit raises :class:`TextTooLongError`
    (check fields with :func:`clean_text` first to skip such records instead, as ``anonymise`` does).
    """
    from .engine import get_pipeline

    active = pipeline or get_pipeline()
    mapping_iter = iter(mappings) if mappings is not None else None
    chunk: list[Mapping[str, str]] = []
    chunk_mappings: list[PlaceholderMapping | None] = []
    for record in records:
        chunk.append(record)
        chunk_mappings.append(next(mapping_iter, None) if mapping_iter else None)
        if len(chunk) >= chunk_size:
            yield from active.redact_records(chunk, chunk_mappings, batch_size=batch_size)
            chunk, chunk_mappings = [], []
    if chunk:
        yield from active.redact_records(chunk, chunk_mappings, batch_size=batch_size)
