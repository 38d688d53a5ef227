/* verify_async.c: the checks of verify.c on two more threads, fed the
 * text while it is written; then the file compared with what was
 * checked (verify.h). */
#include <errno.h>
#include <libical/ical.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY	/* XXH64_state_t in our structs */
#include <xxhash.h>

#include "compat.h"
#include "model.h"
#include "verify.h"
#include "verify_int.h"
#include "xmalloc.h"

/* One piece handed over: text, or an event as libical parsed it. */
struct vpiece {
	int		 kind;		/* VERIFY_* */
	char		*text;
	size_t		 len;		/* of text, or the parsed lines */
	icalcomponent	*ev;
	struct vpiece	*next;
};

/* A bounded queue from one thread to the next. */
struct vqueue {
	pthread_mutex_t	 lock;
	pthread_cond_t	 more;		/* a piece queued, or closed */
	pthread_cond_t	 room;		/* a piece taken */
	struct vpiece	*head, *tail;
	size_t		 bytes, count;
	size_t		 max_bytes, max_count;
	size_t		 batch;		/* the taker waits for this many */
	int		 closed;
	int		 ready;
};

/*
 * Two stages, as libical's parse is most of the cost: the parse thread
 * takes the text, digests it, keeps the lines checked and parses them;
 * the check thread takes the parsed events in order and checks them as
 * verify_ics() does.
 */
struct verify_async {
	struct vqueue	 text, parsed;
	pthread_t	 parser, checker;

	/* The parse thread's until it is joined. */
	XXH64_state_t	 events;	/* every VEVENT, as written */
	uint64_t	 events_len;
	char		*line;		/* vfilter()'s buffer */
	size_t		 line_cap;

	/* The check thread's until it is joined. */
	struct vstate	 st;
	int		 failed;
	char		*cause;
	char		*zones;		/* every VTIMEZONE, as written */
	size_t		 zones_len;
	char		*cal_head;
	size_t		 cal_len;
};

/* More than this queued makes the writer wait: the threads are behind. */
#define VQUEUE_BYTES	(8u << 20)
#define VQUEUE_PARSED	64
/* Pieces are handed over in batches: one wake-up each, not one per
 * piece (that cost more in futex calls than the threads saved). */
#define VQUEUE_BATCH	32

static int	 vq_init(struct vqueue *, size_t, size_t);
static void	 vq_free(struct vqueue *);
static void	 vq_put(struct vqueue *, struct vpiece *);
static struct vpiece *vq_get(struct vqueue *);
static void	 vq_close(struct vqueue *);
static void	 vpiece_free(struct vpiece *);
static void	*va_parse(void *);
static void	*va_check(void *);
static void	 va_piece(struct verify_async *, struct vpiece *);
static size_t	 vfilter(struct verify_async *, const char *);
static int	 va_compare(struct verify_async *, FILE *, char **);

static int
vq_init(struct vqueue *q, size_t max_bytes, size_t max_count)
{
	memset(q, 0, sizeof *q);
	q->max_bytes = max_bytes;
	q->max_count = max_count;
	q->batch = VQUEUE_BATCH < max_count ? VQUEUE_BATCH : max_count;
	if (pthread_mutex_init(&q->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&q->more, NULL) != 0) {
		pthread_mutex_destroy(&q->lock);
		return -1;
	}
	if (pthread_cond_init(&q->room, NULL) != 0) {
		pthread_cond_destroy(&q->more);
		pthread_mutex_destroy(&q->lock);
		return -1;
	}
	q->ready = 1;
	return 0;
}

static void
vq_free(struct vqueue *q)
{
	struct vpiece	*p;

	if (!q->ready)
		return;
	while ((p = q->head) != NULL) {
		q->head = p->next;
		vpiece_free(p);
	}
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->more);
	pthread_mutex_destroy(&q->lock);
	q->ready = 0;
}

static void
vq_put(struct vqueue *q, struct vpiece *p)
{
	p->next = NULL;
	pthread_mutex_lock(&q->lock);
	while ((q->bytes > q->max_bytes || q->count >= q->max_count) &&
	    q->head != NULL)
		pthread_cond_wait(&q->room, &q->lock);
	if (q->tail != NULL)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->bytes += p->len;
	q->count++;
	/* Whenever the putter would wait, the taker is woken. */
	if (q->count >= q->batch || q->bytes >= q->max_bytes / 2)
		pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
}

/* Every piece queued, in order, once a batch is there or the queue
 * is closed; NULL once it is closed and empty. */
static struct vpiece *
vq_get(struct vqueue *q)
{
	struct vpiece	*p;

	pthread_mutex_lock(&q->lock);
	while (q->count < q->batch && q->bytes < q->max_bytes / 2 &&
	    !q->closed)
		pthread_cond_wait(&q->more, &q->lock);
	p = q->head;
	q->head = q->tail = NULL;
	q->bytes = q->count = 0;
	pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->lock);
	return p;
}

static void
vq_close(struct vqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
}

static void
vpiece_free(struct vpiece *p)
{
	if (p->ev != NULL)
		icalcomponent_free(p->ev);
	free(p->text);
	free(p);
}

struct verify_async *
verify_async_start(struct appt *const *items, size_t n,
    const struct verify_opts *opts)
{
	struct verify_async	*va;
	sigset_t		 all, old;
	int			 error;

	va = xcalloc(1, sizeof *va);
	va->st.opts = opts;
	va->st.items = items;
	va->st.n = n;
	XXH64_reset(&va->events, 0);
	/* libical makes its UTC zone on first use: not on two threads. */
	(void)icaltimezone_get_utc_timezone();
	if (vq_init(&va->text, VQUEUE_BYTES, SIZE_MAX) != 0 ||
	    vq_init(&va->parsed, SIZE_MAX, VQUEUE_PARSED) != 0)
		goto fail;
	/* Signals go to the caller's thread alone: its handlers take back
	 * the temporary files (outfile.h) and must not run while the
	 * caller goes on writing or publishing them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	error = pthread_create(&va->checker, NULL, va_check, va);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (error != 0)
		goto fail;
	pthread_sigmask(SIG_BLOCK, &all, &old);
	error = pthread_create(&va->parser, NULL, va_parse, va);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (error != 0) {
		vq_close(&va->parsed);
		pthread_join(va->checker, NULL);
		vf_state_fini(&va->st);
		free(va->cause);
		goto fail;
	}
	return va;

fail:
	vq_free(&va->text);
	vq_free(&va->parsed);
	free(va);
	return NULL;
}

void
verify_async_put(void *arg, int kind, char *text)
{
	struct verify_async	*va = arg;
	struct vpiece		*p;

	p = xcalloc(1, sizeof *p);
	p->kind = kind;
	p->text = text;
	p->len = strlen(text);
	vq_put(&va->text, p);
}

int
verify_async_end(struct verify_async *va, FILE *written, char **cause)
{
	int	error = 0;

	*cause = NULL;
	vq_close(&va->text);
	pthread_join(va->parser, NULL);
	pthread_join(va->checker, NULL);
	if (written != NULL) {
		if (va->failed) {
			*cause = va->cause;
			va->cause = NULL;
			error = -1;
		} else
			error = va_compare(va, written, cause);
	}
	vf_state_fini(&va->st);
	vq_free(&va->text);
	vq_free(&va->parsed);
	free(va->cause);
	free(va->zones);
	free(va->cal_head);
	free(va->line);
	free(va);
	return error;
}

/* Digest each VEVENT, keep its lines checked, parse them; in order. */
static void *
va_parse(void *arg)
{
	struct verify_async	*va = arg;
	struct vpiece		*list, *p;
	size_t			 len;

	while ((list = vq_get(&va->text)) != NULL) {
		while ((p = list) != NULL) {
			list = p->next;
			if (p->kind == VERIFY_EVENT) {
				XXH64_update(&va->events, p->text, p->len);
				va->events_len += p->len;
				len = vfilter(va, p->text);
				free(p->text);
				p->text = NULL;
				p->ev = icalparser_parse_string(va->line);
				p->len = len;
			}
			vq_put(&va->parsed, p);
		}
	}
	vq_close(&va->parsed);
	/* libical's scratch buffers are per thread. */
	icalmemory_free_ring();
	return NULL;
}

/* Check the pieces in order; after a failure, only drain. */
static void *
va_check(void *arg)
{
	struct verify_async	*va = arg;
	struct vpiece		*list, *p;

	if (vf_state_init(&va->st, va->st.items, va->st.n, va->st.opts,
	    &va->cause) != 0)
		va->failed = 1;
	while ((list = vq_get(&va->parsed)) != NULL) {
		while ((p = list) != NULL) {
			list = p->next;
			va_piece(va, p);
			vpiece_free(p);
		}
	}
	if (!va->failed && vf_state_end(&va->st, &va->cause) != 0)
		va->failed = 1;
	icalmemory_free_ring();
	return NULL;
}

static void
va_piece(struct verify_async *va, struct vpiece *p)
{
	icalcomponent	*ev;

	if (va->failed)
		return;
	switch (p->kind) {
	case VERIFY_ZONE:
		va->zones = xreallocarray(va->zones, 1,
		    va->zones_len + p->len + 1);
		memcpy(va->zones + va->zones_len, p->text, p->len + 1);
		va->zones_len += p->len;
		if (vf_zone_add(&va->st, p->text, &va->cause) != 0)
			va->failed = 1;
		break;
	case VERIFY_EVENT:
		if (p->len > va->st.max_chunk)
			va->st.max_chunk = p->len;
		va->st.nevents++;
		ev = p->ev;
		p->ev = NULL;
		if (vf_check_parsed(&va->st, ev, &va->cause) != 0)
			va->failed = 1;
		break;
	case VERIFY_HEAD:
		free(va->cal_head);
		va->cal_head = p->text;
		va->cal_len = p->len;
		p->text = NULL;
		break;
	}
}

/* A VEVENT's lines as icsread_chunks() hands them to verify_ics(): the
 * checked properties only, CRLF after each. Into va->line; its length. */
static size_t
vfilter(struct verify_async *va, const char *text)
{
	const char	*s = text, *nl;
	size_t		 len, out = 0;
	int		 skipping = 0;

	while (*s != '\0') {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		len = (size_t)(nl - s);
		while (len > 0 && s[len - 1] == '\r')
			len--;
		if (s[0] != ' ' && s[0] != '\t')
			skipping = vf_skipped_prop(s);
		if (!skipping) {
			if (out + len + 3 > va->line_cap) {
				va->line_cap = (out + len + 3) * 2;
				va->line = xreallocarray(va->line, 1,
				    va->line_cap);
			}
			memcpy(va->line + out, s, len);
			out += len;
			va->line[out++] = '\r';
			va->line[out++] = '\n';
		}
		s = *nl == '\n' ? nl + 1 : nl;
	}
	if (va->line == NULL)
		va->line = xmalloc(va->line_cap = 1);
	va->line[out] = '\0';
	return out;
}

/* The end of the next VTIMEZONE that starts at s (s + len at most). */
static const char *
va_zone_end(const char *s, const char *lim)
{
	static const char	 begin[] = "BEGIN:VTIMEZONE\r\n";
	const char		*p;

	for (p = s + 1; p + sizeof begin - 1 <= lim; p++) {
		if (memcmp(p, begin, sizeof begin - 1) == 0)
			return p;
	}
	return lim;
}

/* Whether the head's VTIMEZONEs (len bytes at head) are the ones
 * checked, each once. The order may differ: libical puts every
 * VTIMEZONE it is given in front of the ones before. */
static int
va_zones_match(const char *head, const char *zones, size_t len)
{
	const char	*h, *he, *z, *ze, *hl = head + len, *zl = zones + len;
	const char	**zv;
	size_t		*zn, i, n = 0;
	int		 ok = 1;

	for (z = zones; z < zl; z = va_zone_end(z, zl))
		n++;
	zv = xreallocarray(NULL, n + 1, sizeof *zv);
	zn = xreallocarray(NULL, n + 1, sizeof *zn);
	for (i = 0, z = zones; z < zl; z = ze, i++) {
		ze = va_zone_end(z, zl);
		zv[i] = z;
		zn[i] = (size_t)(ze - z);
	}
	/* A zone matched is taken out: its start becomes NULL. */
	for (h = head; ok && h < hl; h = he) {
		he = va_zone_end(h, hl);
		for (i = 0; i < n; i++) {
			if (zv[i] != NULL && zn[i] == (size_t)(he - h) &&
			    memcmp(zv[i], h, zn[i]) == 0)
				break;
		}
		if (i < n)
			zv[i] = NULL;
		else
			ok = 0;
	}
	free(zv);
	free(zn);
	return ok;
}

/* The file is what was checked: the head (the VCALENDAR's properties,
 * then the VTIMEZONEs checked, nothing else), the VEVENTs checked, in
 * order, and the calendar's end. */
static int
va_compare(struct verify_async *va, FILE *fp, char **cause)
{
	static const char	 end[] = "END:VCALENDAR\r\n";
	static const char	 begin[] = "BEGIN:VCALENDAR\r\n";
	XXH64_state_t		 h;
	char			 buf[65536];
	const char		*s;
	uint64_t		 left;
	size_t			 got, want, off;

	if (va->cal_head == NULL || va->cal_len < va->zones_len ||
	    va->cal_len < sizeof begin - 1 ||
	    memcmp(va->cal_head, begin, sizeof begin - 1) != 0 ||
	    !va_zones_match(va->cal_head + va->cal_len - va->zones_len,
	    va->zones != NULL ? va->zones : "", va->zones_len)) {
		xasprintf(cause, "the calendar's head is not its properties "
		    "and the VTIMEZONEs checked");
		return -1;
	}
	for (s = va->cal_head; (s = strstr(s + 1, "\r\nBEGIN:")) != NULL;) {
		if ((size_t)(s + 2 - va->cal_head) <
		    va->cal_len - va->zones_len) {
			xasprintf(cause, "a component in the calendar's head "
			    "that was not checked");
			return -1;
		}
	}
	/* The head, byte for byte. */
	for (off = 0; off < va->cal_len; off += got) {
		want = va->cal_len - off < sizeof buf ? va->cal_len - off :
		    sizeof buf;
		if ((got = fread(buf, 1, want, fp)) != want ||
		    memcmp(buf, va->cal_head + off, got) != 0) {
			xasprintf(cause, "the file's head is not what was "
			    "checked");
			return -1;
		}
	}
	/* The events, by their digest. */
	XXH64_reset(&h, 0);
	for (left = va->events_len; left > 0; left -= got) {
		want = left < sizeof buf ? (size_t)left : sizeof buf;
		if ((got = fread(buf, 1, want, fp)) != want) {
			xasprintf(cause, "the file is shorter than what was "
			    "checked");
			return -1;
		}
		XXH64_update(&h, buf, got);
	}
	if (XXH64_digest(&h) != XXH64_digest(&va->events)) {
		xasprintf(cause, "the file's events are not the ones checked");
		return -1;
	}
	got = fread(buf, 1, sizeof buf, fp);
	if (ferror(fp)) {
		xasprintf(cause, "cannot read the file back: %s",
		    strerror(errno));
		return -1;
	}
	if (got != sizeof end - 1 || memcmp(buf, end, got) != 0) {
		xasprintf(cause, "the file does not end with the calendar's "
		    "END");
		return -1;
	}
	return 0;
}
