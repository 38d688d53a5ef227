/* cli_util.c: helpers shared by the cli test programs
 * (test_cli*.c), moved out of test_cli.c. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pstwrite.h"
#include "testutil.h"
#include "cli_util.h"
#include "xmalloc.h"

int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Run with stdout sent to a file (e.g. /dev/full); stderr returned. */
int
run_stdout_to(const char *path, char **err, char *const argv[])
{
	char	 tmpl[] = "/tmp/pstdedup-err.XXXXXX";
	pid_t	 pid;
	int	 efd, ofd, st;

	cr_assert_neq(efd = mkstemp(tmpl), -1);
	unlink(tmpl);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		if ((ofd = open(path, O_WRONLY)) == -1)
			_exit(126);
		dup2(ofd, 1);
		dup2(efd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	*err = xcalloc(1, 65536);
	cr_assert_geq(pread(efd, *err, 65535, 0), 0);
	close(efd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Number of lines in s that start with prefix. */
int
count_lines(const char *s, const char *prefix)
{
	size_t	len = strlen(prefix);
	int	n = 0;

	while (s != NULL && *s != '\0') {
		if (strncmp(s, prefix, len) == 0)
			n++;
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	}
	return n;
}
