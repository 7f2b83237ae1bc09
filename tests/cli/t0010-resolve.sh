#!/bin/sh
# resolve against a real DNS server: dnsmasq inside a network namespace
# that this test creates, authoritative for a generated zone, no upstream.
# Every lookup runs inside a namespace; nothing leaves this machine.
. "$(dirname "$0")/lib.sh"

command -v dnsmasq >/dev/null 2>&1 || skip_all "needs dnsmasq (apt-get install dnsmasq-base)"
NS=ryres$$
make_netns "$NS"
in_ns() { ip netns exec "$NS" "$@"; }

# The zone.  Addresses come from the documentation and benchmark ranges;
# they are DNS data only and are never contacted.
{
	echo "198.51.100.1 a4.test"
	echo "198.51.100.2 both.test"
	echo "2001:db8::2 both.test"
	echo "198.51.100.3 multi.test"
	echo "198.51.100.4 multi.test"
	echo "198.51.100.5 multi.test"
	echo "2001:db8::6 six.test"
	i=1
	while [ $i -le 1000 ]; do
		echo "198.18.$((i / 256)).$((i % 256)) gen-$i.test"
		i=$((i + 1))
	done
} >"$T/zone"
# Not through in_ns: `ip netns exec` execs dnsmasq, so $! is dnsmasq
# itself (a shell function would put a subshell in between).
ip netns exec "$NS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$T/zone" \
	--local=/test/ --server=/slow.test/127.0.0.2 --listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--user=root --pid-file="$T/dnsmasq.pid" --log-facility="$T/dnsmasq.log" &
DNSMASQ=$!
at_exit "kill $DNSMASQ 2>/dev/null; wait $DNSMASQ 2>/dev/null"
tries=0
until in_ns "$RUSTYC" resolve -q a4.test >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || skip_all "dnsmasq did not start: $(cat "$T/dnsmasq.log" 2>/dev/null)"
	sleep 0.1
done

run in_ns "$RUSTYC" resolve a4.test
ok "[ $RC -eq 0 ]" "a name that resolves exits 0"
is "$(cat "$OUT")" "a4.test 198.51.100.1" "NAME ADDR for an A-only name"
ok "grep -qx '1 name, 1 resolved, 0 failed, [0-9.]* s' '$ERR'" "a summary line on stderr (one name, singular)"

run in_ns "$RUSTYC" resolve -q multi.test
is "$(sort "$OUT")" "$(printf 'multi.test 198.51.100.%s\n' 3 4 5)" "every address of a name with several A records"
run in_ns "$RUSTYC" resolve -q --first multi.test
ok "[ \$(wc -l <'$OUT') -eq 1 ] && grep -qE '^multi.test 198.51.100.[345]$' '$OUT'" "--first prints only the first"

run in_ns "$RUSTYC" resolve -q both.test
is "$(sort "$OUT")" "$(printf 'both.test 198.51.100.2\nboth.test 2001:db8::2')" "A and AAAA both"
run in_ns "$RUSTYC" resolve -q -4 both.test
is "$(cat "$OUT")" "both.test 198.51.100.2" "-4 keeps IPv4"
run in_ns "$RUSTYC" resolve -q -6 both.test six.test
is "$(sort "$OUT")" "$(printf 'both.test 2001:db8::2\nsix.test 2001:db8::6')" "-6 keeps IPv6 (AAAA-only name too)"
run in_ns "$RUSTYC" resolve -q -4 six.test
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ] && grep -q \"^rustyc resolve: 'six.test': no address\" '$ERR'" \
	"-4 on an AAAA-only name fails with a reason"

run in_ns "$RUSTYC" resolve -q nosuch.test a4.test
ok "[ $RC -eq 1 ]" "one name failing exits 1"
is "$(cat "$ERR")" "rustyc resolve: 'nosuch.test': name not found" "NXDOMAIN is reported for that name"
is "$(cat "$OUT")" "a4.test 198.51.100.1" "and the rest go on"

# Forms with ports and services.
run in_ns "$RUSTYC" resolve -q -4 a4.test:80 both.test:https '[::1]:8080' 127.0.0.1:9 ::1 '[fe80::1%lo]:80'
is "$(sort "$OUT")" "$(printf '%s\n' '127.0.0.1:9 127.0.0.1:9' 'a4.test:80 198.51.100.1:80' \
	'both.test:https 198.51.100.2:443' | sort)" "-4 with host:port, host:service and numeric forms"
run in_ns "$RUSTYC" resolve -q '[::1]:8080' '[fe80::1%lo]:80' 127.0.0.1:9
is "$(sort "$OUT")" "$(printf '%s\n' '127.0.0.1:9 127.0.0.1:9' '[::1]:8080 [::1]:8080' \
	'[fe80::1%lo]:80 [fe80::1%lo]:80' | sort)" "addresses with ports are endpoints: themselves, IPv6 bracketed, with a scope"
run in_ns "$RUSTYC" resolve a4.test:nosuchservice a4.test:80
ok "[ $RC -eq 1 ] && grep -qx '2 names, 1 resolved, 1 failed, [0-9.]* s' '$ERR' && grep -q \"'a4.test:nosuchservice': unknown service\" '$ERR'" \
	"an unknown service fails its name, in the exit status and the summary as in the message"
run in_ns "$RUSTYC" resolve -q localhost
ok "grep -qx 'localhost 127.0.0.1' '$OUT'" "localhost resolves from /etc/hosts"

# Nonsense: each name says why, the rest go on.
run in_ns "$RUSTYC" resolve -q a4.test 'a..b' 'x:99999' '[::1' '::1]' ':80' 'a4.test:' \
	"$(printf 'l%.0s' $(seq 64)).test" "$(printf 'abcdefghi.%.0s' $(seq 26))com" 'bad name'
ok "[ $RC -eq 1 ] && [ \"\$(cat '$OUT')\" = 'a4.test 198.51.100.1' ]" "bad names fail alone"
for why in "'a..b': empty label in name" "'x:99999': port over 65535" "'[::1': unbalanced brackets" \
	"'::1]': unbalanced brackets" "': 80': empty host" "'a4.test:': empty port" \
	"label longer than 63 characters" "name longer than 253 characters" \
	"'bad name': character not allowed in a host name"; do
	ok "grep -qF -- \"$(echo "$why" | sed 's/: 80/:80/')\" '$ERR'" "reason: $(echo "$why" | sed 's/: 80/:80/')"
done

# 1,000 names, every answer checked against the zone.
seq 1 1000 | sed 's/.*/gen-&.test/' >"$T/names"
awk '$2 ~ /^gen-/ { print $2, $1 }' "$T/zone" | sort >"$T/want"
run in_ns "$RUSTYC" resolve -q - <"$T/names"
sort "$OUT" >"$T/got"
ok "[ $RC -eq 0 ] && cmp -s '$T/got' '$T/want'" "1,000 names from stdin, every answer right"
run in_ns "$RUSTYC" resolve -q -k -j 16 - <"$T/names"
is "$(cut -d' ' -f1 "$OUT" | md5sum)" "$(md5sum <"$T/names")" "--keep-order prints in input order"

# stdin without '-', with comments, blanks, spaces and CRLF.
printf '# a comment\n\n  a4.test  \r\nsix.test\n' | in_ns "$RUSTYC" resolve -q >"$OUT" 2>"$ERR"
is "$(sort "$OUT")" "$(printf 'a4.test 198.51.100.1\nsix.test 2001:db8::6')" "stdin lines are trimmed, comments skipped"

# Binary garbage is an error per line, escaped, never a crash.
printf 'a4.test\n\033[31mred\nnul\000byte\n\377\376\n' | in_ns "$RUSTYC" resolve -q >"$OUT" 2>"$ERR"
RC=$?
ok "[ $RC -eq 1 ] && [ \"\$(cat '$OUT')\" = 'a4.test 198.51.100.1' ]" "garbage lines fail, good ones resolve"
ok "grep -qF \"'\\\\x1b[31mred': character not allowed\" '$ERR' && ! grep -q \"\$(printf '\\033')\" '$ERR'" \
	"an escape sequence in a name is printed escaped"
ok "grep -qF \"'nul\\\\x00byte'\" '$ERR' && grep -qF \"'\\\\xff\\\\xfe'\" '$ERR'" "NUL and high bytes are escaped"

# JSON: one object per name.
run in_ns "$RUSTYC" resolve -q --json -4 -k both.test:https nosuch.test 'x:99999'
is "$(cat "$OUT")" "$(printf '%s\n' \
	'{"input":"both.test:https","name":"both.test","port":443,"addresses":["198.51.100.2"],"error":null}' \
	'{"name":"nosuch.test","port":null,"addresses":[],"error":"name not found"}' \
	'{"name":"x:99999","port":null,"addresses":[],"error":"port over 65535"}')" \
	"--json objects: name without its port, the port apart, input as given where it differs"

# A name server that never answers: the per-name timeout fires at about
# -t, and rustyc exits promptly although getaddrinfo is still stuck (the
# user's RES_OPTIONS keeps glibc waiting for 30 s here).
BH=ryhole$$
make_netns "$BH"
ip netns exec "$BH" "$HELPERS/udp_sink" 127.0.0.1 53 >"$T/sink.out" &
SINK=$!
at_exit "kill $SINK 2>/dev/null"
tries=0
until [ -s "$T/sink.out" ] || [ $tries -ge 50 ]; do sleep 0.1; tries=$((tries + 1)); done
start=$(date +%s%N)
RES_OPTIONS="timeout:30 attempts:1" ip netns exec "$BH" "$RUSTYC" resolve -t 1 one.test two.test three.test >"$OUT" 2>"$ERR"
RC=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ]" "unanswered names fail"
is "$(grep -c 'timed out' "$ERR")" 3 "each reported as timed out"
ok "[ $ms -ge 900 ] && [ $ms -lt 5000 ]" "at about -t 1 (took ${ms} ms), then exits at once"

# Every subcommand's name lookups honour its timeout, in resolve's words.
start=$(date +%s%N)
run ip netns exec "$BH" "$RUSTYC" echo-client -t 1 one.test:80
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 2 ] && grep -q \"cannot resolve 'one.test:80': timed out\" '$ERR' && [ $ms -lt 3000 ]" \
	"echo-client -t 1 NAME:80 with a silent name server: 'timed out' after about 1 s (${ms} ms)"
start=$(date +%s%N)
run ip netns exec "$BH" "$RUSTYC" ping-sweep -t 1 one.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 2 ] && grep -q \"'one.test': timed out\" '$ERR' && [ $ms -lt 3000 ]" \
	"ping-sweep -t 1 NAME likewise (${ms} ms)"

# SIGINT while a lookup hangs: what resolved is printed, exit 130.
spawn ip netns exec "$BH" env RES_OPTIONS="timeout:30 attempts:1" "$RUSTYC" resolve -t 20 127.0.0.1:80 one.test
wait_for "grep -q 127.0.0.1 '$OUT'"
start=$(date +%s%N)
kill -INT "$WPID"
reap
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 130 ] && [ \"\$(cat '$OUT')\" = '127.0.0.1:80 127.0.0.1:80' ]" "SIGINT: the names resolved so far are printed, exit 130"
ok "[ $ms -lt 2000 ] && grep -q '(interrupted)' '$ERR'" "at once (${ms} ms), with the summary saying so"

run in_ns "$RUSTYC" resolve -q --help
ok "[ $RC -eq 0 ] && grep -q '^usage: rustyc resolve' '$OUT'" "--help"
usage_error "-j 0 is refused" "invalid value '0' for -j/--jobs: must be from 1 to 100000" "$RUSTYC" resolve -j 0 a
usage_error "--system -j 2000 is refused" "must be from 1 to 1024 with --system" "$RUSTYC" resolve --system -j 2000 a
usage_error "-t 0 is refused" "invalid value '0' for -t/--timeout" "$RUSTYC" resolve -t 0 a
usage_error "-t abc is refused" "invalid value 'abc' for -t/--timeout: not a number of seconds" "$RUSTYC" resolve -t abc a
usage_error "-4 with -6 is refused" "-4 and -6 exclude each other" "$RUSTYC" resolve -4 -6 a
if command -v script >/dev/null 2>&1; then
	# The terminal script(1) makes takes TERM from here: name one.
	run env TERM=xterm script -qec "ip netns exec $NS $RUSTYC resolve -t 1 - <'$T/names' >/dev/null" /dev/null
	ok "grep -q 'names' '$OUT' && grep -q '1000/1000' '$OUT'" "a progress bar when stderr is a terminal"
	run in_ns "$RUSTYC" resolve - <"$T/names"
	ok "! grep -q '/1000' '$ERR'" "and none when it is not"
	for quiet in "-q" "TERM=dumb" "NO_COLOR=1"; do
		case $quiet in -q) pre= opt=-q ;; *) pre=$quiet opt= ;; esac
		run env TERM=xterm $pre script -qec "ip netns exec $NS $RUSTYC resolve $opt -t 1 - <'$T/names' >/dev/null" /dev/null
		ok "! grep -q '/1000' '$OUT'" "no bar with $quiet"
	done
	# 499 names that answer and one whose server never does (dnsmasq
	# forwards slow.test to a black hole): while it waits, the bar shows
	# the true count, and its error is not glued to the bar.
	ip netns exec "$NS" "$HELPERS/udp_sink" 127.0.0.2 53 >"$T/sink2.out" &
	SINK2=$!
	at_exit "kill $SINK2 2>/dev/null"
	wait_for "[ -s '$T/sink2.out' ]"
	{ head -250 "$T/names"; echo a.slow.test; sed -n 251,499p "$T/names"; } >"$T/slow.names"
	run env TERM=xterm script -qec "ip netns exec $NS $RUSTYC resolve -t 2 - <'$T/slow.names' >/dev/null" /dev/null
	ok "grep -q '499/500 names' '$OUT'" "the bar shows 499/500 while the last name waits"
	ok "grep -qF \"\$(printf '\\r\\033[K')rustyc resolve: 'a.slow.test': timed out\" '$OUT'" \
		"the error erases the bar first instead of sticking to it"
	kill $SINK2 2>/dev/null
else
	skip "script (util-linux) is needed to give rustyc a terminal"
fi
done_testing
