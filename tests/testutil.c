/* testutil.c: process, file and fixture helpers for the tests. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

const char *
tu_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static void
append(char **buf, size_t *len, const char *p, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	cr_assert_not_null(*buf);
	memcpy(*buf + *len, p, n);
	*len += n;
	(*buf)[*len] = '\0';
}

void
tu_run(struct tu_run *r, const char *dir, char *const argv[])
{
	int out[2], err[2], st, nul;
	size_t olen = 0, elen = 0;
	struct pollfd pfd[2];
	char buf[65536];
	ssize_t n;
	pid_t pid;

	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(err), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		if (dir != NULL && chdir(dir) == -1)
			_exit(126);
		nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	pfd[0].fd = out[0];
	pfd[1].fd = err[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		if (poll(pfd, 2, -1) == -1) {
			cr_assert_eq(errno, EINTR);
			continue;
		}
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof buf);
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			} else if (i == 0)
				append(&r->out, &olen, buf, (size_t)n);
			else
				append(&r->err, &elen, buf, (size_t)n);
		}
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void
tu_run_free(struct tu_run *r)
{
	free(r->out);
	free(r->err);
}

char *
tu_tmpdir(void)
{
	const char *base = tu_env("TMPDIR");
	char *t = NULL;

	cr_assert_gt(asprintf(&t, "%s/pstdedup-test.XXXXXX",
	    base ? base : "/tmp"), 0);
	cr_assert_not_null(mkdtemp(t), "mkdtemp: %s", strerror(errno));
	return t;
}

void
tu_rmdir(const char *path)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	char *p;

	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = tu_path(path, de->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			chmod(p, 0700);
			tu_rmdir(p);
		} else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

char *
tu_slurp(const char *path, size_t *lenp)
{
	size_t len = 0;
	char *buf = calloc(1, 1), tmp[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, tmp, sizeof tmp)) > 0)
		append(&buf, &len, tmp, (size_t)n);
	close(fd);
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

void
tu_spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

char *
tu_path(const char *dir, const char *name)
{
	char *p = NULL;

	cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

int
tu_count_entries(const char *path)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	cr_assert_not_null(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

void
tu_mkpst(const char *name, const char *out)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	struct tu_run r;
	char *in, *dir;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set (run through make check)");
	dir = tu_path(src, "data");
	in = tu_path(dir, name);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", (char *)out,
	    in, NULL });
	cr_assert_eq(r.status, 0, "mkpst %s: status %d: %s", name, r.status,
	    r.err);
	tu_run_free(&r);
	free(in);
	free(dir);
}

const char *
tu_pstdedup(void)
{
	const char *p = tu_env("PSTDEDUP");

	if (p == NULL)
		cr_skip_test("PSTDEDUP not set (run through make check)");
	return p;
}

char *
tu_mkpst_text(const char *dir, const char *text, size_t len)
{
	const char *mkpst = tu_env("MKPST");
	struct tu_run r;
	char *src, *ics, *pst;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set (run through make check)");
	src = tu_tmpdir();
	ics = tu_path(src, "fixture.ics");
	tu_spit(ics, text, len);
	pst = tu_path(dir, "in.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", pst,
	    ics, NULL });
	cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
	tu_run_free(&r);
	free(ics);
	tu_rmdir(src);
	free(src);
	return pst;
}
