"""`compare A.json B.json`: two result files (before and after a change),
figure by figure, per system; in icount mode identical figures say the
runs are deterministic."""
from . import results


def change(a, b):
    if a is None or b is None:
        return None
    return 0.0 if a == b else (b - a) / a if a else float("inf")


def compare(da, db, threshold=0.0):
    """-> (lines, counts). counts[system] = {"identical", "better",
    "worse", "not comparable"}; threshold: a relative change at most this
    big counts as identical (0 in icount mode: exact)."""
    rows_a = {r["name"]: r for r in da["benchmarks"]}
    rows_b = {r["name"]: r for r in db["benchmarks"]}
    names = [r["name"] for r in da["benchmarks"]]
    names += [r["name"] for r in db["benchmarks"] if r["name"] not in rows_a]
    counts = {s: {"identical": 0, "better": 0, "worse": 0, "not comparable": 0}
              for s in results.SYSTEMS}
    lines = ["| benchmark | Linux A | Linux B | change | tern A | tern B | change | ratio A | ratio B |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n in names:
        ra, rb = rows_a.get(n), rows_b.get(n)
        cells = [n]
        for s in results.SYSTEMS:
            a = ra[s]["best"] if ra else None
            b = rb[s]["best"] if rb else None
            c = change(a, b)
            if c is None:
                counts[s]["not comparable"] += 1
                ctext = "not run" if (a is None) != (b is None) or a is None else ""
            elif abs(c) <= threshold:
                counts[s]["identical"] += 1
                ctext = "identical" if c == 0 else f"{c:+.2%}"
            else:
                counts[s]["better" if c < 0 else "worse"] += 1
                ctext = f"{c:+.2%}"
            cells += [fmt(a), fmt(b), ctext]
        for r in (ra, rb):
            cells.append("" if not r or r["ratio"] is None else f"{r['ratio']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines, counts


def fmt(v):
    return "not run" if v is None else f"{v:,.1f}"


def verdict_text(counts, system):
    c = counts[system]
    ran = c["identical"] + c["better"] + c["worse"]
    if ran and c["identical"] == ran:
        what = f"all {ran} figures identical"
    else:
        what = (f"{c['identical']} identical, {c['better']} lower (better), "
                f"{c['worse']} higher (worse)")
    return f"{system}: {what}, {c['not comparable']} not comparable"


def main(path_a, path_b, threshold=None):
    da, db = results.load(path_a), results.load(path_b)
    ma, mb = da["records"]["mode"], db["records"]["mode"]
    if threshold is None:
        threshold = 0.0 if ma == mb == "icount" else 0.02
    lines, counts = compare(da, db, threshold)
    print(f"A: {path_a} ({ma}, {da['records']['date']}, tern {da['records']['tern_commit']})")
    print(f"B: {path_b} ({mb}, {db['records']['date']}, tern {db['records']['tern_commit']})")
    if ma != mb:
        print(f"warning: the modes differ ({ma} against {mb}): the figures are not comparable")
    for key, what in (("busybox", "BusyBox"), ("program_args", "program's arguments")):
        # Which BusyBox, not where it was built (the text before its path).
        va, vb = (str(d["records"].get(key)).split(" (")[0] for d in (da, db))
        if va != vb:
            print(f"note: the {what} differ ({da['records'].get(key)} against "
                  f"{db['records'].get(key)}): the workloads' figures depend on it")
    print("change: B against A, lower is better; identical within "
          + ("exact equality" if threshold == 0 else f"{threshold:.0%}"))
    print()
    print("\n".join(lines))
    print()
    for s in results.SYSTEMS:
        print(verdict_text(counts, s))
    c = counts["tern"]
    return 0 if ma == mb and c["better"] + c["worse"] == 0 else 1
