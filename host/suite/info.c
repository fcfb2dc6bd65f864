// SPDX-License-Identifier: MIT
/* Asking the vmm under test which accelerators it can use. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "info.h"
#include "judge.h"

static void info_line(struct accel_info *ai, char *line)
{
	size_t name = strcspn(line, " \t");
	char *rest = line + name + strspn(line + name, " \t");

	if (!name || !rest[0])
		return;		/* "auto would use: ..." and the like */
	line[name] = '\0';
	if (!strcmp(rest, "available")) {
		strv_push(&ai->names, line);
		strv_push(&ai->reasons, "");
	} else if (!strncmp(rest, "unavailable: ", 13)) {
		strv_push(&ai->names, line);
		strv_push(&ai->reasons, rest + 13);
	}
}

int accel_info_read(const char *vmm, struct accel_info *ai, char *err, size_t errlen)
{
	char *const argv[] = { (char *)vmm, "info", NULL };
	int pipefd[2], status;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	pid_t pid;
	FILE *f;

	*ai = (struct accel_info){ 0 };
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (!pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		execvp(vmm, argv);
		fprintf(stderr, "vmm test: cannot run %s: %s\n", vmm, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	if (pid < 0 || !f)
		abort();
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		info_line(ai, line);
	}
	free(line);
	fclose(f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || (WEXITSTATUS(status) && WEXITSTATUS(status) != EXIT_NO_ACCEL) ||
	    !ai->names.n) {
		snprintf(err, errlen, "`%s info` named no accelerator (status %d)", vmm,
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		accel_info_free(ai);
		return -1;
	}
	return 0;
}

const char *accel_info_reason(const struct accel_info *ai, const char *name)
{
	for (size_t i = 0; i < ai->names.n; i++)
		if (!strcmp(ai->names.v[i], name))
			return ai->reasons.v[i];
	return NULL;
}

void accel_info_free(struct accel_info *ai)
{
	strv_free(&ai->names);
	strv_free(&ai->reasons);
}
