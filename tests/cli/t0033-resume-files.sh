#!/bin/sh
# --resume FILE in a directory other users can write: no link they plant
# is followed, FILE keeps its mode and owner, what is not a regular file
# is refused at once, a full disk is named as such, and a foreign log is
# never replaced.  Sweeps of loopback (127.0.0.1-3) inside a namespace of
# this test's own.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (to plant files as another user and mount a small tmpfs)"
command -v setpriv >/dev/null 2>&1 || skip_all "needs setpriv (util-linux)"
NS=ryres$$
make_netns "$NS"
sweep() { ip netns exec "$NS" "$RUSTYC" ping-sweep -q -t 0.3 "$@" 127.0.0.1-3; }
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# A shared directory, as /tmp is: sticky, anyone may create files.
SHARED=$(mktemp -d "${TMPDIR:-/tmp}/rustyc-shared.XXXXXX")
at_exit "rm -rf '$SHARED'"
chmod 1777 "$SHARED"
VICTIM=$T/victim
printf 'root only\n' >"$VICTIM"
chmod 600 "$VICTIM"

# ---- links planted for every name the old code could have used ----
# Another user plants FILE.PID.tmp -> victim for the next 3,000 pids.
pid=$(sh -c 'echo $$')
as_nobody sh -c "i=$pid; while [ \$i -lt $((pid + 3000)) ]; do ln -s '$VICTIM' '$SHARED/out.jsonl.'\$i'.tmp' 2>/dev/null; i=\$((i + 1)); done"
run sweep --resume "$SHARED/out.jsonl"
ok "[ $RC -eq 0 ] && [ \"\$(cat '$VICTIM')\" = 'root only' ]" "planted links for predictable names: the file they point to is untouched"
ok "[ -f '$SHARED/out.jsonl' ] && [ ! -L '$SHARED/out.jsonl' ] && [ \$(grep -c address '$SHARED/out.jsonl') -eq 3 ]" \
	"FILE is a file of its own, holding the three records"

# ---- FILE as a link, a FIFO, a device: refused at once ----
as_nobody ln -s "$VICTIM" "$SHARED/link.jsonl"
usage_error "--resume through a symbolic link is refused" "is a symbolic link: give the file it points to" \
	sweep --resume "$SHARED/link.jsonl"
ok "[ \"\$(cat '$VICTIM')\" = 'root only' ]" "and the file it points to is untouched"
mkfifo "$SHARED/fifo"
start=$(date +%s%N)
usage_error "--resume on a FIFO is refused" "is not a regular file" timeout 5 "$RUSTYC" ping-sweep --resume "$SHARED/fifo" 127.0.0.1
ok "[ \$(( (\$(date +%s%N) - start) / 1000000 )) -lt 2000 ]" "at once, without waiting for a writer"
usage_error "--resume on a device is refused" "is not a regular file" "$RUSTYC" ping-sweep --resume /dev/zero 127.0.0.1

# ---- the file keeps its mode and owner ----
# resolve keeps root's privileges (it needs none, and drops none): the
# owner is kept.  ping-sweep has dropped to CAP_NET_RAW by then: it keeps
# the mode, and cannot read a file of another user's that is 600 at all.
printf '127.0.0.1 localhost\n' >"/etc/netns/$NS/hosts"
as_nobody sh -c "umask 077; : >'$SHARED/mine.jsonl'"
run ip netns exec "$NS" "$RUSTYC" resolve -q --resume "$SHARED/mine.jsonl" localhost
ok "[ $RC -eq 0 ] && [ \"\$(stat -c '%u %a' '$SHARED/mine.jsonl')\" = '65534 600' ] && grep -q localhost '$SHARED/mine.jsonl'" \
	"resolve: a file of nobody's, mode 600, stays nobody's and 600 after root resumes it"
: >"$T/own.jsonl"
chmod 640 "$T/own.jsonl"
run sweep --resume "$T/own.jsonl"
ok "[ $RC -eq 0 ] && [ \"\$(stat -c '%a' '$T/own.jsonl')\" = 640 ]" "ping-sweep: a file of mode 640 stays 640"

# ---- a foreign log is never replaced ----
printf '{"summary":"nightly backup","status":"ok"}\n' >"$T/log.jsonl"
usage_error "a file with a summary line not of ours is refused" "line 1: not a ping-sweep --json record" \
	sweep --resume "$T/log.jsonl"
ok "grep -q 'nightly backup' '$T/log.jsonl'" "and left as it was"

# ---- a full disk says so, and loses nothing ----
if unshare -m true 2>/dev/null; then
	mkdir "$T/small"
	run unshare -m sh -c "mount -t tmpfs -o size=16k rytest '$T/small' &&
		i=1; while [ \$i -le 90 ]; do echo '{\"address\":\"127.0.0.'\$i'\",\"state\":\"up\",\"rtt_ms\":0.050,\"method\":\"icmp\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}'; i=\$((i + 1)); done >'$T/small/r.jsonl' &&
		cp '$T/small/r.jsonl' '$T/before' &&
		ip netns exec '$NS' '$RUSTYC' ping-sweep -q -t 0.3 --no-shuffle --resume '$T/small/r.jsonl' 127.0.0.1-100;
		echo \"rc=\$?\"; cmp -s '$T/small/r.jsonl' '$T/before' && echo kept"
	ok "grep -q 'rc=2' '$OUT' && grep -q kept '$OUT' && grep -q 'No space left on device' '$ERR'" \
		"a full disk: 'No space left on device', exit 2, the file as it was"
else
	skip "cannot make a mount namespace here (unshare -m)"
fi

done_testing
