"""The main run: posix_bench on both kernels, the results, the report,
the plots, the determinism check and the profile."""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

from . import boot, initramfs, modes, parse, plot, profile, qemu, records, report, results

SCRIPTS = initramfs.SCRIPTS
ROOT = initramfs.ROOT
DET_BENCHMARK = "open_close"


def say(msg):
    print(f"runner: {msg}", flush=True)


def linux_kernel(path=None):
    """(vmlinuz, None) or (None, why not)."""
    if path:
        return (path, None) if os.path.exists(path) else (None, f"{path} does not exist")
    res = subprocess.run([os.path.join(SCRIPTS, "linux_kernel.sh")], capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr.strip() or "scripts/linux_kernel.sh failed"
    return res.stdout.strip(), None


def schedule(mode, boots):
    """The boots in the order they run: alternating the systems (Linux,
    tern, Linux, tern, ...) so drift over time hits both."""
    return [(s, i) for i in range(boots) for s in results.SYSTEMS]


class Job:
    def __init__(self, key, system, cmd, timeout, log):
        self.key, self.system, self.cmd, self.timeout, self.log = key, system, cmd, timeout, log


def run_jobs(jobs, workers):
    """Run the boots, `workers` at a time (1 in kvm mode: pinned, one at a time)."""
    out = {}
    def one(j):
        b = boot.run(j.system, j.cmd, j.timeout, j.log)
        say(f"{j.key}: {b.elapsed:.0f} s" + (f" ({b.problem()})" if b.problem() else ""))
        return b
    if workers <= 1:
        for j in jobs:
            out[j.key] = one(j)
        return out
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        futs = {j.key: ex.submit(one, j) for j in jobs}
        for k, f in futs.items():
            out[k] = f.result()
    return out


def main(a):
    t0 = time.monotonic()
    facts = modes.HostFacts.gather()
    try:
        mode, reason = modes.choose(a.mode, facts)
    except ValueError as e:
        sys.exit(f"runner: {e}")
    unit = modes.UNITS[mode]
    say(f"mode {mode}: {reason}")
    boots_n = a.boots or modes.default_boots(mode)
    build = os.path.abspath(a.build)
    binary = os.path.join(build, "linux/posix_bench")
    kernel = os.path.join(build, "kernel/kernel.elf")
    for f in (binary, kernel):
        if not os.path.exists(f):
            sys.exit(f"runner: {f} is missing (build first: scripts/run.sh builds)")
    lst = subprocess.run([binary, "--list"], capture_output=True, text=True, timeout=60)
    names = parse.listing(lst.stdout) if lst.returncode == 0 else []
    if not names:
        sys.exit(f"runner: {binary} --list did not run")
    program_args = (["--quick"] if a.quick else []) + (["--only", a.only] if a.only else [])
    if a.only:
        want = a.only.split(",")
        unknown = set(want) - {n for n, _ in names}
        if unknown:
            sys.exit("runner: no benchmark named " + ", ".join(sorted(unknown)))
        names = [(n, k) for n, k in names if n in want]
    vmlinuz, no_linux = (None, "left out (--no-linux)") if a.no_linux else linux_kernel(a.linux_kernel)
    say("Linux: " + (vmlinuz or f"not run: {no_linux}"))
    bb, bb_text = (None, "left out (--no-busybox)") if a.no_busybox else initramfs.find_busybox(build)
    say("BusyBox: " + (bb_text if bb else f"none ({bb_text}): posix_bench is /init"))
    out_dir = os.path.abspath(a.out)
    os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="runner.")
    try:
        doc = run_all(a, mode, reason, unit, boots_n, names, program_args, binary, kernel,
                      vmlinuz, no_linux, bb, bb_text, out_dir, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    md = report.markdown(doc)
    print()
    print(md)
    if doc.get("profile") and doc["profile"].get("markdown"):
        print(doc["profile"]["markdown"])
    say(f"wrote {os.path.join(out_dir, 'results.json')}, results.md"
        + (", ratios.png" if doc["records"].get("plot") else " (no PNG: " + doc["records"].get("plot_missing", "") + ")"))
    say(f"the whole run took {time.monotonic() - t0:.0f} s")
    tern_done = doc["records"]["done"]["tern"]
    return 0 if tern_done and (doc["records"]["done"]["linux"] or not vmlinuz) else 1


def archive(tmp, out_dir, name, binary, bb, args):
    """The archive goes to the result folder, so that the recorded
    command lines can be run again by hand."""
    work = os.path.join(tmp, name)
    os.makedirs(work)
    return initramfs.build(os.path.join(out_dir, name + ".cpio"), binary, bb, args, work)


def cmdline_words(bb, args):
    """With BusyBox the arguments are in the /init script; without, the
    program is pid 1 and gets them from the command line after `--`."""
    return "" if bb or not args else "-- " + " ".join(args)


def profile_all(a, mode, rows, whole, binary, kernel, bb, tmp, out_dir, logs, workers):
    """The whole selection's profile (one boot), then one boot per SLOW
    row (`--only NAME --quick`: enough calls for the averages), so that
    each SLOW row has its own split. The runner's /init shell ("init")
    is left out when BusyBox runs it (the program is then a child)."""
    skip = ("init",) if bb else ()
    prof = profile.summarise(whole.lines, skip)
    if whole.problem():
        prof["problem"] = whole.problem()
    text = profile.markdown(prof, mode)
    slow = [r for r in rows if r["verdict"] == "SLOW"] if not a.no_profile_rows else []
    jobs = []
    for r in slow:
        args = ["--quick", "--only", r["name"]]
        cpio = archive(tmp, out_dir, "prof-" + r["name"], binary, bb, args)
        cmd = qemu.command("tern", mode, kernel, cpio,
                           (profile.CMDLINE_WORD + " " + cmdline_words(bb, args)).strip(), a.qemu)
        jobs.append(Job(f"profile-{r['name']}", "tern", cmd, a.timeout,
                        os.path.join(logs, f"tern-profile-{r['name']}.log")))
    if jobs:
        say(f"profiling the {len(jobs)} SLOW rows: {len(jobs)} boots, {workers} at a time")
        t = time.monotonic()
        done = run_jobs(jobs, workers)
        prof["rows_wall_seconds"] = round(time.monotonic() - t, 1)
        say(f"the SLOW rows' profiles took {prof['rows_wall_seconds']:.0f} s")
        per = []
        for r, j in zip(slow, jobs):
            p = profile.summarise(done[j.key].lines, skip)
            if done[j.key].problem():
                p["problem"] = done[j.key].problem()
            per.append((r, p))
        prof["rows"] = {r["name"]: p for r, p in per}
        text += ("\nEach SLOW row alone (a boot of `posix_bench --quick --only NAME` with "
                 f"{profile.CMDLINE_WORD}), its costliest syscalls, average per call:\n\n"
                 + profile.row_markdown(per, mode))
    prof["markdown"] = text
    with open(os.path.join(out_dir, "profile.md"), "w") as f:
        f.write(text)
    return prof


def run_all(a, mode, reason, unit, boots_n, names, program_args, binary, kernel, vmlinuz,
            no_linux, bb, bb_text, out_dir, tmp):
    rec = records.base(mode, reason, unit, boots_n, bb_text if bb else f"none ({bb_text})",
                       program_args, a.qemu)
    cpio = archive(tmp, out_dir, "main", binary, bb, program_args)
    kernels = {"linux": vmlinuz, "tern": kernel}
    logs = os.path.join(out_dir, "logs")
    jobs = []
    for s, i in schedule(mode, boots_n):
        if kernels[s]:
            cmd = qemu.command(s, mode, kernels[s], cpio, cmdline_words(bb, program_args), a.qemu)
            rec["qemu_commands"].setdefault(s, cmd)
            jobs.append(Job(f"{s}#{i + 1}", s, cmd, a.timeout, os.path.join(logs, f"{s}-{i + 1}.log")))
    det = None
    if mode == "icount" and not a.no_determinism and a.det_repeat > 1:
        det_name = a.det_benchmark
        det_args = ["--only", det_name]
        det_cpio = archive(tmp, out_dir, "det", binary, bb, det_args)
        for s in results.SYSTEMS:
            if kernels[s]:
                for i in range(a.det_repeat):
                    cmd = qemu.command(s, mode, kernels[s], det_cpio, cmdline_words(bb, det_args),
                                       a.qemu)
                    jobs.append(Job(f"det-{s}#{i + 1}", s, cmd, a.timeout,
                                    os.path.join(logs, f"det-{s}-{i + 1}.log")))
        det = {"benchmark": det_name}
    if a.profile:
        cmd = qemu.command("tern", mode, kernel, cpio,
                           (profile.CMDLINE_WORD + " " + cmdline_words(bb, program_args)).strip(), a.qemu)
        rec["qemu_commands"]["tern_profile"] = cmd
        jobs.append(Job("profile-tern", "tern", cmd, a.timeout, os.path.join(logs, "tern-profile.log")))
    workers = 1 if mode == "kvm" else max(1, a.jobs)
    say(f"{len(jobs)} boots, {workers} at a time (logs in {logs})")
    t = time.monotonic()
    done = run_jobs(jobs, workers)
    rec["boots_wall_seconds"] = round(time.monotonic() - t, 1)
    say(f"the boots took {rec['boots_wall_seconds']:.0f} s")

    outputs = {s: [] for s in results.SYSTEMS}
    problems = {s: [] for s in results.SYSTEMS}
    runner_recs = {}
    for j in jobs:
        if "#" not in j.key or j.key.startswith("det-"):
            continue
        b = done[j.key]
        out = parse.parse_bench(b.program)
        p = b.problem()
        if not out.figures and not out.skips:
            outputs[j.system].append(None)
            problems[j.system].append(f"{j.key}: {p or 'printed no BENCH line'}")
        else:
            outputs[j.system].append(out)
            if p:
                problems[j.system].append(f"{j.key}: {p}")
            elif not out.done:
                problems[j.system].append(f"{j.key}: the program did not reach `BENCH done`")
        runner_recs.setdefault(j.system, parse.runner_records(out.runner))
    unavailable = {"linux": None if vmlinuz else f"not booted: {no_linux}", "tern": None}
    rows = results.benchmark_rows(names, outputs, unavailable, unit)
    rec["linux"] = records.linux_record(vmlinuz, runner_recs.get("linux"))
    rec["tern_guest"] = {k: v for k, v in (runner_recs.get("tern") or {}).items()
                         if k in ("uname", "cmdline", "status")}
    rec["problems"] = problems
    rec["done"] = {s: bool(outputs[s]) and all(o is not None and o.done for o in outputs[s])
                   for s in results.SYSTEMS}
    rec["boot_seconds"] = {j.key: round(done[j.key].elapsed, 1) for j in jobs}
    if det is not None:
        for s in results.SYSTEMS:
            figs, why = [], None
            for j in jobs:
                if j.key.startswith(f"det-{s}#"):
                    o = parse.parse_bench(done[j.key].program)
                    if det["benchmark"] in o.figures:
                        figs.append(o.figures[det["benchmark"]][2])
                    else:
                        why = o.skips.get(det["benchmark"]) or done[j.key].problem() or "no line"
            det[s] = {"runs": figs, "spread": results.spread(figs)}
            if why:
                det[s]["reason"] = why
        say("determinism: " + report.determinism_text(det))
    prof = None
    if a.profile:
        prof = profile_all(a, mode, rows, done["profile-tern"], binary, kernel, bb, tmp, out_dir,
                           logs, workers)
    doc = results.document(rec, rows, det, prof)
    if plot.available():
        rec["plot"] = plot.ratios(doc, os.path.join(out_dir, "ratios.png"))
        if prof and prof["syscalls"]:
            prof["plot"] = profile.plot(prof, mode, os.path.join(out_dir, "profile.png"))
    else:
        rec["plot_missing"] = "python3-matplotlib is not installed (scripts/setup.sh installs it)"
    results.save(doc, os.path.join(out_dir, "results.json"))
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(report.markdown(doc))
    if a.json:
        results.save(doc, a.json)
    return doc
