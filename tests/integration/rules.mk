# tests/integration/rules.mk: helper programs of the integration tests.
#
# build/tests/chaosd-probe: sends chaosd malformed messages.

PROBE := $(BUILD)/tests/chaosd-probe

PROGRAMS += $(PROBE)
DEPFILES += $(PROBE).d

$(PROBE): tests/integration/tools/chaosd-probe.c chaos/chaosd_msg.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -static -o $@ $^
