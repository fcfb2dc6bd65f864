/* SPDX-License-Identifier: MIT */
/*
 * Runs in child processes that report to their parent through a pipe, as
 * `vmm sweep` and `vmm corrupt` run each guest.
 */
#ifndef HOST_LIB_CHILD_H
#define HOST_LIB_CHILD_H

#include <stdio.h>
#include <sys/types.h>

/*
 * fork() with a pipe from child to parent: 0 in the child, *fd its write
 * end; the child's pid in the parent, *fd its read end; -1 on failure.
 * Both ends are close-on-exec, so a process the child starts (QEMU) holds
 * neither and the parent sees end-of-file when the child is gone.
 */
pid_t fork_piped(int *fd);
/* In the child: standard output and error to /dev/null, and a FILE there for reports. */
FILE *child_silence(void);

#endif
