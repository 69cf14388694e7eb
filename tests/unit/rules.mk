# tests/unit/rules.mk: the Check unit tests, included by the top Makefile.
#
# One runner, build/tests/unit-tests: main.c plus every test_*.c suite,
# linked with the code under test compiled for the host into build/obj/host/
# (UNIT_SUBJECT_SRCS: the runtime's pure modules, RUNTIME_HOST_SRCS from
# guest-patches/rules.mk, and chaos's pure modules: xlcfg.c, domcfg.c,
# list.c, info.c, aside.c, chaosd_msg.c, client.c, consring.c,
# imgcache.c, reaper.c and state.c (in a temporary folder), the first two
# checked against libxlutil; and xendevd's modules but its main, the interface ones
# tested in network namespaces of their own; libnoxs; and the daytime
# guest's network stack and time text).
# A new suite: tests/unit/test_NAME.c defining NAME_suite(), declared in
# unit.h and added in main.c.
# `make unit-test` runs it (forking mode unless CK_FORK=no is set).

UNIT_TEST_BIN := $(BUILD)/tests/unit-tests

UNIT_DIR          := tests/unit
HOST_OBJ_DIR      := $(BUILD)/obj/host
UNIT_SUBJECT_SRCS := $(RUNTIME_HOST_SRCS) chaos/xlcfg.c chaos/domcfg.c \
    chaos/aside.c chaos/chaosd_msg.c chaos/client.c chaos/consring.c \
    chaos/imgcache.c chaos/reaper.c chaos/list.c chaos/info.c \
    chaos/state.c chaos/fdio.c \
    xendevd/netdev.c xendevd/port.c xendevd/vifevent.c xendevd/tapconf.c \
    libnoxs/devpage.c libnoxs/devpage_read.c libnoxs/ctrl.c noxs/netback_ring.c \
    guest-patches/daytime/net.c guest-patches/daytime/utc.c
CHECK_CFLAGS      := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS        := $(shell pkg-config --libs check 2>/dev/null)
XLUTIL_LIBS       := $(shell pkg-config --libs xlutil 2>/dev/null \
                            || echo -lxlutil)
UNIT_CFLAGS       := $(HOST_CFLAGS) $(XEN_IFACE_CFLAGS) $(CHECK_CFLAGS) \
    -I$(RUNTIME_DIR) -I$(GUEST_SRC_DIR)/daytime

UNIT_OBJS := $(patsubst %.c,$(HOST_OBJ_DIR)/%.o,\
    $(sort $(wildcard $(UNIT_DIR)/*.c)) $(UNIT_SUBJECT_SRCS))
DEPFILES += $(UNIT_OBJS:.o=.d)

# The runtime's time.h would stand in for the C library's under pthread.h.
REAPER_UNIT_OBJS := $(HOST_OBJ_DIR)/chaos/reaper.o \
                    $(HOST_OBJ_DIR)/$(UNIT_DIR)/test_reaper.o \
                    $(HOST_OBJ_DIR)/chaos/aside.o \
                    $(HOST_OBJ_DIR)/$(UNIT_DIR)/test_aside.o
$(REAPER_UNIT_OBJS): UNIT_CFLAGS := $(HOST_CFLAGS) $(CHECK_CFLAGS)

$(UNIT_OBJS): $(HOST_OBJ_DIR)/%.o: %.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_TEST_BIN): $(UNIT_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHECK_LIBS) $(XLUTIL_LIBS) -pthread

unit-test: $(UNIT_TEST_BIN)
	$(Q)$(UNIT_TEST_BIN)
