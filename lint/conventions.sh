#!/bin/sh
# The project's own rules that no analyser knows (docs/design.md):
#   - errors become text through ry_strerror only: strerror(3) is not
#     thread-safe, and serve calls it on worker threads;
#   - only main.c picks the exit status: no exit() elsewhere, except the
#     panic of the main thread (core/thread.c), which ends the process
#     with 101 as Rust does;
#   - a subcommand file includes no socket header: sockets live in net/;
#   - nothing a user or contributor reads points outside the repository.
# Prints each offence as FILE:LINE: text and exits 1 if there is one.
cd "$(dirname "$0")/.." || exit 2
bad=0
report() {
	[ -n "$1" ] || return 0
	printf '%s\n' "$1" | sed "s/\$/  <- $2/"
	bad=1
}
report "$(grep -nE '(^|[^_a-z])strerror\(' src/*/*.c src/main.c | grep -v '^src/util/error.c:')" \
	"use ry_strerror"
report "$(grep -nE '(^|[^_a-z])exit\(' src/*/*.c | grep -v '^src/core/thread.c:')" \
	"only main.c exits"
report "$(grep -nE '#include <(sys/socket|netinet/[a-z0-9_]+|arpa/inet|netdb|poll|sys/epoll)\.h>' src/cmd/*.c)" \
	"sockets belong in net/"
report "$(grep -rn 'shared/' README.md man docs 2>/dev/null | grep -v 'share/')" \
	"points outside the repository"
exit $bad
