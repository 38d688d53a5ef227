/* test_cli_exit.c: pstdedup's exit statuses for help, usage
 * errors and unreadable, bad or unwritable files. */
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

Test(cli_run, help_and_version)
{
	struct tu_run	r;

	tu_pstdedup_run(&r, NULL, "--help", NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(starts(r.out, "usage: pstdedup "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "--match-location"));
	cr_assert_str_empty(r.err);
	tu_run_free(&r);

	tu_pstdedup_run(&r, NULL, "-V", NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(starts(r.out, "pstdedup " PACKAGE_VERSION "\nlibpff "
	    "20180714\nlibical 3."), "%s", r.out);
	cr_assert_eq(count_lines(r.out, ""), 3);
	cr_assert_str_empty(r.err);
	tu_run_free(&r);
}

Test(cli_run, help_to_a_full_disk)
{
	char	*err;

	cr_assert_eq(run_stdout_to("/dev/full", &err, (char *const[]){
	    (char *)tu_pstdedup(), (char *)"--help", NULL }), 74, "%s", err);
	cr_assert_str_eq(err, "pstdedup: standard output: cannot write: No "
	    "space left on device\n");
	free(err);
}

Test(cli_run, usage_errors_exit_64)
{
	struct tu_run	r;

	tu_pstdedup_run(&r, NULL, NULL);
	cr_assert_eq(r.status, 64);
	cr_assert(starts(r.err, "pstdedup: no input file\nusage: pstdedup "),
	    "%s", r.err);
	cr_assert_str_empty(r.out);
	tu_run_free(&r);

	tu_pstdedup_run(&r, NULL, "--frobnicate", "x.pst", NULL);
	cr_assert_eq(r.status, 64);
	cr_assert(starts(r.err, "pstdedup: unknown option: --frobnicate\n"),
	    "%s", r.err);
	tu_run_free(&r);

	tu_pstdedup_run(&r, NULL, "-c", "65001", "x.pst", NULL);
	cr_assert_eq(r.status, 64);
	cr_assert(starts(r.err, "pstdedup: unsupported codepage: 65001\n"),
	    "%s", r.err);
	tu_run_free(&r);
}

Test(cli_run, missing_input_exits_66)
{
	struct tu_run	 r;
	char		*dir, *want;

	dir = tu_tmpdir();
	tu_pstdedup_run(&r, dir, "missing.pst", NULL);
	cr_assert_eq(r.status, 66);
	cr_assert_str_eq(r.err, "pstdedup: missing.pst: cannot open: No such "
	    "file or directory\n");
	cr_assert_str_empty(r.out);
	cr_assert_eq(tu_count_entries(dir), 0);
	tu_run_free(&r);

	tu_pstdedup_run(&r, NULL, dir, NULL);
	cr_assert_eq(r.status, 66);
	/* A directory is searched; this one holds nothing to read. */
	xasprintf(&want, "pstdedup: %s: no PST, OST or .ics file in it\n",
	    dir);
	cr_assert_str_eq(r.err, want);
	free(want);
	tu_run_free(&r);
	tu_rmdir(dir);
	free(dir);
}

Test(cli_run, unreadable_input_exits_66)
{
	const char	*pst = tu_pstdedup();
	struct tu_run	 r;
	char		*dir, *in;

	/* Root reads any file: run as nobody through setpriv(1). */
	if (geteuid() == 0 && access("/usr/bin/setpriv", X_OK) != 0)
		cr_skip_test("root reads any file and setpriv is missing");
	dir = tu_tmpdir();
	cr_assert_eq(chmod(dir, 0711), 0);
	in = tu_path(dir, "locked.pst");
	tu_spit(in, "x", 1);
	cr_assert_eq(chmod(in, 0), 0);
	if (geteuid() == 0)
		tu_run(&r, dir, (char *const[]){ (char *)"/usr/bin/setpriv",
		    (char *)"--reuid=65534", (char *)"--regid=65534",
		    (char *)"--clear-groups", (char *)pst,
		    (char *)"locked.pst", NULL });
	else
		tu_pstdedup_run(&r, dir, "locked.pst", NULL);
	cr_assert_eq(r.status, 66, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: locked.pst: cannot open: "
	    "Permission denied\n");
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_run_free(&r);
	tu_rmdir(dir);
	free(in);
	free(dir);
}

/* Not a PST: data error, and nothing left in the directory. */
static void
expect_dataerr(const char *name, const void *data, size_t len)
{
	struct tu_run	 r;
	char		*dir, *in, *want;

	dir = tu_tmpdir();
	in = tu_path(dir, name);
	tu_spit(in, data, len);
	tu_pstdedup_run(&r, dir, "-R", "report.txt", name, NULL);
	cr_assert_eq(r.status, 65, "%s: %d %s", name, r.status, r.err);
	xasprintf(&want, "pstdedup: %s: cannot read: ", name);
	cr_assert(strncmp(r.err, want, strlen(want)) == 0, "%s", r.err);
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	cr_assert_eq(tu_count_entries(dir), 1);
	free(want);
	tu_run_free(&r);
	tu_rmdir(dir);
	free(in);
	free(dir);
}

Test(cli_run, not_a_pst_exits_65)
{
	static const unsigned char jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00,
	    0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01 };
	char	text[2048];

	memset(text, 'a', sizeof text);
	memcpy(text, "BEGIN:VCALENDAR\n", 16);
	expect_dataerr("notes.pst", text, sizeof text);
	expect_dataerr("empty.pst", "", 0);
	expect_dataerr("photo.pst", jpeg, sizeof jpeg);
	/* The PST magic and nothing after it. */
	expect_dataerr("short.pst", "!BDN", 4);
}

Test(cli_run, output_over_input_exits_73)
{
	static const char content[] = "not really a PST, but never read";
	struct tu_run	 r;
	char		*dir, *in, *hard, *sym, *back;
	size_t		 len;

	dir = tu_tmpdir();
	in = tu_path(dir, "in.pst");
	tu_spit(in, content, sizeof content - 1);
	hard = tu_path(dir, "hard.pst");
	cr_assert_eq(link(in, hard), 0);
	sym = tu_path(dir, "sym.pst");
	cr_assert_eq(symlink("in.pst", sym), 0);

	tu_pstdedup_run(&r, dir, "-o", "in.pst", "in.pst", NULL);
	cr_assert_eq(r.status, 73);
	cr_assert_str_eq(r.err, "pstdedup: in.pst: cannot create: it is the "
	    "input file\n");
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-o", "./hard.pst", "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-r", in, "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-R", "sym.pst", "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-o", "x.ics", "-R", "./x.ics", "in.pst",
	    NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: ./x.ics: cannot create: named for "
	    "two outputs\n");
	tu_run_free(&r);

	back = tu_slurp(in, &len);
	cr_assert_eq(len, sizeof content - 1);
	cr_assert_str_eq(back, content);
	free(back);
	cr_assert_eq(tu_count_entries(dir), 3);
	tu_rmdir(dir);
	free(sym);
	free(hard);
	free(in);
	free(dir);
}

Test(cli_run, uncreatable_output_exits_73)
{
	struct tu_run	 r;
	char		*dir, *in, *sub;

	dir = tu_tmpdir();
	in = tu_path(dir, "in.pst");
	tu_spit(in, "x", 1);
	/* ENOTDIR stops root as well. */
	tu_pstdedup_run(&r, dir, "-o", "/etc/passwd/x.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 73);
	cr_assert_str_eq(r.err, "pstdedup: /etc/passwd/x.ics: cannot create: "
	    "Not a directory\n");
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-o", "nodir/x.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 73);
	cr_assert_str_eq(r.err, "pstdedup: nodir/x.ics: cannot create: No "
	    "such file or directory\n");
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-R", dir, "in.pst", NULL);
	cr_assert_eq(r.status, 73);
	cr_assert_not_null(strstr(r.err, ": cannot create: Is a directory\n"));
	tu_run_free(&r);
	if (geteuid() != 0) {
		sub = tu_path(dir, "ro");
		cr_assert_eq(mkdir(sub, 0500), 0);
		tu_pstdedup_run(&r, dir, "-o", "ro/x.ics", "in.pst", NULL);
		cr_assert_eq(r.status, 73);
		cr_assert_str_eq(r.err, "pstdedup: ro/x.ics: cannot create: "
		    "Permission denied\n");
		tu_run_free(&r);
		chmod(sub, 0700);
		free(sub);
	}
	/* Nothing was created, nothing read: the failures came first. */
	cr_assert_eq(tu_count_entries(dir), geteuid() != 0 ? 2 : 1);
	tu_rmdir(dir);
	free(in);
	free(dir);
}
