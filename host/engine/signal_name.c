// SPDX-License-Identifier: MIT
/* Linux's names of the signals and si_codes a scenario sees (signal_name.h). */
#include <stdio.h>

#include "lib/kernel.h"
#include "signal_name.h"
#include "shared/signal.h"

#define SIGNAL(signo)		{ signo, 0, #signo }
#define SI_CODE(signo, code)	{ signo, code, #code }

/*
 * The signals the guest sends and the si_codes a scenario names; the
 * others (ILL_ILLOPN, FPE_INTDIV, SI_KERNEL) show as numbers.
 */
static const struct signal_name {
	int signo, code;	/* code 0: the signal itself */
	const char *name;
} signal_names[] = {
	SIGNAL(SIGILL), SIGNAL(SIGBUS), SIGNAL(SIGFPE), SIGNAL(SIGSEGV),
	SI_CODE(SIGSEGV, SEGV_MAPERR), SI_CODE(SIGSEGV, SEGV_ACCERR), SI_CODE(SIGBUS, BUS_ADRERR),
};

/* Linux's name of signo (code 0) or of its si_code; NULL if it has none here. */
const char *signal_name(int signo, int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (signal_names[i].signo == signo && signal_names[i].code == code)
			return signal_names[i].name;
	return NULL;
}

const char *signal_text(const struct vmm_fault *f, char *buf, size_t size)
{
	const char *sig = signal_name(f->signo, 0);
	const char *code = f->code ? signal_name(f->signo, f->code) : NULL;

	if (!f->signo)
		snprintf(buf, size, "none");
	else if (sig && code)
		snprintf(buf, size, "%s/%s", sig, code);
	else
		snprintf(buf, size, "%s/%d", sig ? sig : "SIG?", f->code);
	return buf;
}
