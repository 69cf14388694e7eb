# chaos/rules.mk: the chaos command line, included by the top Makefile.
#
# Every chaos/*.c is linked into build/bin/chaos. The Xen libraries are
# the only ones it needs: no libxenlight, no libxlutil (chaos/xlcfg.c
# parses xl.cfg; the unit tests check it against libxlutil).

CHAOS_SRCS := $(sort $(wildcard chaos/*.c))
CHAOS_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CHAOS_SRCS))
CHAOS_LIBS := $(shell pkg-config --libs xencontrol xenguest xenstore \
                  xenevtchn xenforeignmemory 2>/dev/null)

# gnu11: C11 plus the GNU extensions xenctrl.h and Xen's public headers
# require (anonymous unions; they refuse __STRICT_ANSI__).
CHAOS_CFLAGS := $(HOST_CFLAGS) -std=gnu11

PROGRAMS += $(BUILD)/bin/chaos
DEPFILES += $(CHAOS_OBJS:.o=.d)

$(CHAOS_OBJS): $(BUILD)/obj/chaos/%.o: chaos/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CHAOS_CFLAGS) -c $< -o $@

$(BUILD)/bin/chaos: $(CHAOS_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHAOS_LIBS)
