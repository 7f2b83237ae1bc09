#!/bin/sh
# share-demo: Cell, RefCell, Rc, an Arc'd Mutex counter, poisoning.
. "$(dirname "$0")/lib.sh"

run "$RUSTYC" share-demo
ok "[ $RC -eq 0 ]" "default run exits 0"
ok "grep -qx 'cell get 42' '$OUT' && grep -qx 'cell set 77, get 77' '$OUT'" "cell: 42, then 77 through a const handle"
ok "grep -qx 'refcell borrow \"hello\" len 5' '$OUT'" "refcell: borrow reads hello"
ok "grep -qx 'borrow while mutably borrowed: Err(BorrowError)' '$OUT'" "refcell: the conflicting borrow is caught"
ok "grep -qx 'borrow_mut while borrowed: Err(BorrowMutError)' '$OUT'" "refcell: the conflicting borrow_mut is caught"
ok "grep -qx 'refcell borrow \"hola\"' '$OUT'" "refcell: the mutable borrow's write is seen"
is "$(grep -e '^rc ' -e '^len ' -e '^dropped' "$OUT")" \
	"$(printf 'rc count 1\nrc count 2 after clone\nlen 11, 11\nrc count 1 after drop\ndropped "hello dolly"')" \
	"rc: counts follow the clones, the last drop frees"
ok "grep -qx 'mutex counter 40000 (4 threads x 10000)' '$OUT'" "mutex: 4 x 10000 reach 40000"
ok "grep -qx 'wait Err(\"poisoning the mutex while holding it\")' '$OUT'" "poison: the holder's join is Err"
ok "grep -qx 'lock after panic: Err(PoisonError), value 43' '$OUT'" "poison: lock reports it and reaches the value"
ok "grep -q \"^thread '<unnamed>' panicked at 'poisoning the mutex\" '$ERR'" "poison: the panic line is on stderr"

run "$RUSTYC" share-demo -s mutex -j 7 -n 3001
is "$(cat "$OUT")" "mutex counter 21007 (7 threads x 3001)" "-j 7 -n 3001 -s mutex: exact total"

run "$RUSTYC" share-demo -s refcell --blow-up
ok "[ $RC -eq 101 ]" "--blow-up: a panic in the main thread exits 101"
ok "grep -q \"^thread 'main' panicked at 'already mutably borrowed: BorrowError', src/cmd/share_demo.c:\" '$ERR'" \
	"--blow-up: with BorrowError on stderr"
ok "grep -qx 'borrow while mutably borrowed: Err(BorrowError)' '$OUT'" "--blow-up: what came before is printed"

usage_error "-n -1 is refused" "invalid value '-1' for -n/--increments: not a whole number" "$RUSTYC" share-demo -n -1
usage_error "-j 1001 is refused" "invalid value '1001' for -j/--threads: must be from 1 to 1000" "$RUSTYC" share-demo -j 1001
usage_error "an unknown section is refused" "invalid value 'x' for -s/--section" "$RUSTYC" share-demo -s x

# Rc and RefCell together: several owners of one mutable value.
run "$RUSTYC" share-demo -s team
is "$(cat "$OUT")" "$(printf '%s\n' 'team: alice 10, bob 20, carol 30 (2 owners each)' \
	'after make_stronger through the team: alice 11, bob 21, carol 31 (2 owners each)')" \
	"team: Rc<RefCell<Player>> changed through one owner, seen through the other"
# The tutorial's Mutex program: 42 becomes 55 (its assert_eq!, printed).
run "$RUSTYC" share-demo -s answer
is "$(cat "$OUT")" "$(printf 'answer 42\nanswer 55 after the thread')" "answer: Arc<Mutex<42>>, a thread writes 55"
# lock().unwrap() on a poisoned mutex: the main thread panics, 101.
run "$RUSTYC" share-demo -s poison --unwrap
ok "[ $RC -eq 101 ] && grep -q \"thread 'main' panicked at 'called \\\`Result::unwrap()\\\` on an \\\`Err\\\` value: PoisonError { .. }'\" '$ERR'" \
	"--unwrap: unwrap on the poisoned lock ends the process with 101 (status $RC)"
ok "! grep -q 'lock after panic' '$OUT'" "and nothing runs after it"
usage_error "--unwrap outside the poison lesson is refused" "--unwrap belongs to the poison lesson" \
	"$RUSTYC" share-demo -s team --unwrap
done_testing
