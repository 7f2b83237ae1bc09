#!/bin/sh
# No input can put a raw control byte on stderr: every subcommand is run
# with a value full of terminal escapes for every option that takes one,
# and as an operand, and its stderr must hold none (only newlines).
# Nothing here reaches past loopback: every such value fails to parse,
# or is a lesson's text.
. "$(dirname "$0")/lib.sh"

E=$(printf '\033]0;title\007\033[31mRED\302\233x\r')
# A control byte other than newline and tab in a file.
raw_control() {
	LC_ALL=C tr -d '\n\t' <"$1" | LC_ALL=C grep -q '[[:cntrl:]]'
}
# An operand that makes each subcommand start no real work.
operand() {
	case $1 in
	ping-sweep) echo 198.51.100.0/33 ;;
	resolve) echo 'bad!name' ;;	# one word: never split into a real name
	serve) echo 70000 ;;
	echo-client) echo 0 ;;
	*) echo "" ;;
	esac
}
# Options that name a file (--resume) create it: here, not in the checkout.
cd "$T" || exit 1
cmds=$("$RUSTYC" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
for c in $cmds; do
	"$RUSTYC" "$c" --help >"$T/help"
	bad=
	n=0
	for o in $(sed -n 's/^  -[a-zA-Z0-9], \(--[a-z0-9-]*\) [A-Z].*/\1/p; s/^      \(--[a-z0-9-]*\) [A-Z].*/\1/p' "$T/help"); do
		op=$(operand "$c")
		timeout 10 "$RUSTYC" "$c" "$o" "$E" $op >"$T/o" 2>"$T/e" </dev/null
		n=$((n + 1))
		raw_control "$T/e" && bad="$bad $o"
	done
	timeout 10 "$RUSTYC" "$c" "$E" >"$T/o" 2>"$T/e" </dev/null
	raw_control "$T/e" && bad="$bad operand"
	timeout 10 "$RUSTYC" "$c" "--x$E" >"$T/o" 2>"$T/e" </dev/null
	raw_control "$T/e" && bad="$bad unknown-option"
	is "$bad" "" "$c: $n option values, an operand and an unknown option: no raw control byte on stderr"
done
# The review's case: a scope id holding an escape, in an address.
ESC=$(printf '\033')
run "$RUSTYC" echo-client "[fe80::1%${ESC}[31mRED]:80"
ok "[ $RC -eq 2 ] && ! raw_control '$ERR'" "echo-client: an escape in an IPv6 scope id is shown escaped"
run "$RUSTYC" serve -b "$(printf '\033]0;title\007')" 0
ok "[ $RC -eq 2 ] && ! raw_control '$ERR'" "serve -b with an OSC sequence is shown escaped"

# The checker itself sees one.
printf 'a\033b\n' >"$T/e"
ok "raw_control '$T/e'" "an ESC on stderr would be noticed"
printf 'a\\x1bb\n' >"$T/e"
ok "! raw_control '$T/e'" "its escaped form passes"
done_testing
