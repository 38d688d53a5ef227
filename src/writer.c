/* writer.c: render appointments as one Outlook-importable VCALENDAR. */
#include <errno.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "compat.h"
#include "goid.h"
#include "le.h"
#include "model.h"
#include "text.h"
#include "writer.h"
#include "writer_int.h"
#include "xmalloc.h"

void
wr_warn(struct wstate *st, const struct appt *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (st->opts == NULL || st->opts->warn == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	/* An occurrence's view lives on the stack: name its master, the
	 * item the caller holds. */
	st->opts->warn(st->opts->warn_arg, st->cur != NULL ? st->cur : a, msg);
	free(msg);
}

/* The UID of a vCal-Uid GOID, as a parameter-safe string, or NULL. */
static char *
wvcal_uid(const struct appt_blob *b)
{
	char	*raw, *uid;

	if ((raw = goid_vcal_uid(b->data, b->len)) == NULL)
		return NULL;
	uid = wr_param(raw);
	free(raw);
	if (*uid == '\0') {
		free(uid);
		return NULL;
	}
	return uid;
}

char *
writer_uid(const struct appt *a)
{
	XXH128_canonical_t	 canon;
	uint8_t			*buf;
	size_t			 ls, lf, len;
	char			*uid;

	if (a->uid != NULL)
		return xstrdup(a->uid);
	if ((uid = wvcal_uid(&a->goid)) != NULL)
		return uid;
	if ((uid = wvcal_uid(&a->clean_goid)) != NULL)
		return uid;
	if (a->clean_goid.data != NULL && a->clean_goid.len > 0)
		return goid_hex(a->clean_goid.data, a->clean_goid.len);
	if (a->goid.data != NULL && a->goid.len > 0)
		return goid_hex(a->goid.data, a->goid.len);

	/*
	 * No identity stored: a digest of what the user sees, stable, plus
	 * the item's identifier, so that two different items with one
	 * subject and time (another organizer or location) or a kept and a
	 * removed copy do not share a UID, on which Outlook would merge them.
	 */
	ls = a->subject != NULL ? strlen(a->subject) : 0;
	lf = a->folder != NULL ? strlen(a->folder) : 0;
	len = ls + 1 + lf + 1 + 24;
	buf = xcalloc(1, len);
	if (ls > 0)
		memcpy(buf, a->subject, ls);
	if (lf > 0)
		memcpy(buf + ls + 1, a->folder, lf);
	le_put64(buf + ls + 1 + lf + 1, (uint64_t)a->start);
	le_put64(buf + ls + 1 + lf + 1 + 8, (uint64_t)a->end);
	le_put64(buf + ls + 1 + lf + 1 + 16, a->id);
	XXH128_canonicalFromHash(&canon, XXH3_128bits(buf, len));
	free(buf);
	return text_hex(canon.digest, sizeof canon.digest);
}

const char *
writer_libical_version(void)
{
	static char	version[32];

	if (version[0] == '\0')
		snprintf(version, sizeof version, "%d.%d.%d",
		    ICAL_MAJOR_VERSION, ICAL_MINOR_VERSION,
		    ICAL_PATCH_VERSION);
	return version;
}

static icalproperty *
add_x(icalcomponent *ev, const char *name, const char *value)
{
	icalproperty	*p;
	char		*t = wr_text(value);

	if (*t == '\0') {
		free(t);
		return NULL;
	}
	p = icalproperty_new_x(t);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(ev, p);
	free(t);
	return p;
}

static void
render_item(struct wstate *st, const struct appt *a)
{
	char	*uid, *why = NULL;

	uid = writer_uid(a);
	wr_clamped = 0;
	/* The flag wins; without it a stored pattern decides. */
	if (a->recurring == 1 ||
	    (a->recurring == APPT_ABSENT && a->recur.data != NULL)) {
		if (wr_render_series(st, a, uid, &why) == 0)
			goto done;
		wr_warn(st, a, "recurrence written as single occurrence: %s%s",
		    why, a->nexcs > 0 ? " (its modified occurrences are not "
		    "written)" : "");
		free(why);
	}
	wr_render_single(st, a, uid);
done:
	if (wr_clamped)
		wr_warn(st, a, "a date outside the years 0 to 3000 written as "
		    "the nearest one iCalendar output can hold");
	free(uid);
}

/* The VCALENDAR's own properties and VTIMEZONEs, without its END. */
static char *
calendar_head(struct wstate *st, char **cause)
{
	icalcomponent	*cal;
	char		*text;
	size_t		 i, len, endlen = strlen("END:VCALENDAR\r\n");

	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid(
	    "-//pstdedup//pstdedup " PACKAGE_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (st->opts != NULL && st->opts->calname != NULL)
		add_x(cal, "X-WR-CALNAME", st->opts->calname);
	for (i = 0; i < st->nzones; i++)
		icalcomponent_add_component(cal, wr_vtimezone(&st->zones[i]));
	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (text == NULL || (len = strlen(text)) < endlen ||
	    strcmp(text + len - endlen, "END:VCALENDAR\r\n") != 0) {
		xasprintf(cause, "libical cannot serialize the calendar: %s",
		    icalerror_strerror(icalerrno));
		free(text);
		return NULL;
	}
	text[len - endlen] = '\0';
	return text;
}

/* Copy the spooled VEVENTs after the head. */
static int
copy_spool(FILE *spool, FILE *out, char **cause)
{
	char	buf[65536];
	size_t	n;

	if (fflush(spool) != 0 || fseeko(spool, 0, SEEK_SET) != 0) {
		xasprintf(cause, "cannot read back the scratch file: %s",
		    strerror(errno));
		return WRITER_IOERR;
	}
	while ((n = fread(buf, 1, sizeof buf, spool)) > 0) {
		if (fwrite(buf, 1, n, out) != n)
			break;
	}
	if (ferror(spool)) {
		xasprintf(cause, "cannot read back the scratch file: %s",
		    strerror(errno));
		return WRITER_IOERR;
	}
	/* A failed write to out is found and reported when out is
	 * committed (outfile.h). */
	return 0;
}

int
writer_render(struct appt *const *items, size_t n,
    const struct writer_opts *opts, FILE *out, char **cause)
{
	struct wstate	 st;
	char		*head = NULL, *mem = NULL;
	size_t		 i, memlen = 0;
	int		 error = WRITER_LIBICAL, own = 0;

	memset(&st, 0, sizeof st);
	st.opts = opts;
	if (out != NULL) {
		st.spool = opts != NULL ? opts->spool : NULL;
		if (st.spool == NULL &&
		    (st.spool = open_memstream(&mem, &memlen)) == NULL) {
			xasprintf(cause, "cannot make a spool: %s",
			    strerror(errno));
			return ERR_SOFTWARE;
		}
		own = opts == NULL || opts->spool == NULL;
	}
	for (i = 0; i < n && !st.spool_err; i++) {
		/* One item's content in memory at a time. */
		if (opts != NULL && opts->content != NULL &&
		    appt_unspool(items[i], opts->content,
		    &st.spool_cause) != 0) {
			st.spool_err = SPOOL_IO;
			break;
		}
		st.cur = items[i];
		render_item(&st, items[i]);
		st.cur = NULL;
		if (opts != NULL && opts->content != NULL)
			appt_respool(items[i]);
		if (opts != NULL && opts->progress != NULL && i % 256 == 255)
			opts->progress(opts->progress_arg, i + 1, n);
	}
	if (st.spool_err == SPOOL_LIBICAL) {
		xasprintf(cause, "libical cannot serialize an event: %s",
		    icalerror_strerror(icalerrno));
		goto out;
	}
	if (st.spool_cause != NULL) {
		*cause = st.spool_cause;
		st.spool_cause = NULL;
		error = WRITER_IOERR;
		goto out;
	}
	if (st.spool_err || (st.spool != NULL && ferror(st.spool))) {
		xasprintf(cause, "cannot write the scratch file: %s",
		    strerror(errno));
		error = WRITER_IOERR;
		goto out;
	}
	if ((head = calendar_head(&st, cause)) == NULL)
		goto out;
	if (out != NULL) {
		if (opts != NULL && opts->emit != NULL)
			opts->emit(opts->emit_arg, WRITER_EMIT_HEAD,
			    xstrdup(head));
		fputs(head, out);
		if ((error = copy_spool(st.spool, out, cause)) != 0)
			goto out;
		fputs("END:VCALENDAR\r\n", out);
	}
	error = 0;
out:
	free(st.spool_cause);
	free(head);
	for (i = 0; i < st.nzones; i++)
		free(st.zones[i].tzid);
	free(st.zones);
	if (own)
		fclose(st.spool);
	free(mem);
	return error;
}
