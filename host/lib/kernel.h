/* SPDX-License-Identifier: MIT */
/* Small helpers the host shares with the guest's <linux/kernel.h>, by Linux's names. */
#ifndef HOST_KERNEL_H
#define HOST_KERNEL_H

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#endif
