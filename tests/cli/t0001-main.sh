#!/bin/sh
# The dispatcher: help, version, unknown commands and options, stdout errors.
. "$(dirname "$0")/lib.sh"

run "$RUSTYC" --help
ok "[ $RC -eq 0 ] && [ ! -s '$ERR' ]" "--help exits 0, nothing on stderr"
for c in ping-sweep resolve serve echo-client thread-demo share-demo channel-demo barrier-demo; do
	ok "grep -qE '^  $c +[A-Za-z]' '$OUT'" "--help lists $c with a summary"
done

run "$RUSTYC" --version
ok "[ $RC -eq 0 ] && grep -qE '^rustyc [0-9]+\.[0-9]+\.[0-9]+$' '$OUT'" "--version prints rustyc X.Y.Z"

for c in ping-sweep resolve serve echo-client thread-demo share-demo channel-demo barrier-demo; do
	run "$RUSTYC" help "$c"
	cp "$OUT" "$T/help1"
	ok "[ $RC -eq 0 ] && grep -q '^usage: rustyc $c' '$OUT'" "help $c prints its usage to stdout"
	run "$RUSTYC" "$c" --help
	ok "[ $RC -eq 0 ] && cmp -s '$OUT' '$T/help1'" "$c --help prints the same usage"
done

usage_error "an unknown command exits 2 naming it and the closest" \
	"'chanel-demo' is not a command; did you mean 'channel-demo'?" "$RUSTYC" chanel-demo
usage_error "a prefix suggests the command" "did you mean 'barrier-demo'?" "$RUSTYC" barrier
usage_error "a far-off name gets no suggestion" "'zzzzzzzz' is not a command (see" "$RUSTYC" zzzzzzzz
usage_error "help for an unknown command exits 2" "'nope' is not a command" "$RUSTYC" help nope
usage_error "an unknown global option exits 2 naming it" "unknown option '--frobnicate'" "$RUSTYC" --frobnicate
usage_error "an unknown subcommand option exits 2 naming it" \
	"rustyc thread-demo: unknown option '--frobnicate'" "$RUSTYC" thread-demo --frobnicate
usage_error "an unknown short option exits 2 naming it" "unknown option '-Z'" "$RUSTYC" barrier-demo -Z
usage_error "a missing option value exits 2 naming the option" "option '--threads' needs a value" \
	"$RUSTYC" barrier-demo --threads
usage_error "a stray argument exits 2 naming it" "unexpected argument 'extra'" "$RUSTYC" share-demo extra

run "$RUSTYC"
ok "[ $RC -eq 2 ] && grep -q '^usage: rustyc' '$ERR'" "no command prints usage to stderr and exits 2"

if [ -w /dev/full ]; then
	"$RUSTYC" --help >/dev/full 2>"$ERR"
	RC=$?
	ok "[ $RC -eq 2 ] && grep -q 'cannot write results to stdout' '$ERR'" "a full disk on stdout is an error, exit 2"
else
	skip "/dev/full is not writable here"
fi

# A reader that leaves early ends the run quietly, whether SIGPIPE kills
# us (the default) or is ignored and writes fail with EPIPE.
"$RUSTYC" channel-demo -p 2 -n 200000 2>"$ERR" | head -1 >"$OUT"
ok "[ \"\$(cat '$OUT')\" != '' ] && [ ! -s '$ERR' ]" "| head -1 ends quietly"
(trap '' PIPE; "$RUSTYC" channel-demo -p 2 -n 200000 2>"$ERR" | head -1 >"$OUT")
ok "[ ! -s '$ERR' ]" "| head -1 with SIGPIPE ignored ends quietly too"

run "$RUSTYC" --help ping-sweep
cp "$OUT" "$T/h1"
run "$RUSTYC" ping-sweep --help
ok "cmp -s '$T/h1' '$OUT' && grep -q '^usage: rustyc ping-sweep' '$OUT'" "rustyc --help CMD shows CMD's help"
usage_error "a host:port target says how to probe a port" "a port is not part of a sweep target (to probe a TCP port, use -m tcp:PORT)" \
	"$RUSTYC" ping-sweep 127.0.0.1:80
usage_error "share-demo --blow-up outside the refcell lesson is refused" "--blow-up belongs to the refcell lesson" \
	"$RUSTYC" share-demo -s cell --blow-up

# No targets at all is a usage error, however they were (not) given.
usage_error "ping-sweep with an empty stdin list exits 2" "no targets given" sh -c "'$RUSTYC' ping-sweep - </dev/null"
usage_error "resolve with no names and an empty, non-terminal stdin exits 2" "no names given" \
	sh -c "'$RUSTYC' resolve </dev/null"
usage_error "a comment-only list is no list either" "no names given" \
	sh -c "printf '# nothing\\n\\n' | '$RUSTYC' resolve -"

done_testing
