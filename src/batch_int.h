/*
 * batch_int.h: what the parts of a batch share, private to them
 * (batch.h is the interface).
 *
 * batch_inputs.c finds the inputs (a directory searched, a file known
 * by its content) and plans each one's output directory and names,
 * refusing two that would write the same file; batch.c runs a worker
 * process per input, relays its messages, collects the workers' JSON
 * reports into the combined one, and does --combine.
 *
 * A struct batch owns its inputs (struct batch_in) and their strings
 * and reports until batch_free(); it borrows the options. Like batch.c,
 * the inputs part says on standard error why an input is not run.
 */
#ifndef BATCH_INT_H
#define BATCH_INT_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stddef.h>

#include <jansson.h>

#include "cli.h"

struct batch_in {
	char		*path;		/* as found */
	char		*dir;		/* DIR/REL */
	char		*output;	/* DIR/REL/NAME-clean.ics */
	char		*report;	/* the worker's JSON report */
	char		*errlog;	/* its messages, shown when it ends,
					   so that inputs' lines never mix */
	int		 status;
	int		 started, done;
	int		 newdir;	/* dir did not exist before */
	pid_t		 pid;
	json_t		*rep;
};

struct batch {
	const struct cli_opts	*o;
	struct batch_in		*v;
	size_t			 n;
	struct stat		 outsb;	/* -d, never searched */
	int			 have_outsb;
	char			*tmp;	/* the workers' reports */
	size_t			 ndone, items;
	int			 tty;
};

/* An argument: a directory is searched, anything else is an input
 * (named: given on the command line, not found in a directory). */
void	 bt_add(struct batch *, const char *, const char *, int);
/* Marks the inputs whose output name another input already has. */
void	 bt_plan(struct batch *);

#endif
