#!/usr/bin/env bash
# Installs the Debian packages vmm needs when they are missing, so that a
# fresh machine goes from clone to `make run` / `make check` in one step.
#   ci/install-deps.sh           build and test: gcc make pkg-config libfdt-dev check
#                                qemu-system-x86 (the TCG accelerator, where there is no KVM),
#                                perl (TAP::Parser) and libxml2-utils (xmllint), which read
#                                vmm's TAP and JUnit output back in tests/unit/test_report.c,
#                                and yamllint, which checks ci/'s configurations (test_ci.c)
#   ci/install-deps.sh --bench   also valgrind (callgrind's instruction counts), jemalloc,
#                                mimalloc and bc
#   ci/install-deps.sh --fuzz    also clang and its libFuzzer runtime
set -eu

need=()
want() { need+=("$1"); }

command -v gcc >/dev/null 2>&1 || want gcc
command -v make >/dev/null 2>&1 || want make
command -v pkg-config >/dev/null 2>&1 || want pkg-config
[ -f /usr/include/libfdt.h ] && [ -f /usr/lib/x86_64-linux-gnu/libfdt.a ] || want libfdt-dev
pkg-config --exists check 2>/dev/null || want check
command -v qemu-system-x86_64 >/dev/null 2>&1 || want qemu-system-x86
perl -MTAP::Parser -e 1 >/dev/null 2>&1 || want perl
command -v xmllint >/dev/null 2>&1 || want libxml2-utils
command -v yamllint >/dev/null 2>&1 || want yamllint
for arg in "$@"; do
	case "$arg" in
	--bench)
		command -v valgrind >/dev/null 2>&1 || want valgrind
		[ -f /usr/include/jemalloc/jemalloc.h ] || want libjemalloc-dev
		[ -f /usr/include/mimalloc.h ] || want libmimalloc-dev
		command -v bc >/dev/null 2>&1 || want bc ;;
	--fuzz)
		command -v clang >/dev/null 2>&1 || want clang
		ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
			want libclang-rt-14-dev ;;
	*) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
	esac
done

[ ${#need[@]} -eq 0 ] && exit 0

echo "vmm: installing missing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=sudo
else
	echo "vmm: cannot install as $(id -un); run: sudo apt-get install ${need[*]}" >&2
	exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
