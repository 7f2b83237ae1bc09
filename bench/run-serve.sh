#!/bin/sh
# The serve benchmark, all on loopback: rustyc echo-client loads, for a
# fixed time each, three echo servers in turn
#   rustyc serve --echo                        (the subject)
#   min_echo, one-thread epoll                 (the practical ceiling)
#   socat TCP-LISTEN:PORT,fork,reuseaddr EXEC:cat   (what a user has at hand)
# with 16-byte and 1 KiB lines at 1, 16, 256 and 1000 connections, and
# measures rustyc serve's memory with 10,000 idle connections.
# Prints one line per case and peer (req/s, p99 us, mismatches) and the
# ratios.  SERVE_SECS sets the seconds per case (default 2).
set -u
B=$1
RUSTYC=$2
HELPERS=$3
SECS=${SERVE_SECS:-2}
T=$(mktemp -d)
PIDS=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_from() {	# wait for "port N" or serve's listening line in file $1
	i=0
	while [ $i -lt 100 ]; do
		p=$(sed -n -e 's/^port //p' -e 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$1")
		[ -n "$p" ] && { echo "$p"; return 0; }
		i=$((i + 1)); sleep 0.05
	done
	return 1
}
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2"; }

start_peer() {
	case $1 in
	rustyc) "$RUSTYC" serve --echo --max-conns 20000 0 2>"$T/srv" & ;;
	min_echo) "$B/min_echo" 0 >"$T/srv" & ;;
	socat)
		# socat cannot report the port it got: try fresh ones below the
		# ephemeral range (where the load's own client sockets live)
		# until one listens.
		for k in 1 2 3 4 5; do
			socat_n=$(( ${socat_n:-0} + 1 ))
			p=$(( (($$ * 31 + socat_n * 7919) % 12000) + 20000 ))
			socat TCP-LISTEN:$p,bind=127.0.0.1,fork,reuseaddr,backlog=4096 EXEC:cat 2>/dev/null &
			i=0
			until ss -Hltn "sport = :$p" | grep -q . || [ $i -ge 50 ]; do i=$((i + 1)); sleep 0.02; done
			[ $i -lt 50 ] && break
			kill $! 2>/dev/null
		done
		echo "port $p" >"$T/srv" ;;
	esac
	SRV=$!
	PIDS="$PIDS $SRV"
	PORT=$(port_from "$T/srv")
}

peers="rustyc min_echo"
if command -v socat >/dev/null 2>&1; then peers="$peers socat"; else echo "# socat not installed: no socat figures"; fi
for size in 16 1024; do
	for conns in 1 16 256 1000; do
		for peer in $peers; do
			start_peer $peer
			"$RUSTYC" echo-client --json -c $conns -d "$SECS" -s $size -t 10 "$PORT" >"$T/res" 2>"$T/err"
			rps=$(field req_per_s "$T/res"); p99=$(field p99_us "$T/res"); mm=$(field mismatches "$T/res")
			er=$(field errors "$T/res"); fc=$(field failed_connections "$T/res")
			echo "case=echo_${size}b_${conns}c peer=$peer req_per_s=${rps:-0} p99_us=${p99:-0} mismatches=${mm:-?} errors=${er:-?} failed_conns=${fc:-?}"
			[ -n "$rps" ] || echo "# $peer: no result: $(head -c 200 "$T/err")"
			eval "rps_${peer}=${rps:-0}"
			kill $SRV 2>/dev/null; wait $SRV 2>/dev/null
		done
		awk -v r="$rps_rustyc" -v m="$rps_min_echo" -v s="${rps_socat:-0}" -v c="echo_${size}b_${conns}c" \
			'BEGIN { printf "case=%s vs_min_echo=%.2f vs_socat=%s\n", c, (m > 0 ? r / m : 0), (s > 0 ? sprintf("%.2f", r / s) : "-") }'
		rps_socat=0
	done
done

# 10,000 idle connections: rustyc serve's memory per connection.
start_peer rustyc
before=$(awk '/^VmRSS/ { print $2 }' /proc/$SRV/status)
"$HELPERS/tcptool" hold 10000 4 127.0.0.1 "$PORT" >"$T/hold" &
HOLD=$!
sleep 3
during=$(awk '/^VmRSS/ { print $2 }' /proc/$SRV/status)
wait $HOLD
echo "case=idle_10000 peer=rustyc $(cat "$T/hold") rss_before_kib=$before rss_held_kib=$during bytes_per_conn=$(( (during - before) * 1024 / 10000 ))"
