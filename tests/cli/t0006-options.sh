#!/bin/sh
# Every option of every subcommand's table (as --help prints it, from
# the same table the parser uses) is described in that subcommand's
# section of the manual, so the manual cannot fall behind the code.
. "$(dirname "$0")/lib.sh"

MAN=$(cd "$(dirname "$0")/../.." && pwd)/man/rustyc.1
cmds=$("$RUSTYC" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
ok "[ -n \"$cmds\" ]" "the subcommands are listed by --help"
for c in $cmds; do
	run "$RUSTYC" "$c" --help
	# This subcommand's section: from its .SS line to the next .SS or .SH.
	awk -v c="$c" '/^\.S[SH] /{ on = ($0 ~ "^\\.SS \"" c " ") } on' "$MAN" >"$T/sect"
	ok "[ -s '$T/sect' ]" "the manual has a section for $c"
	missing=
	for o in $(sed -n 's/^  \(-[a-zA-Z0-9]\)\{0,1\},\{0,1\} *\(--[a-z0-9-]*\).*/\1 \2/p; s/^      \(--[a-z0-9-]*\).*/\1/p' "$OUT"); do
		case $o in --help|-h) continue ;; esac
		man_form=$(printf '%s' "$o" | sed 's/-/\\-/g')
		grep -qF -- "$man_form" "$T/sect" || missing="$missing $o"
	done
	is "$missing" "" "every option of $c is in its manual section"
done
# Every --help fits 80 columns and shows no escape written by mistake
# (map-demo's help once printed a literal \n; echo-client's usage ran to
# 97 columns before its forms went on lines of their own).
wide=
for c in "" thread-demo share-demo channel-demo barrier-demo map-demo ping-sweep resolve serve echo-client completion; do
	# shellcheck disable=SC2086
	"$RUSTYC" $c --help >"$T/help" 2>&1
	wide="$wide$(awk -v c="${c:-rustyc}" 'length > 80 || /\\n/ { print c ": " $0 }' "$T/help")"
done
ok "[ -z \"\$wide\" ]" "every --help fits 80 columns, no literal backslash-n${wide:+: $wide}"
"$RUSTYC" echo-client --help >"$T/help"
ok "grep -qx '   or: rustyc echo-client \[options\] --merge FILE...' '$T/help'" "a command with several forms shows one usage line each"

# Lists made from a table agree wherever they are shown: ping-sweep's
# methods in --help (one line each, with what it sends), in the error
# for a bad -m, and resolve's record types in --help and in its error.
"$RUSTYC" ping-sweep --help >"$T/help"
methods=$(sed -n 's/^ \{26\}\([a-z]*\)\(:PORTS\)\{0,1\}  *[A-Za-z].*/\1/p' "$T/help" | tr '\n' ' ')
"$RUSTYC" ping-sweep -m nosuch 127.0.0.1 2>"$T/err"
listed=$(sed -n 's/.*must be \(.*\)$/\1/p' "$T/err" | sed 's/:PORT//; s/,//g; s/ or / /')
is "$methods" "$listed " "ping-sweep --help has a line for each -m method the error lists ($listed)"
"$RUSTYC" resolve --help >"$T/help"
"$RUSTYC" resolve --type AXFR x 2>"$T/err"
types=$(sed -n 's/.*--type: one of //p' "$T/err")
ok "[ -n '$types' ] && grep -qF 'TYPE,TYPE): $types' '$T/help'" "resolve --help lists the record types its error lists ($types)"

# And the check itself finds a missing option.
printf '.SS "x"\n.B \\-\\-other\n' >"$T/sect"
grep -qF -- '\-\-jobs' "$T/sect"
ok "[ $? -ne 0 ]" "an option missing from a section is noticed"
done_testing
