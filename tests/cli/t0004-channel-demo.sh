#!/bin/sh
# channel-demo: mpsc, sync_channel, rendezvous, timeouts, disconnection.
. "$(dirname "$0")/lib.sh"

run "$RUSTYC" channel-demo
ok "[ $RC -eq 0 ]" "default run exits 0"
is "$(sort "$OUT")" "$(printf 'got Ok("hello %s")\n' 0 1 2 3 4)" "default: got Ok(\"hello I\") for 5 producers"

run "$RUSTYC" channel-demo -p 3 -n 50
is "$(wc -l <"$OUT" | tr -d ' ')" 150 "-p 3 -n 50: 150 receives"
for p in 0 1 2; do
	is "$(grep "hello $p\." "$OUT" | sed 's/.*\.\([0-9]*\)").*/\1/' | tr '\n' ' ')" \
		"$(seq 0 49 | tr '\n' ' ')" "producer $p's messages arrive in its order"
done

run "$RUSTYC" channel-demo --numbers -p 1 -n 5 -b 0
is "$(cat "$OUT")" "$(seq 0 4)" "the sync_channel(0) lesson prints 0..4 in order"
run "$RUSTYC" channel-demo --numbers -p 1 -n 1000 -b 3
is "$(cat "$OUT")" "$(seq 0 999)" "sync_channel(3): 1000 numbers in order"
run "$RUSTYC" channel-demo -p 4 -n 100 -b 0
is "$(wc -l <"$OUT" | tr -d ' ')" 400 "rendezvous with 4 producers delivers all 400"

run "$RUSTYC" channel-demo -p 2 -r 3 -t 0.2
is "$(tail -1 "$OUT")" "got Err(Timeout)" "-t: a receive beyond the messages times out"
run "$RUSTYC" channel-demo -p 2 -r 3 --drop-sender
is "$(tail -1 "$OUT")" "got Err(RecvError)" "--drop-sender: a receive after all senders left is Err(RecvError)"
run "$RUSTYC" channel-demo -p 2 -r 3 -t 5 --drop-sender
is "$(tail -1 "$OUT")" "got Err(Disconnected)" "recv_timeout after all senders left is Err(Disconnected)"
run "$RUSTYC" channel-demo -p 4 -n 10 -b 1 -r 2
ok "[ $RC -eq 0 ] && [ \$(wc -l <'$OUT') -eq 2 ]" "fewer receives than sends on a bounded channel still ends"

usage_error "receiving more than is sent with no way out is refused" \
	"--recvs 6 is more than the 5 messages sent" "$RUSTYC" channel-demo -r 6
usage_error "-p 0 is refused" "invalid value '0' for -p/--producers: must be from 1 to 1000" "$RUSTYC" channel-demo -p 0
usage_error "-t nan is refused" "invalid value 'nan' for -t/--timeout: not a number of seconds" "$RUSTYC" channel-demo -t nan
usage_error "-t -1 is refused" "invalid value '-1' for -t/--timeout" "$RUSTYC" channel-demo -t -1
usage_error "-t 1e999 is refused" "invalid value '1e999' for -t/--timeout" "$RUSTYC" channel-demo -t 1e999
usage_error "-b x is refused" "invalid value 'x' for -b/--bound: not a whole number" "$RUSTYC" channel-demo -b x

# Channels carry any type: an enum, two kinds of message on one channel.
run "$RUSTYC" channel-demo --enum -p 3
is "$(sort "$OUT")" "$(printf '%s\n' 'got Ok(Number(0))' 'got Ok(Number(1))' 'got Ok(Number(2))' \
	'got Ok(Text("hello 0"))' 'got Ok(Text("hello 1"))' 'got Ok(Text("hello 2"))')" "--enum: Text and Number over one channel"
ok "[ \$(grep -n 'hello 1' '$OUT' | cut -d: -f1) -lt \$(grep -n 'Number(1)' '$OUT' | cut -d: -f1) ]" \
	"and each producer's messages arrive in its order"
# A send that succeeded is not a message received.
run "$RUSTYC" channel-demo --unreceived
is "$(cat "$OUT")" "$(printf '%s\n' 'send Ok(())' 'receiver dropped: 1 message sent, 0 received' 'send Err(SendError { .. })')" \
	"--unreceived: Ok(()) from send, yet nobody received it; then SendError"
usage_error "--enum with --numbers is refused" "are separate lessons" "$RUSTYC" channel-demo --enum --numbers
done_testing
