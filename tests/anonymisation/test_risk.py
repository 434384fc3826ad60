from anonymisation.pipeline.risk import HIGH, residual_risk


def test_clean_redacted_text_has_no_risk():
    risk = residual_risk({"Description": "[PERSON 1] fell in the bay. NEWS was 5. [PERSON 2] was informed."})
    assert risk.score == 0
    assert risk.reasons == ()
    assert not risk.is_high


def test_each_signal_is_named_without_the_words_that_raised_it():
    risk = residual_risk({"Description": "Seen by Mrs hollis. Number RXX1234567 noted, email kept a@b"})
    assert risk.is_high
    assert "title not followed by a placeholder" in risk.reasons
    assert "long number or code" in risk.reasons
    assert "contact detail" in risk.reasons
    assert not any("hollis" in reason or "RXX" in reason for reason in risk.reasons)


def test_a_left_name_scores_above_a_placeholder():
    kept = residual_risk({"a": "The patient was seen by Oyelaran on the ward."})
    redacted = residual_risk({"a": "The patient was seen by [PERSON 1] on the ward."})
    assert kept.score > redacted.score
    assert HIGH > 0


def test_a_title_before_its_placeholder_is_no_risk():
    risk = residual_risk({"Description": "Mr [PERSON 1] was given morphine. A second nurse to check it."})
    assert risk.score == 0


def test_a_title_before_a_word_is_a_risk_in_any_case():
    assert "title not followed by a placeholder" in residual_risk({"a": "seen by mrs hollis"}).reasons


def test_name_like_words_the_redaction_left_raise_the_score_in_lower_case_text():
    text = {"a": "msg from deb in group: can someone check the pressure areas"}
    plain = residual_risk(text)
    counted = residual_risk(text, name_like_words=2)
    assert plain.score == 0  # all in lower case: no capital, title or number to go on
    assert counted.score > plain.score and counted.is_high
    assert "name-like word left ×2" in counted.reasons
