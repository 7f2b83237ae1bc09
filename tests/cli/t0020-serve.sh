#!/bin/sh
# serve: print mode, echo mode, limits, signals.  Loopback only.
. "$(dirname "$0")/lib.sh"
TOOL=$HELPERS/tcptool

# fresh NAME: after a fault case, a new client of the print-mode server
# started as NAME still has its line printed.
fresh() {
	_line="fresh client $$ $(date +%s%N)"
	printf '%s\n' "$_line" | "$TOOL" send 127.0.0.1 "$PORT"
	wait_for "grep -qxF '$_line' '$T/$1.out'"
	ok "grep -qxF '$_line' '$T/$1.out'" "  and a fresh client is served"
}

# ---- print mode ----
start_serve print 0
# 40 clients at once, 250 lines each: every line once, intact, in order
# per client, never two lines on one output line.
i=1
while [ $i -le 40 ]; do
	awk -v c=$i 'BEGIN { for (l = 1; l <= 250; l++) printf "client %d line %d %s\n", c, l, "payload-payload-payload" }' >"$T/in.$i"
	"$TOOL" send 127.0.0.1 "$PORT" <"$T/in.$i" &
	CLIENTS="${CLIENTS:-} $!"
	i=$((i + 1))
done
wait $CLIENTS
wait_for "[ \$(wc -l <'$T/print.out') -ge 10000 ]" 200
cat "$T"/in.* | sort >"$T/want"
sort "$T/print.out" >"$T/got"
ok "cmp -s '$T/got' '$T/want'" "40 concurrent clients x 250 lines: every line once and intact"
bad=0
for c in 1 17 40; do
	grep "^client $c line " "$T/print.out" | cmp -s - "$T/in.$c" || bad=$((bad + 1))
done
is "$bad" 0 "each client's lines keep their order"

: >"$T/print.out.mark"
printf 'esc \033[31mred\033[0m\nnul \000 byte\nback\\slash\ttab\nhigh \377\376\nno newline at end' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q 'no newline at end' '$T/print.out'"
tail -5 "$T/print.out" >"$T/esc"
is "$(cat "$T/esc")" "$(printf '%s\n' 'esc \x1b[31mred\x1b[0m' 'nul \x00 byte' 'back\\slash\x09tab' \
	'high \xff\xfe' 'no newline at end')" "control, NUL, backslash and high bytes are escaped; a final line without newline is printed"
ok "! grep -q \"\$(printf '\\033')\" '$T/print.out'" "no raw escape character reaches stdout"
fresh print
stop_serve TERM
ok "[ $SRC -eq 0 ]" "SIGTERM: exit 0"
ok "grep -qE '^rustyc serve: 42 connections, 10006 lines, [0-9]+ bytes$' '$T/print.err'" "SIGTERM: a summary of connections, lines, bytes"

start_serve burst 0
seq 1 10000 | sed 's/^/burst line /' >"$T/burst.in"
"$TOOL" send 127.0.0.1 "$PORT" <"$T/burst.in"
wait_for "[ \$(wc -l <'$T/burst.out') -ge 10000 ]" 200
ok "cmp -s '$T/burst.out' '$T/burst.in'" "10,000 lines sent in one go come out one per line, in order"
fresh burst
stop_serve

start_serve peer --peer 0
printf 'hi there\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "[ -s '$T/peer.out' ]"
ok "grep -qE '^127\.0\.0\.1:[0-9]+ hi there$' '$T/peer.out'" "--peer prefixes the client address"
stop_serve
start_serve json --json 0
printf 'say "hi"\\\033\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "[ -s '$T/json.out' ]"
ok "grep -qE '^\{\"peer\":\"127\.0\.0\.1:[0-9]+\",\"line\":\"say \\\\\"hi\\\\\"\\\\\\\\\\\\u001b\"\}$' '$T/json.out'" \
	"--json: peer and line, quotes, backslash and ESC escaped"
stop_serve

# ---- limits in print mode ----
start_serve limits --max-line 64K 0
head -c 4194304 /dev/zero | tr '\0' 'x' | "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null &
LONG=$!
printf 'still here\n' | "$TOOL" send -k 0.3 127.0.0.1 "$PORT"
wait $LONG
wait_for "grep -q 'line longer than 65536 bytes' '$T/limits.err'"
ok "grep -q 'closed: line longer than 65536 bytes' '$T/limits.err'" "a line over --max-line closes that connection, with a log line"
printf 'after the long line\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q 'after the long line' '$T/limits.out'"
ok "grep -qx 'still here' '$T/limits.out' && grep -qx 'after the long line' '$T/limits.out'" "other clients keep working"
ok "! grep -q xxxxxxxx '$T/limits.out'" "nothing of the long line is printed"
stop_serve

start_serve big 0
head -c 67108864 /dev/zero | tr '\0' 'y' | "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null
printf 'fine\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q '^fine$' '$T/big.out'"
ok "grep -q 'line longer than 1048576 bytes' '$T/big.err' && grep -qx fine '$T/big.out'" \
	"a 64 MiB line under the default 1M limit closes only its connection"
stop_serve

start_serve reset 0
printf 'half a li' | "$TOOL" send -R 127.0.0.1 "$PORT"
printf 'whole line\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q 'whole line' '$T/reset.out'"
ok "grep -qx 'whole line' '$T/reset.out'" "a client that resets mid-line affects only itself"
fresh reset
stop_serve
ok "[ $SRC -eq 0 ]" "and the server ends cleanly"

start_serve idle --idle-timeout 0.3 0
"$TOOL" hold 3 2 127.0.0.1 "$PORT" >"$T/hold"
ok "grep -qE '^connected 3 closed 3 first_close_ms ([2-9][0-9][0-9]|1[0-9][0-9][0-9])$' '$T/hold'" \
	"--idle-timeout 0.3 closes silent clients after about 0.3 s ($(cat "$T/hold"))"
printf 'one byte at a time\n' | "$TOOL" send -s 100 127.0.0.1 "$PORT"
wait_for "grep -q 'one byte at a time' '$T/idle.out'" 200
ok "grep -qx 'one byte at a time' '$T/idle.out'" "a slow client that keeps sending is not idle"
fresh idle
stop_serve

# Slowloris: a byte every 100 ms is never idle, so --line-timeout is what
# bounds it: a line must be complete within S of its first byte.
start_serve slow --idle-timeout 0.3 --line-timeout 0.5 -v 0
start=$(date +%s%N)
printf 'a line that takes two seconds\n' | "$TOOL" send -s 100 127.0.0.1 "$PORT" 2>/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "grep -q 'closed: line not complete after 0.5 s' '$T/slow.err' && [ $ms -ge 400 ] && [ $ms -lt 1500 ]" \
	"--line-timeout 0.5 closes a client trickling a byte per 100 ms (after ${ms} ms)"
ok "! grep -q 'a line that' '$T/slow.out'" "nothing of its unfinished line is printed"
printf 'abc\n' | "$TOOL" send -s 100 127.0.0.1 "$PORT"
printf 'def\nghi\njkl\n' | "$TOOL" send -s 60 127.0.0.1 "$PORT"
wait_for "grep -qx jkl '$T/slow.out'"
ok "grep -qx abc '$T/slow.out' && grep -qx def '$T/slow.out' && grep -qx jkl '$T/slow.out'" \
	"slow lines that each complete in time are printed: 0.72 s in all, the clock restarts per line"
fresh slow
stop_serve
start_serve slowonce --once --line-timeout 0.3 -v 0
printf 'never finished' | "$TOOL" send -k 1 127.0.0.1 "$PORT" 2>/dev/null
ok "grep -q 'closed: line not complete after 0.3 s' '$T/slowonce.err'" "--once: the same limit on its one line"
stop_serve
usage_error "--line-timeout with --echo exits 2" "--line-timeout is for lines: not with --echo" \
	"$RUSTYC" serve --echo --line-timeout 1 0

# All from 127.0.0.1 on purpose: no per-address limit here (by default
# one address may hold half of --max-conns; see the slowloris below).
start_serve maxc --max-conns 3 --max-per-addr 0 0
"$TOOL" hold 3 1.5 127.0.0.1 "$PORT" >"$T/hold3" &
HOLD=$!
wait_for "[ \$(ss -Htn state established \"( sport = :$PORT )\" | wc -l) -ge 3 ]"
"$TOOL" hold 2 0.5 127.0.0.1 "$PORT" >"$T/hold2"
wait $HOLD
ok "grep -q '^connected 3 closed 0' '$T/hold3'" "--max-conns 3: three connections are served"
ok "grep -qE '^connected 2 closed 2' '$T/hold2'" "and the ones beyond are closed at once"
printf 'after\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q after '$T/maxc.out'"
ok "grep -qx after '$T/maxc.out'" "a new client is served once others have left"
stop_serve
ok "grep -qE 'connections, 2 refused' '$T/maxc.err'" "the summary counts the refused"

# A slowloris from two addresses cannot lock out a third.  Each attacker
# opens 150 connections and sends a byte on each every 300 ms (never
# idle, never a line); the defaults give one address at most half of
# --max-conns and keep the last sixteenth for addresses holding none.
start_serve loris -v --max-conns 100 0
ok "grep -q 'limits: 100 connections, 50 per address (6 kept for new addresses); idle 300 s, line 60 s' '$T/loris.err'" \
	"defaults: 50 per address, 6 slots kept, lines must complete within 60 s ($(grep limits "$T/loris.err"))"
# established SRC: connections from SRC to the server that are still open.
established() {
	ss -Htn state established "( dport = :$PORT and src $1 )" | wc -l
}
"$TOOL" hold -b 127.0.0.2 -t 300 150 6 127.0.0.1 "$PORT" >"$T/loris2" &
L2=$!
wait_for "grep -q dialed '$T/loris2' && [ \$(established 127.0.0.2) -eq 50 ]" 200
ok "[ $(established 127.0.0.2) -eq 50 ]" "the first attacker holds 50 of its 150 connections ($(established 127.0.0.2))"
"$TOOL" hold -b 127.0.0.3 -t 300 150 5 127.0.0.1 "$PORT" >"$T/loris3" &
L3=$!
wait_for "grep -q dialed '$T/loris3' && [ \$(established 127.0.0.3) -eq 44 ]" 200
ok "[ $(established 127.0.0.3) -eq 44 ]" "the second holds 44: all but the 6 kept slots ($(established 127.0.0.3))"
printf 'canary one\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q 'canary one' '$T/loris.out'"
ok "grep -qx 'canary one' '$T/loris.out'" "a canary from a third address is served while the attack goes on"
"$TOOL" hold -b 127.0.0.2 1 0.5 127.0.0.1 "$PORT" >"$T/loris2b"
ok "grep -q '^connected 1 closed 1' '$T/loris2b'" "while the first attacker gets no more"
wait $L2 $L3
stop_serve
ok "grep -qE 'connections, [0-9]+ refused \\([0-9]+ over --max-per-addr, [0-9]+ while the last slots were kept for new addresses\\)' '$T/loris.err'" \
	"the summary says why connections were refused ($(tail -n 1 "$T/loris.err"))"

# SIGTERM with lines in flight: every complete line received is printed.
start_serve drain 0
seq 1 5000 | sed 's/^/line /' >"$T/drain.in"
"$TOOL" send -k 3 127.0.0.1 "$PORT" <"$T/drain.in" &
CLIENT=$!
wait_for "[ \$(wc -l <'$T/drain.out') -ge 1 ]"
stop_serve TERM
kill $CLIENT 2>/dev/null
wait $CLIENT 2>/dev/null
ok "[ $SRC -eq 0 ] && cmp -s '$T/drain.out' '$T/drain.in'" "SIGTERM while a client is connected: all 5000 lines printed"
# Clients that never stop sending, into a slow reader: the drain takes
# only what had arrived at the signal, and delivers it for at most
# --drain-timeout, so serve still ends promptly.
# (serve's own pid, written by the shell that execs it: a pattern match
# on the process list would also find another test's serve.)
sh -c 'echo $$ >"$1"; exec "$2" serve --drain-timeout 1 0' sh "$T/busy.pid" "$RUSTYC" 2>"$T/busy.err" |
	while IFS= read -r l; do :; done &
wait_for "grep -q 'listening on' '$T/busy.err'"
BUSY=$(cat "$T/busy.pid")
PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/busy.err")
SENDERS=
for k in 1 2 3 4 5; do
	yes "endless line $k" | timeout 20 "$TOOL" send 127.0.0.1 "$PORT" 2>/dev/null &
	SENDERS="$SENDERS $!"
done
wait_for "[ \$(ss -Htn state established \"( sport = :$PORT )\" | wc -l) -ge 5 ]"
start=$(date +%s%N)
kill -TERM "$BUSY"
wait_for "! kill -0 $BUSY 2>/dev/null" 200
ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill $SENDERS 2>/dev/null
ok "! kill -0 $BUSY 2>/dev/null && [ $ms -lt 3000 ]" "SIGTERM with clients still sending into a slow reader: ends after the 1 s drain (${ms} ms)"

start_serve int 0
stop_serve INT
ok "[ $SRC -eq 130 ] && grep -q '0 connections' '$T/int.err'" "SIGINT: summary, exit 130"

# stdout closed early: serve ends quietly.
sh -c 'echo $$ >"$1"; exec "$2" serve 0' sh "$T/head.pid" "$RUSTYC" 2>"$T/head.err" | head -1 >"$T/head.out" &
wait_for "grep -q 'listening on' '$T/head.err'"
HPID=$(cat "$T/head.pid")
PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/head.err")
seq 1 20000 | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "! kill -0 $HPID 2>/dev/null" 200
ok "! kill -0 $HPID 2>/dev/null && [ \"\$(cat '$T/head.out')\" = 1 ]" "| head -1: serve ends by itself after the reader left"
ok "! grep -q 'cannot write' '$T/head.err'" "quietly"

# ---- echo mode ----
start_serve echo --echo 0
run "$RUSTYC" echo-client "$PORT"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'hello from the client!' ]" "echo-client gets the tutorial's message back"
head -c 1048576 /dev/urandom >"$T/bin"
"$TOOL" send -h 127.0.0.1 "$PORT" <"$T/bin" >"$T/bin.back"
ok "cmp -s '$T/bin' '$T/bin.back'" "1 MiB of random bytes come back exactly, and half-close ends the echo"
run "$RUSTYC" echo-client -c 50 -n 20000 -s 100 -P 4 "$PORT"
ok "[ $RC -eq 0 ] && grep -q '^20000 requests' '$OUT' && grep -q 'errors 0, mismatches 0, failed connections 0' '$OUT'" \
	"50 clients, 20000 pipelined requests, every byte verified"
run "$RUSTYC" echo-client -c 2000 -n 4000 -t 20 "$PORT"
ok "[ $RC -eq 0 ] && grep -q '^4000 requests' '$OUT' && grep -q 'failed connections 0' '$OUT'" \
	"2,000 concurrent connections all served"
# A client that sends and never reads: the server stops reading from it
# instead of buffering without bound.
"$TOOL" flood 2 127.0.0.1 "$PORT" >"$T/flood" &
FLOOD=$!
sleep 1
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$SPID/status)
run "$RUSTYC" echo-client "$PORT" "others still echo"
wait $FLOOD
ok "[ $RC -eq 0 ]" "while one client floods without reading, others are echoed"
ok "[ $rss -lt 65536 ]" "and the server's memory stays bounded (RSS ${rss} KiB after $(cat "$T/flood"))"
# Clients that vanish while their echoes are on the way: the server's
# sends meet a reset socket (EPIPE/ECONNRESET, never SIGPIPE).
for k in 1 2 3 4 5; do
	head -c 1048576 /dev/zero | "$TOOL" send -R 127.0.0.1 "$PORT" 2>/dev/null
done
ok "kill -0 $SPID" "five clients that reset mid-echo do not kill the server (no SIGPIPE)"
run "$RUSTYC" echo-client "$PORT" "fresh after resets"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'fresh after resets' ]" "  and a fresh client is echoed"
stop_serve

start_serve once --once 0
printf 'first line\nsecond line\n' | "$TOOL" send -r 127.0.0.1 "$PORT" >"$T/once.back"
is "$(cat "$T/once.back")" "first line" "--once: one line back, then the server closes (a read-to-end client ends)"
stop_serve

# Out of file descriptors: the server sheds new clients, keeps serving
# the ones it has, accepts again once descriptors free up, never spins.
sh -c "ulimit -n 40 && exec '$RUSTYC' serve --echo 0" >/dev/null 2>"$T/emfile.err" &
SPID=$!
at_exit "kill $SPID 2>/dev/null"
wait_for "grep -q 'listening on' '$T/emfile.err'"
PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/emfile.err")
ticks() { awk '{ print $14 + $15 }' /proc/$SPID/stat; }
before=$(ticks)
"$TOOL" hold 80 2 127.0.0.1 "$PORT" >"$T/emfile.hold"
used=$(( $(ticks) - before ))
ok "grep -q 'out of file descriptors' '$T/emfile.err' && grep -qE 'closed [1-9]' '$T/emfile.hold'" \
	"past the open-file limit new clients are shed, with one log line ($(cat "$T/emfile.hold"))"
ok "[ $used -lt 50 ]" "and the acceptor does not spin (${used} ticks of CPU in 2 s)"
run "$RUSTYC" echo-client "$PORT" "served again"
ok "[ $RC -eq 0 ]" "once descriptors are free, new clients are served"
stop_serve
ok "[ $SRC -eq 0 ]" "and it stops cleanly"

start_serve verbose -v 0
printf 'x\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "grep -q 'closed' '$T/verbose.err'"
ok "grep -qE 'connection 1 from 127\.0\.0\.1:[0-9]+ opened' '$T/verbose.err' && grep -qE 'connection 1 from 127\.0\.0\.1:[0-9]+ closed' '$T/verbose.err'" \
	"-v logs each connection opening and closing"
stop_serve

# ---- CRLF: telnet's and nc -C's lines ----
start_serve crlf 0
printf 'one\r\ntwo\r\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "[ \$(wc -l <'$T/crlf.out') -ge 2 ]"
stop_serve
is "$(cat "$T/crlf.out")" "$(printf 'one\ntwo')" "CRLF ends a line like LF: no visible \\x0d"
start_serve crlfk --keep-cr 0
printf 'one\r\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "[ -s '$T/crlfk.out' ]"
stop_serve
is "$(cat "$T/crlfk.out")" 'one\x0d' "--keep-cr shows it"
start_serve crlfj --json 0
printf 'one\r\n' | "$TOOL" send 127.0.0.1 "$PORT"
wait_for "[ -s '$T/crlfj.out' ]"
stop_serve
ok "grep -qF '\"line\":\"one\\r\"' '$T/crlfj.out'" "--json keeps every byte, the CR included"

# ---- addresses ----
# IPv6 loopback is there when the kernel lists ::1 on an interface.
if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	start_serve v6 --echo -b ::1 0
	run "$RUSTYC" echo-client "[::1]:$PORT" "over IPv6"
	ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'over IPv6' ]" "IPv6: serve -b ::1 and echo-client [::1]:PORT"
	ok "grep -q 'listening on \[::1\]:' '$T/v6.err'" "the listening line shows [::1]:PORT"
	stop_serve
	start_serve v6b --echo '[::1]:0'
	run "$RUSTYC" echo-client "[::1]:$PORT" "bracketed"
	ok "[ $RC -eq 0 ] && grep -q 'listening on \[::1\]:' '$T/v6b.err'" "serve [::1]:PORT as one argument"
	run "$RUSTYC" echo-client ::1 "$PORT" "nc style"
	ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'nc style' ]" "echo-client ::1 PORT, as nc takes it"
	stop_serve
	# -b :: is dual-stack, as ncat -l: an IPv4 client is served and shown
	# as IPv4 (it was refused); -6 keeps it to IPv6.
	start_serve dual --peer -b :: 0
	printf 'four\n' | "$TOOL" send 127.0.0.1 "$PORT"
	printf 'six\n' | "$TOOL" send ::1 "$PORT"
	wait_for "[ \$(wc -l <'$T/dual.out') -ge 2 ]"
	stop_serve
	ok "grep -qE '^127\.0\.0\.1:[0-9]+ four$' '$T/dual.out' && grep -qE '^\[::1\]:[0-9]+ six$' '$T/dual.out'" \
		"-b :: takes IPv4 and IPv6 clients, an IPv4 one shown as IPv4"
	start_serve only6 --echo -6 -b :: 0
	run "$RUSTYC" echo-client -t 1 "127.0.0.1:$PORT"
	ok "[ $RC -eq 2 ] && grep -q 'Connection refused' '$ERR'" "-6: an IPv4 client is refused"
	run "$RUSTYC" echo-client -t 1 "[::1]:$PORT" "six"
	ok "[ $RC -eq 0 ]" "and an IPv6 one served"
	stop_serve
else
	skip "no IPv6 loopback here (::1 is not in /proc/net/if_inet6)"
fi
# Names where an address is expected: looked up (in /etc/hosts here).
start_serve byname --echo -b localhost 0
run "$RUSTYC" echo-client -t 500ms "localhost:$PORT" "by name"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'by name' ]" "serve -b localhost, and echo-client localhost:PORT with -t 500ms"
stop_serve
usage_error "an address given both in -b and the argument is a usage error" \
	"'127.0.0.1:0' names an address and so does -b/--bind ('::1'): give it once" \
	"$RUSTYC" serve -b ::1 127.0.0.1:0
start_serve busy 0
usage_error "a port in use exits 2 naming the address" "cannot listen on 127.0.0.1:$PORT: Address already in use" \
	"$RUSTYC" serve "$PORT"
stop_serve
usage_error "a port over 65535 exits 2 naming it and the range" "invalid value '70000' for PORT: must be from 0 to 65535" "$RUSTYC" serve 70000
usage_error "a bad bind address exits 2 naming it" "invalid value '999.1.1.1' for -b/--bind: not an IPv4 address" \
	"$RUSTYC" serve -b 999.1.1.1 0
usage_error "no port exits 2" "no port given" "$RUSTYC" serve
usage_error "--echo with --once exits 2" "--echo and --once exclude each other" "$RUSTYC" serve --echo --once 0
usage_error "--max-line 0 exits 2" "invalid value '0' for --max-line" "$RUSTYC" serve --max-line 0 0
usage_error "--idle-timeout nan exits 2" "invalid value 'nan' for --idle-timeout" "$RUSTYC" serve --idle-timeout nan 0
done_testing
