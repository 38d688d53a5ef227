/* test_cli.c: option parsing (the program end to end: test_cli_exit.c,
 * test_cli_run.c). */
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

#define MAXARGS	32

/* Parse a NULL-terminated list of arguments (program name added). */
static int
parse(struct cli_opts *o, char **cause, ...)
{
	char	*argv[MAXARGS + 2];
	va_list	 ap;
	int	 argc = 0;

	argv[argc++] = (char *)"pstdedup";
	va_start(ap, cause);
	while ((argv[argc] = va_arg(ap, char *)) != NULL) {
		cr_assert_lt(argc, MAXARGS);
		argc++;
	}
	va_end(ap);
	*cause = NULL;
	return cli_parse(argc, argv, o, cause);
}

/* Expect a usage error whose reason contains want. */
#define USAGE_ERROR(want, ...) do {					\
	struct cli_opts	 ue_o;						\
	char		*ue_cause;					\
									\
	cr_assert_eq(parse(&ue_o, &ue_cause, __VA_ARGS__, NULL), -1,	\
	    "accepted: %s", #__VA_ARGS__);				\
	cr_assert_not_null(ue_cause);					\
	cr_assert_not_null(strstr(ue_cause, (want)), "%s: got \"%s\"",	\
	    #__VA_ARGS__, ue_cause);					\
	free(ue_cause);							\
} while (0)

/* The action an option alone (and an input, when not NULL) selects. */
static void
assert_action(enum cli_action want, const char *opt, const char *input)
{
	struct cli_opts	 o;
	char		*cause;

	cr_assert_eq(parse(&o, &cause, opt, input, NULL), 0);
	cr_assert_eq(o.action, want);
	cli_opts_free(&o);
}

Test(cli, defaults)
{
	struct cli_opts	 o;
	char		*cause;

	cr_assert_eq(parse(&o, &cause, "dir/Mail.PST", NULL), 0);
	cr_assert_eq(o.action, CLI_RUN);
	cr_assert_str_eq(o.input, "dir/Mail.PST");
	cr_assert_str_eq(o.output, "Mail-clean.ics");
	cr_assert_null(o.removed);
	cr_assert_null(o.report);
	cr_assert_eq(o.format, REPORT_TEXT);
	cr_assert_eq(o.codepage, 1252);
	cr_assert_eq(o.dedup.policy, DEDUP_POLICY_COMPLETE);
	cr_assert_null(o.dedup.prefer);
	cr_assert_null(o.dedup.avoid);
	cr_assert_eq(o.dedup.location, 0);
	cr_assert_eq(o.dry_run + o.all_folders + o.quiet + o.verbose, 0);
	cr_assert_null(o.folder);
	cli_opts_free(&o);
}

Test(cli, default_output_names)
{
	const char	*cases[][2] = {
		{ "mail.pst", "mail-clean.ics" },
		{ "/a/b/box.ost", "box-clean.ics" },
		{ "x.OsT", "x-clean.ics" },
		{ "archive.2019.pst", "archive.2019-clean.ics" },
		{ "noext", "noext-clean.ics" },
		{ "notes.txt", "notes.txt-clean.ics" },
		{ "dir/", "calendar-clean.ics" },
		{ "..", "calendar-clean.ics" },
	};
	char		*out;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = cli_default_output(cases[i][0]);
		cr_assert_str_eq(out, cases[i][1], "%s", cases[i][0]);
		free(out);
	}
}

Test(cli, every_short_option)
{
	struct cli_opts	 o;
	char		*cause;

	cr_assert_eq(parse(&o, &cause, "-o", "out.ics", "-r", "rm.ics", "-R",
	    "rep.txt", "-f", "csv", "-a", "-F", "Calendar", "-c", "1251",
	    "-k", "oldest", "-p", "Sync", "-x", "Calendar Repair", "-L", "-v",
	    "in.pst", NULL), 0, "%s", cause);
	cr_assert_eq(o.action, CLI_RUN);
	cr_assert_str_eq(o.output, "out.ics");
	cr_assert_str_eq(o.removed, "rm.ics");
	cr_assert_str_eq(o.report, "rep.txt");
	cr_assert_eq(o.format, REPORT_CSV);	/* -f beats the extension */
	cr_assert_eq(o.all_folders, 1);
	cr_assert_str_eq(o.folder, "Calendar");
	cr_assert_eq(o.codepage, 1251);
	cr_assert_eq(o.dedup.policy, DEDUP_POLICY_OLDEST);
	cr_assert_str_eq(o.dedup.prefer, "Sync");
	cr_assert_str_eq(o.dedup.avoid, "Calendar Repair");
	cr_assert_eq(o.dedup.location, 1);
	cr_assert_eq(o.verbose, 1);
	cr_assert_str_eq(o.input, "in.pst");
	cli_opts_free(&o);

	cr_assert_eq(parse(&o, &cause, "-nq", "-k", "newest", "in.pst",
	    NULL), 0, "%s", cause);
	cr_assert_eq(o.dry_run, 1);
	cr_assert_eq(o.quiet, 1);
	cr_assert_null(o.output);
	cr_assert_eq(o.dedup.policy, DEDUP_POLICY_NEWEST);
	cli_opts_free(&o);

	assert_action(CLI_LIST, "-l", "in.pst");
	assert_action(CLI_HELP, "-h", NULL);
	assert_action(CLI_VERSION, "-V", NULL);
}

Test(cli, every_long_option)
{
	struct cli_opts	 o;
	char		*cause;

	cr_assert_eq(parse(&o, &cause, "--output=out.ics", "--removed",
	    "rm.ics", "--report", "rep.json", "--all-folders", "--folder",
	    "Cal", "--codepage", "936", "--keep=complete", "--prefer", "A",
	    "--avoid", "B", "--match-location", "--quiet", "in.ost", NULL), 0,
	    "%s", cause);
	cr_assert_str_eq(o.output, "out.ics");
	cr_assert_str_eq(o.removed, "rm.ics");
	cr_assert_str_eq(o.report, "rep.json");
	cr_assert_eq(o.format, REPORT_JSON);	/* from the extension */
	cr_assert_eq(o.all_folders, 1);
	cr_assert_str_eq(o.folder, "Cal");
	cr_assert_eq(o.codepage, 936);
	cr_assert_eq(o.dedup.policy, DEDUP_POLICY_COMPLETE);
	cr_assert_str_eq(o.dedup.prefer, "A");
	cr_assert_str_eq(o.dedup.avoid, "B");
	cr_assert_eq(o.dedup.location, 1);
	cr_assert_eq(o.quiet, 1);
	cli_opts_free(&o);

	cr_assert_eq(parse(&o, &cause, "--dry-run", "--verbose", "--format",
	    "json", "in.pst", NULL), 0, "%s", cause);
	cr_assert_eq(o.dry_run, 1);
	cr_assert_eq(o.verbose, 1);
	cr_assert_eq(o.format, REPORT_JSON);
	cr_assert_str_eq(o.report, "-");	/* -f alone: stdout */
	cli_opts_free(&o);

	assert_action(CLI_LIST, "--list-folders", "in.pst");
	assert_action(CLI_HELP, "--help", NULL);
	assert_action(CLI_VERSION, "--version", NULL);
}

Test(cli, report_format_from_extension)
{
	struct cli_opts	 o;
	char		*cause;

	cr_assert_eq(parse(&o, &cause, "-R", "r.CSV", "in.pst", NULL), 0);
	cr_assert_eq(o.format, REPORT_CSV);
	cli_opts_free(&o);
	cr_assert_eq(parse(&o, &cause, "-R", "r.log", "in.pst", NULL), 0);
	cr_assert_eq(o.format, REPORT_TEXT);
	cli_opts_free(&o);
	cr_assert_eq(parse(&o, &cause, "-o", "-", "-R", "r.json", "in.pst",
	    NULL), 0);
	cr_assert_str_eq(o.output, "-");
	cli_opts_free(&o);
}

Test(cli, usage_errors)
{
	USAGE_ERROR("no input file", "-v");
	USAGE_ERROR("-o names one file: not with several inputs, a directory "
	    "or -d", "-o", "x.ics", "a.pst", "b.pst");
	USAGE_ERROR("empty input file name", "");
	USAGE_ERROR("unknown option: -z", "-z", "in.pst");
	USAGE_ERROR("unknown option: --bogus", "--bogus", "in.pst");
	USAGE_ERROR("option needs an argument: -o", "in.pst", "-o");
	USAGE_ERROR("option needs an argument: --output", "in.pst",
	    "--output");
	USAGE_ERROR("unknown report format: xml", "-f", "xml", "in.pst");
	USAGE_ERROR("unknown keep policy: first", "-k", "first", "in.pst");
	USAGE_ERROR("bad codepage: abc", "-c", "abc", "in.pst");
	USAGE_ERROR("bad codepage: 0", "-c", "0", "in.pst");
	USAGE_ERROR("bad codepage: -1252", "-c", "-1252", "in.pst");
	USAGE_ERROR("bad codepage: 1252x", "-c", "1252x", "in.pst");
	USAGE_ERROR("bad codepage: 99999999999", "-c", "99999999999",
	    "in.pst");
	USAGE_ERROR("unsupported codepage: 65001", "-c", "65001", "in.pst");
	USAGE_ERROR("-q and -v", "-q", "-v", "in.pst");
	USAGE_ERROR("-n writes no calendar", "-n", "-o", "x.ics", "in.pst");
	USAGE_ERROR("-n writes no calendar", "-n", "-r", "x.ics", "in.pst");
	USAGE_ERROR("standard output", "-o", "-", "-f", "json", "in.pst");
	USAGE_ERROR("standard output", "-o", "-", "-r", "-", "in.pst");
	USAGE_ERROR("standard output", "-R", "-", "-r", "-", "in.pst");
}

Test(cli, parse_twice)
{
	struct cli_opts	 o;
	char		*cause;

	/* getopt state must not leak from one parse into the next. */
	USAGE_ERROR("unknown option: -z", "-z", "in.pst");
	cr_assert_eq(parse(&o, &cause, "-a", "in.pst", NULL), 0, "%s", cause);
	cr_assert_eq(o.all_folders, 1);
	cli_opts_free(&o);
	cr_assert_eq(parse(&o, &cause, "in.pst", NULL), 0);
	cr_assert_eq(o.all_folders, 0);
	cli_opts_free(&o);
}

Test(cli, help_names_every_option)
{
	static const char *longs[] = { "--output", "--removed", "--report",
	    "--format", "--dry-run", "--list-folders", "--all-folders",
	    "--folder", "--codepage", "--keep", "--prefer", "--avoid",
	    "--match-location", "--quiet", "--verbose", "--help",
	    "--version" };
	char	*out = NULL;
	size_t	 len, i;
	FILE	*fp;

	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(cli_help(fp), 0);
	fclose(fp);
	cr_assert(starts(out, "usage: pstdedup [-aLlnqVv]"), "%s",
	    out);
	for (i = 0; i < sizeof longs / sizeof longs[0]; i++)
		cr_assert_not_null(strstr(out, longs[i]), "%s", longs[i]);
	free(out);

	cr_assert_not_null(fp = open_memstream(&out, &len));
	cli_usage_error(fp, "no input file");
	fclose(fp);
	cr_assert(starts(out, "pstdedup: no input file\nusage: pstdedup "),
	    "%s", out);
	free(out);
}
