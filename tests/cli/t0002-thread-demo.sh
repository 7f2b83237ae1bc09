#!/bin/sh
# thread-demo: spawn/join, a panic that ends one thread, Arc sharing.
. "$(dirname "$0")/lib.sh"

run "$RUSTYC" thread-demo
ok "[ $RC -eq 0 ]" "default run exits 0 although a thread panicked"
is "$(grep '^hello [0-9]' "$OUT" | sort)" "$(printf 'hello %s\n' 0 1 2 3 4)" "spawn: hello 0..4, each once"
ok "grep -qx 'so fine' '$OUT' && grep -qx dolly '$OUT' && grep -qx 'wait Ok(())' '$OUT' && grep -qx 'wait Err(\"I give up!\")' '$OUT'" \
	"the default run holds every lesson: detach, join, panic, spawn, arc"
ok "grep -qE \"^thread '<unnamed>' panicked at 'I give up!', src/cmd/thread_demo.c:[0-9]+\$\" '$ERR'" \
	"panic: stderr has Rust's panic line with file and line"
is "$(grep '^hello dolly count' "$OUT" | sort)" "$(printf 'hello dolly count %s\n' 0 1 2 3 4)" \
	"arc: every thread greets the shared value"
is "$(tail -1 "$OUT")" "arc count 1" "arc: only main's handle is left after the joins"

run "$RUSTYC" thread-demo -j 3 --name molly -m 'no more' -s arc
is "$(sort "$OUT")" "$(printf 'arc count 1\nhello molly count 0\nhello molly count 1\nhello molly count 2')" \
	"-j, --name and -s arc run that lesson alone"
run "$RUSTYC" thread-demo -s panic -m 'no more'
is "$(cat "$OUT")" "$(printf 'hello\nwait Err("no more")')" "-m sets the panic message"
# The tutorial's thread1 (threads nobody joins; main waits a little) and
# thread2 (join gives Ok(())), against the outputs the tutorial prints.
run "$RUSTYC" thread-demo -s detach
is "$(sort "$OUT")" "$(printf 'so fine\nhello\ndolly\n' | sort)" "detach: so fine, hello, dolly (thread1.rs; order free)"
run "$RUSTYC" thread-demo -s join
is "$(cat "$OUT")" "$(printf 'hello\nwait Ok(())')" "join: hello, wait Ok(()) (thread2.rs)"
run "$RUSTYC" thread-demo -s panic
is "$(cat "$OUT")" "$(printf 'hello\nwait Err("I give up!")')" "panic: the thread said hello, then join gave its message"
# A message shown as Rust's {:?} shows a &str: one line, whatever it holds.
run "$RUSTYC" thread-demo -s panic -m "$(printf 'a"b\\c\nwait Ok(())')"
is "$(cat "$OUT")" "$(printf 'hello\nwait Err("a\\"b\\\\c\\nwait Ok(())")')" \
	"a panic message with a quote, a backslash and a newline stays one escaped line"
run "$RUSTYC" thread-demo -s spawn -j 12
is "$(wc -l <"$OUT" | tr -d ' ')" 12 "-j 12 spawns 12"

usage_error "-j 0 is refused" "invalid value '0' for -j/--threads: must be from 1 to 1000" "$RUSTYC" thread-demo -j 0
usage_error "-j abc is refused" "invalid value 'abc' for -j/--threads: not a whole number" "$RUSTYC" thread-demo -j abc
usage_error "-j 99999999999999999999999 is refused" "for -j/--threads: must be from 1" "$RUSTYC" thread-demo -j 99999999999999999999999
usage_error "an unknown section is refused" "invalid value 'nope' for -s/--section" "$RUSTYC" thread-demo -s nope
done_testing
