# noxs/rules.mk: noxsd, the NOXS vif backend, included by the top Makefile.
#
# noxsd is linked dynamically: it starts once and runs for the host's
# life. netback_ring.c is pure and unit-tested (tests/unit/
# test_netback_ring.c) and fuzzed (tests/fuzz/netback_ring.c); vif.c and
# noxsd.c are tested against real Xen (tests/integration). gnu11: the
# Xen headers need GNU extensions (anonymous unions), as in chaos/; the
# interface version the guests use (io/ring.h's barriers depend on it).

NOXSD_SRCS := $(sort $(wildcard noxs/*.c))
NOXSD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(NOXSD_SRCS))
NOXSD_LIBS := $(shell pkg-config --libs xencontrol xenevtchn xengnttab \
                  2>/dev/null)

PROGRAMS += $(BUILD)/bin/noxsd
DEPFILES += $(NOXSD_OBJS:.o=.d)

$(NOXSD_OBJS): $(BUILD)/obj/%.o: %.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(XEN_IFACE_CFLAGS) -std=gnu11 -Icommon -Ilibnoxs \
	    -c $< -o $@

$(BUILD)/bin/noxsd: $(NOXSD_OBJS) $(BUILD)/obj/libnoxs/ctrl.o \
                    $(BUILD)/obj/common/daemonlog.o \
                    $(BUILD)/obj/common/sockserv.o
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(NOXSD_LIBS)
