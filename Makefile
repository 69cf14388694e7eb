# chaos: top-level build. Plain GNU make, one non-recursive graph.
#
#   make          build every program into build/bin/ and every guest into build/guests/
#   make deps     install the Debian packages needed to build and test (no-op when present)
#   make test     deps, build, unit tests, fuzz targets (FUZZ_SECONDS each),
#                 then integration tests in the Xen test host
#   make demo     deps, build, then a short demonstration in the Xen test host
#   make bench    deps, build, then the benchmarks (benchmarks/README.md)
#   make anatomy  deps, build, then where chaosd's create round trip goes
#   make clean    remove build/ (the test host's download cache in .cache/ is kept)
#   make distclean  also remove .cache/
#
# V=1 prints full command lines.

BUILD   := build
CC      ?= cc
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -O2 -g -MMD -MP
HOST_CFLAGS   := $(CFLAGS_COMMON) -D_GNU_SOURCE
XENHOST := tests/xenhost/xenhost

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

.PHONY: all deps test unit-test fuzz-test integration-test demo bench anatomy \
        clean distclean
.DEFAULT_GOAL := all

# Each rules.mk adds to these.
PROGRAMS :=
GUESTS   :=
DEPFILES :=

include common/rules.mk
include chaos/rules.mk
include xendevd/rules.mk
include libnoxs/rules.mk
include noxs/rules.mk
include guest-patches/rules.mk
include tests/unit/rules.mk
include tests/fuzz/rules.mk
include benchmarks/rules.mk
include tests/integration/rules.mk

all: $(PROGRAMS) $(GUESTS) $(UNIT_TEST_BIN)

deps:
	$(Q)mk/deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory unit-test
	$(Q)$(MAKE) --no-print-directory fuzz-test
	$(Q)$(MAKE) --no-print-directory integration-test

integration-test: all
	$(Q)tests/integration/run

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/demo/run

bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)benchmarks/run

anatomy: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)benchmarks/anatomy

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf .cache

-include $(DEPFILES)
