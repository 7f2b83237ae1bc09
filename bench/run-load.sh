#!/bin/sh
# The load generator must not measure itself.  Against one min_echo
# server on loopback, rustyc echo-client with one thread and min_load (the
# smallest reasonable one-thread epoll generator, bench/min_load.c) take
# turns, 5 rounds of LOAD_SECS (default 1) each, at 1 and 16 connections
# of 16-byte lines.  Prints each side's median req/s and p99, and the
# ratios: goal req/s >= 0.95x min_load's, p99 within 10% of it.
# Then echo-client -R at half the measured rate: the rate it kept and its
# p99 (timed from each request's due time).
set -u
B=$1
RUSTYC=$2
SECS=${LOAD_SECS:-1}
T=$(mktemp -d)
PIDS=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$B/min_echo" 0 >"$T/srv" &
PIDS=$!
i=0
until PORT=$(sed -n 's/^port //p' "$T/srv") && [ -n "$PORT" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "# min_echo did not start"; exit 1; }; sleep 0.05
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

for conns in 1 16; do
	: >"$T/r.rps"; : >"$T/r.p99"; : >"$T/m.rps"; : >"$T/m.p99"
	for round in 1 2 3 4 5; do
		"$RUSTYC" echo-client --json -j 1 -c $conns -d "$SECS" "$PORT" >"$T/r" 2>/dev/null
		field req_per_s <"$T/r" >>"$T/r.rps"
		field p99_us <"$T/r" >>"$T/r.p99"
		"$B/min_load" "$PORT" $conns "$SECS" 16 >"$T/m"
		awk '{ print $6 }' "$T/m" >>"$T/m.rps"
		awk '{ print $10 }' "$T/m" >>"$T/m.p99"
	done
	rr=$(median <"$T/r.rps"); rp=$(median <"$T/r.p99"); mr=$(median <"$T/m.rps"); mp=$(median <"$T/m.p99")
	echo "case=load_16b_${conns}c peer=rustyc req_per_s=$rr p99_us=$rp"
	echo "case=load_16b_${conns}c peer=min_load req_per_s=$mr p99_us=$mp"
	awk -v rr="$rr" -v mr="$mr" -v rp="$rp" -v mp="$mp" -v c="$conns" \
		'BEGIN { printf "case=load_16b_%sc vs_min_load=%.2f p99_vs_min_load=%.2f (goals: >= 0.95, <= 1.10)\n", c, rr / mr, rp / mp }'
	eval "rate_$conns=$rr"
done

# Constant rate at half what 16 connections reached.
half=$(awk -v r="$rate_16" 'BEGIN { printf "%d", r / 2 }')
"$RUSTYC" echo-client --json -c 16 -R "$half" -d 2 "$PORT" >"$T/R" 2>/dev/null
echo "case=load_rate_16c peer=rustyc asked=$half req_per_s=$(field req_per_s <"$T/R") p50_us=$(field p50_us <"$T/R") p99_us=$(field p99_us <"$T/R")"
