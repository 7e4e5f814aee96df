#!/bin/sh
# /init of the BusyBox test-suite image (scripts/bbtest.py): the same
# archive boots on tern and on Debian's Linux. Mounts what Linux does not
# give an initramfs by itself (tern's vfs has /proc and /dev already),
# runs the group named on the command line (after `--`), powers off.
[ -e /proc/self ] || mount -t proc proc /proc
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
[ -d /dev/pts ] || mkdir -p /dev/pts
[ -e /dev/ptmx ] && mount -t devpts devpts /dev/pts 2>/dev/null
/bin/sh /bb/run.sh "$1"
# Only pid 1 powers off (never a host that runs this by mistake).
[ $$ = 1 ] && poweroff -f
