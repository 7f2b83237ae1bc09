#!/bin/sh
# serve's memory budget and a stdout that stops draining.  The budget
# bounds the lines queued for stdout and the partial lines of every
# connection together; when it is reached serve stops reading instead of
# growing.  A stalled stdout never stops the workers (timeouts still
# fire), a stop drains for --drain-timeout and then ends, and a second
# signal ends at once.  Loopback only.
. "$(dirname "$0")/lib.sh"

TOOL=$HELPERS/tcptool
# Under a sanitizer the allocator's shadow and quarantine make RSS say
# nothing about serve: the budget is then checked through its summary
# (reading paused at the budget) alone.
rss_ok() {
	[ -n "${RY_SANITIZE:-}" ] || [ "$1" -lt "$2" ]
}
# serve_into READER ARGS...: serve ARGS with stdout piped into the shell
# command READER; SPID is serve's own pid, PORT its port.
serve_into() {
	_reader=$1
	shift
	sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$T/serve.pid" "$RUSTYC" serve "$@" 2>"$T/serve.err" |
		sh -c "$_reader" &
	READER=$!
	at_exit "kill $READER 2>/dev/null"
	wait_for "grep -q 'listening on' '$T/serve.err'" || return 1
	SPID=$(cat "$T/serve.pid")
	at_exit "kill -9 $SPID 2>/dev/null"
	PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/serve.err")
}
# peak_rss PID SECS: the largest VmRSS (KiB) seen over SECS seconds.
peak_rss() {
	_peak=0 _i=0
	while [ $_i -lt $(($2 * 10)) ]; do
		_r=$(awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null)
		[ -n "$_r" ] && [ "$_r" -gt $_peak ] && _peak=$_r
		sleep 0.1
		_i=$((_i + 1))
	done
	echo $_peak
}

# ---- 1: lines queued for a slow stdout ----
# 32 MiB of 256 KiB lines into a reader that starts 4 s late, with a
# 4 MiB budget: memory stays near the budget, and every line arrives
# once the reader reads.
serve_into "sleep 4; cat >'$T/q.out'" --max-memory 4M --max-line 1M 0
perl -e 'print "x" x 262143, "\n" for 1..128' | "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null &
SENDER=$!
rss=$(peak_rss "$SPID" 3)
ok "rss_ok $rss 16384" "queued lines: RSS stays under 16 MiB for a 4 MiB budget while 32 MiB wait (peak ${rss} KiB)"
wait_for "[ \$(cat '$T/q.out' 2>/dev/null | wc -l) -ge 128 ]" 300
wait $SENDER
kill -TERM "$SPID"
wait_for "! kill -0 $SPID 2>/dev/null" 100
is "$(wc -l <"$T/q.out" | tr -d ' ')" 128 "and all 128 lines arrive once stdout drains"
ok "[ \$(awk 'length(\$0) != 262143' '$T/q.out' | wc -l) -eq 0 ]" "each one whole"
ok "grep -qE 'reading paused [1-9][0-9]* times at the memory budget' '$T/serve.err'" "serve says it paused at the budget"

# ---- 2: partial lines on many connections ----
serve_into "cat >/dev/null" --max-memory 4M --max-line 1M 0
"$TOOL" partial 40 1040000 3 127.0.0.1 "$PORT" >"$T/partial" &
SENDER=$!
rss=$(peak_rss "$SPID" 2)
wait $SENDER
ok "rss_ok $rss 16384" "40 connections each sending a 1 MiB unfinished line: RSS under 16 MiB (peak ${rss} KiB; $(cat "$T/partial"))"
kill -TERM "$SPID"
wait_for "! kill -0 $SPID 2>/dev/null" 100
ok "grep -qE 'reading paused [1-9][0-9]* times' '$T/serve.err'" "and it paused reading to stay there"

# ---- 3: a stdout nobody reads ----
# The pipe and the budget fill; idle and line timeouts must still fire.
serve_into "sleep 60" --max-memory 2M --max-line 64K --idle-timeout 1 --line-timeout 1 --drain-timeout 1 0
perl -e 'print "y" x 999, "\n" for 1..20000' | timeout 10 "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null &
"$TOOL" hold 20 4 127.0.0.1 "$PORT" >"$T/hold" 2>&1
ok "grep -qE '^connected 20 closed 20' '$T/hold'" "stdout stalled: idle connections are still closed ($(cat "$T/hold"))"
start=$(date +%s%N)
kill -TERM "$SPID"
wait_for "! kill -0 $SPID 2>/dev/null" 100
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "! kill -0 $SPID 2>/dev/null && [ $ms -lt 4000 ]" "SIGTERM with stdout stalled: ends after the 1 s drain (${ms} ms)"
ok "grep -qE '^rustyc serve: [0-9]+ lines not delivered' '$T/serve.err'" "and counts the lines not delivered"
kill $READER 2>/dev/null

# A second signal ends at once, even with a long drain timeout.
serve_into "sleep 60" --max-memory 2M --max-line 64K --drain-timeout 60 0
perl -e 'print "z" x 999, "\n" for 1..20000' | timeout 10 "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null &
wait_for "[ \$(awk '/^VmRSS/ { print \$2 }' /proc/$SPID/status) -gt 0 ]"
sleep 1	# let the pipe and the queue fill
kill -TERM "$SPID"
sleep 0.3
start=$(date +%s%N)
kill -INT "$SPID"
wait_for "! kill -0 $SPID 2>/dev/null" 100
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "! kill -0 $SPID 2>/dev/null && [ $ms -lt 2000 ]" "a second signal during the drain ends serve at once (${ms} ms)"
kill $READER 2>/dev/null

usage_error "--max-memory under twice --max-line is refused" "--max-memory 1048576 is less than twice --max-line" \
	"$RUSTYC" serve --max-memory 1M 0
done_testing
