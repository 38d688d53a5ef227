/* main.c: pstdedup: read a PST/OST, drop duplicate appointments, write .ics. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "batch.h"
#include "cli.h"
#include "outfile.h"
#include "run.h"

static void	 main_signals(void);
static void	 main_signal(int);

int
main(int argc, char **argv)
{
	static char	 errbuf[BUFSIZ];
	struct cli_opts	 o;
	char		*cause = NULL;
	int		 status;

	/* Whole lines: an unbuffered stderr costs a system call per
	 * character of the -v listing. */
	setvbuf(stderr, errbuf, _IOLBF, sizeof errbuf);
	/* Windows: UTF-8 arguments, binary streams (compat.h). */
	compat_init(&argc, &argv);
	if (cli_parse(argc, argv, &o, &cause) != 0) {
		cli_usage_error(stderr, cause);
		free(cause);
		return EX_USAGE;
	}
	main_signals();
	switch (o.action) {
	case CLI_HELP:
	case CLI_VERSION:
		status = EX_OK;
		if ((o.action == CLI_HELP ? cli_help(stdout) :
		    cli_version(stdout)) != 0) {
			fprintf(stderr, "pstdedup: standard output: cannot "
			    "write: %s\n", strerror(errno));
			status = EX_IOERR;
		}
		break;
	case CLI_RUN:
	case CLI_LIST:
	default:
		if (o.combine)
			status = batch_combine(&o);
		else if (o.batch)
			status = batch_main(&o);
		else
			status = run_main(&o);
		break;
	}
	cli_opts_free(&o);
	return status;
}

/* An interrupted run must not leave temporaries behind. */
static void
main_signals(void)
{
	static const int	 sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
main_signal(int sig)
{
	outfile_cleanup();
	raise(sig);
}
