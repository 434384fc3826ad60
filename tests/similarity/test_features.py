"""What the duplicate rule reads from a text: quantities ("70 mins", "day 8", "ward 7") and the
patient's sex from pronouns and titles (not from relatives, not from "MR" = modified release)."""

import datetime as dt

from events.similarity.features import (
    EMPTY_STATISTICS,
    CorpusStatistics,
    Profile,
    clocks_near,
    conflicting_kinds,
    quantities_conflict,
    quantities_in,
    sharp_tfidf_similarity,
    text_features,
    tfidf_similarity,
)
from events.similarity.ranking import Tuning, compare, disagrees, duplicate_features


def test_quantities_are_numbers_with_what_they_count():
    found = quantities_in("Delay of 70 mins; PE diagnosed on day 5, VIP 3, OxyContin 20mg, 10 units, ward 7")
    assert found == {("min", "70"), ("day", "5"), ("vip", "3"), ("mg", "20"), ("unit", "10"), ("ward", "7")}
    assert quantities_in("[HOSPITAL NUMBER 1] seen") == frozenset()


def test_different_numbers_for_the_same_thing_conflict_and_the_same_number_does_not():
    seventy, forty = quantities_in("a delay of 70 mins"), quantities_in("delay of 40 minutes, day 2")
    assert quantities_conflict(seventy, forty)
    assert not quantities_conflict(seventy, quantities_in("70 minutes late, 40 mg given"))
    assert not quantities_conflict(seventy, quantities_in("day 3"))  # nothing counted by both


def test_the_patients_sex_comes_from_pronouns_and_titles_not_relatives_or_modified_release():
    assert text_features("Diabetic kept NBM and her long acting insulin omitted").sex == "female"
    assert text_features("Diabetic kept NBM and his long acting insulin omitted").sex == "male"
    assert text_features("Mr [PERSON 1] fell").sex == "male"
    assert text_features("Oxycodone MR 20mg and Oramorph given").sex is None
    assert text_features("Call from the daughter; the son was told").sex is None


def test_pronouns_of_different_sexes_keep_two_records_apart():
    day = dt.date(2026, 1, 1)
    her = Profile(key=1, text="NBM pre-op and her insulin was omitted", organisation="X", event_date=day)
    his = Profile(key=2, text="NBM pre-op and his insulin was omitted", organisation="X", event_date=day)
    assert disagrees(her, his)


def test_the_duplicate_features_count_quantities_shared_and_in_conflict():
    day = dt.date(2026, 1, 1)
    a = Profile(key=1, text="50 units of Humalog instead of 4 units", organisation="X", event_date=day)
    b = Profile(key=2, text="4 units prescribed, 50 units drawn up", organisation="X", event_date=day)
    c = Profile(key=3, text="5 units of Humalog instead of 4 units", organisation="X", event_date=day)
    shared = duplicate_features(a, b, EMPTY_STATISTICS, 0.5, 0.5, 0.5)
    assert shared["quantities_shared"] > 0 and shared["quantities_conflict"] == 0
    assert duplicate_features(a, c, EMPTY_STATISTICS, 0.5, 0.5, 0.5)["quantities_conflict"] == 0  # 4 shared


def test_ages_in_brackets_and_different_languages_keep_two_records_apart():
    day = dt.date(2026, 1, 1)
    assert text_features("Follow-up never booked; pt (80M) lost to follow up").age_band == 8
    assert text_features("Mrs [PERSON 1] (60) on a renal diet").age_band == 6
    romanian = Profile(
        key=1, text="Consent for a cystoscopy, pt speaks Romanian", organisation="X", event_date=day
    )
    arabic = Profile(
        key=2, text="Consent for a cystoscopy, pt speaks Arabic", organisation="X", event_date=day
    )
    again = Profile(
        key=3, text="Romanian interpreter booked for the cystoscopy", organisation="X", event_date=day
    )
    assert disagrees(romanian, arabic) and not disagrees(romanian, again)


def test_quantities_read_the_thing_counted_two_words_back_clock_times_and_counts():
    found = quantities_in("VIP score 3, NEWS score of 7, pH 6.5; results for 120 pts not visible")
    assert {("vip", "3"), ("news", "7"), ("ph", "6.5"), ("count pts", "120")} <= found
    # One time written three ways is one time; a different time conflicts.
    assert {("clock", "15:00")} <= quantities_in("not appearing since approx 15:00")
    assert {("clock", "15:00")} <= quantities_in("not appearing since 3.00pm")
    assert {("clock", "02:00"), ("clock", "05:30")} <= quantities_in("not done between 0200 and 0530")
    assert conflicting_kinds(quantities_in("obs not done at 0200"), quantities_in("gap from 0300")) == {
        "clock"
    }
    assert quantities_in("asset T34-0913 alarmed") & {("clock", "09:13")} == frozenset()


def test_named_wards_are_quantities_but_the_ward_is_not_a_name():
    assert ("named ward", "oak") in quantities_in("Location: Oak ward. Pt fell.")
    assert not {kind for kind, _ in quantities_in("The ward was busy. Another ward helped.")} & {"named ward"}


def test_sharpened_tfidf_weighs_rare_shared_words_above_common_ones():
    texts = ["insulin omitted " + "handed over" * (i % 2) for i in range(20)] + [
        "hoist stopped mid-lift handed over",
        "hoist failed mid-lift",
        "handed over pt fell",
    ]
    stats = CorpusStatistics.from_texts(texts)
    hoist, again, common = (Profile(key=n, text=t) for n, t in enumerate(texts[-3:]))
    assert sharp_tfidf_similarity(hoist, again, stats, 1) == tfidf_similarity(hoist, again, stats)
    # The pair sharing rare words gains on the pair sharing common ones as the power rises.
    plain = tfidf_similarity(hoist, again, stats) - tfidf_similarity(hoist, common, stats)
    sharp = sharp_tfidf_similarity(hoist, again, stats, 2) - sharp_tfidf_similarity(hoist, common, stats, 2)
    assert sharp > plain > 0


def test_ages_and_sexes_written_as_a_letter_after_the_age_keep_two_patients_apart():
    bracketed = text_features("Pt (71F) had their levetiracetam sent home")
    assert (bracketed.age_band, bracketed.sex) == (7, "female")
    assert text_features("64M pt admitted from a care home").sex == "male"
    assert text_features("93yo F wanted to die at home").age_band == 9
    assert text_features("Incident: Falls. Patient age: 53. Harm: Low.").age_band == 5
    assert text_features("Oxycodone 10mg MR given").sex is None  # "10mg" is a dose, "MR" a release
    day = dt.date(2026, 1, 1)
    woman = Profile(
        key=1, text="pt (60F) given Humulin I drawn up with a syringe", organisation="X", event_date=day
    )
    man = Profile(
        key=2, text="60yo M given insulin drawn up with a syringe", organisation="X", event_date=day
    )
    assert disagrees(woman, man)


def test_a_brand_counts_as_its_medicine_so_the_two_reports_do_not_disagree():
    day = dt.date(2026, 1, 1)
    brand = Profile(key=1, text="Given Humulin I drawn up with a syringe", organisation="X", event_date=day)
    generic = Profile(key=2, text="Insulin drawn with a syringe", organisation="X", event_date=day)
    other = Profile(key=3, text="Heparin drawn with a syringe", organisation="X", event_date=day)
    assert "insulin" in brand.medicines
    assert not disagrees(brand, generic) and disagrees(brand, other)


def test_the_same_time_age_and_named_ward_are_signals_explained_as_such():
    api = Profile(key=1, text="Incident: Sepsis. Location: Ash Ward, 13:50. Patient age: 78.")
    nurse = Profile(key=2, text="Called to Ash Ward at approx 1350, pt (78M) not screened for sepsis")
    reasons = compare(nurse, api, Tuning()).reasons
    assert {"same time (13:50)", "same age (78)", "same ward (ash)"} <= set(reasons)


def test_what_happened_is_read_however_it_is_worded():
    fell = text_features("Category: Slips, trips and falls | Sub-category: Unwitnessed fall | Time: 03:10")
    floor = text_features("pt found on floor by HCA just after 3am, no injury")
    assert "fall" in fell.concepts & floor.concepts
    assert "haemorrhage" in text_features("PPH 2100ml following SVD").concepts
    assert "haemorrhage" in text_features("Major obstetric haemorrhage on the labour ward").concepts
    assert "feeding tube" in text_features("Gastrostomy tube dislodged").concepts
    assert "feeding tube" in text_features("PEG pulled out by pt").concepts


def test_one_time_told_three_ways_is_near_and_the_period_of_day_is_read():
    times = [quantities_in(t) for t in ("approx 0300", "Time: 03:10", "just after 3am", "at 1500")]
    clocks = [{v for k, v in q if k == "clock"} for q in times]
    assert clocks_near(clocks[0], clocks[1]) and clocks_near(clocks[1], clocks[2])
    assert not clocks_near(clocks[0], clocks[3])
    assert clocks_near({"23:50"}, {"00:20"})  # around midnight
    assert text_features("unwitnessed fall overnight").periods == {"night"}
    assert text_features("found at 0300").periods == {"night"}


def test_a_medicine_class_does_not_disagree_with_a_drug_of_the_class_but_does_with_another_class():
    day = dt.date(2026, 1, 1)
    drug = Profile(key=1, text="IV cefuroxime given to the wrong pt", organisation="X", event_date=day)
    kind = Profile(
        key=2, text="Intravenous antibiotic given to the wrong patient", organisation="X", event_date=day
    )
    insulin = Profile(
        key=3, text="Her long-acting insulin was given to the wrong patient", organisation="X", event_date=day
    )
    brand = Profile(key=4, text="Novorapid given twice", organisation="X", event_date=day)
    generic = Profile(key=5, text="insulin aspart 8 units given twice", organisation="X", event_date=day)
    assert "antibiotic" in drug.medicine_classes and not kind.medicines
    assert not disagrees(drug, kind) and disagrees(kind, insulin)
    assert not disagrees(brand, generic)


def test_sides_written_as_a_letter_and_devices_named_in_passing():
    assert text_features("grade 2 pressure sore R heel").sides == {"right"}
    assert text_features("laceration L forehead sutured").sides == {"left"}
    assert text_features("2.1 l blood loss").sides == frozenset()
    day = dt.date(2026, 1, 1)
    peg = Profile(key=1, text="PEG pulled out at 0930", organisation="X", event_date=day)
    tube = Profile(key=2, text="pulled his feeding tube out", organisation="X", event_date=day)
    assert not disagrees(peg, tube)
    assert ("stage", "2") in quantities_in("grade 2 pressure sore") & quantities_in(
        "Category 2 pressure ulcer"
    )


def test_a_combination_names_the_medicines_it_is_made_of():
    """dev4 s4-0027 / s4-0094, one event: an export names "amoxicillin/clavulanic acid", the nurse
    "co-amoxiclav"; before, they named no medicine alike and the pair was never compared."""
    export = Profile(
        key=1,
        text="Harm: Moderate | Event: Medication given despite known allergy | Drug: amoxicillin/clavulanic "
        "acid | Location: Emergency Department | Action: Prescribing cannot proceed with allergy field blank "
        "- raised with EPR team.",
        organisation="RAE",
        event_date=dt.date(2025, 6, 3),
    )
    nurse = Profile(
        key=2,
        text="Anaphylaxis to co-amoxiclav in majors. red wristband NOT on, pt was confused on arrival so "
        "allergy not asked. allergy status was blank on system and dr prescribed anyway. adrenaline given, "
        "pt ok",
        organisation="RAE",
        event_date=dt.date(2025, 6, 2),
    )
    assert "amoxicillin" in text_features(nurse.text).medicines
    assert not disagrees(export, nurse)
    # A different antibiotic still disagrees.
    other = Profile(
        key=3, text="Anaphylaxis to cefuroxime in majors", organisation="RAE", event_date=nurse.event_date
    )
    assert disagrees(export, other)
