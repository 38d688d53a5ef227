/* cli.h: the command line of pstdedup.
 *
 * cli_parse() turns argv into a struct cli_opts and never prints or
 * exits: a usage error returns -1 with *cause allocated (a one-line
 * reason without the program name). The caller prints it with
 * cli_usage_error() and exits 64. Paths point into argv, except
 * output, which may be derived from the input name and is owned:
 * cli_opts_free() releases it.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "dedup.h"
#include "report.h"

enum cli_action {
	CLI_RUN = 0,		/* deduplicate FILE */
	CLI_HELP,		/* -h */
	CLI_VERSION,		/* -V */
	CLI_LIST		/* -l: list folders */
};

struct cli_opts {
	enum cli_action	 action;
	const char	*input;		/* the PST/OST */
	char		*output;	/* clean .ics, "-" for stdout;
					   NULL with -n; owned */
	const char	*removed;	/* .ics of removed copies, or NULL */
	const char	*report;	/* report file, "-", or NULL */
	enum report_format format;	/* of the report */
	int		 dry_run;
	int		 all_folders;
	const char	*folder;	/* -F, or NULL */
	int		 codepage;	/* 1252 unless -c */
	enum reader_kind reader;	/* --reader */
	struct dedup_opts dedup;	/* -k, -p, -x, -L */
	int		 quiet;
	int		 verbose;
	int		 force;		/* --force: replace existing outputs */
	int		 allow_empty;	/* --allow-empty: write an empty
					   calendar rather than status 1 */
	int		 across_folders; /* --across-folders: group across
					   folders, not within each */
	/* Many inputs (batch.h): set when there is more than one input, a
	 * directory, -d or --combine; else single-file behaviour. */
	char *const	*inputs;	/* every INPUT, in argv */
	int		 ninputs;
	int		 batch;		/* run through batch_main() */
	const char	*outdir;	/* -d, or NULL (".") */
	int		 jobs;		/* -j; 0: online CPUs */
	int		 combine;	/* --combine: inputs are JSON reports */
	int		 merge;		/* --merge: the inputs are one
					   calendar (run_main reads all) */
	int		 worker;	/* set by batch.c in a worker: no
					   progress line, per-folder rows
					   in the report */
};

int	cli_parse(int, char **, struct cli_opts *, char **);
void	cli_opts_free(struct cli_opts *);

/* The default output name: the input's base name without a .pst or
 * .ost suffix, plus "-clean.ics". Owned by caller. */
char	*cli_default_output(const char *);

/* The options in effect, as a command line would give them (for the
 * report's header), e.g. "-k complete -x 'Calendar Repair' -R r.html".
 * Owned by caller. */
char	*cli_options_text(const struct cli_opts *);

/* "pstdedup: REASON" and the synopsis, on the given stream. */
void	cli_usage_error(FILE *, const char *);

/* The full help and the version; 0, or -1 when the write failed. */
int	cli_help(FILE *);
int	cli_version(FILE *);

#endif
