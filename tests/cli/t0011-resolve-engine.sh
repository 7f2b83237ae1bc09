#!/bin/sh
# resolve's DNS engine (c-ares on one thread) against dnsmasq and against a
# hostile server of our own (tests/helpers/dnsfake), all inside a network
# namespace that this test creates: reverse lookups, record types,
# --server, the hosts file, streaming output, the per-name deadline, the
# dead-server cut-off and the congestion window.
. "$(dirname "$0")/lib.sh"

command -v dnsmasq >/dev/null 2>&1 || skip_all "needs dnsmasq (apt-get install dnsmasq-base)"
NS=ryeng$$
make_netns "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
# The namespace's own hosts file (ip netns exec mounts it on /etc/hosts).
printf '127.0.0.1 localhost\n198.51.100.99 fromhosts.test alias99.test\n' >"/etc/netns/$NS/hosts"

# Addresses from the documentation ranges: DNS data only, never contacted.
{
	echo "198.51.100.1 a4.test"
	echo "198.51.100.2 both.test"
	echo "2001:db8::2 both.test"
	echo "127.0.0.5 five.test"
	echo "198.51.100.7 xn--bcher-kva.test"
	i=1
	while [ $i -le 2000 ]; do
		echo "198.18.$((i / 256)).$((i % 256)) gen-$i.test"
		i=$((i + 1))
	done
} >"$T/zone"
cat >"$T/dnsmasq.conf" <<'EOF'
mx-host=mx.test,mail.test,10
srv-host=_sip._udp.srv.test,sip.test,5060,1,5
txt-record=txt.test,"v=spf1 -all","second string"
cname=alias.test,a4.test
caa-record=caa.test,0,issue,"ca.test"
EOF
ip netns exec "$NS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$T/zone" \
	--conf-file="$T/dnsmasq.conf" --local=/test/ --server=/slow.test/127.0.0.3 \
	--listen-address=127.0.0.1 --bind-interfaces --port=53 --user=root \
	--pid-file="$T/dnsmasq.pid" --log-facility="$T/dnsmasq.log" &
DNSMASQ=$!
at_exit "kill $DNSMASQ 2>/dev/null; wait $DNSMASQ 2>/dev/null"
ip netns exec "$NS" "$HELPERS/dnsfake" 5353 >"$T/fake.out" 2>"$T/fake.err" &
FAKE=$!
at_exit "kill $FAKE 2>/dev/null"
ip netns exec "$NS" "$HELPERS/udp_sink" 127.0.0.3 53 >"$T/sink.out" &
SINK=$!
at_exit "kill $SINK 2>/dev/null"
wait_for "[ -s '$T/fake.out' ] && [ -s '$T/sink.out' ]" || skip_all "the test servers did not start"
tries=0
until in_ns "$RUSTYC" resolve -q a4.test >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || skip_all "dnsmasq did not start: $(cat "$T/dnsmasq.log" 2>/dev/null)"
	sleep 0.1
done
FAKE_AT=--server=127.0.0.1:5353

# ---- reverse lookups ----
run in_ns "$RUSTYC" resolve -q 198.51.100.1 2001:db8::2 198.18.0.7
is "$(sort "$OUT")" "$(printf '%s\n' '198.18.0.7 gen-7.test' '198.51.100.1 a4.test' '2001:db8::2 both.test')" \
	"an address alone is looked up in reverse: ADDR NAME (IPv4 and IPv6)"
run in_ns "$RUSTYC" resolve -q -x 198.51.100.2 a4.test
ok "[ $RC -eq 1 ] && [ \"\$(cat '$OUT')\" = '198.51.100.2 both.test' ] && grep -q \"'a4.test': not an address\" '$ERR'" \
	"-x: every name must be an address; a name is an error of its own"
run in_ns "$RUSTYC" resolve -q 198.51.100.200
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ] && grep -q \"'198.51.100.200': \" '$ERR'" "an address without a PTR name fails, with a reason"
run in_ns "$RUSTYC" resolve -q --json 198.51.100.1
is "$(cat "$OUT")" '{"name":"198.51.100.1","names":["a4.test"],"error":null}' "reverse in JSON: a names list"

# ---- the hosts file first ----
run in_ns "$RUSTYC" resolve -q fromhosts.test ALIAS99.TEST. 198.51.100.99
is "$(cat "$OUT" | sort)" "$(printf '%s\n' '198.51.100.99 alias99.test' '198.51.100.99 fromhosts.test' \
	'ALIAS99.TEST. 198.51.100.99' 'fromhosts.test 198.51.100.99')" \
	"/etc/hosts answers names (any case, a final dot) and addresses it holds"
ok "! grep -q fromhosts '$T/dnsmasq.log' 2>/dev/null" "and nothing about them is sent"

# ---- record types ----
run in_ns "$RUSTYC" resolve -q --type MX --type SRV,txt,CNAME,CAA mx.test _sip._udp.srv.test txt.test alias.test caa.test
is "$(sort "$OUT")" "$(printf '%s\n' '_sip._udp.srv.test SRV 1 5 5060 sip.test' 'alias.test CNAME a4.test' \
	'caa.test CAA 0 issue "ca.test"' 'mx.test MX 10 mail.test' 'txt.test TXT "v=spf1 -all" "second string"')" \
	"--type: NAME TYPE VALUE, one line per record, types in any case, repeated or comma-separated"
run in_ns "$RUSTYC" resolve -q --json --type MX,SRV mx.test _sip._udp.srv.test nosuch.test
is "$(sort "$OUT")" "$(printf '%s\n' \
	'{"name":"_sip._udp.srv.test","type":"SRV","ttl":0,"priority":1,"weight":5,"port":5060,"target":"sip.test"}' \
	'{"name":"mx.test","type":"MX","ttl":0,"preference":10,"exchange":"mail.test"}' \
	'{"name":"nosuch.test","type":null,"error":"name not found"}')" "--type --json: one object per record, type, TTL and its fields"
usage_error "--type with an unknown type is refused" "invalid value 'AXFR' for --type: one of A AAAA" "$RUSTYC" resolve --type AXFR a
usage_error "--type with -x is refused" "-x and --type exclude each other" "$RUSTYC" resolve -x --type A a
usage_error "--system with --type is refused" "--system asks getaddrinfo and getnameinfo: it takes neither --type nor --server" "$RUSTYC" resolve --system --type MX a
usage_error "--server takes an address" "invalid value 'ns.example' for --server" "$RUSTYC" resolve --server ns.example a

# ---- --server, and the record parsers on odd data ----
run in_ns "$RUSTYC" resolve -q "$FAKE_AT" ok-7.test
is "$(cat "$OUT")" "ok-7.test 198.51.100.7" "--server ADDR:PORT asks that server"
run in_ns "$RUSTYC" resolve -q "$FAKE_AT" --type TXT,SOA,MX,SRV,CAA weird-1.test
is "$(cat "$OUT")" "$(printf '%s\n' 'weird-1.test TXT "a\027[31mb\010c\000d" "ok"' \
	'weird-1.test TXT "hi \"x\" \\ \"y\000"' \
	'weird-1.test SOA ns1.weird.test hostmaster.weird.test 7 3600 1800 604800 300' \
	'weird-1.test MX 20 mx2.weird.test' 'weird-1.test MX 10 mx1.weird.test' \
	'weird-1.test SRV 1 2 53 dns.weird.test' 'weird-1.test CAA 128 issue "ca.test"')" \
	"TXT as dig prints it (\\DDD, quotes and backslashes escaped); SOA, MX in answer order, SRV, critical CAA"
run in_ns "$RUSTYC" resolve -q "$FAKE_AT" --type PTR weird-1.test
is "$(cat "$OUT")" 'weird-1.test PTR a\032b\"c\.d.weird.test' "a PTR name with a space, a quote and a dot in a label: escaped as dig does, one field"
run in_ns "$RUSTYC" resolve -q "$FAKE_AT" --json --type MX,TXT weird-1.test
ok "grep -qF '\"type\":\"MX\",\"ttl\":40,\"preference\":20' '$OUT' && grep -qF '\"ttl\":50,\"preference\":10' '$OUT' && grep -qF '\"text\":[\"a\\u001b[31mb\\nc\\u0000d\",\"ok\"]' '$OUT'" \
	"each record's own TTL; a TXT record's strings apart, JSON-escaped"

# ---- hostile answers: a clear error each, nothing past the deadline ----
start=$(date +%s%N)
run in_ns "$RUSTYC" resolve -q "$FAKE_AT" -t 1 -4 ok-1.test nx-1.test servfail-1.test garbage-1.test short-1.test \
	badid-1.test wrongq-1.test slow-1.test silent-1.test bigrd-1.test ptrloop-1.test big-1.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 1 ] && [ $ms -lt 2500 ]" "twelve hostile answers end at about the 1 s deadline (${ms} ms), exit 1"
ok "grep -qx 'ok-1.test 198.51.100.1' '$OUT'" "the good name among them resolves"
is "$(grep -c '^big-1.test 198.51.100' "$OUT")" 100 "a truncated answer is fetched again over TCP: all 100 records"
is "$(grep -c "^rustyc resolve: '" "$ERR")" 10 "every other name has its error line"
ok "grep -q \"'nx-1.test': name not found\" '$ERR' && grep -q \"'ptrloop-1.test': malformed answer\" '$ERR'" \
	"NXDOMAIN and a compression loop say so"
for n in garbage short badid wrongq slow silent; do
	ok "grep -q \"'$n-1.test': timed out\" '$ERR'" "$n: ignored as no answer, timed out at the deadline"
done
ok "grep -q \"'servfail-1.test': server failure (SERVFAIL)\" '$ERR' && grep -q \"'bigrd-1.test': \" '$ERR'" \
	"SERVFAIL and a record past the message's end fail with a reason"

# A spoofer's flood on the reply port: 2,000 answers under wrong ids
# ahead of the right one.  The engine reads at most 64 datagrams before
# it looks at its clock again (c-ares alone reads until the socket is
# empty, and a flood that never lets it empty stops every deadline),
# and the name still resolves.
run in_ns env RUSTYC_DNS_STATS=1 "$RUSTYC" resolve -q "$FAKE_AT" -t 2 -4 flood-7.test
batch=$(sed -n 's/^dns: .* batch \([0-9]*\),.*/\1/p' "$ERR")
ok "[ $RC -eq 0 ] && grep -qx 'flood-7.test 198.51.100.7' '$OUT'" "a name answered behind a flood of forged replies resolves"
ok "[ -n '$batch' ] && [ '$batch' -le 64 ] && [ '$batch' -ge 32 ]" \
	"the flood is read in batches of at most 64 between looks at the clock (largest: ${batch:-none})"

# ---- output as each name completes, into a pipe ----
# a.slow.test goes to a server that never answers; a4.test must not wait.
spawn sh -c "ip netns exec $NS '$RUSTYC' resolve -q -t 3 a.slow.test a4.test | cat"
wait_for "grep -q a4.test '$OUT'" 40
got=$?
ok "[ $got -eq 0 ]" "a piped result is out while a slow name still waits (within 2 s of a 3 s deadline)"
reap
# Names are read from stdin as the window frees, not all first.
spawn sh -c "{ echo a4.test; sleep 4; echo both.test; } | ip netns exec $NS '$RUSTYC' resolve -q -4 - | cat"
wait_for "grep -q a4.test '$OUT'" 60
got=$?
ok "[ $got -eq 0 ]" "a name from stdin is answered before stdin ends"
reap
is "$(cat "$OUT")" "$(printf 'a4.test 198.51.100.1\nboth.test 198.51.100.2')" "and the next one after it"

# ---- a zone forwarded to a dead upstream, beside local names ----
# dnsmasq forwards slow.test to a server that never answers: its names
# fail (time out, or are refused once dnsmasq has its 150 forwards
# waiting); every local name still resolves.
{ seq 1 300 | sed 's/.*/z&.slow.test/'; seq 1 100 | sed 's/.*/gen-&.test/'; } |
	awk 'BEGIN { srand(5) } { print rand() "\t" $0 }' | sort -n | cut -f2 >"$T/fwd.names"
seq 1 100 | awk '{ printf "gen-%d.test 198.18.%d.%d\n", $1, int($1 / 256), $1 % 256 }' | sort >"$T/fwd.want"
start=$(date +%s%N)
run in_ns "$RUSTYC" resolve -q -4 -t 1 -j 100 - <"$T/fwd.names"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
sort "$OUT" >"$T/fwd.got"
ok "[ $RC -eq 1 ] && cmp -s '$T/fwd.got' '$T/fwd.want' && [ \$(grep -Ec \"slow.test': (timed out|refused by the name server)\$\" '$ERR') -eq 300 ] && [ $ms -lt 5000 ]" \
	"300 names of a zone forwarded to a dead upstream among 100 local ones, -j 100: every local name resolves (${ms} ms)"

# ---- a dead server: one deadline for all, not names / jobs of them ----
seq 1 3000 | sed 's/.*/n&.slow.test/' >"$T/dead.names"
start=$(date +%s%N)
run in_ns "$RUSTYC" resolve -q --server 127.0.0.3 -t 1 -j 100 - <"$T/dead.names"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ] && [ $ms -lt 3500 ]" \
	"3,000 names, -j 100, a silent server, -t 1: over in ${ms} ms (30 s in turns), exit 1"
is "$(grep -c 'timed out' "$ERR")" 3000 "every name reported timed out"
ok "grep -q 'no answer from the name server' '$ERR'" "with the reason: the server is not answering"

# ---- a server that drops what it cannot take: the window adapts ----
# dnsfake --queue: 50 us of work per query behind an 8 KiB socket buffer
# (a dozen queries), so most of a -j 2000 burst is dropped by the kernel.
seq 1 2000 | sed 's/.*/ok-&.test/' >"$T/burst.names"
awk '{ n = substr($1, 4) + 0; printf "%s 198.51.100.%d\n", $1, n % 256 }' "$T/burst.names" | sort >"$T/burst.want"
ip netns exec "$NS" "$HELPERS/dnsfake" 5354 --queue 50 >"$T/fake2.out" 2>"$T/fake2.err" &
FAKE2=$!
at_exit "kill $FAKE2 2>/dev/null"
wait_for "[ -s '$T/fake2.out' ]"
run in_ns env RUSTYC_DNS_STATS=1 "$RUSTYC" resolve -q -4 --server 127.0.0.1:5354 -j 2000 -t 30 - <"$T/burst.names"
sort "$OUT" >"$T/burst.got"
ok "[ $RC -eq 0 ] && cmp -s '$T/burst.got' '$T/burst.want'" "2,000 names at -j 2000 against a server with a short queue: every answer right"
retries=$(sed -n 's/^dns: .* \([0-9]*\) retries.*/\1/p' "$ERR")
cuts=$(sed -n 's/^dns: .* \([0-9]*\) cuts$/\1/p' "$ERR")
ok "[ \"\${retries:-0}\" -gt 0 ] && [ \"\${cuts:-0}\" -gt 0 ]" "the lost queries were sent again (${retries:-0} retries) and the window cut (${cuts:-0} times)"

# ---- 2,000 names against dnsmasq, every answer checked ----
seq 1 2000 | sed 's/.*/gen-&.test/' >"$T/names"
awk '$2 ~ /^gen-/ { print $2, $1 }' "$T/zone" | sort >"$T/want"
run in_ns "$RUSTYC" resolve -q -j 2000 - <"$T/names"
sort "$OUT" >"$T/got"
ok "[ $RC -eq 0 ] && cmp -s '$T/got' '$T/want'" "2,000 names at -j 2000 against dnsmasq: every answer right"
awk '{ print $2 }' "$T/want" >"$T/addrs"
run in_ns "$RUSTYC" resolve -q - <"$T/addrs"
ok "[ $RC -eq 0 ] && [ \"\$(awk '{ print \$2, \$1 }' '$OUT' | sort)\" = \"\$(cat '$T/want')\" ]" "and 2,000 reverse lookups"

# ---- ping-sweep -d: names of live hosts on the same engine ----
run in_ns "$RUSTYC" ping-sweep -q -d 127.0.0.1 127.0.0.4-6
is "$(sort "$OUT")" "$(printf '%s\n' '127.0.0.1 localhost' '127.0.0.4 -' '127.0.0.5 five.test' '127.0.0.6 -')" \
	"ping-sweep -d: ADDR NAME per live host, from the hosts file or DNS, - for none"
run in_ns "$RUSTYC" ping-sweep -q -d --json 127.0.0.5 127.0.0.6
is "$(sed 's/"rtt_ms":[0-9.]*/"rtt_ms":R/' "$OUT" | sort)" "$(printf '%s\n' \
	'{"address":"127.0.0.5","name":null,"rdns":"five.test","alive":true,"state":"up","rtt_ms":R,"method":"icmp"}' \
	'{"address":"127.0.0.6","name":null,"rdns":null,"alive":true,"state":"up","rtt_ms":R,"method":"icmp"}')" \
	"ping-sweep -d --json: an rdns field, null for none (name: the name a target was given as)"
run in_ns "$RUSTYC" ping-sweep -q -d --all -t 200ms 127.0.0.5 198.51.100.9
is "$(sed 's/ [0-9.]* ms$//' "$OUT" | cut -d' ' -f1-3)" "$(printf '127.0.0.5 five.test up\n198.51.100.9 - down')" "-d with --all: the name column is there for every target"

# A stop while names are still asked: every live host is printed, without
# its name, at once.  The namespace's only name server is a black hole.
SIL=rysil$$
make_netns "$SIL"
printf 'nameserver 127.0.0.3\n' >"/etc/netns/$SIL/resolv.conf"
printf '127.0.0.1 localhost\n' >"/etc/netns/$SIL/hosts"
ip netns exec "$SIL" "$HELPERS/udp_sink" 127.0.0.3 53 >"$T/sink2.out" &
SINK2=$!
at_exit "kill $SINK2 2>/dev/null"
if wait_for "[ -s '$T/sink2.out' ]"; then
	run timeout --preserve-status -s INT 1 ip netns exec "$SIL" "$RUSTYC" ping-sweep -d -t 5 127.0.0.20-22
	ok "[ $RC -eq 130 ] && [ \"\$(sort '$OUT')\" = \"\$(printf '127.0.0.%s -\\n' 20 21 22)\" ] && grep -q '(interrupted)' '$ERR'" \
		"-d stopped while the names are asked: each live host printed without one, exit 130"
else
	ok false "the black-hole name server did not start"
fi

# ---- international names: asked in their ASCII form, shown as given ----
run in_ns "$RUSTYC" resolve -q -4 bücher.test BÜCHER.test
is "$(cat "$OUT" | sort)" "$(printf 'BÜCHER.test 198.51.100.7\nbücher.test 198.51.100.7')" \
	"an IDN name resolves through its punycode (the zone holds only xn--bcher-kva.test), printed as given"
run in_ns "$RUSTYC" resolve -q --json --system -4 bücher.test
is "$(cat "$OUT")" '{"name":"bücher.test","port":null,"addresses":["198.51.100.7"],"error":null}' "--system converts it the same way"
run in_ns "$RUSTYC" resolve -q "$(printf 'bad\342\200\256rtl.test')" "$(printf '\377\376.test')"
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ] && [ \$(wc -l <'$ERR') -eq 2 ] && grep -qF \"'bad\\xe2\\x80\\xaertl.test': string contains a disallowed character\" '$ERR' && grep -qF \"'\\xff\\xfe.test': not valid UTF-8 text\" '$ERR'" \
	"a name IDNA refuses, and bytes that are not UTF-8: an error each, naming the name escaped"

# ---- --system keeps the thread pool ----
run in_ns "$RUSTYC" resolve -q --system a4.test 198.51.100.1 198.51.100.99 198.51.100.1:80
is "$(sort "$OUT")" "$(printf '198.51.100.1 a4.test\n198.51.100.1:80 198.51.100.1:80\n198.51.100.99 fromhosts.test\na4.test 198.51.100.1')" \
	"--system: getaddrinfo for names, getnameinfo for an address alone (DNS and the hosts file), an endpoint is itself"
ok "[ \"\$(in_ns getent hosts 198.51.100.1 | awk '{ print \$2 }')\" = a4.test ]" "and getent hosts gives the same name"
run in_ns "$RUSTYC" resolve -q --system --json -x 198.51.100.200 a4.test
ok "[ $RC -eq 1 ] && grep -qF '{\"name\":\"198.51.100.200\",\"names\":[],\"error\":\"' '$OUT' && grep -q \"'a4.test': not an address\" '$ERR'" \
	"--system -x: an address without a name fails with a reason, a name is an error of its own"

done_testing
