import pytest

from anonymisation.pipeline import get_pipeline


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()  # cached per process: the spaCy model loads once for the whole session
