"""An exact, brute-force attacker for the disclosure tests, written independently of the engine.

It reads only what is published (the display strings, which cells are national) and the additive
relations, and enumerates every table of unrounded values consistent with them. A small cell is
disclosed when only one value of it survives. As the published notes say, `*` is a figure from 1 to 7
or one hidden to protect another (possibly 0): the attacker cannot tell which. (The engine itself
assumes a stronger attacker who can; tests/publication/test_disclosure.py checks that case too.)
"""

from itertools import product

SMALL = range(1, 8)


def candidates(display: str, status: str, bound: int, *, knows_status: bool = False) -> list[int]:
    """Values a published figure may stand for. `knows_status`: the attacker also knows which `*`
    are small counts (1 to 7) rather than protected figures."""
    if status == "exact":
        return [int(display.replace(",", ""))]
    if display == "0":
        return [0]
    if display == "*":
        return list(SMALL) if knows_status and status == "small" else list(range(0, bound + 1))
    shown = int(display.replace(",", ""))
    return [v for v in range(shown - 2, shown + 3) if v >= 8]


def feasible_values_grid(rows, row_totals, column_totals):
    """rows[i][j], row_totals[i] are candidate lists; column_totals are exact national figures.

    Returns, for every cell, the set of values it takes in at least one consistent table (forward and
    backward reachable column sums, so the search stays small).
    """
    n = len(rows)
    row_options = []
    for cells, total in zip(rows, row_totals, strict=True):
        allowed = set(total)
        row_options.append([vec for vec in product(*cells) if sum(vec) in allowed])
    zero = tuple(0 for _ in column_totals)
    forward = [{zero}]
    for options in row_options:
        forward.append(
            {
                tuple(a + b for a, b in zip(prefix, vec, strict=True))
                for prefix in forward[-1]
                for vec in options
                if all(a + b <= c for a, b, c in zip(prefix, vec, column_totals, strict=True))
            }
        )
    backward = [set() for _ in range(n + 1)]
    backward[n] = {zero}
    for i in range(n - 1, -1, -1):
        backward[i] = {
            tuple(a + b for a, b in zip(suffix, vec, strict=True))
            for suffix in backward[i + 1]
            for vec in row_options[i]
            if all(a + b <= c for a, b, c in zip(suffix, vec, column_totals, strict=True))
        }
    target = tuple(column_totals)
    seen = [[set() for _ in column_totals] for _ in range(n)]
    for i, options in enumerate(row_options):
        needed = {tuple(t - s for t, s in zip(target, suffix, strict=True)) for suffix in backward[i + 1]}
        for vec in options:
            if any(tuple(p + v for p, v in zip(prefix, vec, strict=True)) in needed for prefix in forward[i]):
                for j, value in enumerate(vec):
                    seen[i][j].add(value)
    return seen


def feasible_values_sum(parent: list[int], children: list[list[int]]) -> list[set[int]]:
    """For parent = sum(children), each child's values that some consistent assignment gives it.

    Reachable sums of the other children come from prefix and suffix sets, so wide `*` ranges stay cheap.
    """
    ceiling = max(parent)
    allowed = set(parent)
    prefixes = [{0}]
    for options in children:
        prefixes.append({s + v for s in prefixes[-1] for v in options if s + v <= ceiling})
    suffixes = [{0}]
    for options in reversed(children):
        suffixes.append({s + v for s in suffixes[-1] for v in options if s + v <= ceiling})
    suffixes.reverse()
    seen = []
    for i, options in enumerate(children):
        others = {a + b for a in prefixes[i] for b in suffixes[i + 1] if a + b <= ceiling}
        seen.append({v for v in options if any(v + o in allowed for o in others)})
    return seen
