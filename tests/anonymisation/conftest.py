import pytest

from anonymisation.pipeline import get_pipeline


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()  # cached per process: the spaCy model loads once for the whole session


@pytest.fixture
def rules_only(monkeypatch):
    """The name rules without the learned second look (``name_model``): for tests of what one rule
    leaves to the others."""
    from anonymisation.pipeline.recognisers import name_model

    monkeypatch.setattr(name_model, "name_model", lambda: None)
