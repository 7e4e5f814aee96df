"""The comparison runner (the README's first command, scripts/run.sh):
the project's benchmark program booted as part of the same initramfs on
Debian's Linux kernel and on tern in the same QEMU, side by side.

Modules: modes (which QEMU mode and why), qemu (the command lines),
boot (one boot, its console split into the program's lines), parse (BENCH,
SKIP, RUNNER and profiler lines), initramfs (the archive both boot),
results (runs, best, median, ratio, verdict; the JSON), report (the
Markdown table), plot (the PNGs), compare (two result files), records
(machine, QEMU, kernels, commit, date), profile (the --profile summary),
sidebyside (any initramfs on both kernels, outputs diffed), cli (the
command line; scripts/compare.py is its thin wrapper)."""
