/* run.h: one run of pstdedup over one input, for the command line.
 *
 * run_main() is the pipeline: read the PST/OST, find the duplicates
 * within each folder (or across folders), write one clean calendar per
 * folder that keeps items, the removed copies and the report, and print
 * the summary and the messages ("pstdedup: FILE: what: why") on
 * standard error. It is the CLI's side of the library: it prints, but
 * never exits; it returns the exit status (0 done, RUN_NOTHING nothing
 * to write, RUN_PARTIAL damaged items skipped, else sysexits codes).
 * Outputs appear all or none: every target is checked and created
 * before the first is published, and files this run created are removed
 * again when a later one fails.
 *
 * Output names, for input NAME.pst: the default calendar (the folder
 * the store's PidTagIpmAppointmentEntryId names, else the first calendar
 * folder right below the top of the store) is NAME-clean.ics, or -o's
 * FILE; every other folder FILE's stem + "-FOLDER.ics", FOLDER being the
 * folder's path below the top of the store as run_output_name() spells
 * it, with "-2", "-3", ... where two names would be equal ignoring case.
 * -r derives the same way.
 */
#ifndef RUN_H
#define RUN_H

#include "cli.h"

#define RUN_NOTHING	1	/* nothing to write: no calendar item */
#define RUN_PARTIAL	3	/* done, but damaged items were skipped */

int	run_main(const struct cli_opts *);

/* The file for a folder: file's stem (file without a ".ics" suffix)
 * plus "-FOLDER.ics", where FOLDER is folder with '/' as '-', characters
 * Windows forbids in file names (<>:"\|?* and control characters) and a
 * trailing dot or space as '_'. folder NULL: file itself. Owned by
 * caller. */
char	*run_output_name(const char *file, const char *folder);

/* An output (path, or "-" for standard output) that could not be
 * created or committed: prints the one message for the error code
 * (err.h) and cause, frees cause, returns the exit status. */
int	run_out_error(const char *path, int error, char *cause);

#endif
