"""Runs -> results: per benchmark every run's figure, best, median, the
ratio tern/Linux and its band; the summary; the JSON file."""
import json
import statistics

FORMAT = "tern-runner/1"
SYSTEMS = ("linux", "tern")
VERDICTS = ("FASTER", "OK", "SLOW", "not run")
# Issue 9's goals (micro-benchmarks only): at most 1.0x Linux, except these.
GOALS = {"fork_exit": 0.8, "mmap_fault": 0.5}


def verdict(ratio):
    """FASTER below 0.9 of Linux's figure, OK from 0.9 to 1.1, SLOW above."""
    if ratio < 0.9:
        return "FASTER"
    if ratio <= 1.1:
        return "OK"
    return "SLOW"


def side_stats(runs):
    """Lower is better: best is the minimum."""
    if not runs:
        return None, None
    return min(runs), statistics.median(runs)


def side_result(name, outputs, unavailable):
    """One system's figures for one benchmark over its boots.
    outputs: [BenchOutput or None (the boot failed), ...]; unavailable: a
    reason the system could not be booted at all, or None."""
    if unavailable:
        return {"runs": [], "best": None, "median": None, "status": "not run",
                "reason": unavailable}
    runs, iters, reasons = [], None, []
    for out in outputs:
        if out is None:
            reasons.append("the boot failed")
            continue
        if name in out.figures:
            iters, _, per = out.figures[name]
            runs.append(per)
        elif name in out.skips:
            reasons.append("SKIP " + out.skips[name])
        elif not out.done:
            reasons.append("no line: the program stopped before it")
        else:
            reasons.append("no line")
    best, median = side_stats(runs)
    res = {"runs": runs, "best": best, "median": median, "iters": iters}
    if runs:
        res["status"] = "ran"
        if reasons:  # some boots ran it, others did not: say so
            res["reason"] = "; ".join(sorted(set(reasons)))
    else:
        res["status"] = "not run"
        res["reason"] = "; ".join(sorted(set(reasons))) or "no line"
    return res


def benchmark_rows(names, outputs, unavailable, unit):
    """names: [(name, kind)] in the program's order; outputs[system]:
    [BenchOutput or None per boot]; unavailable[system]: reason or None.
    Names a side printed that the list lacks are added, never dropped."""
    names = list(names)
    known = {n for n, _ in names}
    for s in SYSTEMS:
        for out in outputs.get(s, []):
            if out is None:
                continue
            for n in out.order:
                if n not in known:
                    known.add(n)
                    names.append((n, "?"))
    rows = []
    for n, kind in names:
        row = {"name": n, "kind": kind, "unit": unit}
        for s in SYSTEMS:
            row[s] = side_result(n, outputs.get(s, []), unavailable.get(s))
        lx, tn = row["linux"]["best"], row["tern"]["best"]
        if lx and tn is not None:
            row["ratio"] = tn / lx
            row["verdict"] = verdict(row["ratio"])
            lm, tm = row["linux"]["median"], row["tern"]["median"]
            row["ratio_median"] = tm / lm if lm else None
        else:
            row["ratio"] = None
            row["verdict"] = "not run"
        if kind == "micro":
            row["goal"] = GOALS.get(n, 1.0)
            row["goal_met"] = None if row["ratio"] is None else row["ratio"] <= row["goal"]
        rows.append(row)
    return rows


def summary(rows):
    counts = {v: 0 for v in VERDICTS}
    goals = {"met": 0, "MISSED": 0, "not run": 0}
    for r in rows:
        counts[r["verdict"]] += 1
        if "goal" in r:
            goals["not run" if r["goal_met"] is None else "met" if r["goal_met"] else "MISSED"] += 1
    return {"benchmarks": len(rows), "verdicts": counts, "goals": goals}


def summary_line(s):
    return (f"{s['benchmarks']} benchmarks: "
            + ", ".join(f"{s['verdicts'][v]} {v}" for v in VERDICTS))


def document(records, rows, determinism=None, profile=None):
    return {"format": FORMAT, "records": records, "benchmarks": rows,
            "summary": summary(rows), "determinism": determinism, "profile": profile}


def save(doc, path):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def load(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("format") != FORMAT:
        raise ValueError(f"{path}: not a runner result file (format {doc.get('format')!r})")
    return doc


def spread(values):
    """(max - min) / min, 0 for identical figures; None without two."""
    if len(values) < 2:
        return None
    lo, hi = min(values), max(values)
    return 0.0 if hi == lo else (hi - lo) / lo if lo else float("inf")
