"""The PNG plots (Debian's python3-matplotlib, scripts/setup.sh): the
ratios tern/Linux per benchmark, and the profile's stacked bars."""
COLOURS = {"FASTER": "#2e8b57", "OK": "#4f6fa8", "SLOW": "#c0392b", "not run": "#999999"}


def available():
    try:
        import matplotlib  # noqa: F401
        return True
    except ImportError:
        return False


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def ratios(doc, path):
    """One horizontal bar per benchmark, log scale, the 0.9 and 1.1 bands
    marked; not-run rows keep their place, labelled."""
    plt = _pyplot()
    rows = doc["benchmarks"]
    rec = doc["records"]
    n = len(rows)
    fig, ax = plt.subplots(figsize=(9, 0.28 * n + 1.6))
    ys = list(range(n))[::-1]
    for y, r in zip(ys, rows):
        if r["ratio"] is None:
            ax.text(1.0, y, "  not run", va="center", ha="left", fontsize=7, color="#666666")
            continue
        ax.barh(y, r["ratio"] - 1.0, left=1.0, height=0.7, color=COLOURS[r["verdict"]])
        ax.text(max(r["ratio"], 1.0) * 1.03, y, f"{r['ratio']:.2f}", va="center", fontsize=7)
    finite = [r["ratio"] for r in rows if r["ratio"]] or [1.0]
    lo = min(min(finite) * 0.8, 0.5)
    hi = max(max(finite) * 1.5, 2.0)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.axvspan(0.9, 1.1, color="#dddddd", zorder=0)
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels([r["name"] for r in rows], fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if lo <= t <= hi]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}" for t in ticks], fontsize=8)
    ax.set_xlabel("tern / Linux (below 1: tern faster; grey band: OK, 0.9 to 1.1)", fontsize=8)
    s = doc["summary"]["verdicts"]
    ax.set_title(f"posix_bench, {rec['mode']} mode ({unit_short(rec)}), {rec['date'][:16]}: "
                 f"{s['FASTER']} FASTER, {s['OK']} OK, {s['SLOW']} SLOW, {s['not run']} not run",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def unit_short(rec):
    return {"icount": "guest instructions", "kvm": "ns, hardware KVM",
            "tcg": "emulated, not a speed result"}.get(rec["mode"], rec["mode"])


def stacked(title, labels, parts, values, path, xlabel):
    """Stacked horizontal bars: labels[i]'s bar is values[part][i] per part."""
    plt = _pyplot()
    n = len(labels)
    fig, ax = plt.subplots(figsize=(9, 0.3 * n + 1.8))
    ys = list(range(n))[::-1]
    left = [0.0] * n
    palette = ["#4f6fa8", "#e0a030", "#2e8b57", "#c0392b", "#8e44ad", "#7f8c8d", "#16a085"]
    for k, part in enumerate(parts):
        vals = [values[part][i] or 0.0 for i in range(n)]
        ax.barh(ys, vals, left=left, height=0.7, label=part, color=palette[k % len(palette)])
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9, pad=24)
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(parts),
              frameon=False)
    ax.set_xlim(0, max(left) * 1.01 if left else 1)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
