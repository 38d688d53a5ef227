/* fuzz_pipeline.c: libFuzzer target for the whole pipeline: run_main(),
 * what pstdedup's main() calls, on each input (a PST, OST or .ics, known
 * by its content) with -a and every output: the clean and removed
 * calendars of every folder (read back and checked by verify.h, from run_out.c)
 * and the JSON report, all in a scratch directory emptied after each
 * input. Bad input gives an exit status; EX_SOFTWARE (counts that do
 * not add up, a calendar that does not verify) is a bug: abort. */
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 cleanup(void);
static void	 setup(void);
static void	 empty(const char *);
static int	 scratch(const uint8_t *, size_t);

static char	 dir[] = "/tmp/fuzz_pipeline.XXXXXX";
static char	*in, *out, *clean, *removed, *report;

static void
setup(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_pipeline: mkdtemp");
		abort();
	}
	xasprintf(&in, "%s/input", dir);
	xasprintf(&out, "%s/out", dir);
	xasprintf(&clean, "%s/clean.ics", out);
	xasprintf(&removed, "%s/removed.ics", out);
	xasprintf(&report, "%s/report.json", out);
	if (mkdir(out, 0700) == -1) {
		perror("fuzz_pipeline: mkdir");
		abort();
	}
	atexit(cleanup);
}

static void
cleanup(void)
{
	empty(out);
	rmdir(out);
	unlink(in);
	rmdir(dir);
}

/* Remove what a run wrote: every folder's files, any temporaries. */
static void
empty(const char *path)
{
	DIR		*d;
	struct dirent	*e;
	char		*f;

	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		xasprintf(&f, "%s/%s", path, e->d_name);
		unlink(f);
		free(f);
	}
	closedir(d);
}

static int
scratch(const uint8_t *data, size_t size)
{
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = open(in, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_opts	 o;
	char		*cause = NULL;
	char		*argv[] = { (char *)"pstdedup", (char *)"-q",
	    (char *)"-a", (char *)"--force", (char *)"-o", NULL, (char *)"-r",
	    NULL, (char *)"-R", NULL, NULL, NULL };
	int		 status;

	if (in == NULL)
		setup();
	if (scratch(data, size) != 0)
		return 0;
	argv[5] = clean;
	argv[7] = removed;
	argv[9] = report;
	argv[10] = in;
	memset(&o, 0, sizeof o);
	if (cli_parse(11, argv, &o, &cause) != 0) {
		fprintf(stderr, "fuzz_pipeline: %s\n", cause);
		abort();
	}
	status = run_main(&o);
	cli_opts_free(&o);
	empty(out);
	if (status == EX_SOFTWARE) {
		fprintf(stderr, "fuzz_pipeline: internal error (exit %d)\n",
		    status);
		abort();
	}
	return 0;
}
