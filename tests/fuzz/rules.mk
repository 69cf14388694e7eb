# tests/fuzz/rules.mk: fuzz targets (libFuzzer, clang), included by the top
# Makefile. `make fuzz-test` runs each for FUZZ_SECONDS on its corpus in
# tests/fuzz/corpus/NAME (read only: new inputs go to a scratch folder).
# A failure prints libFuzzer's report, keeps the input in build/fuzz/ and
# fails the run.

FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
                -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_DIR     := $(BUILD)/fuzz

$(FUZZ_DIR)/chaosd_decode: tests/fuzz/chaosd_decode.c chaos/chaosd_msg.c \
                           chaos/chaosd_msg.h chaos/chaosd_proto.h
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_DIR)/noxs_pages: tests/fuzz/noxs_pages.c libnoxs/devpage.c \
                        libnoxs/devpage_read.c \
                        libnoxs/ctrl.c libnoxs/devpage.h libnoxs/ctrl.h \
                        libnoxs/noxs_abi.h
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

# The Xen headers of the rings want GNU C and the guests' interface version.
$(FUZZ_DIR)/netback_ring: tests/fuzz/netback_ring.c noxs/netback_ring.c \
                          noxs/netback_ring.h
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -std=gnu11 $(XEN_IFACE_CFLAGS) -o $@ \
	    $(filter %.c,$^)

FUZZ_BINS := $(FUZZ_DIR)/chaosd_decode $(FUZZ_DIR)/noxs_pages \
             $(FUZZ_DIR)/netback_ring

fuzz-test: $(FUZZ_BINS)
	$(Q)tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BINS)
