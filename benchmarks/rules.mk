# benchmarks/rules.mk: programs the demo and the benchmarks time.
#
# build/bench/empty: the empty static process, the floor of any command.

BENCH_EMPTY := $(BUILD)/bench/empty

PROGRAMS += $(BENCH_EMPTY)
DEPFILES += $(BENCH_EMPTY).d

$(BENCH_EMPTY): benchmarks/empty.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -static -o $@ $<
