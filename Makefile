# vmm: a KVM test harness for memory managers.
#
#   make            build ./vmm and the guest kernel guest/vmlinux
#   make run        install missing packages, build, run an example scenario
#   make check      install missing packages, build, run every test
#   make bench      benchmarks (docs/performance.md)
#   make fuzz       bounded fuzzing runs (clang's libFuzzer)
#   make clean
#
# Objects go to build/, split by flavour: host (the vmm program), guest (the
# freestanding kernel), native (guest mm code compiled as host C: one source,
# two builds) and asan (the same with AddressSanitizer and UBSan).

CC       ?= gcc
BUILD    := build
WARN     := -Wall -Wextra -Werror
EXAMPLE  ?= docs/examples/tour.vmm

# ---- host: the vmm program ------------------------------------------------
HOST_CFLAGS  := -std=gnu11 -O2 -g $(WARN) -I. -iquote host -D_GNU_SOURCE
HOST_LDLIBS  := -lfdt -lm
HOST_SRCS    := $(shell find host -name '*.c' | LC_ALL=C sort)
HOST_LIB_SRCS := $(filter-out host/main.c,$(HOST_SRCS))

# ---- guest: the kernel ----------------------------------------------------
GCC_INCLUDE  := $(shell $(CC) -print-file-name=include)
LIBFDT_A     := /usr/lib/x86_64-linux-gnu/libfdt.a
GUEST_INC    := -Iguest/include -Iguest/arch/x86/include -I.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -D__KERNEL__ \
		-nostdinc -isystem $(GCC_INCLUDE) -Iguest/include/freestanding $(GUEST_INC) -idirafter /usr/include \
		-ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
		-mgeneral-regs-only -mno-sse -mno-mmx -mno-avx \
		-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
		-fno-strict-aliasing -fno-common
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,-z,noexecstack -Wl,-T,guest/kernel.lds
GUEST_SRCS   := $(shell find guest -name '*.c' -o -name '*.S' | LC_ALL=C sort)
GUEST_OBJS   := $(patsubst %,$(BUILD)/guest/%.o,$(GUEST_SRCS))

# ---- native: guest mm code as host C, for unit tests and benchmarks -------
# guest/mm/memory.c is the page tables themselves: natively, tests/native/
# records what the address-space code asks of them instead.
NATIVE_SRCS  := $(filter-out guest/mm/memory.c guest/mm/gup.c,$(wildcard guest/mm/*.c guest/lib/fault_inject.c guest/lib/random32.c guest/lib/seq_buf.c guest/lib/rbtree.c guest/lib/xarray.c guest/fs/*.c tests/native/*.c))
NATIVE_INC   := -Itests/native/include $(GUEST_INC)
NATIVE_CFLAGS := -std=gnu11 -O2 -g $(WARN) -DVMM_NATIVE $(NATIVE_INC)

# ---- tests ------------------------------------------------------------------
CHECK_LIBS   = $(shell pkg-config --libs check)
UNIT_SRCS    := $(wildcard tests/unit/test_*.c)
# The other .c files of tests/unit/ are support code every test binary links.
UNIT_SUPPORT := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_BINS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
ASAN_BINS    := $(patsubst tests/unit/%.c,$(BUILD)/tests-asan/%,$(UNIT_SRCS))
SAN_FLAGS    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all run check unit-check scenario-check bench fuzz deps clean
.DELETE_ON_ERROR:
# Objects are intermediate files of the test and benchmark links: keep them.
.SECONDARY:

all: vmm guest/vmlinux

vmm: $(patsubst %.c,$(BUILD)/%.o,$(HOST_SRCS))
	$(CC) -o $@ $^ $(HOST_LDLIBS)

guest/vmlinux: $(GUEST_OBJS) guest/kernel.lds
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS) $(LIBFDT_A) -lgcc

$(BUILD)/host/%.o: host/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/guest/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/guest/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c -o $@ $<

$(BUILD)/native/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/asan/native/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/asan/host/%.o: host/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

# Every unit-test binary links all host library code and the native mm code;
# the linker keeps what each one uses.
UNIT_DEPS := $(patsubst %.c,$(BUILD)/%.o,$(HOST_LIB_SRCS)) \
	     $(patsubst %.c,$(BUILD)/native/%.o,$(NATIVE_SRCS))
ASAN_DEPS := $(patsubst %.c,$(BUILD)/asan/%.o,$(HOST_LIB_SRCS)) \
	     $(patsubst %.c,$(BUILD)/asan/native/%.o,$(NATIVE_SRCS))
TEST_SUPPORT_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(UNIT_SUPPORT))
ASAN_SUPPORT_OBJS := $(patsubst %.c,$(BUILD)/asan/%.o,$(UNIT_SUPPORT))

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) -MMD -MP -c -o $@ $<

$(BUILD)/asan/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

# A test file is compiled and linked in one step; -MF names its header
# dependencies' file, so that a changed header rebuilds the test too (the
# headers then are prerequisites: the command names its inputs itself).
$(BUILD)/tests/%: tests/unit/%.c $(UNIT_DEPS) $(TEST_SUPPORT_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) -MMD -MP -MF $@.d -o $@ $< $(UNIT_DEPS) \
		$(TEST_SUPPORT_OBJS) $(CHECK_LIBS) $(HOST_LDLIBS)

$(BUILD)/tests-asan/%: tests/unit/%.c $(ASAN_DEPS) $(ASAN_SUPPORT_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) $(SAN_FLAGS) -MMD -MP -MF $@.d -o $@ $< $(ASAN_DEPS) \
		$(ASAN_SUPPORT_OBJS) $(CHECK_LIBS) $(HOST_LDLIBS)

# ---- the two quick-start commands -------------------------------------------
deps:
	@ci/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./vmm run $(EXAMPLE)

# Built quietly (a failing command still shows), so that a passing run fits on a screen.
check: deps
	@$(MAKE) -s --no-print-directory all $(UNIT_BINS) $(ASAN_BINS) $(BUILD)/vmm-asan
	@tests/check.sh $(UNIT_BINS) $(ASAN_BINS)

unit-check: $(UNIT_BINS) $(ASAN_BINS)
	@tests/run-unit.sh $(UNIT_BINS) $(ASAN_BINS)

# The scenarios on every accelerator this machine has, twice: with ./vmm, and
# with vmm built with ASan and UBSan, which turns any host memory error a
# guest provokes into a failure.  No accelerator at all is a failure.
scenario-check: all $(BUILD)/vmm-asan
	@./vmm test -q --log-dir $(BUILD)/test-logs/scenarios tests/scenarios
	@./vmm test -q --log-dir $(BUILD)/test-logs/scenarios-asan \
		--vmm $(BUILD)/vmm-asan --vmm-args "--kernel guest/vmlinux" tests/scenarios

$(BUILD)/vmm-asan: $(patsubst %.c,$(BUILD)/asan/%.o,$(HOST_SRCS))
	$(CC) $(SAN_FLAGS) -o $@ $^ $(HOST_LDLIBS)

clean:
	rm -rf $(BUILD) vmm guest/vmlinux

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- benchmarks (docs/performance.md) ---------------------------------------
# The slab benchmark is built once per reference allocator, each in a binary
# of its own (tests/bench/bench_slab.c says why).  mimalloc's comes first:
# kmalloc's own ns/op figures are the first program's, timed beside the
# allocator to beat.
BENCH_REFS  := mimalloc jemalloc glibc
BENCH_SRCS  := $(filter-out tests/bench/bench_slab.c,$(wildcard tests/bench/bench_*.c))
BENCH_BINS  := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS)) \
	       $(patsubst %,$(BUILD)/bench/bench_slab_%,$(BENCH_REFS))

$(BUILD)/bench/bench_slab_%: tests/bench/bench_slab.c tests/bench/bench.c $(UNIT_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) -Itests/bench $(BENCH_CFLAGS) -o $@ $^ $(HOST_LDLIBS) $(BENCH_LDLIBS)

$(BUILD)/bench/bench_slab_jemalloc: BENCH_CFLAGS := -DREF_JEMALLOC
$(BUILD)/bench/bench_slab_jemalloc: BENCH_LDLIBS := -ljemalloc
$(BUILD)/bench/bench_slab_mimalloc: BENCH_CFLAGS := -DREF_MIMALLOC
$(BUILD)/bench/bench_slab_mimalloc: BENCH_LDLIBS := -lmimalloc

$(BUILD)/bench/%: tests/bench/%.c tests/bench/bench.c $(UNIT_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(NATIVE_INC) -Itests/bench -o $@ $^ $(HOST_LDLIBS)

bench:
	@ci/install-deps.sh --bench
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@tests/bench/run.sh $(BENCH_BINS)
	@tests/bench/boot.sh
	@tests/bench/fault.sh
	@tests/bench/mremap.sh
	@tests/bench/sweep.sh

-include tests/fuzz/fuzz.mk
