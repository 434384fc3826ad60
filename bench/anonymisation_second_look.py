"""A learned second look for person names, judged by leave-one-writer-out transfer (issue 14, ADR 0012).

    .venv/bin/python bench/anonymisation_second_look.py [--rebuild]

Runs the current pipeline once over each independent tuning set (each written by a different writer:
dev, dev2, dev3, dev4, dev5; never the held-out file), then builds one feature row for every word the
pipeline left alone. The features describe how names are written, not which names: case shape and the
text's case style, name-list ranks and English word frequency, keep vocabulary membership, spaCy's
entity / part-of-speech / dependency labels and the head verb's class, the classes of the neighbouring
words (title, role, "by/to/with", determiner, punctuation, line edges, a redacted or name-list
neighbour), and whether the same word is redacted elsewhere in the text. The label is whether the word
lies inside a labelled PERSON span.

For each writer W a logistic regression (numpy, L2, full-batch Newton) is trained on the other writers'
words; its threshold is chosen on the training writers only, from out-of-writer probabilities (a
nested leave-one-writer-out inside the training writers): the lowest threshold at which the words the
second look would add cost the pooled training writers at most 0.2 points of span precision and add no
more than 0.1 points of redacted keep spans. Words at or above the threshold become PERSON spans
(adjacent words merged; a name-list neighbour of the same case shape joins them, as the pipeline's name
extent does) and are added to the pipeline's predictions for W, which are then scored as
``evaluation.score`` does. The table compares W's figures with and without the second look.

Pipeline outputs and features are cached in the temporary directory (``--rebuild`` to redo them).
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INDEPENDENT = ROOT / "fixtures" / "anonymisation" / "independent"
WRITERS = {
    "dev": INDEPENDENT / "dev.jsonl",
    "dev2": INDEPENDENT / "dev2.jsonl",
    "dev3": INDEPENDENT / "dev3" / "dev3.jsonl",
    "dev4": INDEPENDENT / "dev4" / "dev4.jsonl",
    "dev5": INDEPENDENT / "dev5" / "dev5.jsonl",
}
CACHE = Path(tempfile.gettempdir()) / "anonymisation_second_look{}.pickle".format(
    "_plain" if "--plain" in sys.argv else ""
)
PRECISION_LOSS = 0.002
KEEP_GAIN = 0.001
INTERACTIONS = "--plain" not in sys.argv  # the first variant had no interaction features
GRID = [round(0.30 + 0.01 * i, 2) for i in range(70)]

TITLES = {"mr", "mrs", "ms", "miss", "dr", "doctor", "sister", "nurse", "matron", "prof", "mx", "sr"}
LINK_WORDS = {"by", "to", "with", "from", "and", "&", "+", "informed", "told", "asked", "called", "rang"}
DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "our", "my", "your", "its", "no"}


def load_writer(path: Path, pipeline, nlp):
    from anonymisation.pipeline.evaluation import load_examples, predict

    examples = load_examples(path)
    predictions = predict(examples, pipeline)
    docs = list(nlp.pipe([e.text for e in examples], batch_size=32))
    return examples, predictions, docs


class Featuriser:
    def __init__(self) -> None:
        from anonymisation.pipeline import allow_list, keep_vocabulary
        from anonymisation.pipeline.lexicon import get_lexicon
        from anonymisation.pipeline.recognisers import name_rules, person_words

        self.lexicon = get_lexicon()
        self.fold = allow_list.fold
        self.drugs = allow_list.DRUG_NAMES
        self.eponyms = allow_list.EPONYM_WORDS
        self.jobs = set(allow_list.JOB_TITLES)
        for phrase in keep_vocabulary.JOB_TITLES_MORE:
            self.jobs.update(self.fold(phrase).split())
        self.non_person = allow_list.NON_PERSON_WORDS
        self.kept_words = set()
        for block in (
            keep_vocabulary.LANGUAGES,
            keep_vocabulary.FAITHS_AND_FESTIVALS,
            keep_vocabulary.CHARITIES_AND_SERVICES,
            keep_vocabulary.CLINICAL_SYSTEMS,
            keep_vocabulary.DEVICE_BRANDS,
            keep_vocabulary.DRUG_BRANDS_UK,
        ):
            for phrase in block:
                self.kept_words.update(self.fold(phrase).split())
        self.agent_verbs = name_rules.AGENT_ONLY_VERBS | person_words.HUMAN_VERBS
        self.speech_verbs = person_words.SPEECH_VERBS
        self.interactions = INTERACTIONS

    def folded(self, word: str) -> str:
        return self.fold(word).replace("’", "'").removesuffix("'s").removesuffix("'")

    def name_listed(self, folded: str) -> bool:
        g, s = self.lexicon.given_rank(folded), self.lexicon.surname_rank(folded)
        return (g is not None and g <= 5000) or (s is not None and s <= 5000)

    def joins_a_name(self, word: str) -> bool:
        """A neighbour the whole-name rule may add: a name-list word English seldom writes."""
        f = self.folded(word)
        return word[:1].isalpha() and self.name_listed(f) and self.lexicon.english.get(f, 0.0) < 4.5

    def rows(self, example, predicted, doc):
        """Feature rows for the words no prediction touches: (rows, labels, token char ranges)."""
        text = example.text
        covered = np.zeros(len(text) + 1, dtype=bool)
        for p in predicted:
            covered[p.start : p.end] = True
        gold = np.zeros(len(text) + 1, dtype=bool)
        for s in example.spans:
            if s.type == "PERSON":
                gold[s.start : s.end] = True
        letters = [c for c in text if c.isalpha()]
        upper_share = sum(c.isupper() for c in letters) / max(1, len(letters))
        words = [t for t in doc if t.is_alpha]
        title_share = sum(t.text[0].isupper() for t in words) / max(1, len(words))
        redacted_words = {self.folded(t.text) for t in doc if t.is_alpha and covered[t.idx]}
        counts: dict[str, int] = {}
        capital_mid: set[str] = set()
        for k, t in enumerate(doc):
            if t.is_alpha:
                folded = self.folded(t.text)
                counts[folded] = counts.get(folded, 0) + 1
                if (
                    k
                    and t.text[0].isupper()
                    and doc[k - 1].text not in {".", "!", "?"}
                    and "\n" not in doc[k - 1].text_with_ws
                ):
                    capital_mid.add(folded)
        tokens = list(doc)
        out, labels, ranges = [], [], []
        for i, t in enumerate(tokens):
            word = t.text
            if not word[:1].isalpha() or covered[t.idx : t.idx + len(word)].any():
                continue
            f = self.folded(word)
            if not f:
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            features = self.word_features(word, f)
            features += [
                upper_share > 0.6,
                title_share < 0.05,
                t.ent_type_ == "PERSON",
                t.ent_type_ in {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT"},
                t.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY"},
                t.tag_ in {"NNP", "NNPS"},
                t.tag_ in {"NN", "NNS"},
                t.tag_.startswith("VB") or t.tag_ == "MD",
                t.tag_.startswith("JJ"),
                t.tag_.startswith("RB"),
                nxt is not None and self.folded(nxt.text) in self.agent_verbs,
                nxt is not None and self.folded(nxt.text) in self.speech_verbs,
                nxt is not None and nxt.tag_ == "VBD",
                nxt is not None and nxt.tag_ == "MD",
                prev is not None and self.folded(prev.text) in self.speech_verbs | self.agent_verbs,
                prev is None or prev.text in {".", "!", "?"} or "\n" in prev.text_with_ws,
                f in redacted_words,
            ]
            features += self.neighbour(prev, covered, before=True)
            features += self.neighbour(nxt, covered, before=False)
            if self.interactions:
                features += self.interaction_features(word, f, t, prev, nxt, title_share, counts, capital_mid)
            features += [
                prev is None or "\n" in prev.text_with_ws,
                nxt is None or "\n" in t.text_with_ws or nxt.text.startswith("\n"),
            ]
            out.append(features)
            labels.append(bool(gold[t.idx : t.idx + len(word)].any()))
            ranges.append((t.idx, t.idx + len(word), i))
        return out, labels, ranges

    def interaction_features(self, word, f, t, prev, nxt, title_share, counts, capital_mid) -> list[bool]:
        """Second variant: a name-list word crossed with the cues around it, and the word's case surprise."""
        given = (self.lexicon.given_rank(f) or 10**6) <= 5000
        listed = given or self.name_listed(f)
        start = prev is None or prev.text in {".", "!", "?"} or "\n" in prev.text_with_ws
        capital = word[0].isupper()
        nf = self.folded(nxt.text) if nxt is not None else ""
        pf = self.folded(prev.text) if prev is not None else ""
        return [
            capital and not start,
            capital and not start and title_share < 0.15,
            counts.get(f, 0) >= 2,
            f in capital_mid and title_share < 0.3,
            given and nf in self.agent_verbs | self.speech_verbs,
            given and nxt is not None and nxt.tag_ in {"VBD", "MD", "VBZ"},
            given and start,
            listed and pf in LINK_WORDS,
            listed and pf in TITLES,
            listed and nxt is not None and nxt.text[:1].isalpha() and self.name_listed(nf),
            listed and prev is not None and prev.text[:1].isalpha() and self.name_listed(pf),
            listed and t.tag_ in {"NNP", "NNPS"},
            listed and nxt is not None and nxt.text in {",", ":", "-", "(", ")"},
        ]

    def word_features(self, word: str, f: str) -> list[float]:
        g, s = self.lexicon.given_rank(f), self.lexicon.surname_rank(f)
        zipf = self.lexicon.english.get(f, 0.0)
        title = word[0].isupper() and not word.isupper()
        upper = word.isupper() and len(word) > 1
        lower = word.islower()
        listed = (g is not None and g <= 5000) or (s is not None and s <= 5000)
        return [
            title,
            upper,
            lower,
            len(word) <= 2,
            g is not None and g <= 200,
            g is not None and g <= 1000,
            g is not None and g <= 5000,
            s is not None and s <= 200,
            s is not None and s <= 1000,
            s is not None and s <= 5000,
            1 - math.log10(min(g or 100000, s or 100000)) / 5,
            zipf / 7,
            zipf < 2.5,
            zipf < 3.5,
            zipf < 4.5,
            zipf >= 5.5,
            listed and zipf < 3.5,
            listed and title,
            listed and lower,
            f in self.drugs or self.lexicon.is_drug(f),
            f in self.eponyms,
            f in self.jobs,
            f in self.non_person,
            f in self.kept_words,
            f in TITLES,
        ]

    def neighbour(self, token, covered, *, before: bool) -> list[bool]:
        if token is None:
            return [False] * 11
        word = token.text
        f = self.folded(word)
        return [
            f in TITLES,
            f in self.jobs,
            f in LINK_WORDS,
            f in DETERMINERS,
            token.is_punct and word not in {":", "-", "–"},
            word == ":",
            word in {"-", "–"},
            bool(covered[token.idx : token.idx + len(word)].any()),
            word[:1].isalpha() and self.name_listed(f),
            token.tag_.startswith("VB") or token.tag_ == "MD",
            token.tag_ == "IN" and f not in LINK_WORDS,
        ]


def build(rebuild: bool):
    if CACHE.exists() and not rebuild:
        return pickle.loads(CACHE.read_bytes())  # noqa: S301 - our own cache, written below
    from anonymisation.pipeline import get_pipeline
    from anonymisation.pipeline.engine import get_nlp

    pipeline, nlp = get_pipeline(), get_nlp()
    featuriser = Featuriser()
    data = {}
    for name, path in WRITERS.items():
        examples, predictions, docs = load_writer(path, pipeline, nlp)
        per_text = []
        for example, predicted, doc in zip(examples, predictions, docs, strict=True):
            rows, labels, ranges = featuriser.rows(example, predicted, doc)
            shapes = [(t.text, featuriser.joins_a_name(t.text)) for t in doc]
            per_text.append((rows, labels, ranges, shapes))
        data[name] = (examples, predictions, per_text)
        print(
            f"{name}: {len(examples)} texts, {sum(len(p[0]) for p in per_text)} words left alone", flush=True
        )
    CACHE.write_bytes(pickle.dumps(data))
    return data


def matrix(data, names):
    rows = [r for n in names for text in data[n][2] for r in text[0]]
    labels = [y for n in names for text in data[n][2] for y in text[1]]
    return np.asarray(rows, dtype=float), np.asarray(labels, dtype=float)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Logistic regression by Newton's method; the last weight is the bias."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -30, 30)))
        gradient = x1.T @ (p - y) + penalty * w
        hessian = (x1 * (p * (1 - p))[:, None]).T @ x1 + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def probabilities(w: np.ndarray, rows) -> np.ndarray:
    if not rows:
        return np.zeros(0)
    x = np.asarray(rows, dtype=float)
    return 1 / (1 + np.exp(-np.clip(x @ w[:-1] + w[-1], -30, 30)))


def added_spans(ranges, shapes, chosen):
    """PERSON spans from the chosen words: adjacent chosen words merge; a name-list neighbour of the
    same case shape that English seldom writes joins them (the whole-name rule)."""
    from anonymisation.pipeline.evaluation import Span

    left_alone = {r[2]: r for r in ranges}
    picked = {ranges[k][2] for k in chosen}
    for index in list(picked):
        shape = _case(shapes[index][0])
        for step in (-1, 1):
            j = index + step
            while j in left_alone and shapes[j][1] and _case(shapes[j][0]) == shape and j not in picked:
                picked.add(j)
                j += step
    spans, run = [], []
    for index in sorted(picked):
        if run and index != run[-1] + 1:
            spans.append(Span("PERSON", left_alone[run[0]][0], left_alone[run[-1]][1]))
            run = []
        run.append(index)
    if run:
        spans.append(Span("PERSON", left_alone[run[0]][0], left_alone[run[-1]][1]))
    return spans


def _case(word: str) -> str:
    return "upper" if word.isupper() and len(word) > 1 else "lower" if word.islower() else "title"


def score_with(data, name, w, threshold):
    from anonymisation.pipeline.evaluation import score

    examples, predictions, per_text = data[name]
    merged = []
    for predicted, (rows, _labels, ranges, shapes) in zip(predictions, per_text, strict=True):
        if w is None or not rows:
            merged.append(list(predicted))
            continue
        p = probabilities(w, rows)
        chosen = [k for k in range(len(rows)) if p[k] >= threshold]
        merged.append([*predicted, *added_spans(ranges, shapes, chosen)])
    return score(examples, merged)


def figures(report):
    english = [o for o in report.origin_total if o.lower().startswith("english")]
    found = sum(report.origin_found.get(o, 0) for o in english)
    total = sum(report.origin_total.get(o, 0) for o in english)
    overall, person = report.overall, report.counts["PERSON"]
    extra = overall.predicted - overall.correct
    return {
        "person": (person.found, person.labelled),
        "english": (found, total),
        "precision": (overall.correct, overall.predicted),
        "keep": (report.keep_redacted, report.keep_total),
        "extra": extra,
        "whole": report.whole_name_coverage,
    }


def pooled(data, names, models, threshold):
    """Pooled precision and keep rate over ``names``, each scored with its own (out-of-writer) model."""
    correct = predicted = keep = keep_total = 0
    for name in names:
        f = figures(score_with(data, name, models[name], threshold))
        correct += f["precision"][0]
        predicted += f["precision"][1]
        keep += f["keep"][0]
        keep_total += f["keep"][1]
    return correct / predicted, keep / keep_total


def choose_threshold(data, training, precision_loss=PRECISION_LOSS):
    """The lowest threshold whose additions, judged out-of-writer inside ``training``, cost at most
    PRECISION_LOSS of pooled span precision and KEEP_GAIN of redacted keeps."""
    inner = {}
    for name in training:
        others = [n for n in training if n != name]
        inner[name] = fit(*matrix(data, others))
    base_precision, base_keep = pooled(data, training, dict.fromkeys(training), 1.0)
    chosen = 1.0
    for threshold in reversed(GRID):
        precision, keep = pooled(data, training, inner, threshold)
        if base_precision - precision > precision_loss or keep - base_keep > KEEP_GAIN:
            break
        chosen = threshold
    return chosen


def ratio(pair) -> str:
    a, b = pair
    return f"{a / b:.4f} ({a}/{b})" if b else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="run the pipeline again")
    parser.add_argument("--plain", action="store_true", help="first variant: no interaction features")
    parser.add_argument("--writers", nargs="*", default=list(WRITERS))
    parser.add_argument("--precision-loss", type=float, default=PRECISION_LOSS, help="budget on training")
    args = parser.parse_args()
    data = build(args.rebuild)
    writers = [w for w in args.writers if w in data]
    print(
        "| held-out writer | threshold | person recall | English recall | span precision | whole names "
        "| keeps | extra |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for held in writers:
        training = [w for w in writers if w != held]
        threshold = choose_threshold(data, training, args.precision_loss)
        w = fit(*matrix(data, training))
        before = figures(score_with(data, held, None, 1.0))
        after = figures(score_with(data, held, w, threshold))
        print(
            f"| {held} | {threshold:.2f} "
            f"| {ratio(before['person'])} → {ratio(after['person'])} "
            f"| {ratio(before['english'])} → {ratio(after['english'])} "
            f"| {ratio(before['precision'])} → {ratio(after['precision'])} "
            f"| {before['whole']:.4f} → {after['whole']:.4f} "
            f"| {before['keep'][0]} → {after['keep'][0]} | {before['extra']} → {after['extra']} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
