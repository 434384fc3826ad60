"""Same event or same kind of event: facts two texts state differently keep them apart
(ranking.contradicts), facts they state alike (ranking.shared_facts) let the duplicate model's lower
threshold apply, and a pair sharing only the kind of event needs the stricter one.

The texts are pairs from the development sets (fixtures/similarity/) that the rule flagged as one event
before these checks: related events of one organisation within two days, told alike but for a detail.
"""

import datetime as dt

from events.similarity.features import (
    CorpusStatistics,
    Profile,
    details_in,
    quantities_in,
    text_features,
)
from events.similarity.ranking import (
    Tuning,
    contradicts,
    disagrees,
    duplicate_features,
    probable_duplicate,
    shared_facts,
    threshold_for,
)

DAY = dt.date(2026, 3, 2)


def _pair(first: str, second: str) -> tuple[Profile, Profile]:
    return (
        Profile(key=1, text=first, organisation="RWA", event_date=DAY),
        Profile(key=2, text=second, organisation="RWA", event_date=DAY + dt.timedelta(days=1)),
    )


def test_ages_in_one_ten_year_band_but_more_than_a_year_apart_are_two_patients():
    a, b = _pair(
        "approx 0625 - 32yo lady at 38 weeks in birth centre had no intermittent auscultation recorded for "
        "90 mins. The baby was reviewed by the neonatal team, case was referred for review.",
        "34yo lady at 41 weeks in birth centre had no intermittent auscultation recorded for 40 mins. Baby "
        "was reviewed by neonatal team, case was referred for review.",
    )
    assert a.text_age_band == b.text_age_band  # the band rule alone let them through
    assert contradicts(a, b) and disagrees(a, b)
    same, next_birthday = _pair("Pt (71F) fell at 0300", "71 y/o lady on ward 7 fell just after 3am")
    assert not contradicts(same, next_birthday)
    assert not contradicts(*_pair("aged 80, found on floor", "81 year old found on the floor"))


def test_different_doses_durations_and_saturations_are_different_events():
    doses = _pair(
        "A lady was given 40 units of soluble insulin instead of the prescribed 5 units; the 'U' was read "
        "as a zero. Hourly BMs for 24 hours.",
        "Identified on pharmacy screening. She was given 50 units of Humalog instead of the prescribed 4 "
        "units; the 'U' was read as a zero. Hourly BMs for 24 hours.",
    )
    sats = _pair(
        "[API] Oxygen ran out during transfer | harm none. Detail: Ran out of oxygen during a transfer to "
        "radiology, saturations fell to 84%.",
        "Category=Medical gases; Type=Oxygen ran out during transfer; Harm=None. Summary: Ran out of oxygen "
        "during a transfer to radiology, saturations fell to 81%.",
    )
    assert contradicts(*doses) and contradicts(*sats)
    # "10 units more" is a difference, not the dose: no contradiction with "28 units instead of 18".
    more = _pair(
        "Community visit: administered Toujeo 28 units instead of 18 units as I misread the care plan.",
        "Housebound 88 year old woman received 10 units more of her once daily long-acting insulin.",
    )
    assert ("unit", "10") not in more[1].quantities and not contradicts(*more)


def test_times_more_than_two_hours_apart_contradict_and_times_within_the_hour_do_not():
    apart = _pair("76y/o male had news2 5 at 0215, not escalated", "NEWS2 5 at 7.20am, not escalated")
    near = _pair("pt found on floor next to bed approx 0300 by HCA", "unwitnessed fall | Time: 03:10")
    assert contradicts(*apart) and not contradicts(*near)


def test_the_body_part_specimen_line_and_result_are_details_of_one_kind():
    assert details_in("an elderly man's leg became trapped in the gap") == {("body", "leg")}
    legs = _pair(
        "Bedrail entrapment on ward 12. An elderly man's leg became trapped in the gap between the rail "
        "and the mattress overnight. Bruising only.",
        "Patient on ward 12 had her arm trapped through the bedrail gaps when she slid down the bed.",
    )
    assert text_features(legs[0].text).sex == "male"  # "man's": the possessive is the patient's sex
    assert contradicts(*legs)
    specimens = _pair(
        "Category=Diagnostics - specimens; Type=Sample sent to wrong lab; Site=RWA/Ward 7. Summary: Had a "
        "blood culture set sent to the wrong hospital laboratory and returned two days later.",
        "[API] Sample sent to wrong lab | Emergency Department majors | harm low. Detail: Had a histology "
        "specimen sent to the wrong hospital laboratory & returned 2 days later.",
    )
    lines = _pair(
        "Category: Vascular access | Sub-category: Accidental removal of PICC | Location: Ward 8",
        "Midline catheter pulled out by a confused lady on ward 8 during the night. Line checked.",
    )
    results = _pair(
        "Lab phoned a critical glucose of 6.9 at 9.15pm; not passed to the doctor. Ward to use critical "
        "results log. Doctor contacted and bloods repeated.",
        "Telephoned critical sodium 62 taken by bank nurse and not handed over. Ward to use critical "
        "results log. Doctor informed and bloods repeated.",
    )
    assert contradicts(*specimens) and contradicts(*lines) and contradicts(*results)
    potassium = _pair(
        "Lab phoned K+ 7.1 at 1600, message left on desk. Treated with calcium gluconate. K 5.8 on repeat.",
        "Critical potassium result (7.1 mmol/L) telephoned to ward 15 was not passed to a nurse for hours.",
    )
    assert not contradicts(*potassium)


def test_number_words_are_numbers_and_a_heart_rate_is_not_hours():
    assert ("count patient", "40") in quantities_in("A handover sheet with forty patients' details")
    assert ("day", "4") in quantities_in("had been used for four days") & quantities_in("used for 4 days")
    assert not any(kind == "hour" for kind, _ in quantities_in("temp 38.4 HR 118 at 1400"))


def test_a_pair_sharing_only_the_kind_of_event_needs_the_stricter_threshold():
    tune = Tuning()
    assert tune.duplicate_threshold_kind_only > tune.duplicate_threshold
    filler = [f"Routine record {n} about the ward's day, nothing of note." for n in range(30)]
    asset = (
        "repeated occlusion alarms on t34 eq8831; line kinked under patient & diamorphine 15mg not "
        "administered for 6 hrs. equipment library to check stock of t34s."
    )
    same_asset = (
        "Syringe driver (asset EQ8831) alarmed 'occlusion' repeatedly overnight and CSCI stopped infusing. "
        "Equipment library to check stock of T34s."
    )
    other = (
        "What happened: Butterfly/line disconnection on the syringe driver; bedding wet and pt symptomatic. "
        "Actions: Equipment library to check stock of T34s."
    )
    stats = CorpusStatistics.from_texts([asset, same_asset, other, *filler])
    a, b = _pair(asset, same_asset)
    c = Profile(key=3, text=other, organisation="RWA", event_date=DAY)
    told_alike = duplicate_features(a, b, stats, 0.5, 0.5, 0.5)
    only_kind = duplicate_features(b, c, stats, 0.5, 0.5, 0.5)
    assert not told_alike["kind_only"]  # the asset number is a fact both state
    assert only_kind["kind_only"]
    assert threshold_for(told_alike, tune) == tune.duplicate_threshold
    assert threshold_for(only_kind, tune) == tune.duplicate_threshold_kind_only
    facts = shared_facts(
        *_pair("50 units given at 0300 to her, R heel", "50 units at 03:20, she has a right heel sore"),
        {"unit": {"50"}, "clock": {"03:00"}},
        {"unit": {"50"}, "clock": {"03:20"}},
        True,
        1,
    )
    assert facts == {"sex", "clock", "amount", "side", "detail"}


def test_related_events_told_alike_but_for_the_result_are_not_flagged():
    results = [
        "Reported by ward manager following review. Lab phoned a critical glucose of 6.9 at 9.15pm; not "
        "passed to the doctor. Patient required monitoring on CCU. Ward to use critical results log. "
        "Doctor contacted and bloods repeated. Treatment given. Found on day round.",
        "Brief description of incident: Telephoned critical sodium 62 taken by bank nurse and not handed "
        "over. Lab rang again the next morning. Action taken at the time: Ward to use critical results "
        "log. Doctor informed and bloods repeated. Impact on patient: Pt recovered.",
    ]
    others = [f"Unrelated record {n} on another ward." for n in range(30)]
    stats = CorpusStatistics.from_texts(results + others)
    a, b = _pair(*results)
    assert probable_duplicate(a, b, tune=Tuning(), stats=stats) is None


def test_a_syringe_named_in_passing_does_not_keep_one_event_apart():
    """dev4 s4-0019 / s4-0146, one event: the pharmacist says the insulin was drawn up in the wrong
    syringe, the manager that the patient needed a glucose infusion; before, "syringe" against
    "infusion" (a pump) was two devices and the pair was never compared."""
    pharmacist, manager = _pair(
        'Pharmacy review: insulin prescribed on paper chart on ward 14 as "10u" during EPR downtime, '
        "transcribed and drawn up as 100 units of Actrapid using a non-insulin syringe. Insulin syringes "
        "were out of stock on the ward. Stock levels now on daily top-up list.",
        "Never event - overdose of insulin due to abbreviations or incorrect device. Surgical ward 14. "
        "Patient needed HDU for glucose infusion, fully recovered. SI declared, 72 hour report started.",
    )
    assert "syringe" in pharmacist.devices and "pump" in manager.devices
    assert not disagrees(pharmacist, manager)
    # Two devices of the event itself still disagree.
    assert disagrees(*_pair("the insulin pump alarmed", "the hoist failed"))


def _dev4():
    from pathlib import Path

    from events.similarity.evaluation import read_labelled, statistics_of

    lines = read_labelled(Path(__file__).resolve().parents[2] / "fixtures/similarity/dev4/dev4.jsonl")
    return {line.profile.key: line.profile for line in lines}, statistics_of(lines)


def test_retellings_sharing_only_the_kind_of_event_are_found_and_a_related_event_is_not():
    """dev4 (fifth round: the model refitted on four sets, the kind-only threshold 0.45 by
    leave-one-set-out): retellings in other voices that share no specific fact -- the theatre nurse's
    account beside the manager's "Wrong site surgery (regional block). Never Event." and two accounts of
    expressed breast milk given to the wrong baby -- were below the old kind-only threshold (0.55); two
    related events of one trust (a blood sample labelled away from the patient, a wrong blood component
    transfused) still are not one event."""
    profiles, stats = _dev4()
    for first, second in (("s4-0092", "s4-0172"), ("s4-0261", "s4-0266")):
        a, b = profiles[first], profiles[second]
        assert duplicate_features(a, b, stats, 0.0, 0.0, 0.0)["kind_only"]
        assert probable_duplicate(a, b, stats=stats) is not None, (first, second)
    assert probable_duplicate(profiles["s4-0098"], profiles["s4-0177"], stats=stats) is None
