/* cli.c: options, usage, help and version text. */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "cli.h"
#include "reader.h"
#include "writer.h"
#include "xmalloc.h"

static const char cli_optstring[] = ":o:r:R:f:nlaF:c:k:p:x:Lqvd:j:hV";

/* Long-only options. */
enum {
	CLI_OPT_FORCE = 256,
	CLI_OPT_ALLOW_EMPTY,
	CLI_OPT_ACROSS,
	CLI_OPT_COMBINE,
	CLI_OPT_MERGE,
	CLI_OPT_READER
};

static const struct option cli_longopts[] = {
	{ "output",		required_argument,	NULL, 'o' },
	{ "removed",		required_argument,	NULL, 'r' },
	{ "report",		required_argument,	NULL, 'R' },
	{ "format",		required_argument,	NULL, 'f' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "list-folders",	no_argument,		NULL, 'l' },
	{ "all-folders",	no_argument,		NULL, 'a' },
	{ "folder",		required_argument,	NULL, 'F' },
	{ "codepage",		required_argument,	NULL, 'c' },
	{ "keep",		required_argument,	NULL, 'k' },
	{ "prefer",		required_argument,	NULL, 'p' },
	{ "avoid",		required_argument,	NULL, 'x' },
	{ "match-location",	no_argument,		NULL, 'L' },
	{ "reader",		required_argument,	NULL, CLI_OPT_READER },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "force",		no_argument,		NULL, CLI_OPT_FORCE },
	{ "allow-empty",	no_argument,	NULL, CLI_OPT_ALLOW_EMPTY },
	{ "across-folders",	no_argument,		NULL, CLI_OPT_ACROSS },
	{ "directory",		required_argument,	NULL, 'd' },
	{ "jobs",		required_argument,	NULL, 'j' },
	{ "combine",		no_argument,		NULL, CLI_OPT_COMBINE },
	{ "merge",		no_argument,		NULL, CLI_OPT_MERGE },
	{ NULL,			0,			NULL, 0 }
};

static const char cli_synopsis[] =
"usage: pstdedup [-aLlnqVv] [-c codepage] [-d dir] [-F folder] [-f format]\n"
"                [-j jobs] [-k policy] [-o file] [-p name] [-R report]\n"
"                [-r file] [-x name] [--across-folders] [--allow-empty]\n"
"                [--force] [--merge] [--reader name] file.pst ...\n"
"       pstdedup --combine [-f format] [-R report] report.json ...\n";

static const char cli_helptext[] =
"Remove duplicate appointments from an Outlook PST/OST file and write one\n"
"clean iCalendar (.ics) file per calendar folder plus a report of what was\n"
"removed. The default calendar goes to NAME-clean.ics, every other folder to\n"
"NAME-clean-FOLDER.ics. An input is a PST, an OST or an .ics file (known by\n"
"its content) or a directory searched for them; with several inputs, a\n"
"directory or -d, each input's files go to DIR/REL/, REL being its directory\n"
"below the argument it was found under, and -R writes one combined report.\n"
"\n"
"  -o, --output FILE       the default calendar's file; the other folders'\n"
"                          files are named FILE-FOLDER.ics ('-': standard\n"
"                          output, when only one file would be written)\n"
"  -r, --removed FILE      also write the removed copies to FILE (.ics),\n"
"                          other folders' to FILE-FOLDER.ics\n"
"  -R, --report FILE       write the full report to FILE\n"
"  -f, --format FORMAT     report format: text, json, csv or html (default:\n"
"                          from the extension of -R, else text; -f without\n"
"                          -R writes the report to standard output); html\n"
"                          is one self-contained page to review in a\n"
"                          browser: copies side by side, differences marked;\n"
"                          with many inputs one page for the whole run\n"
"  -n, --dry-run           report only, write no calendar\n"
"  -l, --list-folders      list calendar folders and folders holding\n"
"                          appointments, with item counts, and exit\n"
"  -a, --all-folders       include appointments outside calendar folders\n"
"  -F, --folder NAME       only this calendar folder (name or path)\n"
"  -c, --codepage N        codepage of ANSI (32-bit) files (default 1252)\n"
"  -k, --keep POLICY       which copy survives: complete (default), oldest,\n"
"                          newest\n"
"  -p, --prefer NAME       keep copies whose creator or last modifier\n"
"                          contains NAME\n"
"  -x, --avoid NAME        remove copies whose creator or last modifier\n"
"                          contains NAME first, e.g. \"Calendar Repair\"\n"
"  -L, --match-location    items must also share the location to match\n"
"      --reader NAME       which PST reader: pst (our own, the default;\n"
"                          libpff when it finds the file damaged) or libpff\n"
"  -q, --quiet             no summary, warnings or progress (degraded\n"
"                          items are still listed)\n"
"  -v, --verbose           list every duplicate group and the time of each\n"
"                          phase on standard error\n"
"      --across-folders    find duplicates across folders, not only within\n"
"                          each folder (each kept item stays in its folder)\n"
"      --allow-empty       with nothing to write, write an empty calendar\n"
"                          and exit 0 instead of exiting 1\n"
"      --force             replace output files that already exist\n"
"  -d, --directory DIR     write each input's files below DIR (default: the\n"
"                          current directory); never searched for inputs\n"
"  -j, --jobs N            read N inputs at a time (default: the number of\n"
"                          online CPUs)\n"
"      --combine           the inputs are JSON reports (-R x.json) of\n"
"                          earlier runs: write one combined report\n"
"      --merge             the inputs are one user's files (a PST and an\n"
"                          .ics, say): one calendar of them all, written\n"
"                          under the first input's name\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Exit status: 0 done, 1 nothing to write, 3 done but damaged items were\n"
"skipped or items degraded, 64 usage, 65 bad input data, 66 cannot open\n"
"input, 70 internal error, 73 cannot create output, 74 write error; with\n"
"several inputs the worst of them, in the order 0 1 3 66 65 74 73 70.\n"
"See pstdedup(1).\n";

static int	cli_number(const char *, int *);
static int	cli_check(struct cli_opts *, int, char **);
static int	cli_check_batch(struct cli_opts *, int, char **);
static void	cli_arg(char **, const char *, const char *);
static int	cli_flag(struct cli_opts *, int);
static int	cli_option(struct cli_opts *, int, char **, int *, char **);
static int	cli_inputs(struct cli_opts *, int, char **, char **);

/* An option that only sets a field: 1, or 0 when ch is not one. */
static int
cli_flag(struct cli_opts *o, int ch)
{
	switch (ch) {
	case 'o':
		free(o->output);
		o->output = xstrdup(optarg);
		return 1;
	case 'r':
		o->removed = optarg;
		return 1;
	case 'R':
		o->report = optarg;
		return 1;
	case 'n':
		o->dry_run = 1;
		return 1;
	case 'l':
		o->action = CLI_LIST;
		return 1;
	case 'a':
		o->all_folders = 1;
		return 1;
	case 'F':
		o->folder = optarg;
		return 1;
	case 'p':
		o->dedup.prefer = optarg;
		return 1;
	case 'x':
		o->dedup.avoid = optarg;
		return 1;
	case 'L':
		o->dedup.location = 1;
		return 1;
	case 'q':
		o->quiet = 1;
		return 1;
	case 'v':
		o->verbose = 1;
		return 1;
	case 'h':
		o->action = CLI_HELP;
		return 1;
	case CLI_OPT_FORCE:
		o->force = 1;
		return 1;
	case CLI_OPT_ALLOW_EMPTY:
		o->allow_empty = 1;
		return 1;
	case CLI_OPT_ACROSS:
		o->across_folders = 1;
		return 1;
	case 'd':
		o->outdir = optarg;
		return 1;
	case CLI_OPT_COMBINE:
		o->combine = 1;
		return 1;
	case CLI_OPT_MERGE:
		o->merge = 1;
		return 1;
	case 'V':
		if (o->action != CLI_HELP)
			o->action = CLI_VERSION;
		return 1;
	}
	return 0;
}

/* One option from getopt_long(): 0, or -1 with *cause. */
static int
cli_option(struct cli_opts *o, int ch, char **argv, int *format_set,
    char **cause)
{
	const char	*bad;

	if (cli_flag(o, ch))
		return 0;
	switch (ch) {
	case 'f':
		if (report_format_parse(optarg, &o->format) != 0) {
			xasprintf(cause, "unknown report format: %s "
			    "(text, json, csv or html)", optarg);
			return -1;
		}
		*format_set = 1;
		return 0;
	case 'c':
		if (cli_number(optarg, &o->codepage) != 0) {
			xasprintf(cause, "bad codepage: %s", optarg);
			return -1;
		}
		if (!reader_codepage_ok(o->codepage)) {
			xasprintf(cause, "unsupported codepage: %s",
			    optarg);
			return -1;
		}
		return 0;
	case CLI_OPT_READER:
		if (reader_kind_parse(optarg, &o->reader) != 0) {
			xasprintf(cause, "unknown reader: %s (pst or "
			    "libpff)", optarg);
			return -1;
		}
		if (o->reader == READER_LIBPFF &&
		    !reader_libpff_available()) {
			xasprintf(cause, "--reader libpff: this "
			    "pstdedup is built without libpff");
			return -1;
		}
		return 0;
	case 'k':
		if (strcmp(optarg, "complete") == 0)
			o->dedup.policy = DEDUP_POLICY_COMPLETE;
		else if (strcmp(optarg, "oldest") == 0)
			o->dedup.policy = DEDUP_POLICY_OLDEST;
		else if (strcmp(optarg, "newest") == 0)
			o->dedup.policy = DEDUP_POLICY_NEWEST;
		else {
			xasprintf(cause, "unknown keep policy: %s "
			    "(complete, oldest or newest)", optarg);
			return -1;
		}
		return 0;
	case 'j':
		if (cli_number(optarg, &o->jobs) != 0) {
			xasprintf(cause, "bad number of jobs: %s",
			    optarg);
			return -1;
		}
		return 0;
	case ':':
		xasprintf(cause, "option needs an argument: %s",
		    argv[optind - 1]);
		return -1;
	default:
		bad = argv[optind - 1];
		if (optopt != 0 && strncmp(bad, "--", 2) != 0)
			xasprintf(cause, "unknown option: -%c",
			    optopt);
		else
			xasprintf(cause, "unknown option: %s", bad);
		return -1;
	}
	return 0;
}

/* The inputs after the options: 0, or -1 with *cause. */
static int
cli_inputs(struct cli_opts *o, int argc, char **argv, char **cause)
{
	struct stat	 sb;
	int		 nfiles, i;

	nfiles = argc - optind;
	if (nfiles == 0) {
		xasprintf(cause, "no input file");
		return -1;
	}
	o->inputs = argv + optind;
	o->ninputs = nfiles;
	o->input = argv[optind];
	for (i = 0; i < nfiles; i++) {
		if (*o->inputs[i] == '\0') {
			xasprintf(cause, "empty input file name");
				return -1;
		}
		/* libpff reads at random offsets; a pipe cannot be. */
		if (strcmp(o->inputs[i], "-") == 0) {
			xasprintf(cause, "-: cannot read standard input: a "
			    "PST or OST is read at random offsets; name the "
			    "file");
				return -1;
		}
	}
	if (!o->merge)
		return 0;
	/* One user's files, one calendar: a single-file run. */
	if (o->combine || o->outdir != NULL) {
		xasprintf(cause, "--merge writes one calendar: not with %s",
		    o->combine ? "--combine" : "-d");
		return -1;
	}
	for (i = 0; i < nfiles; i++) {
		if (stat(o->inputs[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			xasprintf(cause, "--merge takes files: %s is a "
			    "directory", o->inputs[i]);
				return -1;
		}
	}
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli_opts *o, char **cause)
{
	struct stat	 sb;
	int		 ch, format_set = 0;

	memset(o, 0, sizeof *o);
	o->action = CLI_RUN;
	o->codepage = 1252;
	o->format = REPORT_TEXT;
	o->dedup.policy = DEDUP_POLICY_COMPLETE;

	/* optind = 0 makes glibc start over, so tests may parse again. */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, cli_optstring, cli_longopts,
	    NULL)) != -1) {
		if (cli_option(o, ch, argv, &format_set, cause) != 0)
			goto fail;
	}
	if (o->action == CLI_HELP || o->action == CLI_VERSION)
		return 0;
	if (cli_inputs(o, argc, argv, cause) != 0)
		goto fail;
	o->batch = !o->merge && (o->ninputs > 1 || o->outdir != NULL ||
	    o->combine || (stat(o->input, &sb) == 0 && S_ISDIR(sb.st_mode)));
	if (o->batch && cli_check_batch(o, format_set, cause) != 0)
		goto fail;
	if (o->batch)
		return 0;
	if (cli_check(o, format_set, cause) != 0)
		goto fail;
	return 0;

fail:
	cli_opts_free(o);
	return -1;
}

void
cli_opts_free(struct cli_opts *o)
{
	free(o->output);
	o->output = NULL;
}

char *
cli_default_output(const char *input)
{
	const char	*base, *slash;
	char		*out;
	size_t		 len;

	slash = compat_lastsep(input);
	base = slash != NULL ? slash + 1 : input;
	len = strlen(base);
	if (len > 4 && (strcasecmp(base + len - 4, ".pst") == 0 ||
	    strcasecmp(base + len - 4, ".ost") == 0 ||
	    strcasecmp(base + len - 4, ".ics") == 0))
		len -= 4;
	if (len == 0 || (len == 1 && base[0] == '.') ||
	    (len == 2 && strncmp(base, "..", 2) == 0)) {
		base = "calendar";
		len = strlen(base);
	}
	xasprintf(&out, "%.*s-clean.ics", (int)len, base);
	return out;
}

void
cli_usage_error(FILE *fp, const char *reason)
{
	if (reason != NULL)
		fprintf(fp, "pstdedup: %s\n", reason);
	fputs(cli_synopsis, fp);
}

int
cli_help(FILE *fp)
{
	fputs(cli_synopsis, fp);
	fputc('\n', fp);
	fputs(cli_helptext, fp);
	return fflush(fp) != 0 || ferror(fp) ? -1 : 0;
}

int
cli_version(FILE *fp)
{
	fprintf(fp, "pstdedup %s\nlibpff %s\nlibical %s\n", PACKAGE_VERSION,
	    reader_libpff_version(), writer_libical_version());
	return fflush(fp) != 0 || ferror(fp) ? -1 : 0;
}

/* A positive decimal int, nothing else. */
static int
cli_number(const char *s, int *n)
{
	char	*end;
	long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > INT_MAX)
		return -1;
	*n = (int)v;
	return 0;
}

/* Combinations: outputs, formats and standard output. */
static int
cli_check(struct cli_opts *o, int format_set, char **cause)
{
	int	nstdout;

	if (o->quiet && o->verbose) {
		xasprintf(cause, "-q and -v contradict each other");
		return -1;
	}
	if (o->action == CLI_LIST)
		return 0;
	if (o->dry_run && (o->output != NULL || o->removed != NULL)) {
		xasprintf(cause, "-n writes no calendar: do not combine it "
		    "with -o or -r");
		return -1;
	}
	if (!o->dry_run && o->output == NULL)
		o->output = cli_default_output(o->input);
	if (o->report != NULL && !format_set)
		o->format = report_format_guess(o->report);
	if (o->report == NULL && format_set)
		o->report = "-";

	nstdout = 0;
	if (o->output != NULL && strcmp(o->output, "-") == 0)
		nstdout++;
	if (o->removed != NULL && strcmp(o->removed, "-") == 0)
		nstdout++;
	if (o->report != NULL && strcmp(o->report, "-") == 0)
		nstdout++;
	if (nstdout > 1) {
		xasprintf(cause, "only one of the calendar, the removed "
		    "copies and the report can go to standard output");
		return -1;
	}
	return 0;
}

/* Several inputs: each input's names come from its own name, so the
 * options that name one output do not apply. */
static int
cli_check_batch(struct cli_opts *o, int format_set, char **cause)
{
	if (o->quiet && o->verbose) {
		xasprintf(cause, "-q and -v contradict each other");
		return -1;
	}
	if (o->action == CLI_LIST) {
		xasprintf(cause, "-l lists one file's folders: name one file");
		return -1;
	}
	if (o->output != NULL || o->removed != NULL) {
		xasprintf(cause, "%s names one file: not with several inputs, "
		    "a directory or -d", o->output != NULL ? "-o" : "-r");
		return -1;
	}
	if (o->combine && (o->outdir != NULL || o->dry_run)) {
		xasprintf(cause, "--combine reads reports and writes one: "
		    "not with %s", o->outdir != NULL ? "-d" : "-n");
		return -1;
	}
	if (o->report != NULL && !format_set)
		o->format = report_format_guess(o->report);
	if (o->report == NULL && (format_set || o->combine))
		o->report = "-";
	return 0;
}

/* Append an option, and its argument (NULL: none) in single quotes
 * when a shell would need them. */
static void
cli_arg(char **out, const char *opt, const char *arg)
{
	static const char	 safe[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,+=@%";
	const char		*p;
	char			*q = NULL, *next;
	size_t			 n;

	if (arg != NULL && *arg != '\0' && strspn(arg, safe) == strlen(arg))
		q = xstrdup(arg);
	else if (arg != NULL) {
		q = xmalloc(4 * strlen(arg) + 3);
		n = 0;
		q[n++] = '\'';
		for (p = arg; *p != '\0'; p++) {
			if (*p == '\'') {
				memcpy(q + n, "'\\''", 4);
				n += 4;
			} else
				q[n++] = *p;
		}
		q[n++] = '\'';
		q[n] = '\0';
	}
	xasprintf(&next, "%s%s%s%s%s", *out != NULL ? *out : "",
	    *out != NULL ? " " : "", opt, q != NULL ? " " : "",
	    q != NULL ? q : "");
	free(q);
	free(*out);
	*out = next;
}

char *
cli_options_text(const struct cli_opts *o)
{
	static const char *const keep[] = { "complete", "oldest", "newest" };
	char	*s = NULL, num[16];

	cli_arg(&s, "-k", keep[o->dedup.policy <= DEDUP_POLICY_NEWEST ?
	    o->dedup.policy : 0]);
	if (o->dedup.prefer != NULL)
		cli_arg(&s, "-p", o->dedup.prefer);
	if (o->dedup.avoid != NULL)
		cli_arg(&s, "-x", o->dedup.avoid);
	if (o->dedup.location)
		cli_arg(&s, "-L", NULL);
	if (o->all_folders)
		cli_arg(&s, "-a", NULL);
	if (o->folder != NULL)
		cli_arg(&s, "-F", o->folder);
	if (o->across_folders)
		cli_arg(&s, "--across-folders", NULL);
	snprintf(num, sizeof num, "%d", o->codepage);
	cli_arg(&s, "-c", num);
	if (o->dry_run)
		cli_arg(&s, "-n", NULL);
	if (o->output != NULL)
		cli_arg(&s, "-o", o->output);
	if (o->removed != NULL)
		cli_arg(&s, "-r", o->removed);
	if (o->report != NULL)
		cli_arg(&s, "-R", o->report);
	if (o->force)
		cli_arg(&s, "--force", NULL);
	if (o->allow_empty)
		cli_arg(&s, "--allow-empty", NULL);
	return s;
}
