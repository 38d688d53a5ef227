/* tz.c: Outlook time-zone blobs (TZREG, TZDEFINITION) and local <-> UTC. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "le.h"
#include "text.h"
#include "tz.h"
#include "xmalloc.h"

#define TZ_REG_SIZE	48
#define TZ_RULE_SIZE	66
#define TZ_MAX_RULES	1024
#define TZ_MAX_KEYNAME	260

static void	get_systime(const uint8_t *, struct tz_systime *);
static void	put_systime(uint8_t *, const struct tz_systime *);
static void	get_rule_body(const uint8_t *, struct tz_rule *);
static void	put_rule_body(uint8_t *, const struct tz_rule *);
static int	rule_cmp(const void *, const void *);
static int	year_of(int64_t);
static int	in_dst_utc(const struct tz_rule *, int64_t);
static int	in_dst_local(const struct tz_rule *, int64_t);
static int64_t	bias_ft(int32_t, int32_t);
static int	ft_sane(int64_t);

static void
get_systime(const uint8_t *p, struct tz_systime *st)
{
	st->year = le_get16(p);
	st->month = le_get16(p + 2);
	st->dow = le_get16(p + 4);
	st->day = le_get16(p + 6);
	st->hour = le_get16(p + 8);
	st->minute = le_get16(p + 10);
	st->second = le_get16(p + 12);
	st->msec = le_get16(p + 14);
}

static void
put_systime(uint8_t *p, const struct tz_systime *st)
{
	le_put16(p, st->year);
	le_put16(p + 2, st->month);
	le_put16(p + 4, st->dow);
	le_put16(p + 6, st->day);
	le_put16(p + 8, st->hour);
	le_put16(p + 10, st->minute);
	le_put16(p + 12, st->second);
	le_put16(p + 14, st->msec);
}

/* The 44 bytes shared by TZRULE (from lBias on) and, with the two year
 * words, TZREG: biases and both SYSTEMTIMEs. */
static void
get_rule_body(const uint8_t *p, struct tz_rule *r)
{
	r->bias = (int32_t)le_get32(p);
	r->std_bias = (int32_t)le_get32(p + 4);
	r->dst_bias = (int32_t)le_get32(p + 8);
	get_systime(p + 12, &r->std_date);
	get_systime(p + 28, &r->dst_date);
}

static void
put_rule_body(uint8_t *p, const struct tz_rule *r)
{
	le_put32(p, (uint32_t)r->bias);
	le_put32(p + 4, (uint32_t)r->std_bias);
	le_put32(p + 8, (uint32_t)r->dst_bias);
	put_systime(p + 12, &r->std_date);
	put_systime(p + 28, &r->dst_date);
}

/* A rule whose UTC offset is a day or more is damage, not a zone: no
 * offset can be written then (iCalendar's is under 24 hours) and the
 * minutes-to-seconds product would not fit. DST counts only when set. */
static int
rule_offsets_ok(const struct tz_rule *r, char **cause)
{
	const int64_t	 day = 24 * 60;
	int64_t		 std = (int64_t)r->bias + r->std_bias;
	int64_t		 dst = (int64_t)r->bias + r->dst_bias;

	if (std <= -day || std >= day ||
	    (r->dst_date.month != 0 && (dst <= -day || dst >= day))) {
		xasprintf(cause, "time zone offset of %lld minutes is out of "
		    "range", (long long)(std <= -day || std >= day ? -std :
		    -dst));
		return 0;
	}
	return 1;
}

int
tz_decode_reg(const uint8_t *p, size_t len, struct tz_rule *r, char **cause)
{
	if (len < TZ_REG_SIZE) {
		xasprintf(cause, "time zone struct is %zu bytes, want 48", len);
		return -1;
	}
	memset(r, 0, sizeof *r);
	r->bias = (int32_t)le_get32(p);
	r->std_bias = (int32_t)le_get32(p + 4);
	r->dst_bias = (int32_t)le_get32(p + 8);
	/* wStandardYear/wDaylightYear duplicate the SYSTEMTIME years. */
	get_systime(p + 14, &r->std_date);
	get_systime(p + 32, &r->dst_date);
	if (!rule_offsets_ok(r, cause)) {
		memset(r, 0, sizeof *r);
		return -1;
	}
	return 0;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct tz_rule *ra = a, *rb = b;

	if (ra->year != rb->year)
		return ra->year < rb->year ? -1 : 1;
	return 0;
}

int
tz_decode_def(const uint8_t *p, size_t len, struct tz *tz, char **cause)
{
	size_t hdr, cch, nrules, off, i;

	memset(tz, 0, sizeof *tz);
	if (len < 6) {
		xasprintf(cause, "time zone definition truncated (%zu bytes)",
		    len);
		return -1;
	}
	if (p[0] != 2) {
		xasprintf(cause, "time zone definition version %u, want 2",
		    p[0]);
		return -1;
	}
	hdr = le_get16(p + 2);
	/* wReserved, cchKeyName and cRules at least. */
	if (hdr < 6 || 4 + hdr > len) {
		xasprintf(cause, "time zone definition header size %zu "
		    "invalid for %zu bytes", hdr, len);
		return -1;
	}
	cch = le_get16(p + 6);
	if (6 + 2 * cch > hdr) {
		xasprintf(cause, "time zone key name of %zu characters "
		    "overruns its header", cch);
		return -1;
	}
	nrules = le_get16(p + 4 + hdr - 2);
	off = 4 + hdr;
	if (nrules == 0 || nrules > TZ_MAX_RULES ||
	    nrules > (len - off) / TZ_RULE_SIZE) {
		xasprintf(cause, "time zone definition has %zu rules in %zu "
		    "bytes", nrules, len - off);
		return -1;
	}
	tz->keyname = cch > 0 ? text_utf16le_to_utf8(p + 8, 2 * cch) : NULL;
	tz->rules = xcalloc(nrules, sizeof *tz->rules);
	tz->nrules = nrules;
	for (i = 0; i < nrules; i++, off += TZ_RULE_SIZE) {
		const uint8_t *q = p + off;
		struct tz_rule *r = &tz->rules[i];

		if (q[0] != 2) {
			xasprintf(cause, "time zone rule %zu version %u, "
			    "want 2", i, q[0]);
			tz_free(tz);
			return -1;
		}
		r->flags = le_get16(q + 4);
		r->year = le_get16(q + 6);
		get_rule_body(q + 22, r);
		if (!rule_offsets_ok(r, cause)) {
			tz_free(tz);
			return -1;
		}
	}
	/* Blobs should already be sorted; rules of the same year need no
	 * order among them, so qsort's instability does not matter. */
	qsort(tz->rules, tz->nrules, sizeof *tz->rules, rule_cmp);
	return 0;
}

int
tz_zone_load(struct tz_zone *z, const uint8_t *def, size_t deflen,
    const uint8_t *reg, size_t reglen)
{
	char	*cause = NULL;

	memset(z, 0, sizeof *z);
	if (def != NULL && tz_decode_def(def, deflen, &z->def, &cause) == 0) {
		if (z->def.nrules > 0)
			z->has_def = 1;
		else
			tz_free(&z->def);
	}
	free(cause);
	cause = NULL;
	if (reg != NULL && tz_decode_reg(reg, reglen, &z->reg, &cause) == 0)
		z->has_reg = 1;
	free(cause);
	return z->has_def || z->has_reg;
}

void
tz_zone_free(struct tz_zone *z)
{
	if (z->has_def)
		tz_free(&z->def);
	memset(z, 0, sizeof *z);
}

const struct tz_rule *
tz_zone_rule(const struct tz_zone *z, int year)
{
	const struct tz_rule	*r;

	if (!z->has_def)
		return &z->reg;
	if ((r = tz_rule_for_year(&z->def, year)) == NULL)
		r = &z->def.rules[0];
	return r;
}

void
tz_free(struct tz *tz)
{
	free(tz->keyname);
	free(tz->rules);
	tz->keyname = NULL;
	tz->rules = NULL;
	tz->nrules = 0;
}

void
tz_encode_reg(const struct tz_rule *r, uint8_t out[48])
{
	memset(out, 0, TZ_REG_SIZE);
	le_put32(out, (uint32_t)r->bias);
	le_put32(out + 4, (uint32_t)r->std_bias);
	le_put32(out + 8, (uint32_t)r->dst_bias);
	le_put16(out + 12, r->std_date.year);
	put_systime(out + 14, &r->std_date);
	le_put16(out + 30, r->dst_date.year);
	put_systime(out + 32, &r->dst_date);
}

int
tz_encode_def(const struct tz *tz, uint8_t **out, size_t *outlen,
    char **cause)
{
	size_t cch, hdr, len, i;
	uint8_t *p, *q;

	cch = tz->keyname != NULL ? text_utf8_to_utf16le(tz->keyname, NULL) : 0;
	if (cch > TZ_MAX_KEYNAME) {
		xasprintf(cause, "time zone key name longer than %d "
		    "characters", TZ_MAX_KEYNAME);
		return -1;
	}
	if (tz->nrules == 0 || tz->nrules > TZ_MAX_RULES) {
		xasprintf(cause, "time zone definition needs 1 to %d rules, "
		    "not %zu", TZ_MAX_RULES, tz->nrules);
		return -1;
	}
	hdr = 6 + 2 * cch;
	len = 4 + hdr + TZ_RULE_SIZE * tz->nrules;
	p = xcalloc(1, len);
	p[0] = 2;
	p[1] = 1;
	le_put16(p + 2, (uint16_t)hdr);
	le_put16(p + 4, 2);
	le_put16(p + 6, (uint16_t)cch);
	if (cch > 0)
		text_utf8_to_utf16le(tz->keyname, p + 8);
	le_put16(p + 8 + 2 * cch, (uint16_t)tz->nrules);
	for (i = 0; i < tz->nrules; i++) {
		q = p + 4 + hdr + TZ_RULE_SIZE * i;
		q[0] = 2;
		q[1] = 1;
		le_put16(q + 2, TZ_RULE_SIZE - 4);
		le_put16(q + 4, tz->rules[i].flags);
		le_put16(q + 6, tz->rules[i].year);
		/* The "unused" bytes: Outlook writes January 1 there. */
		le_put16(q + 8, 1);
		le_put16(q + 12, 1);
		put_rule_body(q + 22, &tz->rules[i]);
	}
	*out = p;
	*outlen = len;
	return 0;
}

const struct tz_rule *
tz_rule_for_year(const struct tz *tz, int year)
{
	size_t i;
	const struct tz_rule *r;

	if (tz->nrules == 0)
		return NULL;
	r = &tz->rules[0];
	for (i = 1; i < tz->nrules; i++) {
		if (tz->rules[i].year > year)
			break;
		r = &tz->rules[i];
	}
	return r;
}

int
tz_rule_has_dst(const struct tz_rule *r)
{
	const struct tz_systime	*s[2] = { &r->std_date, &r->dst_date };
	int			 i;

	/* Transitions that a VTIMEZONE cannot state as yearly rules are
	 * damage: the rule is taken as without DST everywhere, so that the
	 * times converted and the zone written agree. */
	for (i = 0; i < 2; i++) {
		if (s[i]->month < 1 || s[i]->month > 12 || s[i]->hour > 23 ||
		    s[i]->minute > 59 || s[i]->second > 59)
			return 0;
		if (s[i]->year == 0 && (s[i]->dow > 6 || s[i]->day < 1 ||
		    s[i]->day > 5))
			return 0;
		if (s[i]->year != 0 && (s[i]->day < 1 || s[i]->day > 31))
			return 0;
	}
	return 1;
}

int
tz_weekday(int64_t days)
{
	int64_t w;

	/* 1601-01-01 was a Monday. */
	w = (days + 1) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int
year_of(int64_t ft)
{
	int64_t days;
	int y, m, d;

	days = ft / FT_DAY;
	if (ft < 0 && ft % FT_DAY != 0)
		days--;
	ft_civil_from_days(days, &y, &m, &d);
	return y;
}

int64_t
tz_transition(const struct tz_systime *st, int year)
{
	int64_t first, day, next;
	int month, dow, nth, dim;

	month = st->month < 1 ? 1 : st->month > 12 ? 12 : st->month;
	if (st->year != 0) {
		day = ft_days_from_civil(year, month, 1) +
		    (st->day > 0 ? st->day - 1 : 0);
	} else {
		dow = st->dow % 7;
		nth = st->day < 1 ? 1 : st->day > 5 ? 5 : st->day;
		first = ft_days_from_civil(year, month, 1);
		next = month == 12 ? ft_days_from_civil(year + 1, 1, 1) :
		    ft_days_from_civil(year, month + 1, 1);
		dim = (int)(next - first);
		day = first + (dow - tz_weekday(first) + 7) % 7 +
		    7 * (nth - 1);
		while (day - first >= dim)
			day -= 7;
	}
	return day * FT_DAY + ((int64_t)st->hour * 60 + st->minute) *
	    FT_MIN + (int64_t)st->second * 10000000 +
	    (int64_t)st->msec * 10000;
}

/* A sum of two biases (minutes) as FILETIME ticks; int64 so that no
 * bias from an untrusted blob can overflow. */
static int64_t
bias_ft(int32_t a, int32_t b)
{
	return ((int64_t)a + b) * FT_MIN;
}

/* Times far outside any calendar (APPT_NOTIME, garbage) are passed
 * through unconverted rather than overflowing. */
static int
ft_sane(int64_t ft)
{
	return ft > -(INT64_C(1) << 61) && ft < (INT64_C(1) << 61);
}

/* Whether a UTC time falls in daylight saving time. The daylight rule is
 * given in standard local time, the standard rule in daylight time. */
static int
in_dst_utc(const struct tz_rule *r, int64_t utc)
{
	int64_t start, end;
	int y;

	y = year_of(utc - bias_ft(r->bias, r->std_bias));
	start = tz_transition(&r->dst_date, y) + bias_ft(r->bias, r->std_bias);
	end = tz_transition(&r->std_date, y) + bias_ft(r->bias, r->dst_bias);
	if (start < end)
		return utc >= start && utc < end;
	/* Southern hemisphere: daylight time spans the new year. */
	return utc >= start || utc < end;
}

/* Whether a local wall-clock time is daylight time. Times in the
 * skipped hour and in the repeated hour resolve to standard time. */
static int
in_dst_local(const struct tz_rule *r, int64_t local)
{
	int64_t start, end, delta;
	int y;

	y = year_of(local);
	delta = ((int64_t)r->std_bias - r->dst_bias) * FT_MIN;
	if (delta < 0)
		delta = 0;
	start = tz_transition(&r->dst_date, y) + delta;
	end = tz_transition(&r->std_date, y) - delta;
	if (tz_transition(&r->dst_date, y) < tz_transition(&r->std_date, y))
		return local >= start && local < end;
	return local >= start || local < end;
}

int64_t
tz_utc_to_local(const struct tz_rule *r, int64_t utc)
{
	if (!ft_sane(utc))
		return utc;
	if (tz_rule_has_dst(r) && in_dst_utc(r, utc))
		return utc - bias_ft(r->bias, r->dst_bias);
	return utc - bias_ft(r->bias, r->std_bias);
}

int64_t
tz_local_to_utc(const struct tz_rule *r, int64_t local)
{
	if (!ft_sane(local))
		return local;
	if (tz_rule_has_dst(r) && in_dst_local(r, local))
		return local + bias_ft(r->bias, r->dst_bias);
	return local + bias_ft(r->bias, r->std_bias);
}

int64_t
tz_def_utc_to_local(const struct tz *tz, int64_t utc)
{
	const struct tz_rule *r;
	int64_t local;

	if (!ft_sane(utc) || (r = tz_rule_for_year(tz, year_of(utc))) == NULL)
		return utc;
	local = tz_utc_to_local(r, utc);
	/* Near the new year the local year may pick another rule. */
	if (tz_rule_for_year(tz, year_of(local)) != r) {
		r = tz_rule_for_year(tz, year_of(local));
		local = tz_utc_to_local(r, utc);
	}
	return local;
}

int64_t
tz_def_local_to_utc(const struct tz *tz, int64_t local)
{
	const struct tz_rule *r;

	if (!ft_sane(local) ||
	    (r = tz_rule_for_year(tz, year_of(local))) == NULL)
		return local;
	return tz_local_to_utc(r, local);
}

int32_t
tz_std_offset(const struct tz_rule *r)
{
	return (int32_t)(-((int64_t)r->bias + r->std_bias) * 60);
}

int32_t
tz_dst_offset(const struct tz_rule *r)
{
	return (int32_t)(-((int64_t)r->bias + r->dst_bias) * 60);
}
