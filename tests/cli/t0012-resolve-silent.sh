#!/bin/sh
# resolve when part of a list goes unanswered, and when nothing answers:
# every answerable name resolves, every silent one fails at its own
# deadline, the run ends within (silent names / jobs + 1) deadlines plus
# a second, and no wait is unbounded.  Servers: tests/helpers/dnsfake
# (silent-* names never answered; --every, --delay), all inside a network
# namespace this test creates.
. "$(dirname "$0")/lib.sh"

NS=rysil$$
make_netns "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
printf '127.0.0.1 localhost\n' >"/etc/netns/$NS/hosts"
for args in "5353" "5355 --every 2" "5356 --delay 800"; do
	# Not through in_ns: `ip netns exec` execs dnsfake, so $! is its pid
	# (a function in the background would be a subshell of its own).
	# shellcheck disable=SC2086
	ip netns exec "$NS" "$HELPERS/dnsfake" $args >"$T/fake${args%% *}.out" 2>/dev/null &
	at_exit "kill $! 2>/dev/null"
done
wait_for "[ -s '$T/fake5353.out' ] && [ -s '$T/fake5355.out' ] && [ -s '$T/fake5356.out' ]" ||
	skip_all "the test servers did not start"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# mix N SILENT SEED ORDER: N names, SILENT of them silent-K, the rest
# ok-K; ORDER shuffled (by SEED), silent-first or silent-last.
mix() {
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 1; i <= n; i++) print (i <= s ? "silent-" : "ok-") i ".test" }' |
		case $4 in
		shuffled) awk -v seed="$3" 'BEGIN { srand(seed) } { print rand() "\t" $0 }' | sort -n | cut -f2 ;;
		silent-first) cat ;;
		silent-last) sort -s -t- -k1,1 ;;
		esac
}

# check DESC LIST JOBS SECS PORT: every ok-K resolves to its address,
# every silent-K fails once with "timed out" (": no answer from the name
# server" while none has been answered yet), exit 1 (0 with none
# silent), within the bound.
check() {
	desc=$1 list=$2 jobs=$3 secs=$4 port=$5
	silent=$(grep -c '^silent-' "$list")
	start=$(now_ms)
	run in_ns "$RUSTYC" resolve -q -4 --server "127.0.0.1:$port" -j "$jobs" -t "$secs" - <"$list"
	ms=$(( $(now_ms) - start ))
	bound=$(awk -v s="$silent" -v j="$jobs" -v t="$secs" 'BEGIN { printf "%d", ((s / j + 1) * t + 1) * 1000 }')
	grep '^ok-' "$list" | awk '{ n = substr($1, 4) + 0; printf "%s 198.51.100.%d\n", $1, n % 256 }' | sort >"$T/want"
	sort "$OUT" >"$T/got"
	want_rc=$([ "$silent" -gt 0 ] && echo 1 || echo 0)
	ok "[ $RC -eq $want_rc ] && cmp -s '$T/got' '$T/want' && [ \$(grep -Ec \"^rustyc resolve: 'silent-[0-9]+.test': timed out(: no answer from the name server)?\$\" '$ERR') -eq $silent ] && [ \$(wc -l <'$ERR') -eq $silent ] && [ $ms -le $bound ]" \
		"$desc: $(wc -l <"$T/want") resolved, $silent timed out, ${ms} ms (bound $bound)"
}

# ---- silent and answering names mixed, in every proportion ----
for s in 1 10 500 999; do
	mix 1000 $s $s shuffled >"$T/list"
	for j in 5000 256; do
		check "1000 names, $s silent, shuffled, -j $j" "$T/list" $j 0.5 5353
	done
done
for order in silent-first silent-last; do
	mix 1000 999 7 $order >"$T/list"
	check "1000 names, 999 silent, $order, -j 256" "$T/list" 256 0.5 5353
	mix 1000 500 7 $order >"$T/list"
	check "1000 names, 500 silent, $order, -j 5000" "$T/list" 5000 0.5 5353
done
for s in 1 10 19; do
	mix 20 $s $s shuffled >"$T/list"
	check "20 names, $s silent, -j 1" "$T/list" 1 0.1 5353
done
mix 200 100 3 shuffled >"$T/list"
check "200 names, 100 silent, -j 10" "$T/list" 10 0.2 5353

# ---- servers that lose or delay answers ----
mix 1000 0 1 shuffled >"$T/list"
check "a server that answers every other query, -j 5000" "$T/list" 5000 2 5355
check "a server that answers every other query, -j 256" "$T/list" 256 2 5355
mix 500 0 1 shuffled >"$T/list"
check "a server that answers at 0.8 of the deadline, -j 5000" "$T/list" 5000 1 5356

# ---- nothing waits forever ----
# No server at all (nothing on port 53), a closed port, and an address
# with no route (this namespace has only loopback: nothing leaves it).
for server in "" "--server=127.0.0.1:9" "--server=192.0.2.1" "--server=[2001:db8::1]:53"; do
	start=$(now_ms)
	# shellcheck disable=SC2086
	run in_ns timeout 10 "$RUSTYC" resolve -q -t 1 $server a.test b.test c.test
	ms=$(( $(now_ms) - start ))
	ok "[ $RC -eq 1 ] && [ $ms -lt 2000 ] && [ \$(grep -c 'no name server reachable (connection refused)' '$ERR') -eq 3 ]" \
		"resolve ${server:-with nothing on port 53}: each name refused, one reason for all, ${ms} ms"
done
start=$(now_ms)
run in_ns timeout 10 "$RUSTYC" ping-sweep -q -t 1 nosuch.test
ms=$(( $(now_ms) - start ))
ok "[ $RC -eq 2 ] && [ $ms -lt 2000 ] && grep -q \"'nosuch.test': no name server reachable\" '$ERR'" \
	"ping-sweep NAME with nothing on port 53: a clear error in ${ms} ms, exit 2"
start=$(now_ms)
run in_ns timeout 10 "$RUSTYC" ping-sweep -q -d -t 1 127.0.0.7
ms=$(( $(now_ms) - start ))
ok "[ $RC -eq 0 ] && [ $ms -lt 2000 ] && [ \"\$(cat '$OUT')\" = '127.0.0.7 -' ]" \
	"ping-sweep -d with nothing on port 53: the host without its name, in ${ms} ms"

# ---- a result reaches a pipe when it completes, whatever its source ----
spawn sh -c "printf 'silent-1.test\nlocalhost\n' | ip netns exec $NS '$RUSTYC' resolve -q -4 --server 127.0.0.1:5353 -t 3 - | cat"
wait_for "grep -q localhost '$OUT'" 30
got=$?
ok "[ $got -eq 0 ]" "a name from the hosts file is out through a pipe while a silent name waits"
reap

done_testing
