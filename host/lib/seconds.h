/* SPDX-License-Identifier: MIT */
/* Time limits on the command line: "5", "0.5", "600" seconds. */
#ifndef HOST_LIB_SECONDS_H
#define HOST_LIB_SECONDS_H

/* Seconds, more than 0 and at most a day, into milliseconds (at least 1); -1 if not. */
int parse_seconds(const char *s, unsigned *ms);

#endif
