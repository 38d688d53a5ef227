/* testutil.c: process, file, fixture, corpus, JSON, iCalendar and date
 * helpers for the tests. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "model.h"
#include "testutil.h"
#include "tz.h"

#define TU_MAXARGS	64
#define TU_TIMEOUT	"600"	/* seconds; only a hang gets near it */

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

void
tu_run_done(struct tu_run *r, char *dir, char *file)
{
	tu_run_free(r);
	tu_rmdir(dir);
	free(file);
	free(dir);
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

void
tu_spit_head(const char *to, const char *from, size_t len)
{
	char	*data;
	size_t	 flen;

	data = tu_slurp(from, &flen);
	cr_assert(data != NULL && flen > len, "%s", from);
	tu_spit(to, data, len);
	free(data);
}

char *
tu_path(const char *dir, const char *name)
{
	char *p = NULL;

	cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

int
tu_count(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
tu_joined(char **v, size_t n)
{
	size_t	 len = 1, i;
	char	*s;

	if (n > 0)
		qsort(v, n, sizeof *v, strp_cmp);
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	cr_assert_not_null(s = calloc(1, len));
	for (i = 0; i < n; i++) {
		strcat(s, v[i]);
		strcat(s, "\n");
		free(v[i]);
	}
	free(v);
	return s;
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
		cr_skip_test("MKPST or TEST_SRCDIR not set (run through make "
		    "check)");
	dir = tu_path(src, "data");
	in = tu_path(dir, name);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o",
	    (char *)out,
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

char *
tu_mkpst_dir(const char *text, char **dir)
{
	*dir = tu_tmpdir();
	return tu_mkpst_text(*dir, text, strlen(text));
}

void
tu_pstdedup_runv(struct tu_run *r, const char *dir, char *const args[])
{
	const char	*reader = tu_env("PSTDEDUP_TEST_READER");
	char		*argv[TU_MAXARGS + 6];
	int		 argc = 0, timed;

	timed = access("/usr/bin/timeout", X_OK) == 0;
	if (timed) {
		argv[argc++] = (char *)"/usr/bin/timeout";
		argv[argc++] = (char *)TU_TIMEOUT;
	}
	argv[argc++] = (char *)tu_pstdedup();
	if (reader != NULL) {
		argv[argc++] = (char *)"--reader";
		argv[argc++] = (char *)reader;
	}
	for (; *args != NULL; args++) {
		cr_assert_lt(argc, TU_MAXARGS + 5, "too many arguments");
		argv[argc++] = *args;
	}
	argv[argc] = NULL;
	tu_run(r, dir, argv);
	cr_assert(!timed || r->status != 124, "timed out: %s", r->err);
	cr_assert_lt(r->status, 128, "killed by signal %d: %s",
	    r->status - 128, r->err);
}

void
tu_pstdedup_run(struct tu_run *r, const char *dir, ...)
{
	char	*args[TU_MAXARGS + 1];
	va_list	 ap;
	int	 n = 0;

	va_start(ap, dir);
	while ((args[n] = va_arg(ap, char *)) != NULL) {
		cr_assert_lt(n, TU_MAXARGS, "too many arguments");
		n++;
	}
	va_end(ap);
	tu_pstdedup_runv(r, dir, args);
}

struct pstw *
tu_pstw_open(const char *path, const char *name, uint32_t *calendar)
{
	struct pstw	*w = NULL;
	char		*cause = NULL;

	cr_assert_eq(pstw_open(path, name, &w, &cause), 0, "%s", cause);
	cr_assert_eq(pstw_folder(w, pstw_ipm_subtree(w), "Calendar",
	    "IPF.Appointment", calendar, &cause), 0, "%s", cause);
	return w;
}

void
tu_pstw_write(struct pstw *w, uint32_t folder, struct pstw_msg *m)
{
	char	*cause = NULL;

	cr_assert_eq(pstw_msg_write(w, folder, m, NULL, &cause), 0, "%s",
	    cause);
}

void
tu_pstw_close(struct pstw *w)
{
	char	*cause = NULL;

	cr_assert_eq(pstw_close(w, &cause), 0, "%s", cause);
}

const char *
tu_corpus(void)
{
	const char	*dir = tu_env("PSTDEDUP_CORPUS");
	struct stat	 sb;

	if (dir == NULL || stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		cr_skip_test("PSTDEDUP_CORPUS not set or not a directory");
	return dir;
}

char *
tu_corpus_file(const char *name)
{
	char	*path = tu_path(tu_corpus(), name);

	if (access(path, R_OK) != 0) {
		free(path);
		cr_skip_test("%s not in the corpus", name);
	}
	return path;
}

uint8_t *
tu_unbase64(const char *s, size_t *len)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 n = strlen(s), i, k, o = 0;
	uint32_t		 v;
	uint8_t			*out;
	const char		*c;
	int			 pad;

	if (n % 4 != 0)
		return NULL;
	cr_assert_not_null(out = malloc(n / 4 * 3 + 1));
	for (i = 0; i < n; i += 4) {
		v = 0;
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (pad > 0 || (c = strchr(tab, s[i + k])) == NULL) {
				free(out);
				return NULL;
			}
			v = v << 6 | (uint32_t)(c - tab);
		}
		out[o++] = v >> 16;
		if (pad < 2)
			out[o++] = (v >> 8) & 0xFF;
		if (pad < 1)
			out[o++] = v & 0xFF;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

icalcomponent *
tu_ics_parse(const char *text, const char *what)
{
	icalcomponent	*c = icalparser_parse_string(text);

	cr_assert_not_null(c, "%s does not parse", what);
	cr_assert_eq(icalcomponent_count_errors(c), 0, "%s: errors:\n%s",
	    what, text);
	return c;
}

icalcomponent *
tu_ics_load_if(const char *dir, const char *name)
{
	icalcomponent	*c;
	char		*path, *text;

	path = dir != NULL ? tu_path(dir, name) : strdup(name);
	cr_assert_not_null(path);
	if ((text = tu_slurp(path, NULL)) == NULL) {
		cr_assert_eq(errno, ENOENT, "%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	c = tu_ics_parse(text, path);
	free(text);
	free(path);
	return c;
}

icalcomponent *
tu_ics_load(const char *dir, const char *name)
{
	icalcomponent	*c = tu_ics_load_if(dir, name);

	cr_assert_not_null(c, "no calendar %s%s%s", dir != NULL ? dir : "",
	    dir != NULL ? "/" : "", name);
	return c;
}

icalcomponent *
tu_ics_event_if(icalcomponent *cal, const char *summary, int rid)
{
	icalcomponent	*e;
	const char	*s;
	int		 has;

	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL;
	    e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		s = icalcomponent_get_summary(e);
		has = icalcomponent_get_first_property(e,
		    ICAL_RECURRENCEID_PROPERTY) != NULL;
		if (s != NULL && strcmp(s, summary) == 0 &&
		    (rid == -1 || has == rid))
			return e;
	}
	return NULL;
}

icalcomponent *
tu_ics_event(icalcomponent *cal, const char *summary, int rid)
{
	icalcomponent	*e = tu_ics_event_if(cal, summary, rid);

	cr_assert_not_null(e, "no VEVENT \"%s\"", summary);
	return e;
}

/* The value of the X- parameter name of p, or NULL. */
static const char *
tu_ics_xparam(icalproperty *p, const char *name)
{
	icalparameter	*q;

	for (q = icalproperty_get_first_parameter(p, ICAL_X_PARAMETER);
	    q != NULL;
	    q = icalproperty_get_next_parameter(p, ICAL_X_PARAMETER))
		if (strcmp(icalparameter_get_xname(q), name) == 0)
			return icalparameter_get_xvalue(q);
	return NULL;
}

uint8_t *
tu_ics_attach(icalcomponent *ev, const char *file, const char *fmttype,
    size_t *len)
{
	icalproperty	*p;
	icalparameter	*q;
	icalattach	*ia;
	const char	*name;
	uint8_t		*b;

	for (p = icalcomponent_get_first_property(ev, ICAL_ATTACH_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_ATTACH_PROPERTY)) {
		name = tu_ics_xparam(p, "X-FILENAME");
		if (name != NULL && strcmp(name, file) == 0)
			break;
	}
	cr_assert_not_null(p, "no ATTACH with X-FILENAME \"%s\"", file);
	q = icalproperty_get_first_parameter(p, ICAL_FMTTYPE_PARAMETER);
	cr_assert_not_null(q, "ATTACH \"%s\" without FMTTYPE", file);
	cr_assert_str_eq(icalparameter_get_fmttype(q), fmttype);
	q = icalproperty_get_first_parameter(p, ICAL_ENCODING_PARAMETER);
	cr_assert_not_null(q, "ATTACH \"%s\" without ENCODING", file);
	cr_assert_eq(icalparameter_get_encoding(q), ICAL_ENCODING_BASE64);
	q = icalproperty_get_first_parameter(p, ICAL_VALUE_PARAMETER);
	cr_assert_not_null(q, "ATTACH \"%s\" without VALUE", file);
	cr_assert_eq(icalparameter_get_value(q), ICAL_VALUE_BINARY);
	ia = icalproperty_get_attach(p);
	cr_assert_not_null(ia);
	cr_assert_eq(icalattach_get_is_url(ia), 0);
	b = tu_unbase64((const char *)icalattach_get_data(ia), len);
	cr_assert_not_null(b, "ATTACH \"%s\" is not base64", file);
	return b;
}

int
tu_json_valid(const char *text)
{
	json_error_t	 err;
	json_t		*j;

	if ((j = json_loads(text, JSON_REJECT_DUPLICATES, &err)) == NULL)
		return 0;
	json_decref(j);
	return 1;
}

json_t *
tu_json_parse(const char *text)
{
	json_error_t	 err;
	json_t		*j;

	j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	cr_assert_not_null(j, "not JSON: line %d column %d: %s", err.line,
	    err.column, err.text);
	return j;
}

json_t *
tu_json_load(const char *path)
{
	json_t	*j;
	char	*text;

	if ((text = tu_slurp(path, NULL)) == NULL) {
		cr_assert_eq(errno, ENOENT, "%s: %s", path, strerror(errno));
		return NULL;
	}
	j = tu_json_parse(text);
	free(text);
	return j;
}

json_t *
tu_json_get(const json_t *o, const char *key)
{
	json_t	*v;

	cr_assert(json_is_object(o), "JSON: object expected for \"%s\"", key);
	v = json_object_get(o, key);
	cr_assert_not_null(v, "JSON: no member \"%s\"", key);
	return v;
}

const char *
tu_json_str(const json_t *o, const char *key)
{
	json_t	*v = tu_json_get(o, key);

	cr_assert(json_is_string(v), "JSON: \"%s\" is not a string", key);
	return json_string_value(v);
}

long
tu_json_num(const json_t *o, const char *key)
{
	json_t	*v = tu_json_get(o, key);

	cr_assert(json_is_integer(v), "JSON: \"%s\" is not an integer", key);
	return (long)json_integer_value(v);
}

int
tu_json_bool(const json_t *o, const char *key)
{
	json_t	*v = tu_json_get(o, key);

	cr_assert(json_is_boolean(v), "JSON: \"%s\" is not a boolean", key);
	return json_is_true(v);
}

json_t *
tu_json_arr(const json_t *o, const char *key)
{
	json_t	*v = tu_json_get(o, key);

	cr_assert(json_is_array(v), "JSON: \"%s\" is not an array", key);
	return v;
}

long
tu_json_total(const json_t *report, const char *key)
{
	json_t	*t = json_object_get(report, "totals");

	if (!json_is_object(t) || json_object_get(t, key) == NULL)
		return -1;
	return tu_json_num(t, key);
}

int64_t
tu_ft(int y, int mo, int d, int h, int mi)
{
	return ft_from_civil(y, mo, d, h, mi, 0);
}

int64_t
tu_utc_of(struct icaltimetype t)
{
	if (t.is_date || t.zone == NULL)
		return (int64_t)icaltime_as_timet(t);
	return (int64_t)icaltime_as_timet_with_zone(t, t.zone);
}
