#!/bin/sh
# barrier-demo: before lines of a round precede its after lines; one leader.
. "$(dirname "$0")/lib.sh"

run "$RUSTYC" barrier-demo
ok "[ $RC -eq 0 ]" "default run exits 0"
is "$(head -5 "$OUT" | sort)" "$(printf 'before wait %s\n' 0 1 2 3 4)" "the first five lines are every 'before wait I'"
is "$(tail -5 "$OUT" | sort)" "$(printf 'after wait %s\n' 0 1 2 3 4)" "the last five are every 'after wait I'"

run "$RUSTYC" barrier-demo -j 3 -r 50 -L
ok "[ $RC -eq 0 ] && [ \$(wc -l <'$OUT') -eq 300 ]" "-j 3 -r 50: 300 lines"
# Per round: three befores, then three afters, one of them the leader.
awk '
	{ r = $NF; if ($NF == "(leader)") { r = $(NF - 1); leaders[r]++ } }
	/^before/ { if (after[r]) bad++; before[r]++ }
	/^after/  { if (before[r] != 3) bad++; after[r]++ }
	END {
		for (r = 0; r < 50; r++) if (leaders[r] != 1 || after[r] != 3) bad++
		print bad + 0
	}' "$OUT" >"$T/bad"
is "$(cat "$T/bad")" 0 "every round: all befores precede its afters, exactly one leader"

usage_error "-j 0 is refused" "invalid value '0' for -j/--threads" "$RUSTYC" barrier-demo -j 0
usage_error "-r 0 is refused" "invalid value '0' for -r/--rounds: must be from 1" "$RUSTYC" barrier-demo -r 0
done_testing
