# common/rules.mk: code shared by chaos's programs, included by the top
# Makefile. Each program's rules.mk links the objects it uses.

COMMON_SRCS := $(sort $(wildcard common/*.c))
COMMON_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(COMMON_SRCS))
DEPFILES += $(COMMON_OBJS:.o=.d)

$(COMMON_OBJS): $(BUILD)/obj/common/%.o: common/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@
