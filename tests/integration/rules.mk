# tests/integration/rules.mk: helper programs of the integration tests.
#
# build/tests/chaosd-probe: sends chaosd malformed messages.
# build/tests/evtchn-peers: counts dom0's event channels naming a domain.

PROBE := $(BUILD)/tests/chaosd-probe

PROGRAMS += $(PROBE)
DEPFILES += $(PROBE).d

$(PROBE): tests/integration/tools/chaosd-probe.c chaos/chaosd_msg.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -static -o $@ $^

EVTCHN_PEERS := $(BUILD)/tests/evtchn-peers
PROGRAMS += $(EVTCHN_PEERS)
DEPFILES += $(EVTCHN_PEERS).d

$(EVTCHN_PEERS): tests/integration/tools/evtchn-peers.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -std=gnu11 -o $@ $< \
	    $(shell pkg-config --libs xencontrol 2>/dev/null)
