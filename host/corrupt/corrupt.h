/* SPDX-License-Identifier: MIT */
/*
 * vmm corrupt: flip seeded random bits in the guest's page tables, struct
 * pages and slab slots between a scenario's statements, and count which
 * detector caught each flip: a `check` rule, the guest's own slab or
 * bad-page checks, a crash, a hang, or nothing.  docs/fault-injection.md
 * says how to read what it prints.
 */
#ifndef HOST_CORRUPT_CORRUPT_H
#define HOST_CORRUPT_CORRUPT_H

/* argv[0] is "corrupt"; kernel is the default guest kernel.  Returns vmm's exit status. */
int corrupt_main(int argc, char **argv, const char *kernel);

#endif
