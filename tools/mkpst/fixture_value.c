/* fixture_value.c: fixture property values -> times (through the
 * file's VTIMEZONEs), people, alarms, busy status, raw properties,
 * RTF bodies, recurrence and the X-PST- switches. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "fixture_int.h"
#include "ft.h"
#include "goid.h"
#include "icsread.h"
#include "le.h"
#include "model.h"
#include "pstwrite.h"
#include "rtf.h"
#include "text.h"
#include "tz.h"
#include "xmalloc.h"

static int64_t
to_utc(const struct tz_rule *tz, int64_t local)
{
	return tz != NULL ? tz_local_to_utc(tz, local) : local;
}

/* ---- small helpers ------------------------------------------------- */

const struct zone *
fx_zone_find(struct conv *cv, const char *tzid)
{
	size_t i;

	for (i = 0; i < cv->nzones; i++)
		if (strcmp(cv->zones[i].tzid, tzid) == 0)
			return &cv->zones[i];
	return NULL;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* A DATE or DATE-TIME value -> local wall-clock FILETIME; *utc set if
 * it ends in Z. */
int
fx_parse_time_value(const char *s, size_t n, int64_t *ft, int *is_date,
    int *utc)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	*is_date = 0;
	*utc = 0;
	if (n < 8 || digits(s, 4, &y) || digits(s + 4, 2, &mo) ||
	    digits(s + 6, 2, &d))
		return -1;
	if (n == 8)
		*is_date = 1;
	else if ((n == 15 || (n == 16 && s[15] == 'Z')) && s[8] == 'T' &&
	    digits(s + 9, 2, &h) == 0 && digits(s + 11, 2, &mi) == 0 &&
	    digits(s + 13, 2, &se) == 0)
		*utc = n == 16;
	else
		return -1;
	if (y < 1601 || y > 4500 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	*ft = ft_from_civil(y, mo, d, h, mi, se);
	return 0;
}

/* A time property (first value of a list when idx = 0) -> UTC. The
 * zone is the TZID parameter, else dflt; UTC when neither. */
int
fx_prop_time(struct conv *cv, const struct cprop *p, const char *val,
    size_t n, const struct zone *dflt, int64_t *ft, int *is_date,
    const struct zone **zused, char **cause)
{
	const char *tzid = fx_param_get(p, "TZID");
	const struct zone *z = dflt;
	int utc;

	if (fx_parse_time_value(val, n, ft, is_date, &utc) != 0)
		return fx_err(cv, p->line, cause, p->name,
		    "bad date or date-time \"%.*s\"", (int)n, val);
	if (tzid != NULL && (z = fx_zone_find(cv, tzid)) == NULL)
		return fx_err(cv, p->line, cause, p->name,
		    "TZID \"%s\" has no VTIMEZONE in this file", tzid);
	if (utc)
		z = NULL;
	else if (z != NULL)
		*ft = to_utc(&z->rule, *ft);
	if (zused != NULL)
		*zused = utc ? NULL : z;
	return 0;
}

/* A VTIMEZONE: read by icsread's zone reader, as pstdedup reads the
 * .ics files it is given (strict: Outlook's one STANDARD and at most one
 * DAYLIGHT, yearly rules). */
int
fx_parse_vtimezone(struct conv *cv, const struct comp *c, char **cause)
{
	struct zone	 z;
	struct cprop	*id;
	char		*text, *tzid = NULL, *why = NULL, *colon;
	int		 error;

	if ((id = fx_prop_get(c, "TZID")) == NULL || *id->value == '\0')
		return fx_err(cv, c->line, cause, "VTIMEZONE", "no TZID");
	memset(&z, 0, sizeof z);
	text = fx_comp_text(c);
	error = icsread_zone(text, 1, &tzid, &z.rule, &why);
	free(text);
	free(tzid);
	if (error != 0) {
		/* "VTIMEZONE tzid: why" from icsread: tzid is ours. */
		colon = strncmp(why, "VTIMEZONE ", 10) == 0 ?
		    strstr(why, ": ") : NULL;
		if (colon != NULL)
			fx_err(cv, c->line, cause, "VTIMEZONE", "%s",
			    colon + 2);
		else
			fx_err(cv, c->line, cause, "VTIMEZONE", "%s", why);
		free(why);
		return -1;
	}
	if (fx_zone_find(cv, id->value) != NULL)
		return fx_err(cv, id->line, cause, "TZID",
		    "zone \"%s\" defined twice", id->value);
	z.tzid = xstrdup(id->value);
	z.desc = fx_prop_text(c, "X-PST-TZ-DESC");
	cv->zones = xreallocarray(cv->zones, cv->nzones + 1, sizeof z);
	cv->zones[cv->nzones++] = z;
	return 0;
}

int
fx_prop_int(struct conv *cv, const struct cprop *p, long lo, long hi,
    int32_t *v, char **cause)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(p->value, &end, 0);
	if (errno != 0 || end == p->value || *end != '\0' || n < lo || n > hi)
		return fx_err(cv, p->line, cause, p->name,
		    "expected an integer in %ld..%ld, not \"%s\"", lo, hi,
		    p->value);
	*v = (int32_t)n;
	return 0;
}

int
fx_prop_utc(struct conv *cv, const struct cprop *p, int64_t *ft, char **cause)
{
	int is_date;

	return fx_prop_time(cv, p, p->value, strlen(p->value), NULL, ft,
	    &is_date, NULL, cause);
}

static const char *
strip_mailto(const char *s)
{
	return strncasecmp(s, "mailto:", 7) == 0 ? s + 7 : s;
}

static int32_t
partstat(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcasecmp(s, "ACCEPTED") == 0)
		return 3;
	if (strcasecmp(s, "DECLINED") == 0)
		return 4;
	if (strcasecmp(s, "TENTATIVE") == 0)
		return 2;
	if (strcasecmp(s, "NEEDS-ACTION") == 0)
		return 5;
	return 0;
}

static void
people_add(struct fixture_person **v, size_t *n, const char *name,
    const char *email, int32_t type, int32_t flags, int32_t track)
{
	struct fixture_person *p;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	p = &(*v)[(*n)++];
	p->name = name != NULL ? xstrdup(name) : NULL;
	p->email = email != NULL && *email != '\0' ? xstrdup(email) : NULL;
	p->type = type;
	p->flags = flags;
	p->track = track;
}

void
fx_parse_people(const struct comp *c, struct fixture_appt *a)
{
	const struct cprop *p;
	const char *role, *cu, *email;
	int32_t type;
	size_t i;

	if ((p = fx_prop_get(c, "ORGANIZER")) != NULL) {
		email = strip_mailto(p->value);
		free(a->org_name);
		free(a->org_email);
		a->org_name = fx_param_get(p, "CN") != NULL ?
		    xstrdup(fx_param_get(p, "CN")) : NULL;
		a->org_email = *email != '\0' ? xstrdup(email) : NULL;
		if (!a->mail)
			people_add(&a->rcpts, &a->nrcpts, a->org_name, email,
			    1, 0x3, 0);
	}
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "ATTENDEE") != 0)
			continue;
		email = strip_mailto(p->value);
		if (!a->mail && a->org_email != NULL &&
		    strcasecmp(email, a->org_email) == 0)
			continue;
		role = fx_param_get(p, "ROLE");
		cu = fx_param_get(p, "CUTYPE");
		type = 1;
		if (role != NULL && strcasecmp(role, "OPT-PARTICIPANT") == 0)
			type = 2;
		if ((role != NULL && strcasecmp(role,
		    "NON-PARTICIPANT") == 0) || (cu != NULL &&
		    (strcasecmp(cu, "RESOURCE") == 0 ||
		    strcasecmp(cu, "ROOM") == 0)))
			type = 3;
		people_add(&a->rcpts, &a->nrcpts, fx_param_get(p, "CN"), email,
		    type, 0x1, partstat(fx_param_get(p, "PARTSTAT")));
	}
}

/* The first VALARM's relative TRIGGER -> minutes before start. */
int
fx_parse_alarm(struct conv *cv, const struct comp *c, int *set, int32_t *min,
    char **cause)
{
	struct icaldurationtype d;
	const struct cprop *t;
	const char *v;
	size_t i;
	int secs;

	for (i = 0; i < c->nkids; i++) {
		if (strcmp(c->kids[i]->name, "VALARM") != 0)
			continue;
		if ((t = fx_prop_get(c->kids[i], "TRIGGER")) == NULL)
			return fx_err(cv, c->kids[i]->line, cause, "VALARM",
			    "needs a TRIGGER");
		v = fx_param_get(t, "VALUE");
		if ((v != NULL && strcasecmp(v, "DURATION") != 0) ||
		    ((v = fx_param_get(t, "RELATED")) != NULL &&
		    strcasecmp(v, "START") != 0))
			return fx_err(cv, t->line, cause, "TRIGGER",
			    "only a duration before the start is supported");
		d = icaldurationtype_from_string(t->value);
		if (icaldurationtype_is_bad_duration(d))
			return fx_err(cv, t->line, cause, "TRIGGER",
			    "bad duration \"%s\"", t->value);
		secs = icaldurationtype_as_int(d);
		*set = 1;
		*min = -secs / 60;
		return 0;
	}
	return 0;
}

int
fx_busy_value(struct conv *cv, const struct comp *c, int32_t *busy,
    const char *name, char **cause)
{
	static const char *const names[] = {
		"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"
	};
	const struct cprop *p;
	int i;

	if ((p = fx_prop_get(c, name)) == NULL)
		return 0;
	for (i = 0; i < 5; i++) {
		if (strcasecmp(p->value, names[i]) == 0) {
			*busy = i;
			return 0;
		}
	}
	return fx_err(cv, p->line, cause, p->name,
	    "expected FREE, TENTATIVE, BUSY, OOF or WORKINGELSEWHERE");
}

/* Parse "{GUID}" into on-disk order. */
static int
parse_guid(const char *s, uint8_t g[16])
{
	static const int pos[16] = {
		7, 5, 3, 1, 12, 10, 17, 15, 20, 22, 25, 27, 29, 31, 33, 35
	};
	int i, hi, lo;

	if (strlen(s) < 38 || s[0] != '{' || s[37] != '}' || s[9] != '-' ||
	    s[14] != '-' || s[19] != '-' || s[24] != '-')
		return -1;
	for (i = 0; i < 16; i++) {
		hi = goid_hex_digit((unsigned char)s[pos[i]]);
		lo = goid_hex_digit((unsigned char)s[pos[i] + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		g[i] = hi << 4 | lo;
	}
	return 0;
}

/* TARGET of X-PST-PROP: 0xTTTT, {GUID}/0xLID or {GUID}/Name. */
static int
raw_target(char *s, struct fixture_raw *r)
{
	char		*end, *slash;
	long long	 n;

	if (s[0] == '{') {
		if ((slash = strchr(s, '/')) == NULL ||
		    parse_guid(s, r->guid) != 0)
			return -1;
		slash++;
		if (strncasecmp(slash, "0x", 2) == 0) {
			r->named = 1;
			r->lid = strtoul(slash, &end, 16);
			if (*end != '\0')
				return -1;
		} else if (*slash != '\0') {
			r->named = 2;
			r->name = xstrdup(slash);
		} else
			return -1;
		return 0;
	}
	errno = 0;
	n = strtoll(s, &end, 16);
	if (errno != 0 || *end != '\0' || n <= 0 || n > 0xFFFF ||
	    strncasecmp(s, "0x", 2) != 0)
		return -1;
	r->tag = (uint16_t)n;
	return 0;
}

/* VALUE of X-PST-PROP as r->type says; 0 or -1. */
static int
raw_value(const char *v, struct fixture_raw *r)
{
	const char	*e;
	char		*end;
	long long	 n;
	int64_t		 ft;
	int		 is_date, utc;

	switch (r->type) {
	case PSTW_I2:
	case PSTW_I4:
	case PSTW_BOOL:
	case PSTW_I8:
		errno = 0;
		n = strtoll(v, &end, 0);
		if (errno != 0 || end == v || *end != '\0')
			return -1;
		r->len = r->type == PSTW_I2 ? 2 : r->type == PSTW_BOOL ? 1 :
		    r->type == PSTW_I4 ? 4 : 8;
		r->val = xcalloc(1, 8);
		le_put64(r->val, (uint64_t)n);
		break;
	case PSTW_SYSTIME:
		if (fx_parse_time_value(v, strlen(v), &ft, &is_date, &utc) != 0)
			return -1;
		r->len = 8;
		r->val = xmalloc(8);
		le_put64(r->val, (uint64_t)ft);
		break;
	case PSTW_BINARY:
		if (*v == '\0') {
			r->val = xmalloc(1);
			r->len = 0;
		} else if (goid_hex_decode(v, &r->val, &r->len) != 0)
			return -1;
		break;
	case PSTW_MV_UNICODE:
		for (e = v; ; e++) {
			r->mv = xreallocarray(r->mv, r->nmv + 1,
			    sizeof *r->mv);
			r->mv[r->nmv++] = fx_text_unescape(e, &e, 1);
			if (*e != ',')
				break;
		}
		break;
	default:
		r->val = (uint8_t *)fx_text_unescape(v, NULL, 0);
		r->len = strlen((char *)r->val);
		break;
	}
	return 0;
}

int
fx_parse_raw(struct conv *cv, const struct cprop *p, struct fixture_raw *r,
    char **cause)
{
	static const struct {
		const char	*name;
		uint16_t	 type;
	} types[] = {
		{ "I2", PSTW_I2 }, { "I4", PSTW_I4 }, { "BOOL", PSTW_BOOL },
		{ "I8", PSTW_I8 }, { "TIME", PSTW_SYSTIME },
		{ "UNICODE", PSTW_UNICODE }, { "STRING", PSTW_UNICODE },
		{ "STRING8", PSTW_STRING8 }, { "BINARY", PSTW_BINARY },
		{ "MV_UNICODE", PSTW_MV_UNICODE }
	};
	char	*s = xstrdup(p->value), *c1, *c2;
	size_t	 i;

	memset(r, 0, sizeof *r);
	/* The GUID part has no ':'; split TARGET:TYPE:VALUE. */
	if ((c1 = strchr(s, ':')) == NULL || (c2 = strchr(c1 + 1, ':')) ==
	    NULL) {
		free(s);
		return fx_err(cv, p->line, cause, p->name,
		    "expected TARGET:TYPE:VALUE");
	}
	*c1 = *c2 = '\0';
	if (raw_target(s, r) != 0) {
		free(s);
		free(r->name);
		r->name = NULL;
		return fx_err(cv, p->line, cause, p->name, "bad target: "
		    "expected 0xTTTT, {GUID}/0xLID or {GUID}/Name");
	}
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(c1 + 1, types[i].name) == 0)
			break;
	if (i == sizeof types / sizeof types[0]) {
		fx_err(cv, p->line, cause, p->name, "unknown type \"%s\"",
		    c1 + 1);
		free(s);
		free(r->name);
		r->name = NULL;
		return -1;
	}
	r->type = types[i].type;
	if (raw_value(c2 + 1, r) != 0) {
		fx_err(cv, p->line, cause, p->name, "bad %s value \"%s\"",
		    c1 + 1, c2 + 1);
		free(s);
		free(r->name);
		r->name = NULL;
		return -1;
	}
	free(s);
	return 0;
}

/* Append s to an RTF document, escaped; non-ASCII as \uN?. */
static void
rtf_escape(char **buf, size_t *len, size_t *cap, const char *s, int par)
{
	const unsigned char *p = (const unsigned char *)s;
	uint8_t u[8];
	char tmp[32], seq[5];
	size_t n, k;
	int c;

	while (*p != '\0') {
		if (*len + 64 > *cap) {
			*cap = *cap * 2 + 64;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		if (*p == '\\' || *p == '{' || *p == '}') {
			(*buf)[(*len)++] = '\\';
			(*buf)[(*len)++] = *p++;
		} else if (*p == '\n' && par) {
			memcpy(*buf + *len, "\\par\r\n", 6);
			*len += 6;
			p++;
		} else if (*p < 0x80) {
			if (*p != '\r')
				(*buf)[(*len)++] = *p;
			p++;
		} else {
			/* One UTF-8 sequence -> UTF-16 units. */
			for (n = 1; p[n] != '\0' && (p[n] & 0xC0) == 0x80 &&
			    n < 4; n++)
				;
			memcpy(seq, p, n);
			seq[n] = '\0';
			k = 2 * text_utf8_to_utf16le(seq, u);
			for (n = 0; n < k; n += 2) {
				c = (int16_t)le_get16(u + n);
				snprintf(tmp, sizeof tmp, "\\u%d?", c);
				memcpy(*buf + *len, tmp, strlen(tmp));
				*len += strlen(tmp);
			}
			for (p++; (*p & 0xC0) == 0x80; p++)
				;
		}
	}
}

/* X-PST-RTF: the body as compressed RTF, plain or HTML-encapsulating. */
int
fx_make_rtf(struct conv *cv, const struct cprop *p, struct fixture_appt *a,
    char **cause)
{
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap), *why = NULL;
	const char *head;
	size_t vlen = strlen(p->value);
	int html = vlen >= 4 && strncasecmp(p->value, "html", 4) == 0;
	int only = vlen >= 4 && strcasecmp(p->value + 4, "-only") == 0;

	if ((!html && (vlen < 4 || strncasecmp(p->value, "text", 4) != 0)) ||
	    (vlen != 4 && !only)) {
		free(buf);
		return fx_err(cv, p->line, cause, p->name,
		    "expected html, text, html-only or text-only");
	}
	if ((html && a->html == NULL) || (!html && a->body == NULL)) {
		free(buf);
		return fx_err(cv, p->line, cause, p->name, "needs %s",
		    html ? "X-ALT-DESC;FMTTYPE=text/html" : "DESCRIPTION");
	}
	head = html ? "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0"
	    "{\\fonttbl{\\f0\\fswiss Arial;}}\r\n{\\*\\htmltag64 " :
	    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss "
	    "Calibri;}}\r\n\\f0 ";
	len = strlen(head);
	if (len + 1 > cap) {
		cap = len + 256;
		buf = xreallocarray(buf, cap, 1);
	}
	memcpy(buf, head, len);
	rtf_escape(&buf, &len, &cap, html ? a->html : a->body, !html);
	if (len + 8 > cap) {
		cap = len + 8;
		buf = xreallocarray(buf, cap, 1);
	}
	if (html)
		buf[len++] = '}';
	buf[len++] = '}';
	buf[len] = '\0';
	if (rtf_compress(buf, len, &a->rtf, &a->rtflen, &why) != 0) {
		fx_err(cv, p->line, cause, p->name, "%s", why);
		free(why);
		free(buf);
		return -1;
	}
	free(buf);
	if (only) {
		free(html ? a->html : a->body);
		if (html)
			a->html = NULL;
		else
			a->body = NULL;
	}
	return 0;
}



/* RRULE -> the pattern and its range, in the series' local time. */
int
fx_parse_rrule(struct conv *cv, const struct cprop *p, struct ev *e,
    char **cause)
{
	char	*why = NULL;
	int	 rv;

	if (icsread_rrule(p->value, e->a.tz, e->a.tz, e->a.start, e->a.end,
	    1, &e->a.pat, &why) == 0)
		return 0;
	rv = fx_err(cv, p->line, cause, "RRULE", "%s", why);
	free(why);
	return rv;
}

int
fx_parse_goid_prop(struct conv *cv, const struct cprop *p, uint8_t **b,
    size_t *len, char **cause)
{
	if (goid_hex_decode(p->value, b, len) != 0)
		return fx_err(cv, p->line, cause, p->name,
		    "expected an even number of hex digits");
	return 0;
}

int
fx_parse_broken(struct conv *cv, const struct cprop *p, int *broken,
    char **cause)
{
	static const struct {
		const char	*name;
		int		 bit;
	} kinds[] = {
		{ "recur-truncate", FIXTURE_BROKEN_RECUR_TRUNCATE },
		{ "recur-count-lie", FIXTURE_BROKEN_RECUR_COUNT_LIE },
		{ "tz-truncate", FIXTURE_BROKEN_TZ_TRUNCATE },
		{ "goid-truncate", FIXTURE_BROKEN_GOID_TRUNCATE }
	};
	char *s = xstrdup(p->value), *w, *save = NULL;
	size_t i;

	for (w = strtok_r(s, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcasecmp(w, kinds[i].name) == 0)
				break;
		if (i == sizeof kinds / sizeof kinds[0]) {
			fx_err(cv, p->line, cause, p->name,
			    "unknown breakage \"%s\"", w);
			free(s);
			return -1;
		}
		*broken |= kinds[i].bit;
	}
	free(s);
	return 0;
}
