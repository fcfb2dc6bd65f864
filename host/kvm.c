// SPDX-License-Identifier: MIT
/* KVM VM and vCPU life cycle. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm.h"

#define KVM_PATH "/dev/kvm"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

int kvm_open(struct vm *vm, char *err, size_t errlen)
{
	int version;

	*vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .stats_fd = -1 };
	vm->kvm_fd = open(KVM_PATH, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s (KVM is not available on this machine)",
			 KVM_PATH, strerror(errno));
		return 1;
	}
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(err, errlen, "%s speaks KVM API %d, we need %d", KVM_PATH, version,
			 KVM_API_VERSION);
		return 1;
	}
	vm->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	return 0;
}

static int set_cpuid(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int nent = 64, ret;

	/* The kernel says E2BIG until the buffer is large enough. */
	for (;;) {
		free(cpuid);
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return fail(err, errlen, "cpuid");
		cpuid->nent = nent;
		ret = ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
		if (ret == 0 || errno != E2BIG || nent >= 4096)
			break;
		nent *= 2;
	}
	if (ret == 0)
		ret = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return ret ? fail(err, errlen, "KVM_SET_CPUID2") : 0;
}

static int map_ram(struct vm *vm, uint64_t size, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region;

	/* Anonymous memory arrives zeroed: the guest relies on that (no BSS or page clearing). */
	vm->ram.mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram.mem == MAP_FAILED) {
		vm->ram.mem = NULL;
		return fail(err, errlen, "mmap guest RAM");
	}
	vm->ram.size = size;
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = size,
		.userspace_addr = (uintptr_t)vm->ram.mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return fail(err, errlen, "KVM_SET_USER_MEMORY_REGION");
	return 0;
}

static int create_vcpu(struct vm *vm, char *err, size_t errlen)
{
	int size;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VCPU");
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return fail(err, errlen, "mmap kvm_run");
	}
	vm->run_size = size;
	/* Binary stats are optional: without them we report no instruction counts. */
	vm->stats_fd = ioctl(vm->vcpu_fd, KVM_GET_STATS_FD, NULL);
	return 0;
}

int vm_create(struct vm *vm, uint64_t ram_size, char *err, size_t errlen)
{
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VM");
	if (map_ram(vm, ram_size, err, errlen) || create_vcpu(vm, err, errlen))
		return -1;
	return set_cpuid(vm, err, errlen);
}

void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->ram.mem)
		munmap(vm->ram.mem, vm->ram.size);
	for (int *fd = &vm->kvm_fd; fd <= &vm->stats_fd; fd++)
		if (*fd >= 0)
			close(*fd);
	*vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .stats_fd = -1 };
}

int64_t vcpu_stat(const struct vm *vm, const char *name)
{
	struct kvm_stats_header hdr;
	size_t dsize;
	char *descs;
	int64_t val = -1;

	if (vm->stats_fd < 0 || pread(vm->stats_fd, &hdr, sizeof(hdr), 0) != sizeof(hdr))
		return -1;
	dsize = sizeof(struct kvm_stats_desc) + hdr.name_size;
	descs = malloc(dsize * hdr.num_desc);
	if (!descs)
		return -1;
	if (pread(vm->stats_fd, descs, dsize * hdr.num_desc, hdr.desc_offset) ==
	    (ssize_t)(dsize * hdr.num_desc)) {
		for (uint32_t i = 0; i < hdr.num_desc; i++) {
			struct kvm_stats_desc *d = (void *)(descs + i * dsize);
			uint64_t v;

			if (strncmp(d->name, name, hdr.name_size) || d->size < 1)
				continue;
			if (pread(vm->stats_fd, &v, sizeof(v), hdr.data_offset + d->offset) == sizeof(v))
				val = (int64_t)v;
			break;
		}
	}
	free(descs);
	return val;
}

const char *kvm_flavour(const struct vm *vm)
{
	if (vm->pvm)
		return "kvm_pvm (shadow paging, guest instructions emulated)";
	if (access("/sys/module/kvm_intel", F_OK) == 0)
		return "kvm_intel (hardware VMX)";
	if (access("/sys/module/kvm_amd", F_OK) == 0)
		return "kvm_amd (hardware SVM)";
	return "kvm";
}
