#!/bin/sh
# Runs the core benchmark and, when rustc is on the machine, the same cases
# in Rust's std (peer=rust_std), then a table of the ratios:
#   vs_baseline = rustyc / naive pthread baseline (same run)
#   vs_rust     = rustyc / Rust std (same run)
# Higher is better for rustyc in both.
set -e
dir=$(dirname "$BENCH_BIN")
res=$dir/bench-core.txt
"$BENCH_BIN" | tee "$res"
if command -v rustc >/dev/null 2>&1; then
	out=$dir/rust_std
	if [ ! -x "$out" ] || [ bench/rust_std.rs -nt "$out" ]; then
		rustc -O --edition 2021 -o "$out" bench/rust_std.rs 2>/dev/null || {
			echo "# rustc could not build bench/rust_std.rs; no rust_std figures" >&2
			out=
		}
	fi
	[ -n "$out" ] && "$out" | tee -a "$res"
else
	echo "# rustc not found: no rust_std figures" >&2
fi
awk '
	/ peer=/ {
		split($1, c, "="); split($2, p, "="); split($5, m, "=")
		if (!(c[2] in seen)) { seen[c[2]] = 1; order[n++] = c[2] }
		mops[c[2], p[2]] = m[2]
	}
	END {
		printf "\n%-20s %10s %10s %10s %12s %8s\n", "case", "rustyc", "baseline", "rust_std", "vs_baseline", "vs_rust"
		for (i = 0; i < n; i++) {
			k = order[i]; r = mops[k, "rustyc"]; b = mops[k, "baseline"]; s = mops[k, "rust_std"]
			printf "%-20s %10s %10s %10s %12s %8s\n", k, r, b, (s == "" ? "-" : s),
				(b > 0 ? sprintf("%.2f", r / b) : "-"), (s > 0 ? sprintf("%.2f", r / s) : "-")
		}
		print "(figures are million operations per second, best of BENCH_REPEAT runs)"
	}' "$res"
