# lib.sh: a small TAP harness for the CLI tests, sourced by tests/cli/t*.sh.
#
#   run CMD...        runs CMD with stdout in $OUT, stderr in $ERR, status in $RC
#   ok COND DESC      one TAP line for a shell condition (a string for eval)
#   is GOT WANT DESC  string equality, with both shown on failure
#   skip REASON       a TAP skip (a failure when CI=true)
#   spawn CMD... / reap   CMD in the background, its exit or signal after
#   done_testing      prints the plan; exits 1 if anything failed
#
# The binary under test is $RUSTYC (set by `make test`; defaults to the
# plain build), its helper programs are in $HELPERS (`make helpers`).  Each script gets a scratch directory $T, removed on exit.

: "${RUSTYC:=$(cd "$(dirname "$0")/../.." && pwd)/rustyc}"
: "${HELPERS:=$(cd "$(dirname "$0")/../.." && pwd)/build/tests/helpers}"
T=$(mktemp -d "${TMPDIR:-/tmp}/rustyc-test.XXXXXX")
_cleanup=""
# at_exit CMD: run CMD when the script ends, however it ends (last added
# runs first), so namespaces, servers and files never outlive a test.
at_exit() {
	_cleanup="$1; $_cleanup"
}
trap 'eval "$_cleanup"; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
OUT=$T/out
ERR=$T/err
tap_n=0
tap_failed=0

run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

_report() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
		[ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/#   /'
		printf '#   stderr was: %s\n' "$(head -c 300 "$ERR" 2>/dev/null)"
	fi
}

ok() {
	if eval "$1"; then _report 0 "$2"; else _report 1 "$2" "condition: $1"; fi
}

is() {
	if [ "$1" = "$2" ]; then
		_report 0 "$3"
	else
		_report 1 "$3" "$(printf 'got:\n%s\nwant:\n%s' "$1" "$2")"
	fi
}

# A usage error: status 2 (not a signal), one line on stderr that
# contains the given text, and nothing on stdout.
usage_error() {
	desc=$1 want=$2
	shift 2
	run "$@"
	ok "[ $RC -eq 2 ] && [ ! -s '$OUT' ] && [ \$(wc -l <'$ERR') -eq 1 ] && grep -qF -- \"$want\" '$ERR'" "$desc"
}

# A case that cannot run here.  Under CI=true a skip is a failure: CI
# installs everything the tests need, so a skip there hides a gap.
skip() {
	tap_n=$((tap_n + 1))
	if [ "${CI:-}" = true ]; then
		echo "not ok $tap_n - skipped under CI: $1"
		tap_failed=$((tap_failed + 1))
	else
		echo "ok $tap_n # skip $1"
	fi
}

# The whole script cannot run here (a failure under CI=true).
skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - cannot run under CI: $1"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

# make_netns NAME: a network namespace with loopback up and its own
# resolv.conf (nameserver 127.0.0.1 inside it), removed at exit.  All
# traffic of a test that uses it stays inside: `ip netns exec NAME cmd`.
make_netns() {
	[ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
	command -v ip >/dev/null 2>&1 || skip_all "needs ip (iproute2)"
	ip netns add "$1" 2>"$T/netns.err" || skip_all "cannot create a network namespace: $(cat "$T/netns.err")"
	at_exit "ip netns del '$1' 2>/dev/null; rm -rf '/etc/netns/$1'"
	ip netns exec "$1" ip link set lo up
	mkdir -p "/etc/netns/$1"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"/etc/netns/$1/resolv.conf"
}

# start_serve NAME ARGS...: runs `rustyc serve ARGS` in the background,
# stdout in $T/NAME.out and stderr in $T/NAME.err; sets SPID and PORT (from
# its "listening on" line, so ARGS should end in port 0).  Killed at exit.
start_serve() {
	_name=$1
	shift
	# Emptied first: a name used before still holds the last server's
	# "listening on" line, and the poll below could read its port before
	# the new server's redirection truncates the file (a test then
	# started a second server on that freed port, which never ended).
	: >"$T/$_name.err"
	"$RUSTYC" serve "$@" >"$T/$_name.out" 2>"$T/$_name.err" &
	SPID=$!
	at_exit "kill $SPID 2>/dev/null"
	_i=0
	PORT=
	while [ -z "$PORT" ]; do
		PORT=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/$_name.err")
		_i=$((_i + 1))
		[ $_i -lt 200 ] || { echo "# serve did not start: $(cat "$T/$_name.err")"; return 1; }
		[ -n "$PORT" ] || sleep 0.05
	done
}

# stop_serve [SIGNAL]: signals the server (TERM by default) and waits;
# its exit status is in SRC.
stop_serve() {
	kill -"${1:-TERM}" "$SPID"
	wait "$SPID"
	SRC=$?
}

# wait_for COND [TRIES]: polls a shell condition every 0.05 s (default
# 100 tries); false if it never held.
wait_for() {
	_i=0
	until eval "$1"; do
		_i=$((_i + 1))
		[ $_i -lt "${2:-100}" ] || return 1
		sleep 0.05
	done
}

# spawn CMD...: runs CMD in the background, stdout in $OUT and stderr in
# $ERR, with SIGINT and SIGTERM at their default action (a shell without
# job control starts background commands with SIGINT ignored); sets WPID
# to CMD's own pid.  reap: waits for it and sets RC to its status as a
# shell shows it and SIGNALED to the signal that ended it (0: it exited).
spawn() {
	rm -f "$T/spawn.pid" "$T/spawn.status"
	perl -e '
		my $f = shift;
		$SIG{INT} = $SIG{TERM} = "DEFAULT";
		my $pid = fork;
		defined $pid or die "fork: $!";
		if ($pid == 0) { exec { $ARGV[0] } @ARGV; exit 127 }
		open my $h, ">", "$f.pid.new" or die; print $h "$pid\n"; close $h;
		rename "$f.pid.new", "$f.pid";
		waitpid $pid, 0;
		my $sig = $? & 127;
		open $h, ">", "$f.status.new" or die;
		print $h ($sig ? 128 + $sig : $? >> 8), " $sig\n"; close $h;
		rename "$f.status.new", "$f.status";
	' "$T/spawn" "$@" >"$OUT" 2>"$ERR" &
	_spawner=$!
	wait_for "[ -s '$T/spawn.pid' ]" || return 1
	WPID=$(cat "$T/spawn.pid")
	at_exit "kill $WPID 2>/dev/null"
}
reap() {
	wait "$_spawner"
	read -r RC SIGNALED <"$T/spawn.status"
}

# public_copy: a copy of $RUSTYC that any user can run, in a directory of
# its own (mode 755, removed at exit), for tests that drop privileges: the
# checkout itself may sit where other users cannot enter.  Sets PUB (the
# directory) and PUBRUSTYC (the copy).
public_copy() {
	PUB=$(mktemp -d "${TMPDIR:-/tmp}/rustyc-pub.XXXXXX")
	at_exit "rm -rf '$PUB'"
	chmod 755 "$PUB"
	cp "$RUSTYC" "$PUB/rustyc"
	chmod 755 "$PUB/rustyc"
	PUBRUSTYC=$PUB/rustyc
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
