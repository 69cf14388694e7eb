# benchmarks/rules.mk: programs the demo and the benchmarks time.
#
# build/bench/empty: the empty static process, the floor of any command.
# build/bench/shell-floor: the in-process floor of a create into a shell.
# build/bench/chaosd-client: one long-lived client timing its requests.
# build/bench/firstreply: the time from a create to the guest's first ping.

BENCH_EMPTY := $(BUILD)/bench/empty

PROGRAMS += $(BENCH_EMPTY)
DEPFILES += $(BENCH_EMPTY).d

$(BENCH_EMPTY): benchmarks/empty.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -static -o $@ $<

BENCH_FIRSTREPLY := $(BUILD)/bench/firstreply
PROGRAMS += $(BENCH_FIRSTREPLY)
DEPFILES += $(BENCH_FIRSTREPLY).d

$(BENCH_FIRSTREPLY): benchmarks/firstreply.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $<

# build/bench/shell-floor and build/bench/chaosd-client use chaos's
# modules (chaos/rules.mk) and link as chaos does.
BENCH_TOOLS := $(BUILD)/bench/shell-floor $(BUILD)/bench/chaosd-client
BENCH_TOOL_OBJS := $(patsubst benchmarks/%.c,$(BUILD)/obj/benchmarks/%.o,\
                   $(patsubst $(BUILD)/bench/%,benchmarks/%.c,$(BENCH_TOOLS)))

PROGRAMS += $(BENCH_TOOLS)
DEPFILES += $(BENCH_TOOL_OBJS:.o=.d)

$(BENCH_TOOL_OBJS): $(BUILD)/obj/benchmarks/%.o: benchmarks/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CHAOS_CFLAGS) -c $< -o $@

$(BUILD)/bench/%: $(BUILD)/obj/benchmarks/%.o $(CHAOS_SHARED_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHAOS_LIBS)
