#!/bin/sh
# BusyBox's own test suite, one group of applets: what /init runs in the
# guest (tern or Debian's Linux) and what a host run runs in a chroot of
# the same tree (scripts/bbtest.py). Prints "BBTEST-APPLET: NAME" before
# each applet's results (runtest's PASS:/FAIL:/SKIPPED:/UNTESTED: lines,
# with -v the diff of each failure) and "BBTEST-END GROUP STATUS" last,
# each marker with the uptime.
group=$1
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=linux LANG=C LC_ALL=C
export SKIP_KNOWN_BUGS=1 SKIP_INTERNET_TESTS=1
export BBTEST_TIMEOUT=${BBTEST_TIMEOUT:-240}
umask 022
cd /bb/testsuite || exit 1
echo "BBTEST-START $group"
./runtest -v $(cat "/bb/groups/$group") </dev/null 2>&1
status=$?
read -r up idle </proc/uptime
echo "BBTEST-END $group $status $up"
