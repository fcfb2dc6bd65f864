# Bounded fuzzing runs with clang's libFuzzer: `make fuzz`.
# Included by the top Makefile; every name here starts with FUZZ_ so as not
# to clash with it.  FUZZ_SECONDS bounds each target's run; a crash, a
# sanitizer report or a hung input (FUZZ_TIMEOUT seconds) makes the run, and
# so make, fail, and leaves the input in $(FUZZ_DIR)/crash-* or timeout-*.
#
# The walker is built with a small table budget so that inputs made of
# shared tables reach PT_TOO_MANY quickly instead of slowing every run down.

FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_CFLAGS  := -std=gnu11 -O1 -g $(WARN) -I. -iquote host -D_GNU_SOURCE \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -DPT_TABLE_BUDGET=64
FUZZ_HDRS    := host/pagewalk.h host/guest_ram.h shared/pte.h shared/layout.h

$(FUZZ_DIR)/fuzz_pagewalk: tests/fuzz/fuzz_pagewalk.c host/pagewalk.c $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_pagewalk.c host/pagewalk.c

# 16 pages are enough for any shape of 4-level tree.
fuzz:
	@ci/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_pagewalk
	@mkdir -p $(FUZZ_DIR)/corpus/pagewalk
	FUZZ_SEED_DIR=$(FUZZ_DIR)/corpus/pagewalk \
	$(FUZZ_DIR)/fuzz_pagewalk -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus/pagewalk
