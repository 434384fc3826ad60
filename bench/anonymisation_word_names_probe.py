"""A probe for issue 14's English-origin gap: the dev set with its English names swapped for words.

    .venv/bin/python bench/anonymisation_word_names_probe.py OUT.jsonl [--pool broad|four|unseen] [--seed N]

``fixtures/anonymisation/independent/dev.jsonl`` comes from the same generator (sentence templates) as the
held-out set, but the two sets' name pools are split, and the dev set's English names are mostly no
English words; the held-out misses are given names that are (Rose, Grace, Will, Hope). This writes the
dev set with every English-origin PERSON span's words replaced, consistently across the file, by given
names and surnames that are everyday English words, keeping each word's case and every other label's
offsets. It measures how the held-out generator's sentence shapes fare with word names without reading
the held-out set. It is not independent: the pools below are ours ("broad" and "four" were read while
writing the eighth round's rules; "unseen" was not, and serves as the leave-out check). See
docs/adr/0012, "Eighth round".
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "fixtures" / "anonymisation" / "independent" / "dev.jsonl"
POOLS = {
    "broad": (
        """
        rose grace will hope mark frank dawn holly ivy hazel robin jack bill pat joy faith
        may june summer amber crystal penny ruby pearl daisy lily violet heather iris jade
        sue ray art miles chase hunter river sky april honor patience melody sunny dean
        drew gene guy jean olive poppy rich jay bob carol sandy rusty lance
        """,
        """
        baker smith white green brown wood hall hill field church long short young king
        bird fox marsh lamb cook hunt bell price mason potter fisher gold stone brook
        frost snow swan moss lane page reed wells best good sharp wise day knight bishop
        rice bush cross hart holland rich sparrow forest marsh clay dove fish head house
        love mills nash north park pond rose shepherd south summers wall west wing
        """,
    ),
    "four": ("rose grace will hope", None),
    "unseen": (
        """
        autumn blossom clay cliff dale forrest glen heath lark merry noble pepper rain
        sage skye sterling storm willow wren ginger honey opal coral jasmine hazel
        """,
        """
        archer bolt butcher cole crane drake flint fowler glass gray hawk hay lake parrot
        pike porter reeve rook ryder salt shaw steel thorn tower turner weaver wolf
        """,
    ),
}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sister"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pool", choices=sorted(POOLS), default="broad")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from anonymisation.pipeline.lexicon import get_lexicon

    lexicon = get_lexicon()
    given_pool, surname_pool = POOLS[args.pool]
    given_words = given_pool.split()
    surname_words = (surname_pool or POOLS["broad"][1]).split()
    rng = random.Random(args.seed)
    given_map: dict[str, str] = {}
    surname_map: dict[str, str] = {}

    def replace(word: str) -> str:
        folded = word.lower()
        if len(folded) <= 2 or folded in HONORIFICS or not folded.isalpha():
            return word
        given, surname = lexicon.given_rank(folded), lexicon.surname_rank(folded)
        is_given = (given or 10**9) <= (surname or 10**9)
        table, pool = (given_map, given_words) if is_given else (surname_map, surname_words)
        if folded not in table:
            table[folded] = rng.choice(pool)
        new = table[folded]
        return new.upper() if word.isupper() else new.capitalize() if word[0].isupper() else new

    with DEV.open(encoding="utf-8") as source, args.out.open("w", encoding="utf-8") as out:
        for line in source:
            record = json.loads(line)
            text = record["text"]
            items = sorted(record["spans"] + record["keep"], key=lambda item: item["start"])
            pieces, position, shift = [], 0, 0
            for item in items:
                start, end = item["start"], item["end"]
                value = text[start:end]
                if item in record["spans"] and item["type"] == "PERSON" and item.get("origin") == "english":
                    value = re.sub(r"[A-Za-z]+", lambda m: replace(m.group()), value)
                pieces += [text[position:start], value]
                item["start"], item["end"], item["value"] = start + shift, start + shift + len(value), value
                shift += len(value) - (end - start)
                position = end
            pieces.append(text[position:])
            record["text"] = "".join(pieces)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
