"""The LRMS upload API: FHIR AdverseEvent submission compatible with the national LFPSE service.

    mapping.py      where each answer travels (extensions/v<N>.yaml, checked against the question set)
    reading.py      FHIR JSON -> the values it carries and where each one is
    validation.py   those values -> answers, judged by the questionnaire engine (web and API share rules)
    writing.py      answers -> AdverseEvent (STU3, as taxonomy versions 4 and 5 are)
    presenting.py   a record as the API shows it: redacted free text only
    profiles.py     StructureDefinition / ValueSet / CodeSystem / CapabilityStatement from the question set
    outcome.py      issues and OperationOutcome
    auth.py         API keys (Ocp-Apim-Subscription-Key) and per-key rate limits
    http.py         safe JSON bodies, FHIR responses, the endpoint decorator
    services.py     event_create_from_api / event_replace_from_api, idempotent POSTs
    clients.py      creating and revoking API keys (super admins)
    selectors.py    what a client may read
    views.py, urls.py, taxonomy_urls.py

See docs/api.md for how an LRMS uses it and docs/adr/0010-fhir-api.md for the decisions.
"""
