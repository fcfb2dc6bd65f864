/* SPDX-License-Identifier: MIT */
/*
 * vmm sweep: rerun a scenario with its 1st, 2nd, 3rd, ... call to an
 * allocation site failing, until a run gets through without that call,
 * and judge every run against one without any failure (outcome.h).
 * docs/fault-injection.md says how to read what it prints.
 */
#ifndef HOST_SWEEP_SWEEP_H
#define HOST_SWEEP_SWEEP_H

/* argv[0] is "sweep"; kernel is the default guest kernel.  Returns vmm's exit status. */
int sweep_main(int argc, char **argv, const char *kernel);

#endif
