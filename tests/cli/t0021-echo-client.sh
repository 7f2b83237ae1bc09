#!/bin/sh
# echo-client: the single check and load mode, against rustyc serve and
# against a server that answers wrongly.  Loopback only.
. "$(dirname "$0")/lib.sh"
TOOL=$HELPERS/tcptool

start_serve echo --echo 0
run "$RUSTYC" echo-client "127.0.0.1:$PORT" 'any message at all'
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'any message at all' ] && [ ! -s '$ERR' ]" "a matching echo: printed, exit 0"
run "$RUSTYC" echo-client -c 7 -n 1001 "$PORT"
ok "[ $RC -eq 0 ] && grep -q '^1001 requests in ' '$OUT'" "load mode does exactly the requests asked for (7 conns, 1001)"
ok "grep -qE '^latency us: p50 [0-9.]+ p90 [0-9.]+ p99 [0-9.]+ p99.9 [0-9.]+ max [0-9.]+$' '$OUT'" "latency percentiles"
# More connections than the soft file limit allows: raised to the hard
# limit, every request done (it lost 1,985 of 3,000 connections to
# "Too many open files"); past the hard limit, refused before it starts.
run sh -c "ulimit -Sn 256 && exec '$RUSTYC' echo-client -c 400 -n 800 $PORT"
ok "[ $RC -eq 0 ] && grep -q '^800 requests in ' '$OUT' && grep -q 'failed connections 0' '$OUT'" \
	"-c 400 under a soft limit of 256: the limit is raised, all 800 requests done"
run sh -c "ulimit -n 256 && exec '$RUSTYC' echo-client -c 400 -n 800 $PORT"
ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -q -- '-c 400 needs about 417 open files, and this process may have 256' '$ERR'" \
	"and under a hard limit of 256: refused, exit 2, saying what it needs"
run "$RUSTYC" echo-client --json -c 3 -n 300 -s 1K -P 8 "$PORT"
ok "[ $RC -eq 0 ] && grep -qE '^\{\"requests\":300,\"seconds\":[0-9.]+,\"req_per_s\":[0-9]+,\"p50_us\":[0-9.]+,\"p90_us\":[0-9.]+,\"p99_us\":[0-9.]+,\"p999_us\":[0-9.]+,\"max_us\":[0-9.]+,\"errors\":0,\"mismatches\":0,\"failed_connections\":0,\"reconnects\":0,\"connections\":3,\"size\":1024,\"depth\":8,\"rate\":null,\"interrupted\":false,\"histogram\":\{\"sub\":32,\"count\":300,\"sum\":[0-9]+,\"max\":[0-9]+,\"buckets\":\[(\[[0-9]+,[0-9]+\],?)+\]\}\}$' '$OUT'" \
	"--json: one object with every figure"
# nc's habits: HOST PORT as two arguments; --json for the single check.
run "$RUSTYC" echo-client 127.0.0.1 "$PORT" "as nc takes it"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'as nc takes it' ]" "HOST PORT MESSAGE as three arguments, as nc"
run "$RUSTYC" echo-client localhost "$PORT"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$OUT')\" = 'hello from the client!' ]" "HOST PORT with a name"
run "$RUSTYC" echo-client --json "$PORT" 'say "hi"'
is "$(cat "$OUT")" '{"sent":"say \"hi\"","received":"say \"hi\"","match":true}' "--json for the single check: sent, received, match"
start=$(date +%s%N)
run "$RUSTYC" echo-client -c 4 -d 0.5 "$PORT"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 0 ] && [ $ms -ge 450 ] && [ $ms -lt 5000 ]" "-d 0.5 bounds the run by time (${ms} ms)"
spawn "$RUSTYC" echo-client -c 4 -d 20 "$PORT"
# Its connections are open once the server has accepted four more.
wait_for "[ \$(ss -Htn state established \"( sport = :$PORT )\" | wc -l) -ge 4 ]" 200
kill -INT "$WPID"
reap
ok "[ $RC -eq 130 ] && grep -qE '^[1-9][0-9]* requests in .*\\(interrupted\\)$' '$OUT' && grep -q 'mismatches 0' '$OUT'" \
	"SIGINT ends a load run early: the summary of what was done, exit 130"
stop_serve

"$TOOL" wrong-echo 0 >"$T/wrong" &
WRONG=$!
at_exit "kill $WRONG 2>/dev/null"
wait_for "[ -s '$T/wrong' ]"
WPORT=$(sed -n 's/^port //p' "$T/wrong")
run "$RUSTYC" echo-client "$WPORT"
ok "[ $RC -eq 1 ]" "a wrong echo exits 1"
is "$(cat "$ERR")" "rustyc echo-client: echo mismatch: sent 'hello from the client!', got 'iello from the client!'" \
	"and shows both"
run "$RUSTYC" echo-client -c 2 -n 100 "$WPORT"
ok "[ $RC -eq 1 ] && grep -q 'mismatches 2,' '$OUT'" "load mode counts mismatches (one per connection, then it closes)"

# A server that ends its lines with CRLF, and one that closes without a
# byte in reply.
"$TOOL" crlf-echo 0 >"$T/crlf" &
CRLF=$!
at_exit "kill $CRLF 2>/dev/null"
"$TOOL" no-echo 0 >"$T/none" &
NONE=$!
at_exit "kill $NONE 2>/dev/null"
wait_for "[ -s '$T/crlf' ] && [ -s '$T/none' ]"
CPORT=$(sed -n 's/^port //p' "$T/crlf")
NPORT=$(sed -n 's/^port //p' "$T/none")
run "$RUSTYC" echo-client "$CPORT"
ok "[ $RC -eq 1 ]" "an echo ending in CRLF is a mismatch, byte for byte"
run "$RUSTYC" echo-client --trim "$CPORT"
ok "[ $RC -eq 0 ] && grep -qxF 'hello from the client!\x0d' '$OUT'" \
	"--trim compares as the tutorial's trim_right: a CRLF echo matches (shown as it came)"
run "$RUSTYC" echo-client "$NPORT"
ok "[ $RC -eq 2 ] && grep -q 'no echo from 127.0.0.1:$NPORT: it closed the connection without a reply' '$ERR'" \
	"a server that closes without a reply: no echo, exit 2 (it was 1)"
run "$RUSTYC" echo-client --json "$NPORT"
ok "[ $RC -eq 2 ] && [ -s '$OUT' ] && jq -e '.match == false and .received == null and (.error | startswith(\"no echo: \"))' '$OUT' >/dev/null" \
	"--json: a record that says why (nothing was printed before)"
usage_error "--trim in load mode is refused" "--trim is for the single check" "$RUSTYC" echo-client --trim -n 5 8000
usage_error "--force without --merge is refused" "--force is for --merge" "$RUSTYC" echo-client --force 8000

# ---- constant rate (-R), histograms, --merge ----
# (jq 1.6 -e exits 0 on empty input: every jq check here first checks
# that its file is not empty.)
start_serve rate --echo 0
start=$(date +%s%N)
run "$RUSTYC" echo-client -R 200 -n 100 "$PORT"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 0 ] && grep -q '^100 requests in [0-9.]* s, [0-9]* req/s of 200 asked' '$OUT'" "-R 200 -n 100: 100 requests, said against the rate asked"
ok "[ $ms -ge 450 ]" "-R paces the requests: 100 at 200/s take half a second (${ms} ms)"
ok "! grep -q 'not reached' '$ERR'" "a rate that is reached draws no warning"
# (Under AddressSanitizer this once spun for minutes, releasing the
# schedule's slots one by one and deaf to SIGTERM: hence the timeout.)
run timeout 60 "$RUSTYC" echo-client -R 100000000 -n 2000 "$PORT"
ok "[ $RC -eq 0 ] && grep -q 'the rate asked was not reached: [0-9]* of 100000000 requests/s' '$ERR'" \
	"-R far past what one connection does: over at once, and said on stderr (it exited 0 in silence)"
# A server that stalls for 400 ms while a constant-rate load runs: the
# requests that fell due during the stall count from when they were due,
# so the stall shows in the percentiles, not in one slow request.
# stalled FILE ARGS...: a 1.5 s load with ARGS, the server stopped for
# 0.4 s half a second in; the --json summary in FILE.
stalled() {
	_f=$1
	shift
	"$RUSTYC" echo-client --json -d 1.5 "$@" "$PORT" >"$_f" 2>/dev/null &
	_l=$!
	sleep 0.5
	kill -STOP "$SPID"
	sleep 0.4
	kill -CONT "$SPID"
	wait $_l
}
stalled "$T/co.json" -R 100
co_p90=$(jq '.p90_us' "$T/co.json")
stalled "$T/cl.json" -c 1 -P 1
cl_p90=$(jq '.p90_us' "$T/cl.json")
ok "[ -s '$T/co.json' ] && jq -e '.p90_us > 100000 and .requests >= 140 and .rate == 100' '$T/co.json' >/dev/null" \
	"-R: a 400 ms stall puts p90 over 100 ms (the ~40 requests due in it waited; p90 $co_p90 us)"
ok "[ -s '$T/cl.json' ] && jq -e '.p90_us < 50000 and .max_us > 300000' '$T/cl.json' >/dev/null" \
	"without -R the same stall hides in one slow request: p90 stays low ($cl_p90 us), only max shows it"
run "$RUSTYC" echo-client --json -c 2 -n 300 "$PORT"
cp "$OUT" "$T/a.json"
ok "[ -s '$T/a.json' ] && jq -e '.histogram.count == .requests and .histogram.sub == 32 and (.histogram.buckets | map(.[1]) | add) == 300' '$T/a.json' >/dev/null" \
	"--json carries the whole latency histogram (every request in a bucket)"
"$RUSTYC" echo-client --json -c 2 -n 500 "$PORT" >"$T/b.json"
run "$RUSTYC" echo-client --merge "$T/a.json" "$T/b.json"
ok "[ $RC -eq 0 ] && grep -q '^800 requests from 2 runs, [0-9]* req/s together' '$OUT' && grep -q '^latency us: p50 [0-9.]* p90' '$OUT'" \
	"--merge adds the runs: 800 requests from 2, with percentiles"
run "$RUSTYC" echo-client --merge --json "$T/a.json" "$T/b.json"
cp "$OUT" "$T/ab.json"
is "$(jq -c '.histogram.buckets' "$T/ab.json")" \
	"$(jq -sc '[.[].histogram.buckets[]] | group_by(.[0]) | map([.[0][0], (map(.[1]) | add)])' "$T/a.json" "$T/b.json")" \
	"the merged histogram is the bucket-by-bucket sum of the runs'"
ok "[ -s '$T/ab.json' ] && jq -e '.max_us == ([\$a.max_us, \$b.max_us] | max) and .runs == 2' --slurpfile x /dev/null --argjson a \"\$(cat '$T/a.json')\" --argjson b \"\$(cat '$T/b.json')\" '$T/ab.json' >/dev/null" \
	"its max is the larger max"
cp "$T/ab.json" "$T/ab2.json"
run "$RUSTYC" echo-client --merge --json "$T/ab.json" "$T/ab2.json"
ok "[ -s '$OUT' ] && jq -e --slurpfile m '$T/ab.json' '.requests == 1600 and .p50_us == \$m[0].p50_us and .p99_us == \$m[0].p99_us' '$OUT' >/dev/null" \
	"a merge merges again: two copies of a merge double the counts, keep the percentiles"
run "$RUSTYC" echo-client --merge "$T/a.json" "$T/b.json" "$T/../$(basename "$T")/a.json"
ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -q \"a.json' is given twice (as '.*a.json'): each run counts once\" '$ERR'" \
	"--merge refuses one file given twice, under two names (it counted the run twice)"
"$RUSTYC" echo-client --json -c 3 -n 200 "$PORT" >"$T/c3.json"
run "$RUSTYC" echo-client --merge "$T/a.json" "$T/c3.json"
ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -q \"c3.json' line 1: a run with another number of connections (-c): give --force\" '$ERR'" \
	"--merge refuses runs of different shapes (-c 2 and -c 3), naming what differs"
run "$RUSTYC" echo-client --merge --force "$T/a.json" "$T/c3.json"
ok "[ $RC -eq 0 ] && grep -q '^500 requests from 2 runs' '$OUT'" "and --force merges them"
run "$RUSTYC" echo-client --merge
ok "[ $RC -eq 2 ] && grep -q 'no files given for --merge' '$ERR'" "--merge without files says so (it said 'no port given')"
printf '{"requests":5}\n' >"$T/bad.json"
run "$RUSTYC" echo-client --merge "$T/a.json" "$T/bad.json"
ok "[ $RC -eq 2 ] && grep -q \"bad.json' line 1: not an echo-client --json load summary\" '$ERR' && [ ! -s '$OUT' ]" \
	"--merge: a line that is not a summary exits 2 naming the file and line, printing nothing"
# Numbers a hostile file could carry: never invalid JSON out, never a
# count that wraps, never a bucket no value maps to.
jq -c '.seconds = "nan"' "$T/a.json" >"$T/nan.json"
jq -c '.requests = -1' "$T/a.json" >"$T/neg.json"
jq -c '.histogram.buckets += [[1950, 1]] | .histogram.count += 1' "$T/a.json" >"$T/hi.json"
sed 's/"requests":[0-9]*/"requests":18446744073709551615/' "$T/a.json" >"$T/huge.json"
for f in nan neg hi; do
	run "$RUSTYC" echo-client --merge --json "$T/a.json" "$T/$f.json"
	ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -q \"$f.json' line 1: \" '$ERR'" "--merge refuses a summary with a hostile number ($f)"
done
cp "$T/huge.json" "$T/huge2.json"
run "$RUSTYC" echo-client --merge --json "$T/huge.json" "$T/huge2.json"
ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && grep -q 'counts too large to add up' '$ERR'" "--merge refuses counts that would wrap when added"
run "$RUSTYC" echo-client --merge "$T/nosuch.json"
ok "[ $RC -eq 2 ] && grep -q \"cannot read '.*nosuch.json'\" '$ERR'" "--merge: a missing file exits 2"
usage_error "--merge with load options is refused" "--merge reads the results of earlier runs" "$RUSTYC" echo-client --merge -c 2 "$T/a.json"
usage_error "-R 0 is refused" "invalid value '0' for -R/--rate" "$RUSTYC" echo-client -R 0 8000
stop_serve

# ---- a timed run outlives a server restart (wrk keeps going too) ----
# The server goes away 0.7 s into a 2.5 s run and is back 0.4 s later on
# the same port: the lost connections dial again and the run lasts its
# time.  Before, the first reset ended it (a 4 s run ended at 0.999 s).
start_serve rs1 --echo 0
RPORT=$PORT
"$RUSTYC" echo-client -c 2 -d 2.5 "$RPORT" >"$T/rc.out" 2>"$T/rc.err" &
LPID=$!
sleep 0.7
stop_serve
sleep 0.4
start_serve rs2 --echo "$RPORT"
wait $LPID
RC=$?
secs=$(sed -n 's/^[0-9]* requests in \([0-9.]*\) s.*/\1/p' "$T/rc.out")
ok "[ $RC -eq 1 ] && awk -v s='$secs' 'BEGIN { exit !(s >= 2.4) }' && grep -qE 'reconnects [2-9]' '$T/rc.out' && grep -q 'mismatches 0,' '$T/rc.out'" \
	"-d 2.5 across a server restart: lasts its time (${secs:-?} s), lost connections dial again ($(grep -o 'reconnects [0-9]*' "$T/rc.out"))"
run "$RUSTYC" echo-client --json -c 1 -d 0.3 "$RPORT"
ok "[ -s '$OUT' ] && jq -e '.reconnects == 0 and .requests > 0' '$OUT' >/dev/null" "--json gives the reconnects (0 here)"
stop_serve

start_serve printer 0
run "$RUSTYC" echo-client -t 0.3 "$PORT"
ok "[ $RC -eq 2 ] && grep -q 'no echo from 127.0.0.1:$PORT: Connection timed out' '$ERR'" "no echo within -t: exit 2"
stop_serve
run "$RUSTYC" echo-client "$PORT"
ok "[ $RC -eq 2 ] && grep -q \"cannot connect to 127.0.0.1:$PORT: Connection refused\" '$ERR'" "connection refused: exit 2 naming the address"
run "$RUSTYC" echo-client -c 3 -n 10 "$PORT"
ok "[ $RC -eq 2 ] && grep -q \"cannot connect to 127.0.0.1:$PORT: Connection refused\" '$ERR'" "load mode with nothing listening: exit 2"
run "$RUSTYC" echo-client --json -c 3 -n 10 "$PORT"
ok "[ $RC -eq 2 ] && [ -s '$OUT' ] && jq -e '.address == \"127.0.0.1:$PORT\" and .error == \"cannot connect: Connection refused\"' '$OUT' >/dev/null" \
	"--json load with nothing listening: a record with the error on stdout"

usage_error "-n with -d is refused" "-n and -d exclude each other" "$RUSTYC" echo-client -n 5 -d 1 8000
usage_error "-c 0 is refused" "invalid value '0' for -c/--conns" "$RUSTYC" echo-client -c 0 8000
usage_error "-s 1 is refused" "invalid value '1' for -s/--size: must be from 2" "$RUSTYC" echo-client -s 1 -n 1 8000
usage_error "-P 0 is refused" "invalid value '0' for -P/--depth" "$RUSTYC" echo-client -P 0 8000
usage_error "a bad address is refused" "invalid address 'x:99999': port over 65535" "$RUSTYC" echo-client x:99999
usage_error "a message in load mode is refused" "a MESSAGE is for the single check" "$RUSTYC" echo-client -n 5 8000 hi
done_testing
