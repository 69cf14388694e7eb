# xendevd/rules.mk: the vif hotplug daemon, included by the top Makefile.
#
# Linked dynamically: it starts once, and libudev and libxenstore are
# what it is for. netdev.c, port.c, vifevent.c and tapconf.c need no Xen
# and are unit-tested (tests/unit/test_xendevd_*.c).

XENDEVD_SRCS := $(sort $(wildcard xendevd/*.c))
XENDEVD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(XENDEVD_SRCS))
XENDEVD_LIBS := $(shell pkg-config --libs libudev xenstore 2>/dev/null)

PROGRAMS += $(BUILD)/bin/xendevd
DEPFILES += $(XENDEVD_OBJS:.o=.d)

$(XENDEVD_OBJS): $(BUILD)/obj/xendevd/%.o: xendevd/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Icommon -c $< -o $@

$(BUILD)/bin/xendevd: $(XENDEVD_OBJS) $(BUILD)/obj/common/daemonlog.o
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(XENDEVD_LIBS)
