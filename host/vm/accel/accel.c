// SPDX-License-Identifier: MIT
/* Choosing an accelerator (accel.h). */
#include <stdio.h>
#include <string.h>

#include "accel.h"

/* In the order `auto` tries them: the fastest first. */
const struct accel_ops *const accel_all[] = { &kvm_accel_ops, &tcg_accel_ops, NULL };

static const struct accel_ops *accel_auto(char *why, size_t whylen)
{
	size_t used = 0;

	for (const struct accel_ops *const *a = accel_all; *a; a++) {
		char one[256];

		if (!(*a)->probe(one, sizeof(one)))
			return *a;
		used += snprintf(why + used, whylen - used, "%s%s: %s", used ? "; " : "",
				 (*a)->name, one);
		if (used >= whylen)
			used = whylen - 1;
	}
	return NULL;
}

const struct accel_ops *accel_find(const char *name)
{
	for (const struct accel_ops *const *a = accel_all; *a; a++)
		if (!strcmp((*a)->name, name))
			return *a;
	return NULL;
}

const struct accel_ops *accel_choose(const char *name, char *why, size_t whylen)
{
	const struct accel_ops *a = accel_find(name);

	why[0] = '\0';
	if (!strcmp(name, "auto"))
		return accel_auto(why, whylen);
	return a && !a->probe(why, whylen) ? a : NULL;
}
