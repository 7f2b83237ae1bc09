#!/bin/sh
# The ping-sweep benchmark, against fping in the same run.  All probes go
# to loopback or into a silent network namespace this script creates.
#   live /16:  rustyc --rate 0 127.0.0.0/16  vs  fping -a -q -i0 -g, and vs
#              the kernel's speed: bench/mmsg_sweep, the smallest sweeper
#              (sendmmsg/recvmmsg, 64 a call; goal: rustyc within 1.3x)
#   rate:      --rate 10000 over a live /16: probes a second
#   dead /24:  rustyc -t 1 in a namespace that ignores echo requests, vs
#              fping -t1000 -r0 and the tutorial's one ping per address
#   cost /24:  CPU time and peak memory of a live 127.0.0.0/24 sweep
#   count /18: -c 3 -p 10ms over a live 127.0.0.0/18 vs fping -c 3 -p 10
#              -i 0 (fping runs out of sequence numbers on a /16 with -c)
#   shards:    shard 0/256 of a /8, of a /12, 0/1024 of a /10: peak RSS
#              (goal for the /8: under 16 MiB) and the /8's setup (goal:
#              under 50 ms to the first probe)
#   arp /24:   a veth link into a namespace holding 4 live hosts: -m arp
#              vs -m icmp, both -t 1 (target: arp within -t + 10%)
# Needs root (for the namespace); fping figures only when it is installed.
set -u
B=$1
RUSTYC=$2
[ "$(id -u)" = 0 ] || { echo "# sweep bench: needs root; skipped"; exit 0; }
T=$(mktemp -d)
NS=rysweep$$
cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NS-sw" 2>/dev/null
	ip netns del "$NS-h" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
have_fping=false
command -v fping >/dev/null 2>&1 && have_fping=true || echo "# fping not installed: no fping figures"
m() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | tail -1; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

# Live /16 on loopback: best of 3.
r= f= k=
for i in 1 2 3; do
	"$B/mmsg_sweep" 127.0.0.1 65534 2>"$T/k.err"
	k=$(best "$k" "$(m secs "$T/k.err")"); kup=$(sed -n 's/.*up=\([0-9]*\).*/\1/p' "$T/k.err")
	"$B/maxrss" "$RUSTYC" ping-sweep -q --rate 0 127.0.0.0/16 >"$T/r.out" 2>"$T/r.err"
	r=$(best "$r" "$(m secs "$T/r.err")"); rup=$(wc -l <"$T/r.out")
	if $have_fping; then
		"$B/maxrss" fping -a -q -i0 -g 127.0.0.0/16 >"$T/f.out" 2>"$T/f.err"
		f=$(best "$f" "$(m secs "$T/f.err")"); fup=$(wc -l <"$T/f.out")
	fi
done
echo "case=live_16 peer=rustyc secs=$r up=$rup probes_per_s=$(awk -v s="$r" 'BEGIN { printf "%.0f", 65534 / s }') maxrss_kib=$(m maxrss_kib "$T/r.err")"
echo "case=live_16 peer=mmsg_ref secs=$k up=$kup probes_per_s=$(awk -v s="$k" 'BEGIN { printf "%.0f", 65534 / s }')"
awk -v r="$r" -v k="$k" 'BEGIN { printf "case=live_16 vs_mmsg_ref=%.2f (goal: at most 1.30)\n", r / k }'
$have_fping && echo "case=live_16 peer=fping secs=$f up=$fup probes_per_s=$(awk -v s="$f" 'BEGIN { printf "%.0f", 65534 / s }')" &&
	awk -v r="$r" -v f="$f" 'BEGIN { printf "case=live_16 vs_fping=%.2f\n", f / r }'

# The rate holds with batched sends: --rate 10000 over a live /16 (goal:
# within 2% of 10,000 probes a second; the run ends with the last reply).
"$B/maxrss" "$RUSTYC" ping-sweep -q --rate 10000 -m icmp 127.0.0.0/16 >"$T/rate.out" 2>"$T/rate.err"
rs=$(m secs "$T/rate.err")
echo "case=rate_10000 peer=rustyc secs=$rs up=$(wc -l <"$T/rate.out") probes_per_s=$(awk -v s="$rs" 'BEGIN { printf "%.0f", 65534 / s }') (goal: 9800 to 10200)"

# A copy's memory follows its share, not the list: the whole list stays
# spans of addresses.  Shard 0/256 of 127.0.0.0/8 (65,536 probes at
# loopback; goal: peak RSS under 16 MiB), shards of a /12 and a /10
# beside it, and the setup a /8 costs before its first probe, measured
# as a share of 17 addresses (0/1000000), whose probes take a few ms
# (goal: under 50 ms in all).
for c in "shard_8_256 0/256 127.0.0.0/8" "shard_12_256 0/256 127.0.0.0/12" "shard_10_1024 0/1024 127.0.0.0/10" \
	"setup_8 0/1000000 127.0.0.0/8"; do
	# shellcheck disable=SC2086
	set -- $c
	"$B/maxrss" "$RUSTYC" ping-sweep --rate 0 -t 1 --max-hosts 16777216 --shard "$2" "$3" >"$T/sh.out" 2>"$T/sh.err"
	echo "case=$1 peer=rustyc share=$(sed -n 's/^shard [0-9/]* (\([0-9]*\) of.*/\1/p' "$T/sh.err") up=$(wc -l <"$T/sh.out") maxrss_kib=$(m maxrss_kib "$T/sh.err") secs=$(m secs "$T/sh.err")"
done

# Four shards of the same /16, one after another, against one unsharded
# sweep (both whole processes, best of 3): sharding must cost no more
# than 10% in total.
r1= r4=
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$RUSTYC" ping-sweep -q --rate 0 127.0.0.0/16 >"$T/u.out" 2>/dev/null
	t1=$(date +%s%N)
	for k in 0 1 2 3; do
		"$RUSTYC" ping-sweep -q --rate 0 --shard $k/4 127.0.0.0/16 >"$T/s$k.out" 2>/dev/null
	done
	t2=$(date +%s%N)
	r1=$(best "$r1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
	r4=$(best "$r4" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
done
same=yes; cat "$T"/s0.out "$T"/s1.out "$T"/s2.out "$T"/s3.out | sort | cmp -s - "$(sort "$T/u.out" >"$T/u.sorted"; echo "$T/u.sorted")" || same=no
echo "case=live_16_4shards peer=rustyc secs=$r4 unsharded_secs=$r1 same_hosts=$same"
awk -v a="$r4" -v b="$r1" 'BEGIN { printf "case=live_16_4shards vs_unsharded=%.2f (total of 4 shards / one sweep; goal <= 1.10)\n", a / b }'

# Dead /24 in a silent namespace.
ip netns add "$NS" && ip netns exec "$NS" ip link set lo up &&
	ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || { echo "# no namespace"; exit 1; }
ip netns exec "$NS" "$B/maxrss" "$RUSTYC" ping-sweep -q -t 1 127.0.0.0/24 >/dev/null 2>"$T/d.err"
echo "case=dead_24_t1 peer=rustyc secs=$(m secs "$T/d.err")"
if $have_fping; then
	ip netns exec "$NS" "$B/maxrss" fping -q -t1000 -r0 -g 127.0.0.0/24 >/dev/null 2>"$T/fd.err"
	echo "case=dead_24_t1 peer=fping secs=$(m secs "$T/fd.err")"
fi
if command -v ping >/dev/null 2>&1; then
	# The tutorial's way: one ping process per address, all at once.
	ip netns exec "$NS" "$B/maxrss" sh -c 'for i in $(seq 1 254); do ping -c1 -W1 127.0.0.$i >/dev/null 2>&1 & done; wait' 2>"$T/t.err"
	echo "case=dead_24_t1 peer=process_per_address secs=$(m secs "$T/t.err")"
fi

# Cost of a live /24.
"$B/maxrss" "$RUSTYC" ping-sweep -q 127.0.0.0/24 >/dev/null 2>"$T/c.err"
echo "case=cost_24 peer=rustyc cpu_s=$(m cpu_s "$T/c.err") maxrss_kib=$(m maxrss_kib "$T/c.err") secs=$(m secs "$T/c.err")"
if $have_fping; then
	"$B/maxrss" fping -q -i1 -g 127.0.0.0/24 >/dev/null 2>"$T/fc.err"
	echo "case=cost_24 peer=fping cpu_s=$(m cpu_s "$T/fc.err") maxrss_kib=$(m maxrss_kib "$T/fc.err") secs=$(m secs "$T/fc.err")"
fi

# Count mode over a live /18: best of 3.
r= f=
for i in 1 2 3; do
	"$B/maxrss" "$RUSTYC" ping-sweep -q -c 3 -p 10ms --rate 0 127.0.0.0/18 >"$T/cr.out" 2>"$T/cr.err"
	r=$(best "$r" "$(m secs "$T/cr.err")"); rok=$(grep -c '3/3/0%' "$T/cr.out")
	if $have_fping; then
		"$B/maxrss" fping -q -c 3 -p 10 -i 0 -g 127.0.0.0/18 2>"$T/cf.err"
		f=$(best "$f" "$(m secs "$T/cf.err")"); fok=$(grep -c '3/3/0%' "$T/cf.err")
	fi
done
echo "case=count3_18 peer=rustyc secs=$r all_answered=$rok"
$have_fping && echo "case=count3_18 peer=fping secs=$f all_answered=$fok" &&
	awk -v r="$r" -v f="$f" 'BEGIN { printf "case=count3_18 vs_fping=%.2f\n", f / r }'

# ARP against ICMP over a /24 with 4 live hosts behind a veth pair.
SW=$NS-sw H=$NS-h
if ip netns add "$SW" && ip netns add "$H" && ip link add "ryba$$" type veth peer name "rybb$$"; then
	ip link set "ryba$$" netns "$SW"
	ip link set "rybb$$" netns "$H"
	ip netns exec "$SW" ip addr add 198.51.100.254/24 dev "ryba$$"
	ip netns exec "$SW" ip link set "ryba$$" up
	for h in 1 50 100 200; do ip netns exec "$H" ip addr add 198.51.100.$h/24 dev "rybb$$"; done
	ip netns exec "$H" ip link set "rybb$$" up
	sleep 0.5
	for meth in arp icmp; do
		ip netns exec "$SW" "$B/maxrss" "$RUSTYC" ping-sweep -q -m $meth -t 1 198.51.100.0/24 >"$T/a.out" 2>"$T/a.err"
		echo "case=lan_24_t1 peer=rustyc_$meth secs=$(m secs "$T/a.err") up=$(wc -l <"$T/a.out")"
	done
else
	echo "# no veth: no arp figures"
fi
