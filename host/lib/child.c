// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <unistd.h>

#include "child.h"

pid_t fork_piped(int *fd)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[pid ? 1 : 0]);
	*fd = fds[pid ? 0 : 1];
	return pid;
}

FILE *child_silence(void)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		_exit(127);
	dup2(fileno(null), STDOUT_FILENO);
	dup2(fileno(null), STDERR_FILENO);
	return null;
}
