"""The ranking puts another telling of the same event ahead of a related event of the same ward
(`Tuning.duplicate_bonus`): a nurse's note and the risk system's export of one fall share few words,
a second fall on the ward the next night shares many."""

import datetime as dt

import pytest

from events.similarity.features import CorpusStatistics, Profile
from events.similarity.ranking import Tuning, probable_duplicate, rank

DAY = dt.date(2026, 3, 2)
NURSE = Profile(
    key="nurse",
    organisation="RR8",
    event_date=DAY,
    text="Pt (82F) found on floor beside bed 4 on Ward 7 at approx 0300, unwitnessed, small graze to "
    "R elbow, obs stable, dr informed, NOK aware",
)
EXPORT = Profile(
    key="export",
    organisation="RR8",
    event_date=DAY + dt.timedelta(days=1),
    text="Incident: Unwitnessed fall. Location: Ward 7, bed 4, 03:10. Patient age: 82, female. "
    "Injury: graze right elbow. Harm: Low",
)
ANOTHER_FALL = Profile(
    key="another fall",
    organisation="RR8",
    event_date=DAY,
    text="Pt (67M) found on floor in bay 2 on Ward 7 at approx 0500, unwitnessed, no injury, obs stable",
)
OLDER = [
    Profile(key=f"older {n}", organisation="RR8", event_date=DAY - dt.timedelta(days=30 + n), text=text)
    for n, text in enumerate(
        [
            "Insulin dose omitted at lunchtime, blood glucose 18",
            "Pressure ulcer category 2 to sacrum noted on admission",
            "Staffing: two nurses short on night shift",
            "Wrong patient label on blood sample",
            "Syringe driver alarm not answered for 20 minutes",
        ]
        * 4
    )
]
CANDIDATES = [EXPORT, ANOTHER_FALL, *OLDER]
STATS = CorpusStatistics.from_texts(p.text for p in [NURSE, *CANDIDATES])


def scores(tune: Tuning) -> dict[str, float]:
    return {m.candidate.key: m.score for m in rank(NURSE, CANDIDATES, tune=tune, stats=STATS, limit=30)}


def test_the_two_tellings_are_a_probable_duplicate_and_the_other_fall_is_not():
    assert probable_duplicate(NURSE, EXPORT, stats=STATS) is not None
    assert probable_duplicate(NURSE, ANOTHER_FALL, stats=STATS) is None  # 82F against 67M


def test_a_probable_duplicate_gains_the_bonus_and_nothing_else_does():
    without, with_bonus = scores(Tuning(duplicate_bonus=0)), scores(Tuning())
    assert with_bonus["export"] == pytest.approx(without["export"] + Tuning().duplicate_bonus)
    assert {k: v for k, v in with_bonus.items() if k != "export"} == {
        k: v for k, v in without.items() if k != "export"
    }


def test_the_other_telling_comes_first_with_the_bonus_and_second_without():
    order = lambda tune: [m.candidate.key for m in rank(NURSE, CANDIDATES, tune=tune, stats=STATS)]  # noqa: E731
    assert order(Tuning(duplicate_bonus=0))[:2] == ["another fall", "export"]
    assert order(Tuning())[:2] == ["export", "another fall"]


def test_a_record_of_another_organisation_or_week_gains_nothing():
    elsewhere = Profile(key="elsewhere", organisation="RWA", event_date=DAY, text=EXPORT.text)
    later = Profile(key="later", organisation="RR8", event_date=DAY + dt.timedelta(days=9), text=EXPORT.text)
    without = {
        m.candidate.key: m.score
        for m in rank(NURSE, [elsewhere, later], tune=Tuning(duplicate_bonus=0), stats=STATS)
    }
    with_bonus = {m.candidate.key: m.score for m in rank(NURSE, [elsewhere, later], stats=STATS)}
    assert with_bonus == without
