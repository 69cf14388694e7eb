# libnoxs/rules.mk: the dom0 side of the NOXS ABI, included by the top
# Makefile. Each program links the objects it uses: chaos and chaosd the
# device page writer (devpage.o, devpage_read.o), noxsd the control page
# check (ctrl.o). Guests compile devpage_read.c themselves
# (guest-patches/rules.mk), freestanding.

LIBNOXS_SRCS := $(sort $(wildcard libnoxs/*.c))
LIBNOXS_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIBNOXS_SRCS))
DEPFILES += $(LIBNOXS_OBJS:.o=.d)

$(LIBNOXS_OBJS): $(BUILD)/obj/libnoxs/%.o: libnoxs/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@
