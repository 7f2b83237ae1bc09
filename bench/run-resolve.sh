#!/bin/sh
# The resolve benchmark: 10,000 names of a generated zone served by
# dnsmasq inside a network namespace this script creates (nothing leaves
# the machine), resolved by
#   rustyc resolve              (the subject)
#   gai_pool, 16 threads        (the ceiling: bare getaddrinfo, no output)
#   xargs -P 64 -n 50 getent ahosts   (what a user would otherwise run)
# Prints one line per peer with names/s, then the ratios; then queries
# per second against dnsperf on the same queries, a 1% silent mix
# (its cost in deadlines, against tests/helpers/dnsfake); then the DNS engine alone: -j 5000 (answers
# lost?), 10,000 reverse lookups, a black hole at -t 1, and 1,000,000
# names from stdin (peak memory).  Needs root
# and dnsmasq; says so and exits 0 without them.
set -u
N=${RESOLVE_NAMES:-10000}
B=$1		# the build directory holding rustyc's bench helpers
RUSTYC=$2
[ "$(id -u)" = 0 ] || { echo "# resolve bench: needs root for a network namespace; skipped"; exit 0; }
command -v dnsmasq >/dev/null 2>&1 || { echo "# resolve bench: needs dnsmasq; skipped"; exit 0; }
T=$(mktemp -d)
NS=rybench$$
cleanup() {
	[ -n "${DNSMASQ:-}" ] && kill "$DNSMASQ" 2>/dev/null
	[ -n "${SINK:-}" ] && kill "$SINK" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "/etc/netns/$NS" "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS" || exit 1
ip netns exec "$NS" ip link set lo up
mkdir -p "/etc/netns/$NS"
printf 'nameserver 127.0.0.1\n' >"/etc/netns/$NS/resolv.conf"
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) printf "198.18.%d.%d gen-%d.test\n", int(i / 256), i % 256, i }' >"$T/zone"
awk '{ print $2 }' "$T/zone" >"$T/names"
awk '{ print $2, $1 }' "$T/zone" | sort >"$T/want"
ip netns exec "$NS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$T/zone" \
	--local=/test/ --listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--user=root --cache-size=20000 --pid-file="$T/pid" --log-facility="$T/log" &
DNSMASQ=$!
# The black hole below: a server that reads queries and never answers.
ip netns exec "$NS" "$B/../tests/helpers/udp_sink" 127.0.0.3 53 >/dev/null 2>&1 &
SINK=$!
i=0
until ip netns exec "$NS" "$RUSTYC" resolve -q gen-1.test >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "# dnsmasq did not start"; exit 1; }; sleep 0.1
done
in_ns() { ip netns exec "$NS" "$@"; }
secs_of() { sed -n 's/.*secs=\([0-9.]*\).*/\1/p' "$1" | tail -1; }
rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }

# Warm dnsmasq and the page cache once, untimed.
in_ns "$B/gai_pool" 16 <"$T/names" >/dev/null

best_rustyc= best_pool= best_xargs= rss= right=yes
for round in 1 2 3; do
	# Whole processes on both sides: start-up, reading the list and exit
	# count for the pool as they do for rustyc.
	in_ns "$B/maxrss" "$B/gai_pool" 16 <"$T/names" >/dev/null 2>"$T/pool.out"
	s=$(secs_of "$T/pool.out")
	best_pool=$(awk -v a="${best_pool:-1e9}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')

	in_ns "$B/maxrss" "$RUSTYC" resolve -q ${RESOLVE_ARGS:-} - <"$T/names" >"$T/got" 2>"$T/rustyc.err"
	s=$(secs_of "$T/rustyc.err")
	k=$(sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' "$T/rustyc.err")
	[ -z "$rss" ] || [ "$k" -gt "$rss" ] && rss=$k
	sort "$T/got" | cmp -s - "$T/want" || right=no
	best_rustyc=$(awk -v a="${best_rustyc:-1e9}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')

	in_ns "$B/maxrss" sh -c "xargs -P 64 -n 50 getent ahosts <'$T/names' >'$T/xargs.out'" 2>"$T/xargs.err"
	s=$(secs_of "$T/xargs.err")
	best_xargs=$(awk -v a="${best_xargs:-1e9}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
done
echo "case=resolve_${N} peer=rustyc names=$N secs=$best_rustyc names_per_s=$(rate "$best_rustyc") maxrss_kib=$rss all_right=$right"
echo "case=resolve_${N} peer=gai_pool16 names=$N secs=$best_pool names_per_s=$(rate "$best_pool")"
echo "case=resolve_${N} peer=xargs_getent names=$N secs=$best_xargs names_per_s=$(rate "$best_xargs")"
awk -v r="$best_rustyc" -v p="$best_pool" -v x="$best_xargs" -v n="$N" \
	'BEGIN { printf "case=resolve_%s vs_gai_pool=%.2f vs_xargs_getent=%.2f\n", n, p / r, x / r }' 

# dnsperf: the same queries (A and AAAA of every name) against the same
# dnsmasq, one client, 500 in flight: how fast the server answers.
# rustyc's rate is its own query count (RUSTYC_DNS_STATS) over its time.
if command -v dnsperf >/dev/null 2>&1; then
	awk '{ print $1, "A"; print $1, "AAAA" }' "$T/names" >"$T/queries"
	best_perf=0 best_q=0
	for round in 1 2 3; do
		q=$(in_ns dnsperf -s 127.0.0.1 -d "$T/queries" -n 1 -c 1 -q 500 2>&1 |
			sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p')
		best_perf=$(awk -v a="$best_perf" -v b="${q:-0}" 'BEGIN { print (b > a ? b : a) }')
		in_ns "$B/maxrss" env RUSTYC_DNS_STATS=1 "$RUSTYC" resolve -q - <"$T/names" >/dev/null 2>"$T/q.err"
		q=$(awk -v n="$(sed -n 's/^dns: \([0-9]*\) queries.*/\1/p' "$T/q.err")" -v s="$(secs_of "$T/q.err")" \
			'BEGIN { printf "%.0f", n / s }')
		best_q=$(awk -v a="$best_q" -v b="$q" 'BEGIN { print (b > a ? b : a) }')
	done
	echo "case=resolve_${N}_qps peer=rustyc queries_per_s=$best_q"
	echo "case=resolve_${N}_qps peer=dnsperf queries_per_s=$best_perf"
	awk -v r="$best_q" -v p="$best_perf" -v n="$N" \
		'BEGIN { printf "case=resolve_%s_qps vs_dnsperf=%.2f (goal >= 0.90)\n", n, (p > 0 ? r / p : 0) }'
else
	echo "# resolve bench: no dnsperf (apt-get install dnsperf); its row is skipped"
fi

# 1% of the names never answered, shuffled in (dnsfake: ok-N answered at
# once, silent-N never): every other name still resolves, and the run
# costs at most one more deadline (-t 1) than the same list without them.
ip netns exec "$NS" "$B/../tests/helpers/dnsfake" 5353 >"$T/fake.out" 2>/dev/null &
FAKE=$!
i=0
until [ -s "$T/fake.out" ]; do i=$((i + 1)); [ $i -lt 50 ] || break; sleep 0.1; done
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) printf "ok-%d.test\n", i }' >"$T/oknames"
awk '{ print } NR % 100 == 0 { printf "silent-%d.test\n", NR }' "$T/oknames" |
	awk 'BEGIN { srand(11) } { print rand() "\t" $0 }' | sort -n | cut -f2 >"$T/mixed"
best_mix= best_clean= right=yes
for round in 1 2 3; do
	in_ns "$B/maxrss" "$RUSTYC" resolve -q -4 --server 127.0.0.1:5353 -t 1 - <"$T/oknames" >/dev/null 2>"$T/clean.err"
	best_clean=$(awk -v a="${best_clean:-1e9}" -v b="$(secs_of "$T/clean.err")" 'BEGIN { print (b < a ? b : a) }')
	in_ns "$B/maxrss" "$RUSTYC" resolve -q -4 --server 127.0.0.1:5353 -t 1 - <"$T/mixed" >"$T/got" 2>"$T/mix.err"
	best_mix=$(awk -v a="${best_mix:-1e9}" -v b="$(secs_of "$T/mix.err")" 'BEGIN { print (b < a ? b : a) }')
	[ "$(grep -c . "$T/got")" -eq "$N" ] || right=no
done
kill "$FAKE" 2>/dev/null
echo "case=resolve_${N}_1pct_silent peer=rustyc secs=$best_mix clean_secs=$best_clean all_good_resolved=$right timed_out=$(grep -c "silent-.*timed out" "$T/mix.err")"
awk -v m="$best_mix" -v c="$best_clean" -v n="$N" \
	'BEGIN { printf "case=resolve_%s_1pct_silent extra_secs=%.2f (goal <= 1.00, one deadline)\n", n, m - c }'

# Four shards of the same list, one after another (each reads all the
# names and keeps its share): their total against one unsharded run,
# both timed the same way (whole processes, inside one namespace exec).
best_sh= best_un=
for round in 1 2 3 4 5; do
	in_ns "$B/maxrss" "$RUSTYC" resolve -q - <"$T/names" >"$T/un" 2>"$T/un.err"
	best_un=$(awk -v a="${best_un:-1e9}" -v b="$(secs_of "$T/un.err")" 'BEGIN { print (b < a ? b : a) }')
	in_ns "$B/maxrss" sh -c "for k in 0 1 2 3; do '$RUSTYC' resolve -q --shard \$k/4 - <'$T/names' >'$T/sh'\$k; done" 2>"$T/sh.err"
	best_sh=$(awk -v a="${best_sh:-1e9}" -v b="$(secs_of "$T/sh.err")" 'BEGIN { print (b < a ? b : a) }')
done
right=yes; cat "$T"/sh0 "$T"/sh1 "$T"/sh2 "$T"/sh3 | sort | cmp -s - "$T/want" || right=no
echo "case=resolve_${N}_4shards peer=rustyc secs=$best_sh unsharded_secs=$best_un all_right=$right"
awk -v s="$best_sh" -v r="$best_un" -v n="$N" \
	'BEGIN { printf "case=resolve_%s_4shards vs_unsharded=%.2f (total time of 4 shards / one run; goal <= 1.10)\n", n, s / r }'

# The DNS engine past the pool's reach.
# -j 5000 against the same dnsmasq: every answer right, none lost.
in_ns "$B/maxrss" env RUSTYC_DNS_STATS=1 "$RUSTYC" resolve -q -j 5000 - <"$T/names" >"$T/got" 2>"$T/j5000.err"
right=yes; sort "$T/got" | cmp -s - "$T/want" || right=no
echo "case=resolve_j5000 peer=rustyc names=$N secs=$(secs_of "$T/j5000.err") all_right=$right $(sed -n 's/^dns: \([0-9]*\) queries, \([0-9]*\) retries.*/queries=\1 retries=\2/p' "$T/j5000.err")"

# 10,000 reverse lookups (dnsmasq answers PTR from the same zone).
awk '{ print $1 }' "$T/zone" >"$T/addrs"
awk '{ print $1, $2 }' "$T/zone" | sort >"$T/rwant"
in_ns "$B/maxrss" "$RUSTYC" resolve -q - <"$T/addrs" >"$T/got" 2>"$T/rev.err"
right=yes; sort "$T/got" | cmp -s - "$T/rwant" || right=no
echo "case=reverse_${N} peer=rustyc names=$N secs=$(secs_of "$T/rev.err") all_right=$right"

# A black hole: a server that never answers, -t 1 (goal: under 3 s).
in_ns "$B/maxrss" "$RUSTYC" resolve -q --server 127.0.0.3 -t 1 - <"$T/names" >/dev/null 2>"$T/bh.err"
bh_rc=$?
echo "case=blackhole_${N} peer=rustyc names=$N secs=$(secs_of "$T/bh.err") exit=$bh_rc timed_out=$(grep -c 'timed out' "$T/bh.err") (goal: secs < 3)"

# 1,000,000 names streamed from stdin: memory stays bounded.
awk -v n="$N" 'BEGIN { for (i = 0; i < 1000000; i++) printf "gen-%d.test\n", i % n + 1 }' >"$T/million"
in_ns "$B/maxrss" "$RUSTYC" resolve -q - <"$T/million" >/dev/null 2>"$T/m.err"
echo "case=resolve_1000000 peer=rustyc secs=$(secs_of "$T/m.err") maxrss_kib=$(sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' "$T/m.err")"
