"""The organisation picker of registration and "Add an organisation, ICB or region": a code chosen
from the list of matches, or a name or ODS code typed into the search box."""

from django import forms

from organisations.selectors import organisation_by_code, organisation_lookup


def organisation_pick(form: forms.Form, cleaned: dict, *, noun: str, otherwise: str = "") -> None:
    """Sets `form.organisation` (and `form.organisation_matches` when the search matched several),
    or adds the picker's error. `noun` is "your organisation" or "the organisation"; `otherwise` ends
    the messages that leave the user stuck (", or select Other ...")."""
    form.organisation = None
    form.organisation_matches = []
    code = cleaned.get("organisation_code", "").strip()
    query = cleaned.get("organisation_search", "").strip()
    if code:
        form.organisation = organisation_by_code(code)
        if form.organisation is None:
            form.add_error("organisation_search", f"Select {noun} from the list")  # noqa: S608 - a message
        return
    if not query:
        form.add_error("organisation_search", f"Enter {noun}'s name or ODS code{otherwise}")
        return
    lookup = organisation_lookup(query)
    if lookup.organisation is not None:
        form.organisation = lookup.organisation
    elif not lookup.matches:
        form.add_error(
            "organisation_search", f"No organisation matches “{query}”. Check the name or ODS code{otherwise}"
        )
    else:
        form.organisation_matches = lookup.matches
        form.add_error(
            "organisation_search",
            f"More than one organisation matches “{query}”. Select {noun} from the list",  # noqa: S608 - a message
        )
