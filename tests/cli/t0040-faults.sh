#!/bin/sh
# The fault suite across every subcommand: absurd option values, SIGINT
# and SIGTERM mid-run, stdout closed early, stdin lists of garbage.
# (serve's own faults are in t0020.)  Traffic stays on loopback; anything
# that could look up a name or send a packet outside it runs inside a
# network namespace this test creates.
. "$(dirname "$0")/lib.sh"

# ---- absurd option values ----
# Each must exit 2 with one line naming the value and the option, and
# print nothing on stdout.  timeout: a value wrongly taken would start a
# real run (on loopback) instead of failing at once.
#   absurd SUBCOMMAND OPTION NAME ZERO-IS-ABSURD ABOVE-THE-TOP ARGS...
absurd() {
	_sub=$1 _opt=$2 _name=$3 _zero=$4 _top=$5
	shift 5
	_bad=0 _why=
	for _v in -1 -0 nan inf 1e999 99999999999999999999999 '' 5x ' 5' 0x10 "$_top" Z; do
		[ "$_v" = Z ] && { [ "$_zero" = yes ] || continue; _v=0; }
		run timeout 10 "$RUSTYC" "$_sub" "$_opt" "$_v" "$@"
		if [ "$RC" -ne 2 ] || [ -s "$OUT" ] || [ "$(wc -l <"$ERR")" -ne 1 ] ||
		   ! grep -qF -- "invalid value '$_v' for " "$ERR" || ! grep -qF -- "$_name" "$ERR"; then
			_bad=$((_bad + 1))
			_why="$_why [$_v: status $RC, $(head -c 120 "$ERR")]"
		fi
	done
	ok "[ $_bad -eq 0 ]" "$_sub $_opt: negative, NaN, inf, overflow, junk, past the top$([ "$_zero" = yes ] && echo ', zero') exit 2 naming $_name$_why"
}
absurd resolve -j --jobs yes 100001 127.0.0.1:80
absurd resolve -t --timeout yes 3601 127.0.0.1:80
absurd ping-sweep -t --timeout yes 61 127.0.0.1
absurd ping-sweep -r --retries no 11 127.0.0.1
absurd ping-sweep --rate --rate no 10000001 127.0.0.1
absurd ping-sweep -j --jobs yes 4097 127.0.0.1
absurd ping-sweep --max-hosts --max-hosts yes 16777217 127.0.0.1
absurd serve -j --workers yes 257 0
absurd serve --max-conns --max-conns yes 10000001 0
absurd serve --max-line --max-line yes 1025M 0
absurd serve --idle-timeout --idle-timeout no 31536001 0
absurd serve --line-timeout --line-timeout no 31536001 0
absurd echo-client -c --conns yes 100001 1
absurd echo-client -n --requests yes 1000000000001 1
absurd echo-client -d --duration yes 86401 1
absurd echo-client -s --size yes 17M 1
absurd echo-client -P --depth yes 4097 1
absurd echo-client -j --threads yes 257 1
absurd echo-client -t --timeout yes 3601 1
absurd thread-demo -j --threads yes 1001
absurd share-demo -j --threads yes 1001
absurd share-demo -n --increments no 100000001
absurd channel-demo -p --producers yes 1001
absurd channel-demo -n --messages no 100000001
absurd channel-demo -b --bound no 1000001
absurd channel-demo -r --recvs no 1000000001
absurd channel-demo -t --timeout no 86401
absurd barrier-demo -j --threads yes 1001
absurd barrier-demo -r --rounds yes 1000001
usage_error "serve: a PORT past 65535 names the range" "invalid value '65536' for PORT: must be from 0 to 65535" \
	"$RUSTYC" serve 65536
usage_error "echo-client: PORT 0 names the range" "invalid value '0' for PORT: must be from 1 to 65535" \
	"$RUSTYC" echo-client 0
usage_error "an option's value with a terminal escape is shown escaped" "invalid value '\\x1b[2J' for -j/--threads" \
	"$RUSTYC" thread-demo -j "$(printf '\033[2J')"
esc=$(printf '\033')
usage_error "an unknown option with a terminal escape is shown escaped" "unknown option '--x\\x1by'" \
	"$RUSTYC" thread-demo "--x${esc}y"
usage_error "so is an unknown command" "'a\\x1bb' is not a command" "$RUSTYC" "a${esc}b"
long=$(head -c 5000 /dev/zero | tr '\0' 7)
run "$RUSTYC" barrier-demo -r "$long"
ok "[ $RC -eq 2 ] && [ \$(wc -c <'$ERR') -lt 400 ] && grep -qF '... (5000 bytes)' '$ERR'" \
	"a 5,000-character value is cut in the message ($(wc -c <"$ERR") bytes)"

# ---- SIGINT and SIGTERM mid-run ----
# What was done is on stdout, whole lines only; the status is 130 (143
# after SIGTERM), and rustyc ends by the signal itself, so a shell script
# that ran it stops too.  (thread-demo ends in milliseconds: nothing to
# interrupt.)
spawn "$RUSTYC" share-demo -j 2 -n 100000000
wait_for "grep -q '^after make_stronger' '$OUT'" 200
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ]" "share-demo: SIGINT in the mutex lesson ends it by SIGINT, 130 (got $RC, signal $SIGNALED)"
for l in cell refcell rc team; do "$RUSTYC" share-demo -s $l; done >"$T/before" 2>/dev/null
ok "cmp -s '$OUT' '$T/before'" "the lessons before it were printed whole, even into a file"

spawn "$RUSTYC" channel-demo -p 1 -n 1 -r 2 -t 60
wait_for "[ -s '$OUT' ]" 200
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ] && [ \"\$(cat '$OUT')\" = 'got Ok(\"hello 0\")' ]" \
	"channel-demo: SIGINT in recv_timeout: 130, the message received is printed"
spawn "$RUSTYC" channel-demo -p 1 -n 1 -r 2 -t 60
wait_for "[ -s '$OUT' ]" 200
kill -TERM "$WPID"
reap
ok "[ $RC -eq 143 ] && [ $SIGNALED -eq 15 ]" "channel-demo: SIGTERM: 143"

spawn "$RUSTYC" barrier-demo -j 2 -r 1000000
wait_for "[ \$(wc -l <'$OUT') -ge 20 ]" 200
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ] && [ \"\$(tail -c 1 '$OUT' | od -An -tx1 | tr -d ' ')\" = 0a ]" \
	"barrier-demo: SIGINT between rounds: 130, stdout ends in a whole line"

# serve: SIGINT prints the summary and ends by SIGINT; SIGTERM is the
# normal stop, status 0.
spawn "$RUSTYC" serve 0
wait_for "grep -q 'listening on' '$ERR'"
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ] && grep -q '0 connections' '$ERR'" "serve: SIGINT: summary, then ends by SIGINT"
spawn "$RUSTYC" serve 0
wait_for "grep -q 'listening on' '$ERR'"
kill -TERM "$WPID"
reap
ok "[ $RC -eq 0 ] && [ $SIGNALED -eq 0 ]" "serve: SIGTERM: a clean exit, 0"

# echo-client: a single check waiting for an echo that never comes (a
# print-mode server), and a load run stopped early.
start_serve silent -v 0
spawn "$RUSTYC" echo-client -t 60 "$PORT"
wait_for "grep -q 'opened' '$T/silent.err'"
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ] && [ ! -s '$OUT' ]" "echo-client: SIGINT while waiting for an echo: 130, nothing on stdout"
stop_serve
start_serve echo --echo -v 0
spawn "$RUSTYC" echo-client -c 2 -d 30 "$PORT"
wait_for "[ \$(grep -c 'opened' '$T/echo.err') -ge 2 ]" 200
kill -TERM "$WPID"
reap
ok "[ $RC -eq 143 ] && [ $SIGNALED -eq 15 ] && grep -qE '^[1-9][0-9]* requests in ' '$OUT'" \
	"echo-client: SIGTERM ends a load run: its summary, then 143"

# ---- stdout closed early: every subcommand ends quietly ----
# Status 0, the same for every subcommand (a reader that left is not a
# failure); never a message, never a hang.
#   closed DESC CMD...: runs CMD | head -1
closed() {
	_desc=$1
	shift
	{ timeout 30 "$@" 2>"$ERR"; echo $? >"$T/closed.st"; } | head -n 1 >"$OUT"
	_st=$(cat "$T/closed.st")
	ok "[ $_st -eq 0 ] && [ \$(wc -l <'$OUT') -eq 1 ] && ! grep -q 'cannot write' '$ERR'" \
		"$_desc | head -1: ends quietly (status $_st)"
}
closed thread-demo "$RUSTYC" thread-demo -j 1000
closed share-demo "$RUSTYC" share-demo -n 10
closed channel-demo "$RUSTYC" channel-demo -p 4 -n 50000
closed barrier-demo "$RUSTYC" barrier-demo -j 4 -r 20000
{ "$RUSTYC" echo-client -n 200 "$PORT" 2>"$ERR"; echo $? >"$T/closed.st"; } | true
_st=$(cat "$T/closed.st")
ok "[ $_st -eq 0 ] && [ ! -s '$ERR' ]" "echo-client | true: its summary has no reader, ends quietly (status $_st)"
stop_serve

# ---- stdout refuses the results (a full disk) ----
# Exit 2, the reason named, and no summary that claims success.
#   full DESC CMD...: runs CMD >/dev/full
full() {
	_desc=$1
	shift
	timeout 30 "$@" >/dev/full 2>"$ERR"
	_st=$?
	ok "[ $_st -eq 2 ] && grep -q 'cannot write results to stdout: No space left on device' '$ERR' && ! grep -qE 'hosts up|resolved,' '$ERR'" \
		"$_desc >/dev/full: exit 2 naming ENOSPC, no success summary (status $_st)"
}
full thread-demo "$RUSTYC" thread-demo
full share-demo "$RUSTYC" share-demo -s mutex
full channel-demo "$RUSTYC" channel-demo
full barrier-demo "$RUSTYC" barrier-demo
full ping-sweep "$RUSTYC" ping-sweep 127.0.0.1
full resolve "$RUSTYC" resolve localhost
start_serve fullecho --echo 0
full echo-client "$RUSTYC" echo-client "$PORT"
stop_serve
"$RUSTYC" serve 0 >/dev/full 2>"$T/fullserve.err" &
FPID=$!
wait_for "grep -q 'listening on' '$T/fullserve.err'"
PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/fullserve.err")
printf 'a line\n' | "$HELPERS/tcptool" send 127.0.0.1 "$PORT"
wait_for "! kill -0 $FPID 2>/dev/null" 100
wait $FPID
_st=$?
ok "[ $_st -eq 2 ] && grep -q 'cannot write results to stdout: No space left on device' '$T/fullserve.err'" \
	"serve >/dev/full: stops, exit 2 naming ENOSPC (status $_st)"

# ---- inside a namespace: resolve and ping-sweep ----
NS=ryflt$$
make_netns "$NS"
in_ns() { ip netns exec "$NS" "$@"; }	# spawn and closed need the command itself

closed resolve ip netns exec "$NS" "$RUSTYC" resolve -q 127.0.0.1:1 [::1]:1 127.0.0.2:1 127.0.0.3:1 127.0.0.4:1 127.0.0.5:1
closed ping-sweep ip netns exec "$NS" "$RUSTYC" ping-sweep -q --rate 0 127.0.0.0/22

# resolve: a 1 MiB line, binary garbage, no final newline.
{ head -c 1048576 /dev/zero | tr '\0' a; printf '\n\377\033[2J\n127.0.0.1:1\n[::1]:1'; } >"$T/names"
run in_ns "$RUSTYC" resolve -q -k - <"$T/names"
ok "[ $RC -eq 1 ] && [ \"\$(cat '$OUT')\" = \"\$(printf '127.0.0.1:1 127.0.0.1:1\n[::1]:1 [::1]:1')\" ]" \
	"resolve stdin: good names resolve, the last one without its newline too"
ok "[ \$(wc -l <'$ERR') -eq 2 ] && [ \$(wc -c <'$ERR') -lt 600 ] && grep -qF '... (1048576 bytes)' '$ERR' && grep -qF \"'\\\\xff\\\\x1b[2J'\" '$ERR'" \
	"a 1 MiB line and a garbage line: one short, escaped message each ($(wc -c <"$ERR") bytes)"
printf 'a\000b:80\n' | in_ns env MALLOC_PERTURB_=165 "$RUSTYC" resolve -q --json >"$OUT" 2>"$ERR"
ok "grep -qF '\"port\":null' '$OUT'" "a name with a NUL byte has no port in its JSON (never read unset)"

# ping-sweep: a bad line stops everything before a probe is sent, and
# the message names the line.
printf '127.0.0.1\n\377\376\033[31m\n' | in_ns "$RUSTYC" ping-sweep - >"$OUT" 2>"$ERR"
RC=$?
ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -qF \"invalid target '\\\\xff\\\\xfe\\\\x1b[31m' (line 2 of stdin)\" '$ERR'" \
	"ping-sweep stdin: binary garbage exits 2 naming line 2, escaped, before any probe"
{ head -c 1048576 /dev/zero | tr '\0' 9; echo; } | in_ns "$RUSTYC" ping-sweep - >"$OUT" 2>"$ERR"
RC=$?
ok "[ $RC -eq 2 ] && [ \$(wc -l <'$ERR') -eq 1 ] && [ \$(wc -c <'$ERR') -lt 400 ] && grep -qF '(line 1 of stdin)' '$ERR'" \
	"a 1 MiB line: exit 2, one short message ($(wc -c <"$ERR") bytes)"
printf '127.0.0.1\000x\n' | in_ns "$RUSTYC" ping-sweep - >"$OUT" 2>"$ERR"
RC=$?
ok "[ $RC -eq 2 ] && grep -qF \"'127.0.0.1\\\\x00x' (line 1 of stdin): it holds a NUL byte\" '$ERR'" "a NUL byte: exit 2, shown"
printf '# a comment\r\n127.0.0.1\r\n\n127.0.0.2' | in_ns "$RUSTYC" ping-sweep -q --rate 0 --sort - >"$OUT" 2>"$ERR"
RC=$?
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = \"\$(printf '127.0.0.1\n127.0.0.2')\" ]" \
	"CRLF lines, comments, blank lines and no final newline are read"

# Interrupted sweeps and lookups print what they found, then end by the
# signal.  198.51.100.7 is on a veth link with nothing behind it: the
# probe is sent (after an ARP request nobody answers), never answered.
ip netns exec "$NS" ip link add "ryx$$" type veth peer name "ryy$$" &&
	ip netns exec "$NS" ip addr add 198.51.100.254/24 dev "ryx$$" &&
	ip netns exec "$NS" ip link set "ryx$$" up && ip netns exec "$NS" ip link set "ryy$$" up
# (Results reach a file as they come, so the test waits for the live one.)
spawn ip netns exec "$NS" "$RUSTYC" ping-sweep -t 60 127.0.0.1 198.51.100.7
wait_for "grep -q 127.0.0.1 '$OUT'"
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ $SIGNALED -eq 2 ] && [ \"\$(cat '$OUT')\" = 127.0.0.1 ] && grep -q '(interrupted)' '$ERR'" \
	"ping-sweep: SIGINT while a host stays silent: the live one printed, summary, 130"
# At one probe a second, a stop right after the first reply leaves the
# others never probed: reported so, not as down.  (--no-shuffle: .1 goes
# first; the shuffled order depends on the list's hash.)
spawn ip netns exec "$NS" "$RUSTYC" ping-sweep --json --no-shuffle --rate 1 -t 60 127.0.0.1 127.0.0.2 127.0.0.3
wait_for "grep -q 127.0.0.1 '$OUT'"
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && [ \$(grep -c '\"state\":\"unprobed\"' '$OUT') -eq 2 ] && grep -q '\"address\":\"127.0.0.1\".*\"state\":\"up\"' '$OUT'" \
	"ping-sweep: after SIGINT, targets never probed are \"unprobed\", not down"
# Not through in_ns: a function would put a subshell between $! and the sink.
ip netns exec "$NS" "$HELPERS/udp_sink" 127.0.0.1 53 >"$T/sink.out" &
SINK=$!
at_exit "kill $SINK 2>/dev/null"
wait_for "[ -s '$T/sink.out' ]"
spawn ip netns exec "$NS" env RES_OPTIONS="timeout:30 attempts:1" "$RUSTYC" resolve -t 60 127.0.0.1:80 never.test
wait_for "grep -q 127.0.0.1 '$OUT'"
kill -TERM "$WPID"
reap
ok "[ $RC -eq 143 ] && [ $SIGNALED -eq 15 ] && [ \"\$(cat '$OUT')\" = '127.0.0.1:80 127.0.0.1:80' ] && grep -q '(interrupted)' '$ERR'" \
	"resolve: SIGTERM while a lookup hangs: what resolved is printed, then 143"

done_testing
