#!/usr/bin/env bash
# clang-tidy over src/, one file per process and as many at once as there
# are cores.  Any finding fails (.clang-tidy says why each check that is
# left out is left out).  With a FILE argument: check that one file.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ $# -eq 1 ]; then
	out=$(clang-tidy -quiet --warnings-as-errors='*' "$1" -- -std=gnu11 -Isrc \
		-D_GNU_SOURCE -DRY_VERSION='"lint"' 2>&1)
	rc=$?
	# clang-tidy counts the warnings it did not show; only findings matter.
	printf '%s\n' "$out" | grep -v 'warnings\? generated\.$' | grep -v '^$'
	exit $rc
fi
command -v clang-tidy >/dev/null || { echo "lint/tidy.sh: clang-tidy is not installed" >&2; exit 2; }
printf '%s\n' src/*/*.c src/main.c | xargs -P "$(nproc)" -n 1 "$0"
