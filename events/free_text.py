"""Finding the free text in a record's answers, and putting redacted text back in its place."""

from typing import Any

from events.questionnaire import copy_answers, load_question_set


def free_text_fields(answers: dict[str, Any], version: str) -> dict[str, str]:
    """Every non-empty free-text answer, keyed by its path: "Description", "patients/2/ClinicalOutcome"."""
    free_text = load_question_set(version).free_text_ids()
    fields: dict[str, str] = {}
    for key, value in answers.items():
        if key in free_text and isinstance(value, str) and value.strip():
            fields[key] = value
        elif isinstance(value, list):
            for number, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    for inner, text in item.items():
                        if inner in free_text and isinstance(text, str) and text.strip():
                            fields[f"{key}/{number}/{inner}"] = text
    return fields


def with_texts(answers: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """A copy of the answers with the texts at the given paths replaced."""
    result = copy_answers(answers)
    for path, text in texts.items():
        parts = path.split("/")
        if len(parts) == 1:
            result[path] = text
        else:
            group, number, key = parts
            result[group][int(number) - 1][key] = text
    return result
