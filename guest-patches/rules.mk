# guest-patches/rules.mk: our PV unikernels, included by the top Makefile.
#
# Each directory named in GUEST_NAMES is one guest: its *.c and *.S are
# linked with runtime/head.S and with what they use of the rest of
# runtime/ (an archive, so that a guest carries no module it does not
# call: the noop guest has no netfront and none of its 384 KiB of
# buffers) into build/guests/NAME (the stripped ELF Xen boots;
# build/obj/guest/NAME.elf keeps the symbols).
# Adding a guest is adding its directory name to GUEST_NAMES.

GUEST_NAMES := noop daytime

GUEST_SRC_DIR := guest-patches
RUNTIME_DIR   := $(GUEST_SRC_DIR)/runtime
GUEST_OBJ_DIR := $(BUILD)/obj/guest
GUEST_LDS     := $(RUNTIME_DIR)/guest.lds
OBJCOPY       ?= objcopy

# The Xen public headers, reached through build/guest-include/xen so that
# the guest sees them without the rest of /usr/include (no libc headers).
XEN_PUBLIC_INCLUDE ?= /usr/include/xen
GUEST_INCLUDE      := $(BUILD)/guest-include

# Xen public interface version: changes struct layouts and hypercall
# numbers, so the guest and the host unit tests must use the same one.
XEN_IFACE_CFLAGS := -D__XEN_INTERFACE_VERSION__=0x00040e00

# Runtime modules with no hypercall dependency: tests/unit builds them for
# the host and tests them there.
RUNTIME_HOST_SRCS := $(addprefix $(RUNTIME_DIR)/,bytering.c cmdline.c evtchn_2l.c \
    fmt.c gnttab_table.c pvclock.c xencons_ring.c)

# -mno-red-zone: Xen pushes event and exception frames right below the
# interrupted rsp. -mgeneral-regs-only: no SSE/x87, so no FPU state to
# manage. -fno-tree-loop-distribute-patterns: keeps gcc from turning the
# loops of string.c into calls to memset/memcpy themselves.
GUEST_CFLAGS := $(CFLAGS_COMMON) $(XEN_IFACE_CFLAGS) \
    -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
    -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
    -fno-tree-loop-distribute-patterns \
    -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
    -I$(GUEST_INCLUDE) -I$(RUNTIME_DIR) -Ilibnoxs

GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(GUEST_LDS) \
    -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
    -Wl,--no-warn-rwx-segments

# guest_objs DIR: the objects of the sources in guest-patches/DIR.
guest_objs = $(patsubst $(GUEST_SRC_DIR)/%,$(GUEST_OBJ_DIR)/%.o,\
    $(basename $(sort $(wildcard $(GUEST_SRC_DIR)/$(1)/*.c \
                                 $(GUEST_SRC_DIR)/$(1)/*.S))))

# The runtime also reads NOXS device pages with libnoxs's own reader, the
# one dom0's tests check pages with (freestanding: no libc).
RUNTIME_OBJS := $(call guest_objs,runtime) $(GUEST_OBJ_DIR)/libnoxs/devpage_read.o
DEPFILES += $(RUNTIME_OBJS:.o=.d)
RUNTIME_HEAD := $(GUEST_OBJ_DIR)/runtime/head.o
RUNTIME_LIB  := $(GUEST_OBJ_DIR)/runtime.a

$(RUNTIME_LIB): $(filter-out $(RUNTIME_HEAD),$(RUNTIME_OBJS))
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(GUEST_INCLUDE)/xen:
	$(Q)mkdir -p $(@D)
	$(Q)ln -sfn $(XEN_PUBLIC_INCLUDE) $@

$(GUEST_OBJ_DIR)/%.o: $(GUEST_SRC_DIR)/%.c | $(GUEST_INCLUDE)/xen
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJ_DIR)/libnoxs/%.o: libnoxs/%.c | $(GUEST_INCLUDE)/xen
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJ_DIR)/%.o: $(GUEST_SRC_DIR)/%.S | $(GUEST_INCLUDE)/xen
	$(quiet) AS $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# guest_template NAME: link and strip guest NAME.
define guest_template
$(1)_OBJS := $$(call guest_objs,$(1))
GUESTS += $$(BUILD)/guests/$(1)
DEPFILES += $$($(1)_OBJS:.o=.d)

$$(GUEST_OBJ_DIR)/$(1).elf: $$($(1)_OBJS) $$(RUNTIME_HEAD) $$(RUNTIME_LIB) $$(GUEST_LDS)
	$$(quiet) LD $$@
	$$(Q)$$(CC) $$(GUEST_LDFLAGS) -o $$@ $$(RUNTIME_HEAD) $$($(1)_OBJS) $$(RUNTIME_LIB)

$$(BUILD)/guests/$(1): $$(GUEST_OBJ_DIR)/$(1).elf
	$$(quiet) STRIP $$@
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(OBJCOPY) --strip-all $$< $$@
endef

$(foreach g,$(GUEST_NAMES),$(eval $(call guest_template,$(g))))
