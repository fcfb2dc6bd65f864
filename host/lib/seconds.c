// SPDX-License-Identifier: MIT
#include <stdlib.h>

#include "seconds.h"

int parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double sec = strtod(s, &end);

	if (end == s || *end || !(sec > 0) || sec > 86400)
		return -1;
	*ms = (unsigned)(sec * 1000 + 0.5) ?: 1;
	return 0;
}
