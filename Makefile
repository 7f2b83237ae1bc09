# rustyc build.  `make` builds ./rustyc; `make test` runs every test;
# `make test SANITIZE=thread` (or address,undefined) builds into its own
# directory and runs the same suite; `make bench` runs the benchmarks.

VERSION    := 0.1.0
CC         ?= cc
PREFIX     ?= /usr/local
BINDIR      = $(PREFIX)/bin
MANDIR      = $(PREFIX)/share/man/man1
# Where bash-completion looks for a command's script (it loads it on
# first use of the command).
COMPDIR     = $(PREFIX)/share/bash-completion/completions
SANITIZE   ?=
WERROR     ?=

WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wcast-align -Wwrite-strings -Wformat=2 \
          -Wundef -Wvla -Wno-unused-parameter
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -pthread -MMD -MP -Isrc -DRY_VERSION='"$(VERSION)"'
LDFLAGS += -pthread
# c-ares, resolve's DNS engine (Debian: libc-ares-dev), and libidn2,
# international names as getent and dig convert them (libidn2-dev): the
# two libraries besides libc.  Linked dynamically, so that the
# distribution's security updates reach rustyc; `make STATIC=1` links a
# self-contained binary (glibc then still loads NSS modules for
# --system lookups, if present).
LDLIBS  += -lcares -lidn2
STATIC  ?=
ifneq ($(STATIC),)
LDFLAGS += -static
endif
ifneq ($(WERROR),)
CFLAGS += -Werror
endif

comma := ,

# Each build flavour lives in its own directory so that a sanitizer build
# never mixes objects with a plain one.
ifeq ($(SANITIZE),)
B := build
else
B := build/san-$(subst $(comma),-,$(SANITIZE))
# -fno-sanitize-recover: a UBSan report ends the process (status 1), so
# a test that meets undefined behaviour fails instead of printing it and
# passing.
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=$(SANITIZE)
endif
CORE_SRC = $(wildcard src/core/*.c)
UTIL_SRC = $(wildcard src/util/*.c)
# The poller backend: net/poller_$(POLLER).c, the one Linux-only part of
# the event loops.  A port adds poller_kqueue.c and sets POLLER here.
POLLER  ?= epoll
NET_SRC  = $(filter-out src/net/poller_%.c,$(wildcard src/net/*.c)) src/net/poller_$(POLLER).c
CMD_SRC  = $(wildcard src/cmd/*.c)
LIB_SRC  = $(CORE_SRC) $(NET_SRC) $(UTIL_SRC)
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ  = $(CMD_SRC:%.c=$(B)/%.o) $(B)/src/main.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
HELPER_SRC = $(wildcard tests/helpers/*.c)
HELPER_BIN = $(HELPER_SRC:tests/helpers/%.c=$(B)/tests/helpers/%)
BENCH_BIN = $(B)/bench/bench_core

# The binary that `make` leaves at the top is the plain build; sanitizer
# builds keep theirs inside their directory.
ifeq ($(SANITIZE),)
RUSTYC = rustyc
else
RUSTYC = $(B)/rustyc
endif

.PHONY: soak fuzz lint all test unit-tests helpers bench bench-core bench-resolve bench-serve bench-sweep bench-load install uninstall clean man-check
all: $(RUSTYC)

$(B)/librustyc.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(RUSTYC): $(CMD_OBJ) $(B)/librustyc.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/librustyc.a $(LDLIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/librustyc.a tests/unit/tap.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(B)/librustyc.a $(LDLIBS)

$(B)/tests/helpers/%: tests/helpers/%.c $(B)/librustyc.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/librustyc.a $(LDLIBS)

$(B)/bench/gai_pool $(B)/bench/maxrss $(B)/bench/min_echo $(B)/bench/min_load $(B)/bench/mmsg_sweep: $(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/bench/%: bench/%.c $(B)/librustyc.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibench $(LDFLAGS) -o $@ $< $(B)/librustyc.a $(LDLIBS)

unit-tests: $(UNIT_BIN)

# One CLI script alone: make helpers && prove tests/cli/t0031-privileges.sh
helpers: $(HELPER_BIN)

# prove runs unit binaries and CLI scripts alike; both speak TAP.  The CLI
# scripts find the binary under test through RUSTYC and test helpers
# (servers that misbehave on purpose) through HELPERS.
test: $(RUSTYC) $(UNIT_BIN) $(HELPER_BIN)
	RUSTYC=$(abspath $(RUSTYC)) HELPERS=$(abspath $(B)/tests/helpers) RY_SANITIZE=$(SANITIZE) \
		prove $(PROVE_FLAGS) $(UNIT_BIN) tests/cli/t*.sh

bench: bench-core bench-resolve bench-serve bench-sweep bench-load

bench-core: $(BENCH_BIN)
	BENCH_BIN=$(abspath $(BENCH_BIN)) sh bench/run-core.sh

bench-resolve: $(RUSTYC) $(B)/bench/gai_pool $(B)/bench/maxrss $(HELPER_BIN)
	sh bench/run-resolve.sh $(abspath $(B)/bench) $(abspath $(RUSTYC))

bench-serve: $(RUSTYC) $(B)/bench/min_echo $(HELPER_BIN)
	sh bench/run-serve.sh $(abspath $(B)/bench) $(abspath $(RUSTYC)) $(abspath $(B)/tests/helpers)

bench-load: $(RUSTYC) $(B)/bench/min_echo $(B)/bench/min_load
	sh bench/run-load.sh $(abspath $(B)/bench) $(abspath $(RUSTYC))

bench-sweep: $(RUSTYC) $(B)/bench/maxrss $(B)/bench/mmsg_sweep
	sh bench/run-sweep.sh $(abspath $(B)/bench) $(abspath $(RUSTYC))

# libFuzzer targets for every parser of outside input (clang and
# libclang-rt-14-dev).  `make fuzz FUZZ_SECONDS=N` runs each for N seconds
# from its seed corpus in tests/fuzz/corpus/NAME; what it learns stays in
# build/fuzz/corpus-NAME.
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 10
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -std=gnu11 -Wall -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Isrc -DRY_VERSION='"fuzz"' -pthread -o $@ $< $(LIB_SRC) -lcares -lidn2

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		t=$${f#build/fuzz/fuzz_}; mkdir -p build/fuzz/corpus-$$t; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/ \
			build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
			2>build/fuzz/$$t.log || { tail -40 build/fuzz/$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|stat::peak_rss' build/fuzz/$$t.log; \
	done

# Not part of make test: minutes of load (SOAK_SECS, default 300).
# Under a sanitizer the allocator's quarantine grows RSS by design: the
# soak then checks for leak and error reports instead of memory.
soak: $(RUSTYC) $(HELPER_BIN)
	SOAK_RSS=$(if $(SANITIZE),0,1) sh bench/soak.sh $(abspath $(RUSTYC)) $(abspath $(B)/tests/helpers)

# cppcheck and clang-tidy must both be silent (lint/README.md).
lint:
	cppcheck --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --quiet --inline-suppr -Isrc src
	lint/tidy.sh
	lint/conventions.sh

man-check:
	groff -man -ww -z man/rustyc.1

# The completion script is made from the option tables by the binary.
build/rustyc.bash: rustyc
	./rustyc completion bash >$@.new && mv $@.new $@

install: rustyc build/rustyc.bash
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPDIR)
	install -m 755 rustyc $(DESTDIR)$(BINDIR)/rustyc
	install -m 644 man/rustyc.1 $(DESTDIR)$(MANDIR)/rustyc.1
	install -m 644 build/rustyc.bash $(DESTDIR)$(COMPDIR)/rustyc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rustyc $(DESTDIR)$(MANDIR)/rustyc.1 $(DESTDIR)$(COMPDIR)/rustyc

clean:
	rm -rf build rustyc

-include $(shell find build -name '*.d' 2>/dev/null)
