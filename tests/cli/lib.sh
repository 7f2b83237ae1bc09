# lib.sh: a small TAP harness for the CLI tests, sourced by tests/cli/t*.sh.
#
#   run CMD...        runs CMD with stdout in $OUT, stderr in $ERR, status in $RC
#   ok COND DESC      one TAP line for a shell condition (a string for eval)
#   is GOT WANT DESC  string equality, with both shown on failure
#   skip REASON       a TAP skip (a failure when CI=true)
#   done_testing      prints the plan; exits 1 if anything failed
#
# The binary under test is $RUSTYC (set by `make test`; defaults to the
# plain build).  Each script gets a scratch directory $T, removed on exit.

: "${RUSTYC:=$(cd "$(dirname "$0")/../.." && pwd)/rustyc}"
T=$(mktemp -d "${TMPDIR:-/tmp}/rustyc-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
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

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
