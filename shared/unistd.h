/* SPDX-License-Identifier: MIT */
/*
 * The system calls the user program makes, by Linux's x86-64 numbers: the
 * host names one in VMM_REQ_RUN, the guest's syscall table dispatches it.
 */
#ifndef SHARED_UNISTD_H
#define SHARED_UNISTD_H

#define __NR_read	0
#define __NR_write	1
#define __NR_open	2
#define __NR_close	3
#define __NR_fstat	5
#define __NR_lseek	8
#define __NR_mmap	9
#define __NR_mprotect	10
#define __NR_munmap	11
#define __NR_brk	12
#define __NR_mremap	25
#define __NR_msync	26
#define __NR_madvise	28
#define __NR_getpid	39
#define __NR_exit	60
#define __NR_ftruncate	77
#define __NR_unlink	87
#define __NR_mlock	149
#define __NR_munlock	150
#define __NR_mlockall	151
#define __NR_munlockall	152

/* clone(2)'s flags (Linux's include/uapi/linux/sched.h). */
#define CLONE_VM	0x00000100	/* share the address space: a thread */

#endif
