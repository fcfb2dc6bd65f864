/* SPDX-License-Identifier: MIT */
/* Linux's names of signals and their si_codes, as a scenario shows them. */
#ifndef HOST_ENGINE_SIGNAL_NAME_H
#define HOST_ENGINE_SIGNAL_NAME_H

#include <stddef.h>

#include "shared/channel.h"

/* Linux's name of signo (code 0) or of its si_code; NULL if it has none here. */
const char *signal_name(int signo, int code);
/* "SIGSEGV/SEGV_MAPERR", "SIGBUS/7" or "none": how a fault ended a process. */
const char *signal_text(const struct vmm_fault *f, char *buf, size_t size);

#endif
