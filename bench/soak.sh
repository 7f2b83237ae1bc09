#!/bin/sh
# make soak: rustyc serve under sustained load, on loopback only.
#   echo:  serve --echo under echo-client -c 1000 for SOAK_SECS (default
#          300): zero mismatches or errors, and the server's RSS and open
#          fds, sampled from /proc every SOAK_EVERY seconds (default 10),
#          flat after warm-up (the last sample within 10% + 1 MiB of the
#          one at a fifth of the run).
#   print: serve printing 50 clients' lines into a slow reader for the
#          same time: RSS bounded the same way.
# RUSTYC may point at a sanitizer build (make soak SANITIZE=...):
# LeakSanitizer then reports at exit and any report fails the soak, and
# SOAK_RSS=0 skips the RSS check (the allocator's quarantine grows it).
set -u
RUSTYC=$1
HELPERS=$2
SECS=${SOAK_SECS:-300}
EVERY=${SOAK_EVERY:-10}
T=$(mktemp -d)
PIDS=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
fail=0

port_of() {
	i=0
	while [ $i -lt 100 ]; do
		p=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$1")
		[ -n "$p" ] && { echo "$p"; return; }
		i=$((i + 1)); sleep 0.05
	done
}
sample() {	# pid label -> appends "t rss_kib fds"
	echo "$(( $(date +%s) - START )) $(awk '/^VmRSS/ { print $2 }' /proc/$1/status) $(ls /proc/$1/fd | wc -l)" >>"$T/$2.samples"
}
judge() {	# label
	n=$(wc -l <"$T/$1.samples")
	ref=$(sed -n "$(( n / 5 > 0 ? n / 5 : 1 ))p" "$T/$1.samples" | cut -d' ' -f2)
	last=$(tail -1 "$T/$1.samples" | cut -d' ' -f2)
	echo "$1: samples (seconds rss_kib fds):"
	sed 's/^/  /' "$T/$1.samples"
	if [ "${SOAK_RSS:-1}" = 1 ] && [ "$last" -gt $(( ref + ref / 10 + 1024 )) ]; then
		echo "$1: RSS grew from $ref to $last KiB after warm-up"
		fail=1
	fi
}

# ---- echo ----
"$RUSTYC" serve --echo --max-conns 5000 0 2>"$T/echo.err" &
SRV=$!; PIDS="$PIDS $SRV"
PORT=$(port_of "$T/echo.err")
START=$(date +%s)
"$RUSTYC" echo-client --json -c 1000 -d "$SECS" -t 20 "$PORT" >"$T/load.json" 2>"$T/load.err" &
LOAD=$!
while kill -0 $LOAD 2>/dev/null; do sample $SRV echo; sleep "$EVERY"; done
wait $LOAD
echo "echo load: $(cat "$T/load.json")"
grep -q '"errors":0,"mismatches":0,"failed_connections":0' "$T/load.json" || { echo "echo: errors or mismatches"; fail=1; }
kill -TERM $SRV; wait $SRV
grep -q 'LeakSanitizer\|ERROR: AddressSanitizer' "$T/echo.err" && { cat "$T/echo.err"; fail=1; }
judge echo

# ---- print into a slow reader ----
"$RUSTYC" serve 0 2>"$T/print.err" | while IFS= read -r line; do :; done &
sleep 0.3
SRV=$(pgrep -n -f "rustyc serve 0" || pgrep -n -f "serve 0")
PIDS="$PIDS $SRV"
PORT=$(port_of "$T/print.err")
START=$(date +%s)
i=0
while [ $i -lt 50 ]; do
	yes "client $i says a line of ordinary length, again and again" |
		timeout "$SECS" "$HELPERS/tcptool" send 127.0.0.1 "$PORT" 2>/dev/null &
	i=$((i + 1))
done
end=$(( $(date +%s) + SECS ))
while [ "$(date +%s)" -lt $end ]; do sample $SRV print; sleep "$EVERY"; done
kill -TERM $SRV 2>/dev/null
wait
grep -q 'LeakSanitizer\|ERROR: AddressSanitizer' "$T/print.err" && { cat "$T/print.err"; fail=1; }
tail -1 "$T/print.err"
judge print
[ $fail -eq 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $fail
