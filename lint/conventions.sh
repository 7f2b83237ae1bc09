#!/bin/sh
# The project's own rules that no analyser knows (docs/design.md):
#   - errors become text through ry_strerror only: strerror(3) is not
#     thread-safe, and serve calls it on worker threads;
#   - only main.c picks the exit status: no exit() elsewhere, except the
#     panic of the main thread (core/thread.c), which ends the process
#     with 101 as Rust does;
#   - a subcommand file includes no socket header: sockets live in net/;
#   - library code does not print: ry_err (stderr) is for cmd/, main.c and
#     util/diag, and util/opt, which is the command line's own voice
#     (usage errors and --help); engines, plans and helpers return a code
#     and a reason that the caller words;
#   - nothing a user or contributor reads points outside the repository.
# Every C file under src counts, at any depth.
# Prints each offence as FILE:LINE: text and exits 1 if there is one.
cd "$(dirname "$0")/.." || exit 2
bad=0
report() {
	[ -n "$1" ] || return 0
	printf '%s\n' "$1" | sed "s/\$/  <- $2/"
	bad=1
}
SRC=$(find src -name '*.c' | sort)
# shellcheck disable=SC2086
report "$(grep -nE '(^|[^_a-z])strerror\(' $SRC | grep -v '^src/util/error.c:')" \
	"use ry_strerror"
# shellcheck disable=SC2086
report "$(grep -nE '(^|[^_a-z])exit\(' $SRC | grep -v -e '^src/core/thread.c:' -e '^src/main.c:')" \
	"only main.c exits"
report "$(grep -rnE --include='*.c' '#include <(sys/socket|netinet/[a-z0-9_]+|arpa/inet|netdb|poll|sys/epoll)\.h>' src/cmd)" \
	"sockets belong in net/"
# shellcheck disable=SC2086
report "$(grep -nE '(^|[^_a-z])(ry_err|ry_warn)\(' $SRC |
	grep -v -e '^src/cmd/' -e '^src/main.c:' -e '^src/util/diag.c:' -e '^src/util/opt.c:')" \
	"library code does not print: return a code and a reason"
report "$(grep -rn 'shared/' README.md man docs 2>/dev/null | grep -v 'share/')" \
	"points outside the repository"
exit $bad
