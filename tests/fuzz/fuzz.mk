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
FUZZ_HDRS    := host/check/pagewalk.h host/vm/guest_ram.h shared/pte.h shared/layout.h

$(FUZZ_DIR)/fuzz_pagewalk: tests/fuzz/fuzz_pagewalk.c host/check/pagewalk.c $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_pagewalk.c host/check/pagewalk.c

# 16 pages are enough for any shape of 4-level tree.
fuzz:
	@ci/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_pagewalk
	@mkdir -p $(FUZZ_DIR)/corpus/pagewalk
	FUZZ_SEED_DIR=$(FUZZ_DIR)/corpus/pagewalk \
	$(FUZZ_DIR)/fuzz_pagewalk -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus/pagewalk

# ---- the scenario parser and the ELF loader ----------------------------------
# Two more targets that `make fuzz` runs, each for FUZZ_SECONDS, before the
# walker (prerequisites come before the recipe above).  They run one after
# the other even under -j, since each one alone keeps a CPU busy.
#
# The scenario target starts from the real scenario files, its own seeds
# and a dictionary it writes itself (LLVMFuzzerInitialize runs before
# libFuzzer reads -dict).  The ELF target starts from small kernels it
# writes and, if it has been built, the real guest/vmlinux; its inputs may
# grow to the largest seed (no -max_len), so the real kernel is mutated whole.

FUZZ_SCENARIO_SRCS := host/scenario/scenario_parse.c host/scenario/scenario_lex.c host/vm/machine.c
FUZZ_SCENARIO_HDRS := host/scenario/scenario.h host/scenario/scenario_lex.h host/vm/machine.h
FUZZ_ELF_SRCS      := host/vm/elf.c
FUZZ_ELF_HDRS      := host/vm/elf.h host/vm/guest_ram.h
FUZZ_RUN_FLAGS      = -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		      -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/

$(FUZZ_DIR)/fuzz_scenario: tests/fuzz/fuzz_scenario.c $(FUZZ_SCENARIO_SRCS) $(FUZZ_SCENARIO_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_scenario.c $(FUZZ_SCENARIO_SRCS)

$(FUZZ_DIR)/fuzz_elf: tests/fuzz/fuzz_elf.c $(FUZZ_ELF_SRCS) $(FUZZ_ELF_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_elf.c $(FUZZ_ELF_SRCS)

# Phony runs named under $(FUZZ_DIR), so that no new name can clash with
# the top Makefile's.
.PHONY: $(FUZZ_DIR)/run-deps $(FUZZ_DIR)/run-scenario $(FUZZ_DIR)/run-elf

fuzz: $(FUZZ_DIR)/run-scenario $(FUZZ_DIR)/run-elf

$(FUZZ_DIR)/run-deps:
	@ci/install-deps.sh --fuzz

$(FUZZ_DIR)/run-scenario: $(FUZZ_DIR)/run-deps
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_scenario
	@mkdir -p $(FUZZ_DIR)/corpus/scenario
	cp tests/scenarios/*.vmm docs/examples/*.vmm $(FUZZ_DIR)/corpus/scenario/
	FUZZ_SEED_DIR=$(FUZZ_DIR)/corpus/scenario FUZZ_DICT=$(FUZZ_DIR)/scenario.dict \
	$(FUZZ_DIR)/fuzz_scenario $(FUZZ_RUN_FLAGS) -max_len=70000 \
		-dict=$(FUZZ_DIR)/scenario.dict $(FUZZ_DIR)/corpus/scenario

$(FUZZ_DIR)/run-elf: $(FUZZ_DIR)/run-deps $(FUZZ_DIR)/run-scenario
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_elf
	@mkdir -p $(FUZZ_DIR)/corpus/elf
	if [ -f guest/vmlinux ]; then cp guest/vmlinux $(FUZZ_DIR)/corpus/elf/vmlinux; fi
	FUZZ_SEED_DIR=$(FUZZ_DIR)/corpus/elf \
	$(FUZZ_DIR)/fuzz_elf $(FUZZ_RUN_FLAGS) $(FUZZ_DIR)/corpus/elf

# ---- guest replies -------------------------------------------------------------
# Every reply kind through the checked layer (host/vm/reply.c), then the input
# as a whole hostile guest through the host's real code, with the scripted
# guest of tests/unit/ in place of a VM: all host code but main.c is linked.
# The seeds are in tests/fuzz/corpus/replies/.

FUZZ_REPLIES_SRCS := tests/fuzz/fuzz_replies.c tests/unit/scripted_guest.c \
		     $(filter-out host/main.c,$(shell find host -name '*.c'))

$(FUZZ_DIR)/fuzz_replies: $(FUZZ_REPLIES_SRCS) $(shell find host -name '*.h') \
			  tests/unit/scripted_guest.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_REPLIES_SRCS) -lfdt -lm

.PHONY: $(FUZZ_DIR)/run-replies

fuzz: $(FUZZ_DIR)/run-replies

$(FUZZ_DIR)/run-replies: $(FUZZ_DIR)/run-deps $(FUZZ_DIR)/run-elf
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_replies
	@mkdir -p $(FUZZ_DIR)/corpus/replies
	cp tests/fuzz/corpus/replies/* $(FUZZ_DIR)/corpus/replies/
	$(FUZZ_DIR)/fuzz_replies $(FUZZ_RUN_FLAGS) -max_len=131072 $(FUZZ_DIR)/corpus/replies

# ---- the reports ---------------------------------------------------------------
# Arbitrary statement and guest text through the human, TAP and JUnit
# writers: the output must stay printable, with no forged TAP directive and
# balanced XML.

FUZZ_REPORT_SRCS := host/report/report.c host/lib/escape.c host/vm/channel.c
FUZZ_REPORT_HDRS := host/report/report.h host/lib/escape.h host/vm/channel.h host/scenario/scenario.h shared/channel.h

$(FUZZ_DIR)/fuzz_report: tests/fuzz/fuzz_report.c $(FUZZ_REPORT_SRCS) $(FUZZ_REPORT_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_report.c $(FUZZ_REPORT_SRCS)

.PHONY: $(FUZZ_DIR)/run-report

fuzz: $(FUZZ_DIR)/run-report

$(FUZZ_DIR)/run-report: $(FUZZ_DIR)/run-deps $(FUZZ_DIR)/run-replies
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_report
	@mkdir -p $(FUZZ_DIR)/corpus/report
	$(FUZZ_DIR)/fuzz_report $(FUZZ_RUN_FLAGS) -max_len=4096 $(FUZZ_DIR)/corpus/report
