#!/bin/sh
# ping-sweep's and resolve's privileges.  A root ping-sweep keeps CAP_NET_RAW and nothing
# else in its bounding set, and gives up even that on every thread once
# its sockets are open (as /proc shows while it waits for replies); a
# setuid-root copy run as nobody becomes nobody at once and never runs a
# program from the caller's PATH.  Every probe goes to loopback, or to
# a veth pair inside the namespace this test creates.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (setuid copies, namespaces)"
command -v setpriv >/dev/null 2>&1 || skip_all "needs setpriv (util-linux)"
command -v ping >/dev/null 2>&1 || skip_all "needs ping (iputils-ping) for --method exec"
NS=rypriv$$
make_netns "$NS"
# Silent, so that each sweep lasts its timeout and /proc can be read.
ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
public_copy

# field NAME PID: a line of /proc/PID/status, its value only.
field() {
	sed -n "s/^$1:[[:space:]]*//p" "/proc/$2/status" | tr -s '\t ' ' '
}
# task_caps PID: each thread's name and effective and permitted sets.
# Every thread rustyc starts is named (sweep-arp, ...); under
# ThreadSanitizer the runtime adds one of its own, unnamed (it shows the
# program's name) and started before main: that one is not rustyc's.
task_caps() {
	for _st in /proc/"$1"/task/*/status; do
		_tid=$(basename "$(dirname "$_st")")
		_name=$(sed -n 's/^Name:[[:space:]]*//p' "$_st")
		[ -n "${RY_SANITIZE:-}" ] && [ "$_tid" != "$1" ] && [ "$_name" = rustyc ] && continue
		sed -n 's/^Name:[[:space:]]*//p; s/^CapEff:[[:space:]]*//p; s/^CapPrm:[[:space:]]*//p' "$_st" |
			tr '\n' ' '
		echo
	done
}
# wait_running PID: until PID runs rustyc itself (after ip netns exec,
# setpriv and env have exec'd into it) and has begun its sweep.
wait_running() {
	wait_for "grep -q '^rustyc' /proc/$1/comm 2>/dev/null" && sleep 0.2
}

# ---- a root run ----
spawn ip netns exec "$NS" "$RUSTYC" ping-sweep -t 2 127.0.0.1
wait_running "$WPID"
eff=$(field CapEff "$WPID") prm=$(field CapPrm "$WPID") bnd=$(field CapBnd "$WPID") uid=$(field Uid "$WPID")
reap
is "$eff $prm" "0000000000000000 0000000000000000" \
	"root: no capability left while it waits for replies (CAP_NET_RAW went once the socket was open)"
is "$bnd" "0000000000002000" "root: the bounding set holds CAP_NET_RAW alone (what spawned programs could get)"
ok "[ $RC -eq 1 ] && grep -q '0 of 1 hosts up, icmp' '$ERR'" "root: the sweep itself works (raw ICMP, status $RC)"

# auto with an on-link target probes on two threads at once (arp on a
# thread of its own, icmp on the main one): each gives up CAP_NET_RAW
# once its own socket is open.
ip -n "$NS" link add ryp0 type veth peer name ryp1
ip -n "$NS" link set ryp0 up
ip -n "$NS" link set ryp1 up
ip -n "$NS" addr add 198.51.100.1/24 dev ryp0
spawn ip netns exec "$NS" "$RUSTYC" ping-sweep -t 2 198.51.100.9 127.0.0.1
wait_running "$WPID"
task_caps "$WPID" >"$T/tasks"
reap
ok "[ \$(wc -l <'$T/tasks') -ge 2 ]" "auto: the sweep ran on two threads ($(tr '\n' ';' <"$T/tasks"))"
ok "! grep -v ' 0000000000000000 0000000000000000 \$' '$T/tasks' >/dev/null" \
	"auto: no thread holds a capability while replies are read"
ok "[ $RC -eq 1 ] && grep -q '0 of 2 hosts up' '$ERR'" "auto: the sweep itself works (status $RC: $(tail -n 1 "$ERR"))"

# ---- a setuid-root copy run as nobody, with a hostile PATH ----
cp "$RUSTYC" "$PUB/rustyc-suid"
chown root:root "$PUB/rustyc-suid"
chmod 4755 "$PUB/rustyc-suid"
mkdir "$PUB/evil" "$PUB/marks"
chmod 755 "$PUB/evil"
chmod 777 "$PUB/marks"
printf '#!/bin/sh\nid -u >%s/ran-as\nexit 0\n' "$PUB/marks" >"$PUB/evil/ping"
chmod 755 "$PUB/evil/ping"
spawn ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
	env PATH="$PUB/evil:/usr/bin:/bin" "$PUB/rustyc-suid" ping-sweep -m exec -t 2 127.0.0.1
wait_running "$WPID"
eff=$(field CapEff "$WPID") uid=$(field Uid "$WPID") gid=$(field Gid "$WPID")
reap
is "$uid" "65534 65534 65534 65534" "setuid: real, effective, saved and fs uid are all nobody"
is "$gid" "65534 65534 65534 65534" "and so are the gids"
is "$eff" "0000000000000000" "setuid: no capability left once the exec sweep runs"
ok "[ ! -e '$PUB/marks/ran-as' ]" "the ping on the caller's PATH was never run$( [ -e "$PUB/marks/ran-as" ] && echo ": it ran as uid $(cat "$PUB/marks/ran-as")")"
ok "[ $RC -eq 1 ] && grep -q '0 of 1 hosts up, exec' '$ERR'" "the system ping ran instead (status $RC)"

# Raw ICMP still works for the setuid copy: CAP_NET_RAW was kept for it.
ip netns exec "$NS" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
ip netns exec "$NS" sysctl -qw "net.ipv4.ping_group_range=1 0"
run ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$PUB/rustyc-suid" ping-sweep 127.0.0.1
ok "[ $RC -eq 0 ] && grep -q '1 of 1 hosts up, icmp' '$ERR'" "setuid as nobody: raw ICMP with the kept capability"

# -m arp without privileges: the real reason, not a missing ping.
run ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$PUBRUSTYC" ping-sweep -m arp 127.0.0.1
ok "[ $RC -eq 2 ] && grep -q -- '--method arp needs packet sockets, which need CAP_NET_RAW' '$ERR' && ! grep -q 'no ping program' '$ERR'" \
	"-m arp as nobody: says packet sockets need CAP_NET_RAW ($(cat "$ERR"))"

# ---- resolve needs no privilege: a root run keeps none ----
# A name server inside the namespace that never answers, so that the
# lookup lasts its timeout and /proc can be read.
ip netns exec "$NS" "$HELPERS/udp_sink" 127.0.0.1 53 >"$T/sink.out" 2>/dev/null &
at_exit "kill $! 2>/dev/null"
wait_for "[ -s '$T/sink.out' ]"
spawn ip netns exec "$NS" "$RUSTYC" resolve -q -t 2 waits.test
wait_running "$WPID"
eff=$(field CapEff "$WPID") prm=$(field CapPrm "$WPID") bnd=$(field CapBnd "$WPID")
reap
is "$eff $prm $bnd" "0000000000000000 0000000000000000 0000000000000000" \
	"resolve as root: no capability left in its sets or its bounding set while it waits on the network"
ok "[ $RC -eq 1 ] && grep -q \"'waits.test': timed out\" '$ERR'" "and the lookup itself goes on (timed out, status $RC)"
done_testing
