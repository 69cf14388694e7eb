# xendevd/rules.mk: the vif hotplug daemon, included by the top Makefile.
#
# xendevd is linked dynamically: it starts once, and libudev and
# libxenstore are what it is for. netdev.c, port.c, vifevent.c and tapconf.c need no Xen
# and are unit-tested (tests/unit/test_xendevd_*.c).

#
# vif-xendevd, the hook libxl runs as the vif's script, is linked
# statically: libxl runs it for every vif of every xl create, and in a PV
# dom0 loading shared libraries costs more than all it does.

XENDEVD_SRCS := $(filter-out xendevd/vif-xendevd.c,$(sort $(wildcard xendevd/*.c)))
XENDEVD_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(XENDEVD_SRCS))
XENDEVD_LIBS := $(shell pkg-config --libs libudev xenstore 2>/dev/null)
VIF_XENDEVD_LIBS := -static $(shell pkg-config --static --libs xenstore 2>/dev/null)

PROGRAMS += $(BUILD)/bin/xendevd $(BUILD)/bin/vif-xendevd
DEPFILES += $(XENDEVD_OBJS:.o=.d) $(BUILD)/obj/xendevd/vif-xendevd.d

$(XENDEVD_OBJS) $(BUILD)/obj/xendevd/vif-xendevd.o: $(BUILD)/obj/xendevd/%.o: xendevd/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Icommon -c $< -o $@

$(BUILD)/bin/xendevd: $(XENDEVD_OBJS) $(BUILD)/obj/common/daemonlog.o
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(XENDEVD_LIBS)

$(BUILD)/bin/vif-xendevd: $(BUILD)/obj/xendevd/vif-xendevd.o
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(VIF_XENDEVD_LIBS)
