"""--profile: tern's per-syscall profiler and phase timers (sys/prof.h,
docs/measurements.md "The profiler"), switched on by the kernel command
line word tern.profile=1, read back from the PROF lines of the console:

    PROF {"kind":"meta","src":"proc","tsc_hz":1000000000}
    PROF {"kind":"syscall","src":"pid 7","nr":39,"name":"getpid","count":1000,
          "total":107000,"avg":107,"min":101,"max":480,
          "entry":31000,"libposix":76000,"ipc":0,"server":0}
    PROF {"kind":"phase","src":"proc","name":"exec.elf_read","count":3,...}

Lines of several processes (or sources) with the same syscall (phase)
add up: counts, totals and the split summed, the least min, the
greatest max. Times are TSC ticks: guest instructions under icount,
converted to ns with the meta lines' tsc_hz otherwise."""
import json

CMDLINE_WORD = "tern.profile=1"
SPLIT = ("entry", "libposix", "ipc", "server")
SPLIT_NAMES = {"entry": "kernel entry and reflection", "libposix": "libposix",
               "ipc": "IPC (send, wake-up, reply)", "server": "server"}


def prof_objects(lines):
    """The JSON objects of the PROF lines (the text after the first
    "PROF " of a line); malformed ones are counted, not fatal."""
    objs, bad = [], 0
    for line in lines:
        i = line.find("PROF {")
        if i < 0:
            continue
        try:
            obj = json.loads(line[i + 5:])
        except ValueError:
            bad += 1
            continue
        if isinstance(obj, dict) and "kind" in obj:
            objs.append(obj)
        else:
            bad += 1
    return objs, bad


def _merge(acc, o, fields):
    if acc is None:
        acc = {k: o.get(k, 0) for k in ("count", "total", "min", "max") + fields}
        acc["sources"] = 1
        return acc
    for k in ("count", "total") + fields:
        acc[k] += o.get(k, 0)
    acc["min"] = min(acc["min"], o.get("min", acc["min"]))
    acc["max"] = max(acc["max"], o.get("max", acc["max"]))
    acc["sources"] += 1
    return acc


def summarise(lines, skip_comm=()):
    """-> {"syscalls": [...], "phases": [...], "tsc_hz": ..., "bad_lines": n}
    sorted by total cost, each with avg and the split's averages.
    skip_comm: process names whose syscall lines are left out (the
    runner's own /init shell, "init", when it is not the program)."""
    objs, bad = prof_objects(lines)
    sys_acc, ph_acc, hz = {}, {}, set()
    for o in objs:
        if o.get("kind") == "syscall" and o.get("comm") in skip_comm:
            continue
        k = o.get("kind")
        if k == "meta" and o.get("tsc_hz"):
            hz.add(o["tsc_hz"])
        elif k == "syscall":
            name = o.get("name") or f"nr {o.get('nr')}"
            sys_acc[name] = _merge(sys_acc.get(name), o, SPLIT)
            sys_acc[name]["nr"] = o.get("nr")
        elif k == "phase" and o.get("name"):
            ph_acc[o["name"]] = _merge(ph_acc.get(o["name"]), o, ())
    def finish(name, a, split):
        a = dict(a, name=name)
        a["avg"] = a["total"] / a["count"] if a["count"] else 0
        for f in split:
            a["avg_" + f] = a[f] / a["count"] if a["count"] else 0
        return a
    syscalls = sorted((finish(n, a, SPLIT) for n, a in sys_acc.items()),
                      key=lambda a: -a["total"])
    phases = sorted((finish(n, a, ()) for n, a in ph_acc.items()), key=lambda a: a["name"])
    return {"syscalls": syscalls, "phases": phases,
            "tsc_hz": sorted(hz)[0] if len(hz) == 1 else sorted(hz) or None,
            "lines": len(objs), "bad_lines": bad}


def row_markdown(rows, mode, top=4):
    """Per benchmark (one profiled boot each): its costliest syscalls
    (each at least 5% of the boot's profiled cost).
    rows: [(benchmark row, summary)]."""
    out = ["| benchmark | ratio | syscall | calls | avg | " + " | ".join(SPLIT_NAMES[s] for s in SPLIT)
           + " |", "| --- | ---: | --- | ---: | ---: | " + " | ".join("---:" for _ in SPLIT) + " |"]
    for r, prof in rows:
        f, _ = scale(mode, prof.get("tsc_hz"))
        ratio = "" if r.get("ratio") is None else f"{r['ratio']:.2f}"
        if not prof["syscalls"]:
            out.append(f"| {r['name']} | {ratio} | (no PROF lines{': ' + prof['problem'] if prof.get('problem') else ''}) | | | | | | |")
            continue
        # The loop's calls, not the process's set-up: those with at least
        # 5% of the boot's profiled cost (at least one, at most `top`).
        whole = sum(s["total"] for s in prof["syscalls"]) or 1
        main = [s for s in prof["syscalls"][:top] if s["total"] >= 0.05 * whole]
        for i, s in enumerate(main or prof["syscalls"][:1]):
            out.append(f"| {r['name'] if i == 0 else ''} | {ratio if i == 0 else ''} | {s['name']} | "
                       f"{s['count']:,} | {s['avg'] * f:,.0f} | "
                       + " | ".join(f"{s['avg_' + p] * f:,.0f}" for p in SPLIT) + " |")
    return "\n".join(out) + "\n"


def scale(mode, tsc_hz):
    """(factor from ticks, unit)."""
    if mode == "icount":
        return 1.0, "guest instructions"
    if isinstance(tsc_hz, (int, float)) and tsc_hz:
        return 1e9 / tsc_hz, "ns"
    return 1.0, "TSC ticks"


def markdown(prof, mode, top=40):
    f, unit = scale(mode, prof.get("tsc_hz"))
    out = [f"Per-syscall profile of tern ({unit} per call; {CMDLINE_WORD}; "
           f"{prof['lines']} PROF lines" + (f", {prof['bad_lines']} unreadable" if prof["bad_lines"] else "")
           + "):", "",
           "| syscall | calls | avg | min | max | " + " | ".join(SPLIT_NAMES[s] for s in SPLIT) + " |",
           "| --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in SPLIT) + " |"]
    for s in prof["syscalls"][:top]:
        out.append(f"| {s['name']} | {s['count']:,} | {s['avg'] * f:,.0f} | {s['min'] * f:,.0f} | "
                   f"{s['max'] * f:,.0f} | "
                   + " | ".join(f"{s['avg_' + p] * f:,.0f}" for p in SPLIT) + " |")
    if len(prof["syscalls"]) > top:
        out.append(f"| ({len(prof['syscalls']) - top} more) | | | | | | | | |")
    if prof["phases"]:
        out += ["", f"Phase timers ({unit}):", "",
                "| phase | samples | avg | min | max | total |",
                "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for p in prof["phases"]:
            out.append(f"| {p['name']} | {p['count']:,} | {p['avg'] * f:,.0f} | {p['min'] * f:,.0f} | "
                       f"{p['max'] * f:,.0f} | {p['total'] * f:,.0f} |")
    return "\n".join(out) + "\n"


def plot(prof, mode, path, top=30):
    """The stacked bars of the split, per syscall (the most called): each
    bar is 100% of that call's average cost (the costs span three orders
    of magnitude, from getpid to clone), the average itself in the label."""
    from . import plot as plotting
    f, unit = scale(mode, prof.get("tsc_hz"))
    # The micro-benchmarks' calls (the most called) and the workloads'
    # (the costliest in total: fork, wait4, execve, clone).
    calls = [s for s in prof["syscalls"] if s["avg"] > 0]
    picked = sorted(calls, key=lambda s: -s["count"])[:top - 8] + calls[:8]
    rows = sorted({s["name"]: s for s in picked}.values(), key=lambda s: -s["avg"])
    labels = [f"{s['name']} ({s['avg'] * f:,.0f}; {s['count']:,} calls)" for s in rows]
    values = {SPLIT_NAMES[p]: [100.0 * s["avg_" + p] / s["avg"] for s in rows] for p in SPLIT}
    return plotting.stacked(f"tern: the split of each syscall's cost (in brackets: average {unit} "
                            "per call; calls)",
                            labels, [SPLIT_NAMES[p] for p in SPLIT], values, path,
                            "share of the call's cost (%)")
