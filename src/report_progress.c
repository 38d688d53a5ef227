/* report_progress.c: the progress line on the terminal while a file is
 * read and written, the SIGALRM timer that ticks while libpff opens
 * it, and the clock (report.h). */
#include <sys/time.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "report.h"
#include "report_int.h"

double
report_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The "opening" line, written by the SIGALRM handler with write(2)
 * alone: the prefix is made beforehand, the handler adds the seconds. */
static volatile sig_atomic_t	 report_open_secs;
static int			 report_open_fd = -1;
static char			 report_open_msg[512];
static size_t			 report_open_len;

static void
report_open_tick(int sig)
{
	char		buf[sizeof report_open_msg + 32], digits[12];
	size_t		n = report_open_len;
	unsigned	s;
	int		k = 0, saved = errno;

	(void)sig;
	s = (unsigned)++report_open_secs;
	memcpy(buf, report_open_msg, n);
	do {
		digits[k++] = (char)('0' + s % 10);
		s /= 10;
	} while (s != 0 && k < (int)sizeof digits);
	while (k > 0)
		buf[n++] = digits[--k];
	memcpy(buf + n, " s\033[K", 5);
	n += 5;
	if (write(report_open_fd, buf, n) == -1)
		report_open_fd = -1;
	errno = saved;
}

void
report_progress_opening(struct report_progress *p)
{
	struct sigaction	sa;
	struct itimerval	it;
	int			len;

	if (p->fp == NULL || p->opening)
		return;
	fflush(p->fp);
	len = snprintf(report_open_msg, sizeof report_open_msg,
	    "\rpstdedup: %s: opening (libpff indexes the whole file first): ",
	    p->file);
	if (len < 0 || (size_t)len >= sizeof report_open_msg)
		return;
	report_open_len = (size_t)len;
	report_open_fd = fileno(p->fp);
	report_open_secs = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = report_open_tick;
	sigemptyset(&sa.sa_mask);
	/* libpff's reads must not see EINTR. */
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = it.it_interval.tv_sec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) == 0)
		p->opening = 1;
}

static void
report_progress_opened(struct report_progress *p)
{
	struct sigaction	sa;
	struct itimerval	it;

	if (!p->opening)
		return;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	/* Ignored, not default: a tick already pending must not kill us. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	p->opening = 0;
	if (report_open_secs > 0)
		p->shown = 1;
}

void
report_progress_init(struct report_progress *p, FILE *fp, const char *file)
{
	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->file = file;
	p->t0 = p->twalk = report_clock();
}

/* Quick runs stay silent; long ones update a few times a second. */
static int
report_progress_due(const struct report_progress *p, double now)
{
	return now - p->t0 >= 1.0 && (!p->shown || now - p->last >= 0.25);
}

static void
report_progress_shown(struct report_progress *p, double now)
{
	fflush(p->fp);
	p->shown = 1;
	p->last = now;
}

void
report_progress(void *arg, size_t folders, size_t items)
{
	struct report_progress	*p = arg;
	double			 now;

	if (p->fp == NULL)
		return;
	now = report_clock();
	/* The file is open: the walk's rate counts from here. */
	if (folders == 0 && items == 0) {
		report_progress_opened(p);
		p->twalk = now;
		return;
	}
	if (!report_progress_due(p, now))
		return;
	fprintf(p->fp, "\rpstdedup: %s: %zu %s, %zu %s (%.0f items/s)\033[K",
	    p->file, folders, rp_plural(folders, "folder", "folders"),
	    items, rp_plural(items, "item", "items"),
	    now > p->twalk ? (double)items / (now - p->twalk) : 0.0);
	report_progress_shown(p, now);
}

void
report_progress_write(void *arg, size_t done, size_t all)
{
	struct report_progress	*p = arg;
	double			 now;

	if (p->fp == NULL)
		return;
	now = report_clock();
	if (!report_progress_due(p, now))
		return;
	fprintf(p->fp, "\rpstdedup: %s: writing %zu of %zu %s\033[K",
	    p->file, done, all, rp_plural(all, "item", "items"));
	report_progress_shown(p, now);
}

void
report_progress_done(struct report_progress *p)
{
	report_progress_opened(p);
	if (p->fp != NULL && p->shown) {
		fputs("\r\033[K", p->fp);
		fflush(p->fp);
	}
	p->shown = 0;
}
