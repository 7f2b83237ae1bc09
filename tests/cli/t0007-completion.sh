#!/bin/sh
# Bash completion, made from the option tables: subcommands, each one's
# options, and the values of options that take a known set, as bash's
# completion machinery (complete -F, COMP_WORDS) sees them.
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null 2>&1 || skip_all "needs bash"
run "$RUSTYC" completion bash
ok "[ $RC -eq 0 ] && bash -n '$OUT'" "rustyc completion bash prints a script bash accepts"
cp "$OUT" "$T/rustyc.bash"
# complete WORD...: the candidates for the last word, one per line.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rustyc; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$T/rustyc.bash" "$@" | sort | tr '\n' ' '
}
is "$(bash -c ". '$T/rustyc.bash'; complete -p rustyc")" "complete -F _rustyc rustyc" "it registers itself for rustyc"
is "$(complete_words rustyc pi)" "ping-sweep " "subcommands: 'pi' is ping-sweep"
is "$(complete_words rustyc ch)" "channel-demo " "'ch' is channel-demo"
is "$(complete_words rustyc help se)" "serve " "help takes a subcommand"
is "$(complete_words rustyc resolve --j)" "--jobs --json " "resolve's options"
is "$(complete_words rustyc serve --max-)" "--max-conns --max-line --max-memory --max-per-addr " "serve's options"
is "$(complete_words rustyc ping-sweep -m '')" "arp auto exec icmp tcp: " "-m offers the sweep methods"
is "$(complete_words rustyc thread-demo --section '')" "all arc detach join panic spawn " "an enumerated option's values"
is "$(complete_words rustyc ping-sweep -t '')" "" "a value that is a number gets no word"
# Every option --help lists is offered.
missing=
for c in ping-sweep resolve serve echo-client thread-demo share-demo channel-demo barrier-demo; do
	offered=$(complete_words rustyc "$c" -)
	for o in $("$RUSTYC" "$c" --help | sed -n 's/^  \(-[a-zA-Z0-9]\), \(--[a-z0-9-]*\).*/\1 \2/p; s/^      \(--[a-z0-9-]*\).*/\1/p'); do
		case " $offered" in *" $o "*) ;; *) missing="$missing $c:$o" ;; esac
	done
done
is "$missing" "" "every option of every subcommand is offered"
run "$RUSTYC" completion zsh
ok "[ $RC -eq 2 ] && grep -q \"invalid shell 'zsh'\" '$ERR'" "another shell is refused"
done_testing
