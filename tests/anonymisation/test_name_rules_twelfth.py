"""Twelfth-round name rules (``recognisers/person.py``, ``recognisers/name_slots.py``,
``recognisers/name_knowledge.py``; docs/adr/0012 "Twelfth round"): a colleague from a ward or a
lounge, a full name after "in", a month that is a given name, and rarer surnames that are also words."""

import pytest

from .names import kept, people


class TestAColleagueFromWhereTheyWork:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("short staffed all night, daisy from ward 6 came to help 3-5am", "daisy"),
            ("There was no wet floor sign. Poppy from the ward helped him up and", "Poppy"),
            ("Summer from the discharge lounge phoned to say the transport had gone", "Summer"),
            ("gemma from the eye clinic rang back", "gemma"),
        ],
    )
    def test_a_given_name_from_a_ward_or_a_workplace(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("My father was given his blood thinning tablets twice on ward 12.", "twice"),
            ("the bed from ward 6 was broken and sent away", "bed"),
            ("a chair from the discharge lounge was used instead", "chair"),
            ("tablets from the ward were returned to pharmacy", "tablets"),
        ],
    )
    def test_things_from_a_ward_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAFullNameAfterIn:
    def test_a_given_name_and_a_rare_surname_after_in_is_a_person(self, pipeline):
        text = "The nurse recognised the signs of sepsis early in Charlie Barraclough, aged 19."
        assert "Charlie Barraclough" in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "He moved to Milton Keynes in June.",
            "We met his son in Stanley Park.",
            "She was transferred to Barnard Castle for rehab.",
            "Neville was transferred from John Radcliffe to Austen Ward.",
        ],
    )
    def test_places_named_like_people_stay(self, pipeline, text):
        found = people(pipeline, text)
        assert not any(place in found for place in ("Milton Keynes", "Stanley Park", "Barnard Castle"))
        assert "John Radcliffe" not in found


class TestAMonthThatIsAGivenName:
    @pytest.mark.parametrize(
        "text",
        [
            "Thank you to June Hollings, who double-checked the menu.",
            "Please thank April Smith for her help.",
        ],
    )
    def test_a_month_before_a_surname_is_her_given_name(self, pipeline, text):
        found = people(pipeline, text)
        assert any(person.startswith(("June", "April")) for person in found), found

    @pytest.mark.parametrize(
        "text",
        ["The audit is due by June Hill.", "Reviewed on 3 June Smith was not told.", "Seen in May Jones."],
    )
    def test_a_month_in_a_date_stays(self, pipeline, text):
        assert kept(pipeline, text, "June") and kept(pipeline, text, "May")


class TestRarerSurnamesThatAreWords:
    @pytest.mark.parametrize(
        "text",
        [
            "asked about the bed rails assessment for pt edna coupe. rails were up",
            "asked about the bed rails assessment for mrs edna coupe. rails were up",
        ],
    )
    def test_the_whole_name_is_redacted(self, pipeline, text):
        assert "edna coupe" in people(pipeline, text)
