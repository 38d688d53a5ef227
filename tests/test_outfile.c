/* test_outfile.c: output files that appear whole or not at all. Every test
 * looks at the file system afterwards: the target's bytes and mode, and
 * that no temporary is left beside it. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"
#include "reader.h"
#include "writer.h"
#include "testutil.h"
#include "xmalloc.h"

static void	 expect_text(const char *, const char *);
static mode_t	 mode_of(const char *);
static char	*read_all(FILE *);

/* The file holds exactly want. */
static void
expect_text(const char *path, const char *want)
{
	char	*text = tu_slurp(path, NULL);

	cr_assert_not_null(text, "%s: %s", path, strerror(errno));
	cr_assert_str_eq(text, want, "%s", path);
	free(text);
}

static mode_t
mode_of(const char *path)
{
	struct stat	sb;

	cr_assert_eq(stat(path, &sb), 0, "%s: %s", path, strerror(errno));
	return sb.st_mode & 07777;
}

/* The rest of a stream, NUL-terminated. */
static char *
read_all(FILE *fp)
{
	char	*buf = xcalloc(1, 1);
	size_t	 len = 0, n;
	char	 tmp[4096];

	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
		buf = xreallocarray(buf, len + n + 1, 1);
		memcpy(buf + len, tmp, n);
		len += n;
		buf[len] = '\0';
	}
	cr_assert(!ferror(fp));
	return buf;
}

Test(outfile, commit_replaces_and_abort_leaves_nothing)
{
	struct outfile	*of;
	char		*dir, *path, *lnk, *text, *cause = NULL;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	tu_spit(path, "old\n", 4);

	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	fputs("new\n", outfile_fp(of));
	/* Until the commit, the old file is intact beside the temporary. */
	cr_assert_str_eq(text = tu_slurp(path, NULL), "old\n");
	free(text);
	cr_assert_eq(tu_count_entries(dir), 2);
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	cr_assert_str_eq(text = tu_slurp(path, NULL), "new\n");
	free(text);
	cr_assert_eq(tu_count_entries(dir), 1);

	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	fputs("discarded\n", outfile_fp(of));
	outfile_abort(of);
	cr_assert_str_eq(text = tu_slurp(path, NULL), "new\n");
	free(text);
	cr_assert_eq(tu_count_entries(dir), 1);

	/* Through a symbolic link, the target is replaced, not the link. */
	lnk = tu_path(dir, "link.ics");
	cr_assert_eq(symlink("out.ics", lnk), 0);
	cr_assert_eq(outfile_open(lnk, &of, &cause), 0, "%s", cause);
	fputs("linked\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	cr_assert_str_eq(text = tu_slurp(path, NULL), "linked\n");
	free(text);
	cr_assert_eq(readlink(lnk, (char[16]){ 0 }, 16), 7);
	cr_assert_eq(tu_count_entries(dir), 2);

	tu_rmdir(dir);
	free(lnk);
	free(path);
	free(dir);
}

Test(outfile, failures_and_their_codes)
{
	struct outfile	*of;
	char		*dir, *cause = NULL;

	cr_assert_eq(outfile_open("/etc/passwd/x", &of, &cause),
	    OUTFILE_CANTCREAT);
	cr_assert_str_eq(cause, "cannot create: Not a directory");
	cr_assert_null(of);
	free(cause);

	dir = tu_tmpdir();
	cr_assert_eq(outfile_open(dir, &of, &cause), OUTFILE_CANTCREAT);
	cr_assert_str_eq(cause, "cannot create: Is a directory");
	free(cause);
	cr_assert_eq(outfile_open("", &of, &cause), OUTFILE_CANTCREAT);
	free(cause);

	/* A device is written in place, and its errors show at commit. */
	cr_assert_eq(outfile_open("/dev/full", &of, &cause), 0, "%s", cause);
	fputs("x", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), OUTFILE_IOERR);
	cr_assert_str_eq(cause, "cannot write: No space left on device");
	free(cause);
	cr_assert_eq(tu_count_entries(dir), 0);
	tu_rmdir(dir);
	free(dir);
}

/* A write that fails (here: past RLIMIT_FSIZE) fails the commit, which
 * takes the temporary away and leaves the old file as it was. */
Test(outfile, failed_commit_keeps_the_old_file)
{
	struct outfile	*of;
	struct rlimit	 rl, old;
	char		*dir, *path, *cause = NULL, block[4096];
	size_t		 i;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	tu_spit(path, "old\n", 4);
	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	cr_assert_eq(tu_count_entries(dir), 2);

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	rl = old;
	rl.rlim_cur = 8192;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	memset(block, 'x', sizeof block);
	for (i = 0; i < 64; i++)
		fwrite(block, 1, sizeof block, outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), OUTFILE_IOERR);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	cr_assert_str_eq(cause, "cannot write: File too large");
	free(cause);

	expect_text(path, "old\n");
	cr_assert_eq(tu_count_entries(dir), 1, "the temporary is left");
	tu_rmdir(dir);
	free(path);
	free(dir);
}

Test(outfile, create_refuses_an_existing_file_without_force)
{
	struct outfile	*of;
	char		*dir, *path, *lnk, *cause = NULL;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	lnk = tu_path(dir, "dangling.ics");

	/* Free: created. */
	cr_assert_eq(outfile_create(path, 0, &of, &cause), 0, "%s", cause);
	fputs("first\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	expect_text(path, "first\n");

	/* Taken: refused before anything is created (of poisoned, to see
	 * it set to NULL). */
	of = (struct outfile *)&of;
	cr_assert_eq(outfile_create(path, 0, &of, &cause), OUTFILE_EXISTS);
	cr_assert_str_eq(cause, "already exists");
	cr_assert_null(of);
	free(cause);
	expect_text(path, "first\n");
	cr_assert_eq(tu_count_entries(dir), 1);

	/* A symbolic link counts as taken, even one pointing nowhere. */
	cr_assert_eq(symlink("nowhere.ics", lnk), 0);
	cr_assert_eq(outfile_create(lnk, 0, &of, &cause), OUTFILE_EXISTS);
	free(cause);
	cr_assert_eq(tu_count_entries(dir), 2);
	cr_assert_neq(access(lnk, F_OK), 0, "the link's target was made");

	/* --force: replaced. */
	cr_assert_eq(outfile_create(path, 1, &of, &cause), 0, "%s", cause);
	fputs("second\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	expect_text(path, "second\n");
	cr_assert_eq(tu_count_entries(dir), 2);

	tu_rmdir(dir);
	free(lnk);
	free(path);
	free(dir);
}

/* A file that takes the name between create and commit is not replaced
 * without force: the commit fails and takes its temporary away. */
Test(outfile, create_does_not_replace_a_file_made_meanwhile)
{
	struct outfile	*of;
	char		*dir, *path, *cause = NULL;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	cr_assert_eq(outfile_create(path, 0, &of, &cause), 0, "%s", cause);
	fputs("ours\n", outfile_fp(of));
	tu_spit(path, "theirs\n", 7);
	cr_assert_eq(outfile_commit(of, &cause), OUTFILE_EXISTS);
	cr_assert_str_eq(cause, "already exists");
	free(cause);
	expect_text(path, "theirs\n");
	cr_assert_eq(tu_count_entries(dir), 1, "the temporary is left");

	/* With force the same race ends with our file. */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(outfile_create(path, 1, &of, &cause), 0, "%s", cause);
	fputs("ours\n", outfile_fp(of));
	tu_spit(path, "theirs\n", 7);
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	expect_text(path, "ours\n");
	cr_assert_eq(tu_count_entries(dir), 1);

	tu_rmdir(dir);
	free(path);
	free(dir);
}

/* A replaced file keeps its permission bits; a new one gets what
 * creat(2) would give it, not mkstemp's 0600. */
Test(outfile, permissions_kept_or_from_the_umask)
{
	struct outfile	*of;
	char		*dir, *old, *new, *cause = NULL;
	mode_t		 mask;

	mask = umask(027);
	dir = tu_tmpdir();
	old = tu_path(dir, "old.ics");
	new = tu_path(dir, "new.ics");
	tu_spit(old, "old\n", 4);
	cr_assert_eq(chmod(old, 0604), 0);

	cr_assert_eq(outfile_open(old, &of, &cause), 0, "%s", cause);
	fputs("replaced\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	expect_text(old, "replaced\n");
	cr_assert_eq(mode_of(old), 0604, "mode %o", mode_of(old));

	cr_assert_eq(outfile_open(new, &of, &cause), 0, "%s", cause);
	fputs("new\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	cr_assert_eq(mode_of(new), 0640, "mode %o", mode_of(new));
	umask(mask);

	tu_rmdir(dir);
	free(new);
	free(old);
	free(dir);
}

/* What has been written can be read back before the commit; writing
 * goes on after it, and the file gets all of it. */
Test(outfile, reread_before_commit)
{
	struct outfile	*of;
	FILE		*fp;
	char		*dir, *path, *text, *cause = NULL;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	fputs("BEGIN:VCALENDAR\r\n", outfile_fp(of));
	cr_assert_not_null(fp = outfile_reread(of, &cause), "%s", cause);
	text = read_all(fp);
	fclose(fp);
	cr_assert_str_eq(text, "BEGIN:VCALENDAR\r\n");
	free(text);
	cr_assert_neq(access(path, F_OK), 0, "the target exists before commit");
	fputs("END:VCALENDAR\r\n", outfile_fp(of));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	expect_text(path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	cr_assert_eq(tu_count_entries(dir), 1);

	/* A device target: read back from the scratch copy. */
	cr_assert_eq(outfile_open("/dev/null", &of, &cause), 0, "%s", cause);
	fputs("to the void", outfile_fp(of));
	cr_assert_not_null(fp = outfile_reread(of, &cause), "%s", cause);
	text = read_all(fp);
	fclose(fp);
	cr_assert_str_eq(text, "to the void");
	free(text);
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);

	tu_rmdir(dir);
	free(path);
	free(dir);
}

/* Scratch files sit beside the output's temporary (or in $TMPDIR) and
 * leave no name behind. */
Test(outfile, scratch_files_are_unlinked)
{
	struct outfile	*of;
	FILE		*fp;
	char		*dir, *tmp, *path, *text, *cause = NULL;

	dir = tu_tmpdir();
	tmp = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	cr_assert_eq(setenv("TMPDIR", tmp, 1), 0);

	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	cr_assert_str_eq(outfile_scratch_where(of), path);
	cr_assert_not_null(fp = outfile_scratch(of, &cause), "%s", cause);
	cr_assert_eq(tu_count_entries(dir), 1, "only the temporary");
	fputs("spooled", fp);
	rewind(fp);
	text = read_all(fp);
	cr_assert_str_eq(text, "spooled");
	free(text);
	fclose(fp);
	outfile_abort(of);
	cr_assert_eq(tu_count_entries(dir), 0);

	/* Without an outfile: in $TMPDIR. */
	cr_assert_str_eq(outfile_scratch_where(NULL), tmp);
	cr_assert_not_null(fp = outfile_scratch(NULL, &cause), "%s", cause);
	cr_assert_eq(tu_count_entries(tmp), 0);
	cr_assert_eq(fputs("x", fp), 1);
	fclose(fp);

	/* One that cannot be made says why. */
	cr_assert_eq(setenv("TMPDIR", path, 1), 0);
	cr_assert_null(outfile_scratch(NULL, &cause));
	cr_assert(strncmp(cause, "cannot create a scratch file: ", 30) == 0,
	    "%s", cause);
	free(cause);
	unsetenv("TMPDIR");

	tu_rmdir(tmp);
	tu_rmdir(dir);
	free(path);
	free(tmp);
	free(dir);
}

/* What a signal handler calls: every open temporary unlinked, the
 * targets untouched. */
Test(outfile, cleanup_unlinks_every_temporary)
{
	struct outfile	*a, *b;
	char		*dir, *pa, *pb, *cause = NULL;

	dir = tu_tmpdir();
	pa = tu_path(dir, "a.ics");
	pb = tu_path(dir, "b.ics");
	tu_spit(pb, "old\n", 4);
	cr_assert_eq(outfile_open(pa, &a, &cause), 0, "%s", cause);
	cr_assert_eq(outfile_open(pb, &b, &cause), 0, "%s", cause);
	fputs("a", outfile_fp(a));
	fputs("b", outfile_fp(b));
	cr_assert_eq(tu_count_entries(dir), 3);
	outfile_cleanup();
	cr_assert_eq(tu_count_entries(dir), 1);
	expect_text(pb, "old\n");
	outfile_abort(a);
	outfile_abort(b);
	cr_assert_eq(tu_count_entries(dir), 1);
	expect_text(pb, "old\n");

	tu_rmdir(dir);
	free(pb);
	free(pa);
	free(dir);
}

/* "-": written to a scratch file, copied to standard output at commit
 * only; an aborted run writes nothing there. In a child, whose stdout
 * is a file. */
static void
stdout_run(const char *out, int commit)
{
	struct outfile	*of;
	char		*cause = NULL;
	pid_t		 pid;
	int		 fd, st;

	fflush(stdout);
	cr_assert_neq(pid = fork(), -1);
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd == -1 || dup2(fd, 1) == -1)
			_exit(10);
		if (outfile_open("-", &of, &cause) != 0)
			_exit(11);
		fputs("to stdout\n", outfile_fp(of));
		/* Nothing reaches stdout before the commit. */
		if (lseek(1, 0, SEEK_END) != 0)
			_exit(12);
		if (!commit) {
			outfile_abort(of);
			_exit(0);
		}
		_exit(outfile_commit(of, &cause) == 0 && fflush(stdout) == 0 ?
		    0 : 13);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d",
	    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

Test(outfile, stdout_only_at_commit)
{
	char	*dir, *out;

	dir = tu_tmpdir();
	out = tu_path(dir, "stdout.txt");
	stdout_run(out, 1);
	expect_text(out, "to stdout\n");
	stdout_run(out, 0);
	expect_text(out, "");
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_rmdir(dir);
	free(out);
	free(dir);
}

Test(outfile, same_file)
{
	char	*dir, *a, *b, *sub;

	dir = tu_tmpdir();
	a = tu_path(dir, "a.pst");
	b = tu_path(dir, "b.pst");
	sub = tu_path(dir, "sub");
	tu_spit(a, "a", 1);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert(outfile_same(a, a));
	cr_assert(!outfile_same(a, b));
	cr_assert(!outfile_same("-", "-"));
	cr_assert_eq(link(a, b), 0);
	cr_assert(outfile_same(a, b));
	/* Paths that do not exist yet compare by directory and name. */
	free(b);
	xasprintf(&b, "%s/sub/../new.ics", dir);
	free(a);
	a = tu_path(dir, "new.ics");
	cr_assert(outfile_same(a, b));
	cr_assert(!outfile_same(a, "new.ics"));	/* cwd is elsewhere */
	/* "./" and "//" do not make another file. */
	free(b);
	xasprintf(&b, "%s//./new.ics", dir);
	cr_assert(outfile_same(a, b));
	tu_rmdir(dir);
	free(sub);
	free(b);
	free(a);
	free(dir);
}

/* One code space (err.h): every module's code maps to the exit status
 * the man page lists for it. */
Test(err, statuses)
{
	cr_assert_eq(err_status(0), EX_OK);
	cr_assert_eq(err_status(READER_DATAERR), EX_DATAERR);
	cr_assert_eq(err_status(READER_NOINPUT), EX_NOINPUT);
	cr_assert_eq(err_status(READER_IOERR), EX_IOERR);
	cr_assert_eq(err_status(OUTFILE_CANTCREAT), EX_CANTCREAT);
	cr_assert_eq(err_status(OUTFILE_EXISTS), EX_CANTCREAT);
	cr_assert_eq(err_status(OUTFILE_IOERR), EX_IOERR);
	cr_assert_eq(err_status(WRITER_IOERR), EX_IOERR);
	cr_assert_eq(err_status(WRITER_LIBICAL), EX_SOFTWARE);
	cr_assert_neq(OUTFILE_EXISTS, OUTFILE_CANTCREAT);
	cr_assert_neq(READER_NOINPUT, READER_DATAERR);
}
