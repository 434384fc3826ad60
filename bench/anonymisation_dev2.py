"""Write ``fixtures/anonymisation/independent/dev2.jsonl``: a small second tuning set (issue 14).

The first dev set is saturated (span recall 0.996 after the third round), so this set was written by
hand by the engineer tuning the rules, ONLY from the classes of misses that issue 14 and the held-out
report name (never from the held-out texts, which were not opened): given names that are everyday
words, with and without a cue or an earlier full mention; nicknames repeated in lower case; Vietnamese
and other East-Asian family-name-first names in lower case and capitals; place names that must stay.
It is a tuning set like ``dev.jsonl``, written by the same person as the rules, so it says whether a
rule does what it was written for, not how well the pipeline generalises (the held-out set does that).

Markup: ``[[origin|Name Here]]`` is a person span, ``{{TYPE|words}}`` a span that must stay.

    .venv/bin/python bench/anonymisation_dev2.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "anonymisation" / "independent" / "dev2.jsonl"
_MARK = re.compile(
    r"\[\[(?P<origin>[a-z]+)\|(?P<person>[^\]]+)\]\]|\{\{(?P<keep>[A-Z]+)\|(?P<kept>[^}]+)\}\}"
)

TEXTS = [
    # given names that are everyday words, after a full mention
    "[[english|Rose Atkins]] was found on the floor by bed 4. [[english|Rose]] said she had tried to walk "
    "to the toilet alone.",
    "pt [[english|grace holt]] fell in bay 2 at 0300. [[english|grace]] was checked by the night team and "
    "obs were stable.",
    "[[english|Will Carver]] (HCA) noticed the pump alarming. [[english|Will]] escalated to the nurse in "
    "charge.",
    "[[english|HOPE MILLER]] WAS GIVEN THE WRONG DOSE OF {{DRUG|ENOXAPARIN}}. [[english|HOPE]] WAS TOLD AND "
    "APOLOGISED TO.",
    "daughter [[english|faith]] phoned the ward. [[english|faith]] was upset that nobody had called her.",
    "[[english|Holly Brennan]] was discharged without her {{DRUG|warfarin}}. [[english|Holly]] was "
    "readmitted two days later.",
    "staff nurse [[english|dawn price]] gave the insulin late. [[english|dawn]] completed a reflection.",
    "[[english|Mark Lowe]] and [[english|Summer Webb]] were on shift. [[english|Summer]] did the second "
    "check and [[english|Mark]] signed the chart.",
    "[[english|Ivy Chambers]], 84, was moved to {{PLACE|Harrogate}} without her notes. [[english|Ivy]] was "
    "confused on arrival.",
    "[[english|jack sutton]] was left on a trolley for 14 hours. [[english|jack]] had a pressure ulcer "
    "by the morning.",
    "Physio [[english|Robin Hale]] saw the patient. [[english|Robin]] felt the transfer was unsafe.",
    "[[english|Daisy Fenwick]] had a fall at home in {{PLACE|Wigan}}. [[english|Daisy]] waited four hours "
    "for the crew.",
    "[[english|POPPY]] AND [[english|AMBER]] WERE ON THE WARD WHEN THE ALARM WENT OFF.",
    "[[english|Joy]] said the call bell was out of reach. [[english|Joy Hammond]] is 91.",
    "midwife [[english|pearl okafor]] was not told about the {{DRUG|labetalol}}. [[english|pearl]] raised "
    "it at handover.",
    "[[english|Violet]] and [[english|Hazel]] were in the bay when the patient slipped.",
    "The patient was seen by [[english|Scarlett Boyd]]. [[english|Scarlett]] documented the wound and "
    "referred to tissue viability.",
    # nicknames repeated in lower case
    "[[english|Darren Platt]], known to everyone as [[english|smudge]], gave the wrong tablets. "
    "[[english|smudge]] realised at the next round.",
    "porter [[english|Gareth Evans]] (aka [[welsh|taff]]) moved the bed. [[welsh|taff]] did not check "
    "the brakes.",
    "[[english|Rebecca Shaw]] who goes by [[english|bex]] was the nurse in charge. [[english|bex]] "
    "escalated to the site manager.",
    "HCA [[english|Jonathan Reid]] known as [[english|jonno]] on the ward found the patient. "
    "[[english|jonno]] pressed the buzzer.",
    # Vietnamese and East-Asian family-name-first names
    "Pt [[vietnamese|nguyen thi hoa]] fell in the bay. [[vietnamese|hoa]] had not been given her frame.",
    "[[vietnamese|TRAN VAN LONG]] WAS FOUND ON THE FLOOR BY STAFF. [[vietnamese|LONG]] HAD A HEAD INJURY.",
    "Handover to [[vietnamese|Pham Minh Duc]] did not mention the allergy. [[vietnamese|Duc]] gave "
    "{{DRUG|co-amoxiclav}} at 10:00.",
    "staff nurse [[vietnamese|le thi mai]] and hca [[vietnamese|bui thi lan]] turned the patient.",
    "[[vietnamese|Hoang Thu Trang]] (FY1) prescribed the wrong dose; [[vietnamese|Trang]] was supported "
    "by the registrar.",
    "Mr [[vietnamese|Dang Van Nam]] was transferred to {{PLACE|Royal Derby}}. [[vietnamese|Nam]]'s son "
    "was not told.",
    "[[vietnamese|VU DUC ANH]] (PT) PULLED OUT HIS CANNULA. NURSE [[vietnamese|DO QUANG HUY]] INFORMED.",
    "[[chinese|wong ka man]] was given the wrong meal. [[chinese|ka man]] has a nut allergy.",
    "Seen by Dr [[korean|Park Ji-hoon]] at 11:00. [[korean|Ji-hoon]] documented a plan.",
    "[[vietnamese|ngo thanh tam]] was found wandering near the lifts. [[vietnamese|tam]] was returned "
    "to the ward.",
    # places that must stay
    "Patient transferred from {{PLACE|Airedale}} to {{PLACE|Pinderfields}} with no handover.",
    "Ambulance diverted to {{PLACE|Frimley Park}} because of a queue at {{PLACE|Reading}}.",
    "Handover from {{PLACE|Calderdale}} said the patient was independent; on arrival she needed two staff.",
    "Referral to {{PLACE|Queen Elizabeth}} was delayed by three days.",
    "Lives in {{PLACE|Bath}} with her husband; discharge letter sent to the wrong GP in {{PLACE|Sale}}.",
    "The crew came from {{PLACE|Telford}} and took 2 hours to arrive.",
    "Bed found at {{PLACE|Musgrove Park}} for [[english|Harvey Long]] after a night in the department.",
    "Transferred to {{PLACE|Kettering}} general surgery; [[english|Amber Lloyd]] went with him.",
    "Sent home to {{PLACE|Hope Valley}} without a care package.",
]


def build(marked: str, number: int) -> dict:
    text, spans, keep, position = "", [], [], 0
    for match in _MARK.finditer(marked):
        text += marked[position : match.start()]
        value = match.group("person") or match.group("kept")
        start = len(text)
        text += value
        if match.group("person"):
            case = "lower" if value.islower() else "upper" if value.isupper() else "title"
            spans.append(
                {"type": "PERSON", "start": start, "end": len(text), "value": value,
                 "origin": match.group("origin"), "case": case}
            )  # fmt: skip
        else:
            keep.append({"type": match.group("keep"), "start": start, "end": len(text), "value": value})
        position = match.end()
    text += marked[position:]
    return {"id": f"dev2-{number:04d}", "style": "hand", "text": text, "spans": spans, "keep": keep}


def main() -> None:
    with OUT.open("w", encoding="utf-8") as handle:
        for number, marked in enumerate(TEXTS, start=1):
            handle.write(json.dumps(build(marked, number), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(TEXTS)} texts")


if __name__ == "__main__":
    main()
