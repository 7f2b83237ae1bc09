#!/bin/sh
# map-demo: the tutorial's pipeliner lesson, (0..10).with_threads(4).map(|x| x + 1).
. "$(dirname "$0")/lib.sh"

# The tutorial's output, in the order its run happened to give.
tutorial='result: 1
result: 2
result: 5
result: 3
result: 6
result: 7
result: 8
result: 9
result: 10
result: 4'
run "$RUSTYC" map-demo
ok "[ $RC -eq 0 ]" "exits 0"
is "$(sort -t' ' -k2 -n "$OUT")" "$(printf '%s\n' "$tutorial" | sort -t' ' -k2 -n)" \
	"the tutorial's results, each once (in whatever order the threads finish)"
run "$RUSTYC" map-demo -k -j 8 -n 1000
is "$(cat "$OUT")" "$(seq 1 1000 | sed 's/^/result: /')" "-k: in input order, on 8 threads over 0..1000"
run "$RUSTYC" map-demo -j 3 -n 500
is "$(sort -t' ' -k2 -n "$OUT")" "$(seq 1 500 | sed 's/^/result: /')" "unordered: every result exactly once"
run "$RUSTYC" map-demo -n 0
ok "[ $RC -eq 0 ] && [ ! -s '$OUT' ]" "an empty sequence maps to nothing"
usage_error "-j 0 is refused" "invalid value '0' for -j/--threads" "$RUSTYC" map-demo -j 0
done_testing
