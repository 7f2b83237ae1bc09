#!/bin/sh
# Scale-out: --shard, --seed, --no-shuffle and --resume for ping-sweep
# and resolve.  Every probe goes to loopback or into a namespace this
# test makes; every name is looked up in /etc/hosts or from a dnsmasq
# inside a namespace.  jq reads the JSON records; GNU parallel drives
# shards as docs/scale-out.md shows (both installed by .ci/run).
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "needs jq"

# ---- ping-sweep: four shards of a loopback /16 are the unsharded sweep ----
R16=127.9.0.0/16
FAST="--rate 0 -r 2"	# loopback: no rate limit, and a retry for a reply lost in a busy moment
run "$RUSTYC" ping-sweep -q --json $FAST $R16
jq -r .address "$OUT" | sort >"$T/whole"
ok "[ $RC -eq 0 ] && [ \$(wc -l <'$T/whole') -eq 65534 ]" "unsharded: all 65534 hosts of the /16 up"
for k in 0 1 2 3; do
	"$RUSTYC" ping-sweep --json $FAST --shard $k/4 $R16 >"$T/shard-$k.jsonl" 2>"$T/shard-$k.err"
	echo $? >"$T/shard-$k.rc"
done
cat "$T"/shard-*.jsonl | jq -r 'select(.address) | .address' | sort >"$T/merged"
is "$(cat "$T"/shard-*.rc | tr -d '\n')" 0000 "each shard exits 0 (all of its share answered)"
ok "cmp -s '$T/whole' '$T/merged'" "the four shards' hosts are exactly the unsharded sweep's"
is "$(sort "$T/merged" | uniq -d | wc -l | tr -d ' ')" 0 "no host in two shards"
sizes=$(for k in 0 1 2 3; do jq -r 'select(.address)|.address' "$T/shard-$k.jsonl" | wc -l; done | sort -n | tr '\n' ' ')
is "$sizes" "16383 16383 16384 16384 " "shares within one of each other (65534 = 2 x 16384 + 2 x 16383)"
is "$(cat "$T"/shard-*.jsonl | jq -s '[.[] | select(.summary)] | length')" 4 "one summary record per shard"
ok "cat '$T'/shard-*.jsonl | jq -se '[.[] | select(.summary)] | (map(.list_hash) | unique | length) == 1 and (map(.seed) | unique | length) == 1 and all(.done == .targets and .shards == 4 and (.interrupted | not)) and (map(.shard) | sort) == [0,1,2,3] and (map(.targets) | add) == 65534' >/dev/null" \
	"the summaries agree on the list and seed, every share complete, shards 0-3 present"
ok "jq -se 'all(.[]; .shard == 2)' '$T/shard-2.jsonl' >/dev/null" "every record of shard 2 carries shard 2"
nets=$(jq -r 'select(.address) | .address' "$T/shard-0.jsonl" | cut -d. -f3 | sort -u | wc -l)
ok "[ $nets -eq 256 ]" "a shard is spread over the whole range, not a block (shard 0 has hosts in $nets of 256 /24s)"
ok "grep -qE '^shard 1/4 \\(16384 of 65534 targets\\): 16384 of 16384 hosts up' '$T/shard-1.err'" "the summary line names the shard"

# contrib/check-shards: the merge check of docs/scale-out.md.
CHECK=$(cd "$(dirname "$0")/../.." && pwd)/contrib/check-shards
run "$CHECK" "$T"/shard-*.jsonl
is "$(cat "$OUT")" "4 shards, 65534 records, 65534 up, complete" "check-shards: four complete shards merge"
run "$CHECK" "$T"/shard-0.jsonl "$T"/shard-1.jsonl "$T"/shard-3.jsonl
ok "[ $RC -eq 1 ] && grep -qx 'check-shards: shard 2 is missing' '$ERR'" "check-shards: a missing shard is named, exit 1"
"$RUSTYC" ping-sweep -q --json $FAST --shard 1/4 127.9.0.0/17 >"$T/other-list.jsonl"
run "$CHECK" "$T"/shard-0.jsonl "$T"/other-list.jsonl "$T"/shard-2.jsonl "$T"/shard-3.jsonl
ok "[ $RC -eq 1 ] && grep -q 'different target lists' '$ERR'" "check-shards: a shard of another target list is caught"
# A shard killed mid-write: its file ends in a torn line and has no summary.
head -c 50000 "$T/shard-2.jsonl" >"$T/torn.jsonl"
run "$CHECK" "$T"/shard-0.jsonl "$T"/shard-1.jsonl "$T/torn.jsonl" "$T"/shard-3.jsonl
ok "[ $RC -eq 1 ] && grep -q \"torn.jsonl' is not JSON Lines to its end\" '$ERR' && [ ! -s '$OUT' ]" \
	"check-shards: a torn last line fails the set (exit 1), naming the file"
# Values from a file are printed as JSON: an escape sequence stays text.
{ grep -v summary "$T/shard-0.jsonl" | head -1 | sed 's/"address":"[^"]*"/"address":"\\u001b[31mX"/'
  grep -v summary "$T/shard-0.jsonl" | head -1 | sed 's/"address":"[^"]*"/"address":"\\u001b[31mX"/'
  grep summary "$T/shard-0.jsonl"; } >"$T/esc.jsonl"
run "$CHECK" "$T/esc.jsonl" "$T"/shard-1.jsonl "$T"/shard-2.jsonl "$T"/shard-3.jsonl
ok "[ $RC -eq 1 ] && grep -qF 'check-shards: \"\\u001b[31mX\" is in more than one record' '$ERR' && ! grep -q \"\$(printf '\\033')\" '$ERR'" \
	"check-shards: a value from a file is printed escaped, no raw escape sequence"

# The order: seeded, the same for the same list, address order without.
run "$RUSTYC" ping-sweep -q --shard 0/8 127.8.0.0/22
cp "$OUT" "$T/o1"
run "$RUSTYC" ping-sweep -q --shard 0/8 127.8.0.0/22
ok "cmp -s '$T/o1' '$OUT' || [ \"\$(sort '$T/o1')\" = \"\$(sort '$OUT')\" ]" "without --seed, two runs agree on the share"
run "$RUSTYC" ping-sweep -q --shard 0/8 --seed 12345 127.8.0.0/22
ok "[ \"\$(sort '$T/o1')\" != \"\$(sort '$OUT')\" ]" "another --seed, another share"
run "$RUSTYC" ping-sweep -q --no-shuffle 127.8.0.0/28
is "$(tr '\n' ' ' <"$OUT")" "$(for i in $(seq 1 14); do printf '127.8.0.%s ' "$i"; done)" "--no-shuffle: probes (and replies) in address order"
run "$RUSTYC" ping-sweep -q 127.8.0.0/24
ok "[ \"\$(cat '$OUT')\" != \"\$(sort -t. -k4 -n '$OUT')\" ] && [ \$(wc -l <'$OUT') -eq 254 ]" "by default the probe order is shuffled"
run "$RUSTYC" ping-sweep -q --no-shuffle --shard 1/3 127.8.0.0/28
is "$(tr '\n' ' ' <"$OUT")" "127.8.0.2 127.8.0.5 127.8.0.8 127.8.0.11 127.8.0.14 " "--no-shuffle --shard 1/3: every third address from the second"
run "$RUSTYC" ping-sweep -q --sort 127.8.0.0/28
is "$(tr '\n' ' ' <"$OUT")" "$(for i in $(seq 1 14); do printf '127.8.0.%s ' "$i"; done)" "--sort is still address order"
run "$RUSTYC" ping-sweep -q --shard 5/8 127.8.0.1-3
ok "[ $RC -eq 0 ] && [ ! -s '$OUT' ]" "a shard with an empty share sweeps nothing and succeeds"

usage_error "--shard 4/4 is refused" "invalid value '4/4' for --shard: K must be below N" "$RUSTYC" ping-sweep --shard 4/4 127.0.0.1
usage_error "--shard 1 is refused" "invalid value '1' for --shard: give K/N" "$RUSTYC" ping-sweep --shard 1 127.0.0.1
usage_error "--seed x is refused" "invalid value 'x' for --seed" "$RUSTYC" ping-sweep --seed x 127.0.0.1
usage_error "--resume with --all is refused" "--resume keeps records as targets settle" "$RUSTYC" ping-sweep --all --resume "$T/r" 127.0.0.1

# ---- ping-sweep --resume ----
DEAD=ryshd$$
make_netns "$DEAD"
ip netns exec "$DEAD" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
# Uninterrupted, for comparison.
run ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 0.3 --shard 1/2 --resume "$T/full.jsonl" 127.0.0.0/23
ok "[ $RC -eq 1 ] && [ ! -s '$OUT' ] && [ \$(jq -r 'select(.address) | .state' '$T/full.jsonl' | grep -c down) -eq 255 ]" \
	"--resume FILE: the records go to FILE (255 silent hosts, each down)"
# Killed part way (SIGKILL: no chance to tidy up), then resumed.
ip netns exec "$DEAD" timeout -s KILL 0.7 "$RUSTYC" ping-sweep -t 0.3 --rate 400 --shard 1/2 --resume "$T/part.jsonl" 127.0.0.0/23 2>/dev/null
first=$(grep -c . "$T/part.jsonl")
ok "[ $first -gt 10 ] && [ $first -lt 255 ]" "a killed run leaves the records of what it settled ($first of 255)"
printf '{"address":"127.0.' >>"$T/part.jsonl"	# a torn last line
run ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 0.3 --shard 1/2 --resume "$T/part.jsonl" 127.0.0.0/23
ok "[ $RC -eq 1 ] && grep -q '^shard 1/2 (255 of 510 targets): $first resumed, 0 of 255 hosts up' '$ERR'" \
	"the resumed run keeps the $first settled targets and probes the rest"
is "$(jq -r 'select(.address) | .address + " " + .state' "$T/part.jsonl" | sort)" \
	"$(jq -r 'select(.address) | .address + " " + .state' "$T/full.jsonl" | sort)" \
	"a resumed shard ends with the same records as an uninterrupted one (torn line dropped)"
ok "jq -se '[.[] | select(.summary)] | length == 1 and .[0].done == 255 and .[0].resumed == $first' '$T/part.jsonl' >/dev/null" \
	"one summary, of the whole share"
# SIGINT: probed but unsettled targets are 'interrupted', and probed again.
ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 5 --rate 200 --shard 0/2 --resume "$T/int.jsonl" 127.0.0.0/23 2>/dev/null &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
ok "[ $rc -eq 130 ] && jq -se '([.[] | select(.state == \"interrupted\")] | length) > 0 and ([.[] | select(.summary)][0].interrupted)' '$T/int.jsonl' >/dev/null" \
	"after SIGINT, probed targets not yet given up are 'interrupted'; the summary says interrupted"
run ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 0.3 --shard 0/2 --resume "$T/int.jsonl" 127.0.0.0/23
ok "jq -se '[.[] | select(.address)] | length == 255 and all(.state == \"down\") and (map(.address) | unique | length) == 255' '$T/int.jsonl' >/dev/null" \
	"resumed after SIGINT: every target once, all settled"
cp "$T/full.jsonl" "$T/other.jsonl"
run ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 0.3 --shard 0/2 --resume "$T/other.jsonl" 127.0.0.0/23
ok "[ $RC -eq 2 ] && grep -q \"resume '.*other.jsonl' line 1: a record of another --shard\" '$ERR' && cmp -s '$T/full.jsonl' '$T/other.jsonl'" \
	"a file of another shard is refused, naming the line, and left as it was"
run ip netns exec "$DEAD" "$RUSTYC" ping-sweep -t 0.3 --shard 1/2 --resume "$T/other.jsonl" 127.0.2.0/23
ok "[ $RC -eq 2 ] && grep -q 'not in this share of these targets' '$ERR'" "a file of another target list is refused"

# ---- GNU parallel drives the shards (docs/scale-out.md's recipe) ----
if command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	mkdir "$T/par"
	parallel --will-cite -j 4 "'$RUSTYC' ping-sweep -q --json --shard {}/4 127.10.0.0/20 >'$T/par'/shard-{}.jsonl" ::: 0 1 2 3
	is "$(cat "$T"/par/shard-*.jsonl | jq -r 'select(.address) | .address' | sort | uniq | wc -l | tr -d ' ') $(cat "$T"/par/shard-*.jsonl | jq -r 'select(.address) | .address' | wc -l | tr -d ' ')" \
		"4094 4094" "GNU parallel, four local shards of a /20: every host once"
else
	skip "needs GNU parallel"
fi

# ---- resolve: shards by a hash of the name ----
if command -v dnsmasq >/dev/null 2>&1; then
	NS=ryshr$$
	make_netns "$NS"
	i=1
	while [ $i -le 2000 ]; do
		echo "198.18.$((i / 256)).$((i % 256)) gen-$i.test"
		i=$((i + 1))
	done >"$T/zone"
	ip netns exec "$NS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$T/zone" \
		--local=/test/ --server=/slow.test/127.0.0.2 --listen-address=127.0.0.1 --bind-interfaces \
		--port=53 --user=root --pid-file="$T/dnsmasq.pid" --log-facility="$T/dnsmasq.log" &
	DNSMASQ=$!
	at_exit "kill $DNSMASQ 2>/dev/null; wait $DNSMASQ 2>/dev/null"
	tries=0
	until ip netns exec "$NS" "$RUSTYC" resolve -q gen-1.test >/dev/null 2>&1; do
		tries=$((tries + 1))
		[ $tries -lt 50 ] || skip_all "dnsmasq did not start"
		sleep 0.1
	done
	{ seq 1 2000 | sed 's/.*/gen-&.test/'; seq 1 40 | sed 's/.*/nosuch-&.test/'; } >"$T/names"
	run ip netns exec "$NS" "$RUSTYC" resolve -q --json - <"$T/names"
	jq -c 'del(.shard)' "$OUT" | sort >"$T/rwhole"
	ok "[ $RC -eq 1 ] && [ \$(wc -l <'$T/rwhole') -eq 2040 ]" "unsharded: 2040 names, 40 of them not found"
	for k in 0 1 2 3; do
		ip netns exec "$NS" "$RUSTYC" resolve -q --json --shard $k/4 - <"$T/names" >"$T/rshard-$k.jsonl"
	done
	cat "$T"/rshard-*.jsonl | jq -c 'select(.name) | del(.shard)' | sort >"$T/rmerged"
	ok "cmp -s '$T/rwhole' '$T/rmerged'" "four resolve shards give exactly the unsharded records"
	sizes=$(for k in 0 1 2 3; do jq -r 'select(.name) | .name' "$T/rshard-$k.jsonl" | wc -l; done | tr '\n' ' ')
	ok "for s in $sizes; do [ \$s -ge 420 ] && [ \$s -le 600 ] || exit 1; done" \
		"hash shares are balanced (sizes $sizes of 2040)"
	ok "cat '$T'/rshard-*.jsonl | jq -se '[.[] | select(.summary)] | length == 4 and (map(.list_hash) | unique | length) == 1 and all(.done == .names) and (map(.names) | add) == 2040' >/dev/null" \
		"summaries: one per shard, one list hash, every share done"
	run "$CHECK" "$T"/rshard-*.jsonl
	is "$(cat "$OUT")" "4 shards, 2040 records, 2000 resolved, complete" "check-shards: the four resolve shards merge"
	ip netns exec "$NS" "$RUSTYC" resolve -q -k --shard 1/4 - <"$T/names" | cut -d' ' -f1 >"$T/r1k"
	grep -Fxf "$T/r1k" "$T/names" >"$T/r1want"
	ok "cmp -s '$T/r1k' '$T/r1want' && [ -s '$T/r1k' ]" "-k with --shard: the share in input order"
	# However the input is ordered or split, a name has one shard.
	sort -r "$T/names" >"$T/names.rev"
	ip netns exec "$NS" "$RUSTYC" resolve -q --json --shard 2/4 - <"$T/names.rev" | jq -r 'select(.name) | .name' | sort >"$T/r2rev"
	head -1000 "$T/names" >"$T/names.a"
	tail -n +1001 "$T/names" >"$T/names.b"
	{ ip netns exec "$NS" "$RUSTYC" resolve -q --json --shard 2/4 - <"$T/names.a"
	  ip netns exec "$NS" "$RUSTYC" resolve -q --json --shard 2/4 - <"$T/names.b"; } | jq -r 'select(.name) | .name' | sort >"$T/r2split"
	jq -r 'select(.name) | .name' "$T/rshard-2.jsonl" | sort >"$T/r2"
	ok "cmp -s '$T/r2' '$T/r2rev' && cmp -s '$T/r2' '$T/r2split'" "shard 2's names are the same for reversed input and for input split in two"
	run ip netns exec "$NS" "$RUSTYC" resolve -q --json --shard 0/2 GEN-5.test gen-5.test
	ok "[ \$(jq -s 'map(select(.name)) | length' '$OUT') != 1 ]" "a name's case does not move it between shards (both or neither)"

	# --resume: SIGINT while the slow names wait, then continue.
	{ seq 1 300 | sed 's/.*/gen-&.test/'; seq 1 5 | sed 's/.*/x&.slow.test/'; } >"$T/rnames"
	ip netns exec "$NS" "$RUSTYC" resolve -q -t 5 --resume "$T/res.jsonl" - <"$T/rnames" &
	pid=$!
	tries=0
	while [ $(grep -c . "$T/res.jsonl" 2>/dev/null || echo 0) -lt 300 ] && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	kill -INT $pid
	wait $pid
	rc=$?
	ok "[ $rc -eq 130 ] && [ \$(jq -s 'map(select(.name)) | length' '$T/res.jsonl') -eq 300 ]" \
		"interrupted: the 300 answered names are on record, the 5 waiting ones are not"
	run ip netns exec "$NS" "$RUSTYC" resolve -t 0.3 --resume "$T/res.jsonl" - <"$T/rnames"
	ok "[ $RC -eq 1 ] && grep -q '^300 resumed, 305 names, 300 resolved, 5 failed' '$ERR'" \
		"resumed: the 300 are not asked again, the 5 are (and time out)"
	ok "jq -se '(map(select(.name) | .name) | length) == 305 and (map(select(.name) | .name) | unique | length) == 305 and (map(select(.summary)) | length) == 1' '$T/res.jsonl' >/dev/null" \
		"the file holds each name once and one summary"
	# Names with ports: one name, two ports, two records keyed by input.
	run ip netns exec "$NS" "$RUSTYC" resolve -q --resume "$T/ports.jsonl" gen-1.test:80 gen-1.test:443 gen-2.test
	run ip netns exec "$NS" "$RUSTYC" resolve --resume "$T/ports.jsonl" gen-1.test:80 gen-1.test:443 gen-2.test
	ok "[ $RC -eq 0 ] && grep -q '^3 resumed, 3 names, 3 resolved, 0 failed' '$ERR' && [ \"\$(jq -sc 'map(select(.name) | [.input, .name, .port])' '$T/ports.jsonl')\" = '[[\"gen-1.test:80\",\"gen-1.test\",80],[\"gen-1.test:443\",\"gen-1.test\",443],[null,\"gen-2.test\",null]]' ]" \
		"--resume keys a name with a port by its input: two ports of one name are two records, neither asked again"
	usage_error "--resume with --type is refused" "--resume takes one record per name: not with --type" \
		"$RUSTYC" resolve --type MX --resume "$T/x" a.test
	if command -v parallel >/dev/null 2>&1; then
		mkdir "$T/rpar"
		ip netns exec "$NS" parallel --will-cite -j 4 "'$RUSTYC' resolve -q --json --shard {}/4 - <'$T/names' >'$T/rpar'/shard-{}.jsonl" ::: 0 1 2 3
		is "$(cat "$T"/rpar/shard-*.jsonl | jq -c 'select(.name) | del(.shard)' | sort | md5sum)" "$(md5sum <"$T/rwhole")" \
			"GNU parallel, four local resolve shards: the unsharded records"
	else
		skip "needs GNU parallel"
	fi
else
	skip "needs dnsmasq"
fi

# ---- contrib: the job-engine recipes are valid as written ----
C=$(cd "$(dirname "$0")/../.." && pwd)/contrib
if command -v yamllint >/dev/null 2>&1; then
	run yamllint -d relaxed -f parsable "$C/k8s/ping-sweep-indexed-job.yaml"
	ok "[ $RC -eq 0 ] && [ ! -s '$OUT' ]" "the Kubernetes Indexed Job manifest passes yamllint"
else
	skip "needs yamllint"
fi
if command -v shellcheck >/dev/null 2>&1; then
	run shellcheck "$C/slurm/ping-sweep-array.sh" "$C/check-shards"
	ok "[ $RC -eq 0 ]" "the Slurm array script and check-shards pass shellcheck"
else
	skip "needs shellcheck"
fi
# The Slurm script, run as one array task would be (no sbatch here).
mkdir "$T/slurm"
(cd "$T/slurm" && PATH="$(dirname "$RUSTYC"):$PATH" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 \
	bash "$C/slurm/ping-sweep-array.sh" -q 127.11.0.0/28) >"$OUT" 2>"$ERR"
ok "[ \$? -eq 0 ] && jq -se 'map(select(.summary))[0] | .shard == 1 and .shards == 2 and .targets == 7 and .done == 7' '$T/slurm/results/shard-1.jsonl' >/dev/null" \
	"the Slurm script, as array task 1 of 2, sweeps its share into results/shard-1.jsonl"

done_testing
