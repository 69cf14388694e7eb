# chaos/rules.mk: the chaos command line, included by the top Makefile.
#
# Every chaos/*.c is linked into build/bin/chaos. The Xen libraries are
# the only ones it needs: no libxenlight, no libxlutil (chaos/xlcfg.c
# parses xl.cfg; the unit tests check it against libxlutil).
#
# Linked statically: in a PV dom0 every mapping a process makes costs
# page-table hypercalls, and loading the 15 shared libraries of the Xen
# toolstack cost more than everything else a create does (measured in the
# test host: 'chaos help' 130-170 ms dynamic, 30-35 ms static; an empty
# static process 27-33 ms). The static archives of libxenguest need its
# decompressors: zlib, liblzma, libzstd, libbz2. A kernel it cannot load
# is caught by the tests (every create would fail with "no loader found").

# Two programs share every module: chaos (main.c) and chaosd (chaosd.c).
CHAOS_SRCS := $(sort $(wildcard chaos/*.c))
CHAOS_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CHAOS_SRCS))
CHAOS_MAINS := $(BUILD)/obj/chaos/main.o $(BUILD)/obj/chaos/chaosd.o
CHAOS_SHARED_OBJS := $(filter-out $(CHAOS_MAINS),$(CHAOS_OBJS)) \
                     $(BUILD)/obj/libnoxs/devpage.o \
                     $(BUILD)/obj/libnoxs/devpage_read.o
# libxenguest's kernel loaders (ELF, bzImage, ...) register themselves from
# constructors in objects nothing refers to: whole-archive keeps them.
CHAOS_LIBS := -static -Wl,--whole-archive -lxenguest -Wl,--no-whole-archive \
              $(shell pkg-config --static --libs xencontrol xenguest \
                  xenstore xenevtchn xenforeignmemory 2>/dev/null) \
              -lz -llzma -lzstd -lbz2

# gnu11: C11 plus the GNU extensions xenctrl.h and Xen's public headers
# require (anonymous unions; they refuse __STRICT_ANSI__).
CHAOS_CFLAGS := $(HOST_CFLAGS) -std=gnu11 -Icommon

PROGRAMS += $(BUILD)/bin/chaos $(BUILD)/bin/chaosd
DEPFILES += $(CHAOS_OBJS:.o=.d)

$(CHAOS_OBJS): $(BUILD)/obj/chaos/%.o: chaos/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CHAOS_CFLAGS) -c $< -o $@

$(BUILD)/bin/chaos: $(BUILD)/obj/chaos/main.o $(CHAOS_SHARED_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHAOS_LIBS)

$(BUILD)/bin/chaosd: $(BUILD)/obj/chaos/chaosd.o $(CHAOS_SHARED_OBJS) \
                     $(BUILD)/obj/common/sockserv.o \
                     $(BUILD)/obj/common/daemonlog.o
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHAOS_LIBS)
