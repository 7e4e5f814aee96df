"""The Markdown report: the records, the table (benchmark, kind, Linux,
tern, ratio, verdict, goal, note), the summary; not-run rows listed with
their reason, never dropped."""
from . import results


def fig(v):
    return "" if v is None else f"{v:,.1f}"


def cell(side, several):
    if side["status"] != "ran":
        return "not run"
    if several:
        return f"{fig(side['best'])} (median {fig(side['median'])})"
    return fig(side["best"])


def note(row):
    parts = []
    for s in results.SYSTEMS:
        if row[s].get("reason"):
            parts.append(f"{'Linux' if s == 'linux' else 'tern'}: {row[s]['reason']}")
    return "; ".join(parts).replace("|", "\\|")


def goal_cell(row):
    if "goal" not in row:
        return ""
    if row["goal_met"] is None:
        return f"not run (<= {row['goal']:.1f}x)"
    return ("met" if row["goal_met"] else "MISSED") + f" (<= {row['goal']:.1f}x)"


def table(rows, several=False):
    out = ["| benchmark | kind | Linux | tern | ratio | verdict | goal | note |",
           "| --- | --- | ---: | ---: | ---: | --- | --- | --- |"]
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        out.append(f"| {r['name']} | {r['kind']} | {cell(r['linux'], several)} | "
                   f"{cell(r['tern'], several)} | {ratio} | {r['verdict']} | {goal_cell(r)} | "
                   f"{note(r)} |")
    return out


def records_lines(rec):
    lx = rec.get("linux") or {}
    out = [f"- mode: **{rec['mode']}** ({rec['mode_reason']}); figures are {rec['unit']}",
           f"- boots per system: {rec['boots']}"
           + (" (alternating Linux, tern; best and median)" if rec['boots'] > 1 else ""),
           f"- date: {rec['date']}",
           f"- host: {rec['host_cpu']} ({rec['host_cpus']} CPUs)",
           f"- QEMU: {rec['qemu_version']}",
           f"- Linux: {lx.get('image') or 'not available'}"
           + (f", `{lx['uname']}`" if lx.get("uname") else ""),
           f"- Linux mitigations: {mitigations_text(lx.get('vulnerabilities'))}",
           f"- tern: commit {rec['tern_commit']}",
           f"- BusyBox: {rec['busybox']}",
           f"- program: `posix_bench {' '.join(rec['program_args'])}`".replace("`posix_bench `",
                                                                             "`posix_bench`")]
    return out


def mitigations_text(vulns):
    """The mitigated ones in full, the rest by name."""
    if not vulns:
        return "unknown (not read from the guest)"
    fine = sorted(k for k, v in vulns.items() if v == "Not affected")
    rest = [f"{k}: {v}" for k, v in sorted(vulns.items()) if v != "Not affected"]
    if fine:
        rest.append("not affected: " + ", ".join(fine))
    return "; ".join(rest)


def commands_lines(rec):
    out = []
    for s in results.SYSTEMS:
        cmd = (rec.get("qemu_commands") or {}).get(s)
        if cmd:
            out.append(f"    {s}: " + " ".join(quote(w) for w in cmd))
    return out


def quote(w):
    return w if w and all(c.isalnum() or c in "-_=./,:+" for c in w) else "'" + w + "'"


def markdown(doc):
    rec, rows = doc["records"], doc["benchmarks"]
    several = rec.get("boots", 1) > 1
    out = ["# tern against Linux: posix_bench", ""] + records_lines(rec) + [""]
    out += table(rows, several)
    s = doc["summary"]
    out += ["", "summary: " + results.summary_line(s),
            "goals (issue 9, micro-benchmarks): "
            + ", ".join(f"{v} {k}" for k, v in s["goals"].items()),
            "", "Verdicts: FASTER below 0.9 of Linux's figure, OK 0.9 to 1.1, SLOW above."]
    if doc.get("determinism"):
        out += ["", "determinism: " + determinism_text(doc["determinism"])]
    out += ["", "QEMU command lines:", ""] + commands_lines(rec)
    return "\n".join(out) + "\n"


def determinism_text(d):
    parts = []
    for s in results.SYSTEMS:
        v = d.get(s)
        if not v:
            continue
        if not v["runs"]:
            parts.append(f"{s}: not run ({v.get('reason', '')})")
            continue
        sp = v["spread"]
        figs = ", ".join(fig(x) for x in v["runs"])
        parts.append(f"{s} {d['benchmark']} x{len(v['runs'])}: {figs}; spread "
                     + ("none (identical)" if sp == 0 else "n/a" if sp is None else f"{sp:.4%}"))
    return "; ".join(parts)
