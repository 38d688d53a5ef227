/* batch.h: a run over many inputs (directories, several files, -d).
 *
 * batch_main() finds the inputs (a directory is searched recursively,
 * in name order, for files whose content is a PST/OST, "!BDN", or an
 * iCalendar file, "BEGIN:VCALENDAR"; the -d directory is never searched;
 * .ics files pstdedup wrote itself, by their PRODID, are skipped with a
 * note unless named), then runs run_main() on each in a worker process,
 * at most -j at a time. Each worker writes its own calendars to
 * DIR/REL/NAME-clean.ics (REL: the input's directory below the argument
 * it was found under) and its JSON report to a private temporary
 * directory, which the parent reads back into one combined report
 * (combined.h). One input's failure never stops the others; the exit
 * status is the worst (combined_worse()). SIGINT/SIGTERM/SIGHUP stop
 * the workers, whose outfile cleanup removes their temporaries.
 *
 * batch_combine() is --combine: the inputs are JSON reports.
 * Both print (stderr) and return the exit status; they never exit.
 */
#ifndef BATCH_H
#define BATCH_H

#include "cli.h"

int	batch_main(const struct cli_opts *);
int	batch_combine(const struct cli_opts *);

/* What a file holds, by its first bytes. */
enum batch_kind {
	BATCH_OTHER = 0,
	BATCH_PST,		/* PST or OST */
	BATCH_ICS,
	BATCH_OWN_ICS		/* an .ics pstdedup wrote */
};
enum batch_kind batch_kind(const char *);

#endif
