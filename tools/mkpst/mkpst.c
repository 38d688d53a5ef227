/* mkpst.c: turn fixture iCalendar text, or a seed, into a PST file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fixture.h"
#include "synth.h"
#include "xmalloc.h"

static void
usage(FILE *f, int status)
{
	fprintf(f, "usage: mkpst [-o out.pst] file.ics\n"
	    "       mkpst --synth n [--seed s] [--dup-share p] "
	    "[--body-bytes b]\n"
	    "             [--mails m] [--attach-bytes a] [--ansi]\n"
	    "             [--crypt none|permute|cyclic] -o out.pst\n"
	    "A fixture file chooses its form with X-PST-FORMAT:ANSI and\n"
	    "X-PST-CRYPT:PERMUTE|CYCLIC in VCALENDAR "
	    "(see tests/data/README).\n");
	exit(status);
}

static int
exit_code(int kind)
{
	switch (kind) {
	case FIXTURE_EDATA:
		return EX_DATAERR;
	case FIXTURE_ECREATE:
		return EX_CANTCREAT;
	case FIXTURE_ENOINPUT:
		return EX_NOINPUT;
	default:
		return EX_IOERR;
	}
}

static unsigned long long
number(const char *opt, const char *s, unsigned long long max)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || n > max) {
		fprintf(stderr, "mkpst: --%s: bad number \"%s\"\n", opt, s);
		exit(EX_USAGE);
	}
	return n;
}

/* Default output: the input path with .ics replaced by .pst. */
static char *
default_out(const char *in)
{
	size_t n = strlen(in);
	char *out;

	if (n > 4 && strcmp(in + n - 4, ".ics") == 0)
		xasprintf(&out, "%.*s.pst", (int)(n - 4), in);
	else
		xasprintf(&out, "%s.pst", in);
	return out;
}

/* --dup-share: 0 to 0.5. */
static double
share(const char *s)
{
	double	 d;
	char	*end;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(d >= 0 && d <= 0.5)) {
		fprintf(stderr, "mkpst: --dup-share: expected 0..0.5, not "
		    "\"%s\"\n", s);
		exit(EX_USAGE);
	}
	return d;
}

static enum pst_crypt
crypt_arg(const char *s)
{
	if (strcmp(s, "none") == 0)
		return PST_CRYPT_NONE;
	if (strcmp(s, "permute") == 0)
		return PST_CRYPT_PERMUTE;
	if (strcmp(s, "cyclic") == 0)
		return PST_CRYPT_CYCLIC;
	fprintf(stderr, "mkpst: --crypt: expected none, permute or cyclic, "
	    "not \"%s\"\n", s);
	exit(EX_USAGE);
}

/* mkpst --synth: write the file, say what was planted. Takes out. */
static int
synth_main(char *out, const struct synth_opts *so)
{
	struct synth_stats	 st;
	char			*cause = NULL;
	int			 kind = 0;

	if (synth_run(out, so, &st, &kind, &cause) != 0) {
		fprintf(stderr, "mkpst: %s\n", cause);
		free(cause);
		free(out);
		return exit_code(kind);
	}
	fprintf(stderr, "mkpst: planted: items=%llu originals=%llu "
	    "singles=%llu all_day=%llu meetings=%llu series=%llu "
	    "exceptions=%llu goid_dups=%llu content_dups=%llu "
	    "mails=%llu attachments=%llu\n",
	    (unsigned long long)st.items,
	    (unsigned long long)st.originals,
	    (unsigned long long)st.singles,
	    (unsigned long long)st.all_day,
	    (unsigned long long)st.meetings,
	    (unsigned long long)st.series,
	    (unsigned long long)st.exceptions,
	    (unsigned long long)st.goid_dups,
	    (unsigned long long)st.content_dups,
	    (unsigned long long)st.mails,
	    (unsigned long long)st.attachments);
	free(out);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "synth", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 's' },
		{ "dup-share", required_argument, NULL, 'd' },
		{ "body-bytes", required_argument, NULL, 'b' },
		{ "mails", required_argument, NULL, 'm' },
		{ "attach-bytes", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "ansi", no_argument, NULL, 'A' },
		{ "crypt", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct synth_opts so;
	char *out = NULL, *cause = NULL;
	int ch, synth = 0, kind = 0, pstflag = 0;

	memset(&so, 0, sizeof so);
	so.seed = 1;
	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			free(out);
			out = xstrdup(optarg);
			break;
		case 'S':
			synth = 1;
			so.n = number("synth", optarg, 100000000);
			break;
		case 's':
			so.seed = number("seed", optarg, UINT64_MAX);
			break;
		case 'd':
			so.dup_share = share(optarg);
			break;
		case 'b':
			so.body_bytes = number("body-bytes", optarg,
			    64 * 1024 * 1024);
			break;
		case 'm':
			so.mails = number("mails", optarg, 100000000);
			break;
		case 'a':
			so.attach_bytes = number("attach-bytes", optarg,
			    64 * 1024 * 1024);
			break;
		case 'A':
			so.pst.ansi = 1;
			pstflag = 1;
			break;
		case 'C':
			so.pst.crypt = crypt_arg(optarg);
			pstflag = 1;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (synth) {
		if (argc != 0 || out == NULL)
			usage(stderr, EX_USAGE);
		return synth_main(out, &so);
	}
	/* A fixture names its form in its own text. */
	if (argc != 1 || pstflag)
		usage(stderr, EX_USAGE);
	if (out == NULL)
		out = default_out(argv[0]);
	if (fixture_convert(argv[0], out, &kind, &cause) != 0) {
		fprintf(stderr, "mkpst: %s\n", cause);
		free(cause);
		free(out);
		return exit_code(kind);
	}
	free(out);
	return 0;
}
