"""Derive the compact word lists the pipeline needs from installed packages, once, in its own process.

    python -m anonymisation.pipeline.lexicon_build OUTPUT_FILE

``names-dataset`` ships 1.7 million first names and surnames with per-country shares and ranks; loading
its pickles takes about 15 s and 2 GB of memory, far over a worker's budget. ``drug-named-entity-
recognition`` ships a dictionary of drug names and brands together with chemical structures (8 s and
400 MB to load). This module reads both once and writes what we use: each name's best rank in any
country (as a given name and as a surname, names ranked in the top :data:`MAX_RANK` of some country
only) and the drug names with their brand flag. The worker loads the result in well under a second.

It runs in a subprocess (see :func:`lexicon.build_cache`) so that the worker's peak memory never holds
the raw datasets; nothing is fetched from the network.
"""

from __future__ import annotations

import bz2
import gzip
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path

from .allow_list import fold
from .lexicon import FORMAT

# A name ranked below this in every country is too rare to tell apart from noise in the dataset.
MAX_RANK = 5_000


def source_versions() -> dict[str, str]:
    """The installed versions the cache is derived from (a new version means a new cache file)."""
    versions = {}
    for package in ("names-dataset", "drug-named-entity-recognition", "wordfreq"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = ""
    return versions


def _ranked_names(path: Path) -> dict[str, int]:
    with gzip.open(path) as handle:
        raw = pickle.load(handle)  # noqa: S301 - the installed package's own data file
    ranks: dict[str, int] = {}
    for name, data in raw.items():
        best = min((data.get("rank") or {}).values(), default=None)
        if best is None or best > MAX_RANK or not name.isalpha():
            continue
        key = fold(name)
        ranks[key] = min(best, ranks.get(key, best))
    return ranks


def names() -> tuple[dict[str, int], dict[str, int]]:
    import names_dataset

    folder = Path(names_dataset.__file__).parent / "v3"
    return _ranked_names(folder / "first_names.pkl.gz"), _ranked_names(folder / "last_names.pkl.gz")


def drugs() -> dict[str, bool]:
    """Drug names (generic and brand, lower case) and whether each is a brand."""
    import drug_named_entity_recognition

    path = Path(drug_named_entity_recognition.__file__).parent / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path) as handle:
        raw = pickle.load(handle)  # noqa: S301 - the installed package's own data file
    brands = raw.get("drug_variant_to_variant_data", {})
    found = {}
    for name in raw.get("drug_variant_to_canonical", {}):
        # One word (hyphens allowed): "apixaban", "eliquis", "co-codamol". Multi-word entries are made of
        # such words; four letters or fewer are mostly abbreviations that collide with names ("alli").
        if not isinstance(name, str) or " " in name:
            continue
        if 4 < len(name) <= 40 and name.replace("-", "").isalpha():
            found[fold(name)] = bool((brands.get(name) or {}).get("is_brand"))
    return found


def english() -> dict[str, float]:
    """Zipf frequency of every English word ``wordfreq`` knows at 1.0 or more (once in 100 million)."""
    import math

    from wordfreq import get_frequency_dict

    found = {}
    for word, frequency in get_frequency_dict("en", wordlist="large").items():
        zipf = math.log10(frequency * 1e9) if frequency > 0 else 0.0
        if zipf >= 1.0 and word.replace("-", "").replace("'", "").isalpha():
            found[word] = round(zipf, 2)
    return found


def build(output: Path) -> None:
    given, surnames = names()
    document = {
        "format": FORMAT,
        "sources": source_versions(),
        "given": given,
        "surname": surnames,
        "drugs": drugs(),
        "english": english(),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f"{output.name}.{os.getpid()}.tmp")
    # A pickle of plain dicts loads in a fraction of the time text formats take (start-up counts).
    with partial.open("wb") as handle:
        pickle.dump(document, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(output)  # atomic: a concurrent reader sees the old file or the whole new one


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m anonymisation.pipeline.lexicon_build OUTPUT_FILE")
    build(Path(sys.argv[1]))
