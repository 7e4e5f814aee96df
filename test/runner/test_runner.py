"""Unit tests of the comparison runner's logic (scripts/runner): parsing
the console, the ratio bands, compare, the mode choice, the records. No
boots: run in well under a second (ctest runner.unit)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from runner import compare, initramfs, modes, parse, plot, profile, qemu, records, report, results  # noqa: E402

CONSOLE = b"""\x1b[0m[tern] boot: 2 CPUs\r
BENCH start full\r
BENCH getpid 200000 21400000 107.0\r
[tern] posix: ENOSYS mount\r
SKIP fork_exit fork: Out of memory (errno 12)\r
BENCH open_close 20000 72624000 3631.2\r
RUNNER status 0\r
RUNNER vuln spectre_v2: Mitigation: Retpolines\r
BENCH done\r
"""


def out_of(text):
    return parse.parse_bench(parse.program_lines("tern", parse.console_lines(text)))


class ParseTest(unittest.TestCase):
    def test_bench_skip_done(self):
        o = out_of(CONSOLE)
        self.assertEqual(o.started, "full")
        self.assertTrue(o.done)
        self.assertEqual(o.figures["getpid"], (200000, 21400000, 107.0))
        self.assertEqual(o.figures["open_close"][2], 3631.2)
        self.assertEqual(o.skips, {"fork_exit": "fork: Out of memory (errno 12)"})
        self.assertEqual(o.order, ["getpid", "fork_exit", "open_close"])

    def test_kernel_lines_dropped(self):
        lines = parse.console_lines(CONSOLE)
        prog = parse.program_lines("tern", lines)
        self.assertFalse(any(l.startswith("[tern] ") for l in prog))
        self.assertIn("BENCH done", prog)
        # A Linux printk line (printk.time=1) is Linux's own; an ordinary
        # line starting with a bracket is not.
        lx = ["[    1.234567] Run /init as init process", "[x] mine", "hello"]
        self.assertEqual(parse.program_lines("linux", lx), ["[x] mine", "hello"])
        # "[tern] " lines are the program's on Linux (only the kernel's own are dropped).
        self.assertEqual(parse.program_lines("linux", ["[tern] x"]), ["[tern] x"])

    def test_not_done_and_malformed(self):
        o = parse.parse_bench(["BENCH start quick", "BENCH getpid 10 x 1.0", "BENCH a 1 2 3.5"])
        self.assertFalse(o.done)
        self.assertEqual(o.started, "quick")
        self.assertEqual(list(o.figures), ["a"])
        self.assertIn("BENCH getpid 10 x 1.0", o.other)

    def test_crlf_variants(self):
        self.assertEqual(parse.console_lines(b"a\r\nb\n\rc\n"), ["a", "b", "c"])

    def test_runner_records(self):
        o = out_of(CONSOLE)
        rec = parse.runner_records(o.runner + [("uname", "Linux 6.1.0-57-cloud-amd64 #1")])
        self.assertEqual(rec["status"], 0)
        self.assertEqual(rec["vulnerabilities"], {"spectre_v2": "Mitigation: Retpolines"})
        self.assertEqual(rec["uname"], "Linux 6.1.0-57-cloud-amd64 #1")

    def test_listing(self):
        self.assertEqual(parse.listing("getpid micro 200000 4000\nexec_true workload 200 4\n"),
                         [("getpid", "micro"), ("exec_true", "workload")])


class BandsTest(unittest.TestCase):
    def test_bands(self):
        self.assertEqual(results.verdict(0.5), "FASTER")
        self.assertEqual(results.verdict(0.8999), "FASTER")
        self.assertEqual(results.verdict(0.9), "OK")
        self.assertEqual(results.verdict(1.0), "OK")
        self.assertEqual(results.verdict(1.1), "OK")
        self.assertEqual(results.verdict(1.1001), "SLOW")
        self.assertEqual(results.verdict(5.0), "SLOW")

    def rows(self):
        lx = parse.parse_bench(["BENCH getpid 1 1 300.0", "BENCH fork_exit 1 1 100000.0",
                                "BENCH exec_true 1 1 700000.0", "BENCH done"])
        tn = parse.parse_bench(["BENCH getpid 1 1 100.0", "SKIP fork_exit fork: ENOMEM",
                                "BENCH exec_true 1 1 1400000.0"])
        names = [("getpid", "micro"), ("fork_exit", "micro"), ("exec_true", "workload"),
                 ("stat", "micro")]
        return results.benchmark_rows(names, {"linux": [lx], "tern": [tn]},
                                      {"linux": None, "tern": None}, "u")

    def test_rows_never_dropped(self):
        rows = self.rows()
        self.assertEqual([r["name"] for r in rows], ["getpid", "fork_exit", "exec_true", "stat"])
        by = {r["name"]: r for r in rows}
        self.assertAlmostEqual(by["getpid"]["ratio"], 1 / 3)
        self.assertEqual(by["getpid"]["verdict"], "FASTER")
        self.assertTrue(by["getpid"]["goal_met"])
        self.assertEqual(by["fork_exit"]["verdict"], "not run")
        self.assertEqual(by["fork_exit"]["tern"]["reason"], "SKIP fork: ENOMEM")
        self.assertEqual(by["fork_exit"]["goal"], 0.8)
        self.assertIsNone(by["fork_exit"]["goal_met"])
        self.assertEqual(by["exec_true"]["verdict"], "SLOW")
        self.assertNotIn("goal", by["exec_true"])
        # stat: Linux finished without it; tern stopped before it.
        self.assertEqual(by["stat"]["linux"]["reason"], "no line")
        self.assertEqual(by["stat"]["tern"]["reason"], "no line: the program stopped before it")
        s = results.summary(rows)
        self.assertEqual(s["verdicts"], {"FASTER": 1, "OK": 0, "SLOW": 1, "not run": 2})
        self.assertEqual(s["goals"], {"met": 1, "MISSED": 0, "not run": 2})

    def test_unlisted_names_kept(self):
        tn = parse.parse_bench(["BENCH newone 1 1 5.0"])
        rows = results.benchmark_rows([], {"linux": [], "tern": [tn]},
                                      {"linux": "no Linux kernel (x)", "tern": None}, "u")
        self.assertEqual(rows[0]["name"], "newone")
        self.assertEqual(rows[0]["verdict"], "not run")
        self.assertEqual(rows[0]["linux"]["reason"], "no Linux kernel (x)")

    def test_best_and_median(self):
        outs = [parse.parse_bench([f"BENCH getpid 1 1 {v}"]) for v in (110.0, 100.0, 130.0, 105.0, 120.0)]
        r = results.side_result("getpid", outs, None)
        self.assertEqual(r["runs"], [110.0, 100.0, 130.0, 105.0, 120.0])
        self.assertEqual(r["best"], 100.0)
        self.assertEqual(r["median"], 110.0)
        r = results.side_result("getpid", outs[:2] + [None], None)
        self.assertEqual(r["status"], "ran")
        self.assertEqual(r["reason"], "the boot failed")

    def test_spread(self):
        self.assertEqual(results.spread([5.0, 5.0, 5.0]), 0.0)
        self.assertAlmostEqual(results.spread([100.0, 101.0]), 0.01)
        self.assertIsNone(results.spread([1.0]))

    def test_report_lists_not_run(self):
        rows = self.rows()
        doc = results.document(sample_records(), rows)
        md = report.markdown(doc)
        self.assertIn("| fork_exit | micro | 100,000.0 | not run |  | not run | not run (<= 0.8x) "
                      "| tern: SKIP fork: ENOMEM |", md)
        self.assertIn("summary: 4 benchmarks: 1 FASTER, 0 OK, 1 SLOW, 2 not run", md)
        self.assertIn("| getpid | micro | 300.0 | 100.0 | 0.33 | FASTER | met (<= 1.0x) |  |", md)


def sample_records(mode="icount", date="2026-12-02 03:00:00 UTC", commit="abc"):
    r = {k: None for k in records.FIELDS}
    r.update(mode=mode, mode_reason="test", unit=modes.UNITS[mode], boots=1, date=date,
             host_cpu="cpu", host_cpus=2, qemu_version="QEMU 7.2", qemu_commands={},
             linux={"image": "vmlinuz-6.1"}, tern_commit=commit, busybox="bb", program_args=[])
    return r


def doc_with(tern_figs, mode="icount"):
    lx = parse.parse_bench([f"BENCH {n} 1 1 {v}" for n, v in (("a", 100.0), ("b", 200.0), ("c", 50.0))])
    tn = parse.parse_bench([f"BENCH {n} 1 1 {v}" for n, v in tern_figs.items()])
    rows = results.benchmark_rows([("a", "micro"), ("b", "micro"), ("c", "micro")],
                                  {"linux": [lx], "tern": [tn]}, {"linux": None, "tern": None}, "u")
    return results.document(sample_records(mode), rows)


class CompareTest(unittest.TestCase):
    def test_identical(self):
        a = doc_with({"a": 90.0, "b": 300.0})
        lines, counts = compare.compare(a, doc_with({"a": 90.0, "b": 300.0}))
        self.assertEqual(counts["tern"], {"identical": 2, "better": 0, "worse": 0, "not comparable": 1})
        self.assertEqual(counts["linux"]["identical"], 3)
        self.assertIn("all 2 figures identical", compare.verdict_text(counts, "tern"))

    def test_changes(self):
        lines, counts = compare.compare(doc_with({"a": 90.0, "b": 300.0}),
                                        doc_with({"a": 90.1, "b": 250.0, "c": 40.0}))
        self.assertEqual(counts["tern"], {"identical": 0, "better": 1, "worse": 1, "not comparable": 1})
        row = [l for l in lines if l.startswith("| b |")][0]
        self.assertIn("-16.67%", row)
        # Within a threshold: a 0.1% change is identical.
        _, counts = compare.compare(doc_with({"a": 90.0}), doc_with({"a": 90.05}), 0.01)
        self.assertEqual(counts["tern"]["identical"], 1)

    def test_files_and_exit_status(self):
        with tempfile.TemporaryDirectory() as d:
            pa, pb, pc = (os.path.join(d, n) for n in ("a.json", "b.json", "c.json"))
            results.save(doc_with({"a": 90.0}), pa)
            results.save(doc_with({"a": 90.0}), pb)
            results.save(doc_with({"a": 91.0}), pc)
            with open(os.devnull, "w") as null:
                old, sys.stdout = sys.stdout, null
                try:
                    self.assertEqual(compare.main(pa, pb), 0)
                    self.assertEqual(compare.main(pa, pc), 1)
                finally:
                    sys.stdout = old
            with open(pa) as f:
                self.assertEqual(json.load(f)["format"], results.FORMAT)
            with open(pc, "w") as f:
                json.dump({"format": "other"}, f)
            self.assertRaises(ValueError, results.load, pc)


class ModeTest(unittest.TestCase):
    def test_this_machine_kind(self):
        # /dev/kvm from kvm_pvm, no vmx/svm: icount, and kvm is refused.
        f = modes.HostFacts(True, True, ["sse2", "avx512f"], True)
        mode, why = modes.choose(None, f)
        self.assertEqual(mode, "icount")
        self.assertIn("kvm_pvm", why)
        self.assertRaises(ValueError, modes.choose, "kvm", f)

    def test_hardware(self):
        f = modes.HostFacts(True, True, ["svm"], False)
        self.assertEqual(modes.choose("auto", f)[0], "kvm")
        self.assertIn("AMD-V", modes.choose("auto", f)[1])
        self.assertEqual(modes.choose("icount", f)[0], "icount")
        self.assertEqual(modes.choose("kvm", modes.HostFacts(True, True, ["vmx"], False))[0], "kvm")

    def test_not_hardware(self):
        for f in (modes.HostFacts(False, False, ["vmx"], False),      # no /dev/kvm
                  modes.HostFacts(True, True, ["sse2", "lm"], False),  # no vmx/svm
                  modes.HostFacts(True, True, ["vmx"], True),          # kvm_pvm
                  modes.HostFacts(True, False, ["vmx"], False)):       # no access
            self.assertEqual(modes.choose(None, f)[0], "icount")
            self.assertRaises(ValueError, modes.choose, "kvm", f)

    def test_tcg_only_when_asked(self):
        f = modes.HostFacts(False, False, [], False)
        mode, why = modes.choose("tcg", f)
        self.assertEqual(mode, "tcg")
        self.assertIn("not a speed result", why)
        self.assertIn("not a speed result", modes.UNITS["tcg"])
        self.assertRaises(ValueError, modes.choose, "fast", f)

    def test_boots(self):
        self.assertEqual(modes.default_boots("icount"), 1)
        self.assertEqual(modes.default_boots("kvm"), 5)

    def test_command_lines(self):
        ic = qemu.command("tern", "icount", "k.elf", "i.cpio")
        self.assertEqual(ic[0], "qemu-system-x86_64")
        self.assertIn("shift=0", ic)
        self.assertIn("max,-erms,-fsrm", ic)
        self.assertEqual(ic[ic.index("-seed") + 1], "1")
        kv = qemu.command("linux", "kvm", "vmlinuz", "i.cpio")
        self.assertEqual(kv[:3], ["taskset", "-c", "0"])
        for w in ("-enable-kvm", "-mem-prealloc", "host"):
            self.assertIn(w, kv)
        self.assertEqual(kv[kv.index("-smp") + 1], "1")
        # The same machine for both systems; only the kernel and its words differ.
        lx = qemu.command("linux", "icount", "vmlinuz", "i.cpio")
        self.assertEqual(lx[:lx.index("-kernel")], ic[:ic.index("-kernel")])
        self.assertIn("printk.time=1", lx[-1])


class RecordsTest(unittest.TestCase):
    def test_fields(self):
        r = records.base("icount", "why", "u", 1, "bb", ["--quick"])
        for k in records.FIELDS:
            self.assertIn(k, r)
        self.assertRegex(r["date"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")
        self.assertRegex(r["tern_commit"], r"^([0-9a-f]{12}(-dirty)?|unknown.*)$")
        self.assertTrue(r["qemu_version"])

    def test_cpu_model(self):
        with tempfile.NamedTemporaryFile("w", suffix="cpuinfo", delete=False) as f:
            f.write("processor\t: 0\nmodel name\t: AMD EPYC 9B14\nflags\t: fpu\n")
        try:
            self.assertEqual(records.host_cpu(f.name), "AMD EPYC 9B14")
        finally:
            os.unlink(f.name)

    def test_linux_record(self):
        rec = records.linux_record(
            "/c/linux-image-6.1.0-57-cloud-amd64/boot/vmlinuz-6.1.0-57-cloud-amd64",
            {"uname": "Linux 6.1.0-57-cloud-amd64", "vulnerabilities": {"meltdown": "Not affected"}})
        self.assertEqual(rec["package"], "linux-image-6.1.0-57-cloud-amd64")
        self.assertEqual(rec["image"], "vmlinuz-6.1.0-57-cloud-amd64")
        self.assertEqual(rec["vulnerabilities"], {"meltdown": "Not affected"})
        self.assertEqual(report.mitigations_text(rec["vulnerabilities"]), "not affected: meltdown")
        self.assertEqual(report.mitigations_text({"a": "Not affected", "b": "Mitigation: x"}),
                         "b: Mitigation: x; not affected: a")

    def test_init_script(self):
        s = initramfs.init_script(["--only", "getpid,stat", "it's"])
        self.assertTrue(s.startswith("#!/bin/sh\n"))
        self.assertIn("/bin/posix_bench --only getpid,stat 'it'\"'\"'s'\n", s)
        self.assertIn("/sys/devices/system/cpu/vulnerabilities/", s)
        self.assertTrue(s.rstrip().endswith("poweroff -f"))


class ProfileTest(unittest.TestCase):
    LINES = [
        'PROF {"kind":"meta","src":"proc","tsc_hz":1000000000}',
        'PROF {"kind":"syscall","src":"pid 7","nr":39,"name":"getpid","count":1000,"total":107000,'
        '"avg":107,"min":101,"max":480,"entry":31000,"libposix":76000,"ipc":0,"server":0}',
        'junk PROF {"kind":"syscall","src":"pid 8","nr":39,"name":"getpid","count":1000,"total":93000,'
        '"avg":93,"min":110,"max":400,"entry":30000,"libposix":63000,"ipc":0,"server":0}',
        'PROF {"kind":"syscall","src":"pid 7","nr":8,"name":"lseek","count":10,"total":7870,'
        '"avg":787,"min":700,"max":900,"entry":900,"libposix":1000,"ipc":3000,"server":2970}',
        'PROF {"kind":"phase","src":"proc","name":"exec.elf_read","count":3,"total":90000,'
        '"avg":30000,"min":28000,"max":33000}',
        'PROF {"kind":"syscall", broken',
    ]

    def test_summarise(self):
        p = profile.summarise(self.LINES)
        self.assertEqual(p["bad_lines"], 1)
        self.assertEqual(p["tsc_hz"], 1000000000)
        g = p["syscalls"][0]
        self.assertEqual(g["name"], "getpid")  # the greatest total first
        self.assertEqual((g["count"], g["total"], g["min"], g["max"]), (2000, 200000, 101, 480))
        self.assertEqual(g["avg"], 100)
        self.assertEqual(g["avg_entry"], 30.5)
        ls = p["syscalls"][1]
        self.assertEqual(sum(ls["avg_" + s] for s in profile.SPLIT), ls["avg"])
        self.assertEqual(p["phases"][0]["name"], "exec.elf_read")
        md = profile.markdown(p, "icount")
        self.assertIn("| getpid | 2,000 | 100 | 101 | 480 | 30 | 70 | 0 | 0 |", md)
        self.assertIn("| exec.elf_read | 3 | 30,000 |", md)
        self.assertEqual(profile.scale("kvm", 2000000000), (0.5, "ns"))

    @unittest.skipUnless(plot.available(), "no matplotlib in this python")
    def test_plots(self):
        with tempfile.TemporaryDirectory() as d:
            p = profile.plot(profile.summarise(self.LINES), "icount", os.path.join(d, "p.png"))
            r = plot.ratios(doc_with({"a": 90.0, "b": 300.0}), os.path.join(d, "r.png"))
            for f in (p, r):
                with open(f, "rb") as png:
                    self.assertEqual(png.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()


HERE = os.path.dirname(os.path.abspath(__file__))


def script(path, text):
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + text)
    os.chmod(path, 0o755)


class EndToEndTest(unittest.TestCase):
    """The whole run (cli -> bench -> initramfs, boots, parse, results,
    report, plots) with test/runner/fake_qemu.py for QEMU and stand-ins
    for the program, the kernels and BusyBox: under a second."""

    def run_cli(self, d, *extra):
        from runner import cli
        build = os.path.join(d, "build")
        for sub in ("linux", "kernel", "busybox"):
            os.makedirs(os.path.join(build, sub), exist_ok=True)
        script(os.path.join(build, "linux/posix_bench"),
               "echo 'getpid micro 200000 4000'; echo 'lseek micro 200000 4000';"
               "echo 'fork_exit micro 2000 40'; echo 'stat micro 100000 2000'\n")
        script(os.path.join(build, "busybox/busybox"), "echo sh; echo cat; echo poweroff\n")
        open(os.path.join(build, "kernel/kernel.elf"), "w").close()
        vmlinuz = os.path.join(d, "vmlinuz-6.1.0-fake")
        open(vmlinuz, "w").close()
        out = os.path.join(d, "out")
        with open(os.path.join(d, "stdout"), "w") as log:
            old, sys.stdout = sys.stdout, log
            try:
                rc = cli.main(["--mode", "icount", "--build", build, "--out", out,
                               "--linux-kernel", vmlinuz,
                               "--qemu", os.path.join(HERE, "fake_qemu.py"),
                               "--det-benchmark", "getpid"] + list(extra))
            finally:
                sys.stdout = old
        return rc, results.load(os.path.join(out, "results.json")), out

    def test_run(self):
        with tempfile.TemporaryDirectory() as d:
            rc, doc, out = self.run_cli(d, "--profile")
            self.assertEqual(rc, 0)
            rows = {r["name"]: r for r in doc["benchmarks"]}
            self.assertEqual(list(rows), ["getpid", "lseek", "fork_exit", "stat"])
            self.assertEqual(rows["getpid"]["verdict"], "FASTER")
            # One boot each: the determinism and profile boots are not figures.
            self.assertEqual((rows["getpid"]["linux"]["runs"], rows["getpid"]["tern"]["runs"]),
                             ([321.0], [107.0]))
            self.assertEqual(rows["lseek"]["verdict"], "SLOW")
            self.assertEqual(rows["fork_exit"]["tern"]["reason"], "SKIP fork: Out of memory (errno 12)")
            self.assertEqual(rows["stat"]["verdict"], "not run")
            rec = doc["records"]
            self.assertEqual(rec["qemu_version"], "QEMU emulator version 0.0.0 (fake_qemu.py)")
            self.assertEqual(rec["linux"]["vulnerabilities"]["spectre_v2"], "Mitigation: Retpolines")
            self.assertEqual(rec["linux"]["uname"], "Linux 6.1.0-fake #1 SMP")
            self.assertIn("shift=0", rec["qemu_commands"]["tern"])
            self.assertIn("tern.profile=1", rec["qemu_commands"]["tern_profile"][-1])
            self.assertNotIn("tern.profile=1", rec["qemu_commands"]["tern"][-1])
            self.assertEqual(doc["determinism"]["tern"]["runs"], [107.0, 107.0, 107.0])
            self.assertEqual(doc["determinism"]["tern"]["spread"], 0.0)
            # The /init shell's own calls ("init": wait4) are left out.
            self.assertEqual([s["name"] for s in doc["profile"]["syscalls"]], ["lseek", "getpid"])
            # The SLOW row got its own profiled boot (--quick --only lseek).
            self.assertEqual(list(doc["profile"]["rows"]), ["lseek"])
            with open(os.path.join(out, "prof-lseek.cpio"), "rb") as f:
                self.assertIn(b"\n/bin/posix_bench --quick --only lseek\n", f.read())
            self.assertTrue(os.path.exists(os.path.join(out, "logs/tern-profile-lseek.log")))
            with open(os.path.join(out, "profile.md")) as f:
                self.assertIn("| lseek | 1.94 | lseek | 202,001 | 750 | 30 | 150 | 300 | 270 |", f.read())
            self.assertEqual(doc["profile"]["phases"][0]["name"], "exec.elf_read")
            with open(os.path.join(out, "results.md")) as f:
                md = f.read()
            self.assertIn("summary: 4 benchmarks: 1 FASTER, 0 OK, 1 SLOW, 2 not run", md)
            self.assertIn("spectre_v2: Mitigation: Retpolines; not affected: meltdown", md)
            for f in ("main.cpio", "det.cpio", "profile.md", "logs/tern-1.log", "logs/linux-1.log"):
                self.assertTrue(os.path.exists(os.path.join(out, f)), f)
            if plot.available():
                self.assertTrue(os.path.exists(os.path.join(out, "ratios.png")))
                self.assertTrue(os.path.exists(os.path.join(out, "profile.png")))

    def test_boots_and_compare(self):
        with tempfile.TemporaryDirectory() as d:
            rc, doc, out = self.run_cli(d, "--boots", "3", "--no-determinism", "--only", "getpid,lseek")
            self.assertEqual(rc, 0)
            # The stand-in ignores --only: what a side printed beyond the
            # selection is kept, kind "?", never dropped.
            self.assertEqual([(r["name"], r["kind"]) for r in doc["benchmarks"]],
                             [("getpid", "micro"), ("lseek", "micro"), ("fork_exit", "?")])
            g = doc["benchmarks"][0]
            self.assertEqual(g["linux"]["runs"], [321.0] * 3)
            self.assertEqual((g["tern"]["best"], g["tern"]["median"]), (107.0, 107.0))
            self.assertIsNone(doc["determinism"])
            self.assertEqual(doc["records"]["program_args"], ["--only", "getpid,lseek"])
            _, counts = compare.compare(doc, doc)
            self.assertEqual(counts["tern"]["identical"], 2)


class ScheduleTest(unittest.TestCase):
    def test_alternating(self):
        from runner import bench
        self.assertEqual(bench.schedule("kvm", 3), [("linux", 0), ("tern", 0), ("linux", 1),
                                                    ("tern", 1), ("linux", 2), ("tern", 2)])
