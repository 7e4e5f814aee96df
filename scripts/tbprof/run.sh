#!/bin/sh
# scripts/tbprof/run.sh TAG BENCH [ROWS]: boots posix_bench BENCH twice (--quick and
# full) in icount mode with tbcount.so and prints where the difference's
# guest instructions go, per iteration (README.md).
set -e
D=$(cd "$(dirname "$0")" && pwd); ROOT=$D/../..; B=$ROOT/build; T=${1:?tag}; N=${2:?bench}
OUT=${TBPROF_OUT:-/tmp/tbprof}; mkdir -p "$OUT"
if [ ! -f "$OUT/tbcount.so" ] || [ "$D/tbcount.c" -nt "$OUT/tbcount.so" ]; then
	gcc -O2 -shared -fPIC -fvisibility=hidden -o "$OUT/tbcount.so" "$D/tbcount.c"
fi
python3 "$ROOT/scripts/mkinitramfs.py" -o "$OUT/bench.cpio" --file /init="$B/linux/posix_bench" >/dev/null
for q in q f; do
	[ $q = q ] && a="--quick $N" || a="$N"
	python3 "$ROOT/scripts/qemu_run.py" --kernel "$B/kernel/kernel.elf" --initrd "$OUT/bench.cpio" \
		--append "console=ttyS0 quiet -- $a" --mode icount --no-debug-exit --timeout 400 \
		-- -plugin "$OUT/tbcount.so,out=$OUT/${T}_$q.txt" | grep "^BENCH $N"
done
it=$(python3 -c "import subprocess;l=[x.split() for x in subprocess.run(['$B/linux/posix_bench','--list'],capture_output=True,text=True).stdout.splitlines()];print([int(x[2])-int(x[3]) for x in l if x[0]=='$N'][0])")
python3 "$D/tbprof.py" "$OUT/${T}_q.txt" "$OUT/${T}_f.txt" "$it" "$B" "${3:-50}"
