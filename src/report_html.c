/* report_html.c: the review report as one self-contained HTML page. */
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "combined.h"
#include "dedup.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "report.h"
#include "report_html.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

/* A growing string. */
struct hstr {
	char		*p;
	size_t		 len, cap;
};

/* An item's time zone, for showing local times. */
struct hzone {
	struct tz	 def;
	struct tz_rule	 reg;
	int		 has_def, has_reg;
};

/* The rows of a group's table, in order. */
enum hfield {
	HF_SUBJECT,
	HF_START,
	HF_END,
	HF_TZ,
	HF_LOCATION,
	HF_ORGANIZER,
	HF_ATTENDEES,
	HF_RECUR,
	HF_EXCEPTIONS,
	HF_BODY,
	HF_ATTACH,
	HF_REMINDER,
	HF_CATEGORIES,
	HF_CREATOR,
	HF_MODIFIER,
	HF_CREATED,
	HF_MODIFIED,
	HF_SEQUENCE,
	HF_FOLDER,
	HF_UID,
	HF_ID,
	HF_COUNT
};

static const struct {
	const char	*key;		/* data-field */
	const char	*label;
	int		 compare;	/* mark differences */
} hfields[HF_COUNT] = {
	{ "subject",	"Subject",		1 },
	{ "start",	"Start",		1 },
	{ "end",	"End",			1 },
	{ "timezone",	"Time zone",		1 },
	{ "location",	"Location",		1 },
	{ "organizer",	"Organizer",		1 },
	{ "attendees",	"Attendees",		1 },
	{ "recurrence",	"Recurrence",		1 },
	{ "exceptions",	"Exceptions",		1 },
	{ "body",	"Body",			1 },
	{ "attachments", "Attachments",		1 },
	{ "reminder",	"Reminder",		1 },
	{ "categories",	"Categories",		1 },
	{ "creator",	"Created by",		1 },
	{ "modifier",	"Last modified by",	1 },
	{ "created",	"Created",		1 },
	{ "modified",	"Modified",		1 },
	{ "sequence",	"Sequence",		1 },
	{ "folder",	"Folder",		1 },
	/* Every copy has its own: a difference says nothing. */
	{ "uid",	"UID written",		0 },
	{ "id",		"Item id",		0 }
};

/* A bar of a chart. */
struct hbar {
	char		*label;		/* owned */
	long		 key;		/* month or year */
	size_t		 n;
};

/* What the page shows, whether it comes from a run in memory (one
 * input) or from the combined JSON report (many): one renderer. */

/* One copy of a group: a column. */
struct hcopy {
	int		 kept;
	int		 older;		/* removed as an older revision */
	char		 id[24];	/* "0xNID" */
	char		 of[24];	/* removed: the copy it duplicates */
	char		*v[HF_COUNT];	/* each row's text, owned; NULL:
					   absent */
};

struct hgroup {
	size_t		 num;		/* as in the text and JSON reports */
	enum dedup_kind	 kind;
	enum dedup_rule	 rule;
	int		 review;
	const char	*why, *key;
	const char	*subject;	/* for the index */
	struct hcopy	*c;		/* kept first */
	size_t		 n;
};

/* A skipped item (flag: damaged) or a warning (flag: degraded). */
struct hrow {
	char		 id[24];
	int		 flag;
	const char	*folder, *subject, *why;
};

struct hfolder {
	const char	*path;
	int		 is_default;
	size_t		 read, kept, removed, skipped, groups;
	const char	*calendar, *removed_file;
};

/* One input's section. Everything borrowed. */
struct hinput {
	const char	*file, *store, *options;
	int		 file_type;
	int		 status;	/* exit status; -1: a single run */
	struct report_totals totals;
	struct hfolder	*folders;
	size_t		 nfolders;
	int		 files;		/* show the files written */
	int64_t		*starts;	/* removed copies, for the charts */
	const char	**creators;
	size_t		 nremoved;
	struct hgroup	*groups;	/* num, kind, review, subject */
	size_t		 ngroups;
	/* Group i in full; h_group_free() it. */
	void		(*group)(const void *, size_t, struct hgroup *);
	const void	*ctx;
	struct hrow	*skips, *warns;
	size_t		 nskips, nwarns;
};

static void	 hs_printf(struct hstr *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 hs_puts(struct hstr *, const char *);
static char	*hs_take(struct hstr *);

static void	 h_esc(FILE *, const char *);
static void	 h_esc_lines(FILE *, const char *);
static void	 h_num(FILE *, size_t);

static void	 hz_load(struct hzone *, const struct appt *);
static void	 hz_free(struct hzone *);
static void	 h_civil(int64_t, int *, int *, int *, int *, int *, int *);
static void	 h_when(struct hstr *, int64_t, int);
static char	*h_time(const struct hzone *, int64_t, int);
static char	*h_utc(int64_t);
static char	*h_zone(const struct hzone *, const struct appt *);
static char	*h_people(const struct appt *);
static void	 h_person(struct hstr *, const char *, const char *);
static char	*h_organizer(const struct appt *);
static void	 h_local_min(struct hstr *, uint32_t, int);
static void	 h_days(struct hstr *, uint32_t);
static char	*h_recur(const struct appt *, struct recur *, int *);
static char	*h_exceptions(const struct appt *, const struct recur *, int);
static char	*h_body(const struct appt *);
static char	*h_attach(const struct appt *);
static char	*h_reminder(const struct appt *);
static char	*h_categories(const struct appt *);
static void	 h_fields(const struct appt *, char **);
static void	 h_fields_free(char **);
static int	 h_same(const char *, const char *);

static const struct appt *h_item(const struct report_run *, size_t);
static const char *h_rule_words(enum dedup_rule);
static const char *h_kind_words(enum dedup_kind);
static void	 h_head(FILE *, const char *);
static int	 h_foot(FILE *);
static void	 h_input(FILE *, const struct hinput *, size_t);
static void	 h_header(FILE *, const struct hinput *);
static void	 h_totals(FILE *, const struct report_totals *, const char *);
static void	 h_folders(FILE *, const struct hinput *);
static void	 h_files(FILE *, const char *, const char *);
static void	 h_charts(FILE *, const int64_t *, const char *const *,
		    size_t);
static void	 h_chart_months(FILE *, const int64_t *, size_t);
static void	 h_chart_creators(FILE *, const char *const *, size_t);
static void	 h_bars_free(struct hbar *, size_t);
static int	 h_bar_cmp(const void *, const void *);
static int	 h_long_cmp(const void *, const void *);
static size_t	*h_group_order(const struct hgroup *, size_t);
static void	 h_index(FILE *, const struct hgroup *, size_t, size_t,
		    const size_t *);
static void	 h_group(FILE *, const struct hgroup *, size_t);
static void	 h_group_free(struct hgroup *);
static void	 h_rows(FILE *, const struct hrow *, size_t, int);

static void	 h_run_group(const void *, size_t, struct hgroup *);

static int64_t	 h_iso_ft(const char *);
static const char *h_jstr(json_t *, const char *);
static size_t	 h_jnum(json_t *, const char *);
static void	 h_jtotals(json_t *, struct report_totals *);
static void	 h_jcopy(json_t *, int, struct hcopy *);
static void	 h_json_group(const void *, size_t, struct hgroup *);
static json_t	*h_jpick(json_t *, const char *, const char *);
static void	 h_jremoved(json_t *, int64_t **, const char ***, size_t *);
static void	 h_jrows(json_t *, int, struct hrow **, size_t *);
static void	 h_json_input(FILE *, json_t *, json_t *, size_t);
static void	 h_json_overview(FILE *, json_t *);


static const char *const h_wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const h_wday_long[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const h_mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *const h_mon_long[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* The page's only style and script: their hashes go into the CSP, so
 * they are constants. Nothing here may depend on the data. */
static const char h_style[] =
"\n"
":root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--kept:#dafbe1;"
"--keptink:#116329;--rm:#ffebe9;--rmink:#a40e26;--diff:#fff1a8;"
"--diffline:#bf8700;--review:#bc4c00}\n"
"*{box-sizing:border-box}\n"
"[hidden]{display:none!important}\n"
"body{margin:0;font:14px/1.4 system-ui,-apple-system,\"Segoe UI\","
"Roboto,\"Noto Sans\",\"DejaVu Sans\",Arial,sans-serif;color:var(--ink);"
"background:#fff}\n"
"header.page{padding:8px 24px;background:#24292f;color:#fff;"
"display:flex;flex-wrap:wrap;align-items:center;gap:6px 24px}\n"
"header.page h1{font-size:18px;margin:0;font-weight:600}\n"
"header.page p{margin:0 0 0 auto}\n"
"#filterbox label{font-weight:600;margin-right:6px}\n"
"#filter{font:inherit;padding:3px 8px;width:20em;max-width:50vw;"
"border:1px solid #8c959f;border-radius:4px}\n"
"#shown{margin-left:8px;color:#d0d7de}\n"
"main{padding:0 24px 24px}\n"
"h2{font-size:17px;margin:12px 0 8px;padding-bottom:3px;"
"border-bottom:2px solid var(--line);overflow-wrap:anywhere}\n"
"h3{font-size:15px;margin:14px 0 6px}\n"
"h3.groups{margin:10px 0 0}\n"
".top{display:flex;flex-wrap:wrap;gap:8px 32px;align-items:flex-start}\n"
".sums{flex:1 1 40em;min-width:0}\n"
"dl.run{display:grid;grid-template-columns:max-content minmax(0,26em);"
"gap:1px 10px;margin:0}\n"
"dl.run dt{color:var(--muted)}\n"
"dl.run dd{margin:0;overflow-wrap:anywhere}\n"
"table{border-collapse:collapse}\n"
"th,td{text-align:left;vertical-align:top;padding:2px 8px;"
"border:1px solid var(--line)}\n"
"thead th{background:#f6f8fa}\n"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
"table.totals th{font-size:12px;font-weight:600;color:var(--muted);"
"text-align:center;padding:2px 6px}\n"
"table.totals td{text-align:center;font-size:18px;"
"font-variant-numeric:tabular-nums}\n"
"table.totals td.key{font-weight:700}\n"
"p.legend{color:var(--muted);font-size:12px;margin:3px 0 8px;"
"max-width:62em}\n"
".charts{display:flex;flex-wrap:wrap;gap:4px 24px;margin-top:10px}\n"
"figure{margin:0}\n"
"figcaption{font-weight:600;margin-bottom:2px}\n"
"svg.chart{display:block;max-width:100%;height:auto}\n"
"svg.chart text{font:12px system-ui,\"DejaVu Sans\",Arial,sans-serif;"
"fill:var(--ink)}\n"
"svg.chart rect.bar{fill:#cf222e}\n"
"svg.chart line{stroke:#8c959f}\n"
"ul.index{margin:4px 0;padding-left:20px}\n"
"section.group{margin:12px 0 18px;padding:6px 10px 10px;"
"border:1px solid var(--line);border-left:6px solid #8c959f;"
"border-radius:4px}\n"
"section.group.conflict{border-left-color:#8250df}\n"
"section.group.review{border-left-color:var(--review);"
"background:#fffaf5}\n"
"section.group h3{margin:0 0 2px}\n"
".badge{display:inline-block;font-size:12px;font-weight:700;"
"padding:1px 7px;border-radius:10px;margin-left:8px;"
"vertical-align:1px;color:#fff;background:#57606a}\n"
".badge.review{background:var(--review)}\n"
".badge.conflict{background:#8250df}\n"
"p.rule,p.key{margin:1px 0}\n"
"p.key{font-size:12px;color:var(--muted)}\n"
"p.key code{overflow-wrap:anywhere}\n"
"table.copies{width:100%;table-layout:fixed;margin-top:6px}\n"
"table.copies col.field{width:9.5em}\n"
"table.copies td{overflow-wrap:anywhere}\n"
".scroll{overflow-x:auto}\n"
"table.copies.wide{width:auto;table-layout:auto}\n"
"table.copies.wide td,table.copies.wide th.copy{min-width:12em;"
"max-width:24em}\n"
"table.copies th.copy.kept{background:var(--kept);color:var(--keptink)}\n"
"table.copies th.copy.removed{background:var(--rm);color:var(--rmink)}\n"
"table.copies tbody th{font-weight:600;background:#f6f8fa}\n"
"table.copies tr.differs th{background:#fff1a8}\n"
"td.diff{background:var(--diff);box-shadow:inset 4px 0 0 "
"var(--diffline)}\n"
"td.diff::before{content:\"\\2260\\00a0\";font-weight:700;"
"color:#7d4e00}\n"
"tr[data-field=uid] td,tr[data-field=id] td{font-size:12px;"
"color:var(--muted)}\n"
".none{color:var(--muted)}\n"
"table.list td.reason{min-width:16em}\n"
"footer{padding:8px 24px 24px;color:var(--muted);font-size:12px}\n"
"@media print{\n"
"body{font-size:10pt}\n"
"header.page{background:none;color:#000;padding:0 0 6px;"
"border-bottom:2px solid #000}\n"
"#filterbox{display:none!important}\n"
"main,footer{padding:0}\n"
"section.group{break-inside:avoid-page}\n"
"section.group[hidden]{display:block!important}\n"
"thead{display:table-header-group}\n"
".scroll{overflow:visible}\n"
".charts,figure,table.totals{break-inside:avoid}\n"
"a{color:inherit;text-decoration:none}\n"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"}\n";

static const char h_script[] =
"\n"
"\"use strict\";\n"
"(function () {\n"
"\tvar box = document.getElementById(\"filterbox\");\n"
"\tvar input = document.getElementById(\"filter\");\n"
"\tvar shown = document.getElementById(\"shown\");\n"
"\tvar groups = document.querySelectorAll(\"section.group\");\n"
"\tvar text = [];\n"
"\tvar i;\n"
"\n"
"\tif (box === null || input === null || shown === null)\n"
"\t\treturn;\n"
"\tfor (i = 0; i < groups.length; i++)\n"
"\t\ttext.push(groups[i].textContent.toLowerCase());\n"
"\tfunction apply() {\n"
"\t\tvar q = input.value.trim().toLowerCase(), n = 0;\n"
"\n"
"\t\tfor (i = 0; i < groups.length; i++) {\n"
"\t\t\tgroups[i].hidden = q !== \"\" && text[i].indexOf(q) === -1;\n"
"\t\t\tif (!groups[i].hidden)\n"
"\t\t\t\tn++;\n"
"\t\t}\n"
"\t\tshown.textContent = n + \" of \" + groups.length +\n"
"\t\t    (groups.length === 1 ? \" group\" : \" groups\") + \" shown\";\n"
"\t}\n"
"\tinput.addEventListener(\"input\", apply);\n"
"\tbox.hidden = false;\n"
"\tapply();\n"
"})();\n";

const char *
report_html_style(void)
{
	return h_style;
}

const char *
report_html_script(void)
{
	return h_script;
}

void
report_html_hash(const char *s, char out[64])
{
	struct sha256_ctx	ctx;
	uint8_t			digest[SHA256_DIGEST_SIZE];
	char			b64[BASE64_ENCODE_RAW_LENGTH(
				    SHA256_DIGEST_SIZE) + 1];

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(s), (const uint8_t *)s);
	sha256_digest(&ctx, sizeof digest, digest);
	base64_encode_raw(b64, sizeof digest, digest);
	b64[sizeof b64 - 1] = '\0';
	snprintf(out, 64, "'sha256-%s'", b64);
}

static void
hs_printf(struct hstr *s, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (s->len + (size_t)n + 1 > s->cap) {
		s->cap = (s->len + (size_t)n + 1) * 2;
		s->p = xreallocarray(s->p, s->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

static void
hs_puts(struct hstr *s, const char *text)
{
	hs_printf(s, "%s", text);
}

/* The string built, owned by the caller; NULL when nothing was put. */
static char *
hs_take(struct hstr *s)
{
	char	*p = s->p;

	s->p = NULL;
	s->len = s->cap = 0;
	return p;
}

/* Text as HTML text: the five markup characters as references, bad
 * UTF-8 as U+FFFD. Safe in text and in quoted attribute values. */
static void
h_esc(FILE *fp, const char *s)
{
	const char	*p;
	char		 u[4];
	uint32_t	 cp;

	if (s == NULL)
		return;
	for (p = s; *p != '\0';) {
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			p++;
			continue;
		case '<':
			fputs("&lt;", fp);
			p++;
			continue;
		case '>':
			fputs("&gt;", fp);
			p++;
			continue;
		case '"':
			fputs("&quot;", fp);
			p++;
			continue;
		case '\'':
			fputs("&#39;", fp);
			p++;
			continue;
		case '\r':
			p++;
			continue;
		default:
			break;
		}
		if ((unsigned char)*p < 0x80) {
			/* Controls other than TAB and LF mean nothing here. */
			if ((unsigned char)*p >= 0x20 || *p == '\t' ||
			    *p == '\n')
				fputc(*p, fp);
			p++;
			continue;
		}
		cp = appt_utf8_next(&p);
		fwrite(u, 1, appt_utf8_put(cp, u), fp);
	}
}

/* Escaped text, each line break a <br>. */
static void
h_esc_lines(FILE *fp, const char *s)
{
	const char	*nl;
	char		*line;

	while ((nl = strchr(s, '\n')) != NULL) {
		line = xstrndup(s, (size_t)(nl - s));
		h_esc(fp, line);
		free(line);
		fputs("<br>", fp);
		s = nl + 1;
	}
	h_esc(fp, s);
}

static void
h_num(FILE *fp, size_t n)
{
	fprintf(fp, "<td class=\"n\">%zu</td>", n);
}

/* The TZDEFINITION the start was shown in, else the TZREG. */
static void
hz_load(struct hzone *z, const struct appt *a)
{
	char	*cause = NULL;

	memset(z, 0, sizeof *z);
	if (a->tzdef_start.data != NULL && tz_decode_def(a->tzdef_start.data,
	    a->tzdef_start.len, &z->def, &cause) == 0) {
		if (z->def.nrules > 0)
			z->has_def = 1;
		else
			tz_free(&z->def);
	}
	free(cause);
	cause = NULL;
	if (a->tz_struct.data != NULL && tz_decode_reg(a->tz_struct.data,
	    a->tz_struct.len, &z->reg, &cause) == 0)
		z->has_reg = 1;
	free(cause);
}

static void
hz_free(struct hzone *z)
{
	if (z->has_def)
		tz_free(&z->def);
	memset(z, 0, sizeof *z);
}

/* FILETIME -> date and time of day (proleptic Gregorian). */
static void
h_civil(int64_t ft, int *y, int *mo, int *d, int *wd, int *h, int *mi)
{
	const int64_t	day = 86400LL * APPT_FT_PER_SEC;
	int64_t		days, rest;

	days = ft / day;
	rest = ft % day;
	if (rest < 0) {
		rest += day;
		days--;
	}
	tz_civil_from_days(days, y, mo, d);
	*wd = tz_weekday(days);
	*h = (int)(rest / (3600LL * APPT_FT_PER_SEC));
	*mi = (int)(rest / (60LL * APPT_FT_PER_SEC) % 60);
}

/* "Tue 5 Mar 2024 10:00", or without the time. */
static void
h_when(struct hstr *s, int64_t ft, int with_time)
{
	int	y, mo, d, wd, h, mi;

	h_civil(ft, &y, &mo, &d, &wd, &h, &mi);
	hs_printf(s, "%s %d %s %d", h_wday[wd], d, h_mon[mo - 1], y);
	if (with_time)
		hs_printf(s, " %02d:%02d", h, mi);
}

/* A start or end: local time in the item's zone, and UTC. */
static char *
h_time(const struct hzone *z, int64_t utc, int all_day)
{
	struct hstr	s = { 0 };
	int64_t		local;
	int		y, mo, d, wd, h, mi;

	if (utc == APPT_NOTIME)
		return NULL;
	if (z->has_def)
		local = tz_def_utc_to_local(&z->def, utc);
	else if (z->has_reg)
		local = tz_utc_to_local(&z->reg, utc);
	else
		local = utc;
	if (all_day == 1) {
		h_when(&s, local, 0);
		hs_puts(&s, ", all day");
		return hs_take(&s);
	}
	h_when(&s, local, 1);
	if (!z->has_def && !z->has_reg)
		hs_puts(&s, " UTC");
	else {
		h_civil(utc, &y, &mo, &d, &wd, &h, &mi);
		if (local / (86400LL * APPT_FT_PER_SEC) !=
		    utc / (86400LL * APPT_FT_PER_SEC))
			hs_printf(&s, " (%s %d %s %02d:%02d UTC)", h_wday[wd],
			    d, h_mon[mo - 1], h, mi);
		else
			hs_printf(&s, " (%02d:%02d UTC)", h, mi);
	}
	return hs_take(&s);
}

static char *
h_utc(int64_t ft)
{
	struct hstr	s = { 0 };

	if (ft == APPT_NOTIME)
		return NULL;
	h_when(&s, ft, 1);
	hs_puts(&s, " UTC");
	return hs_take(&s);
}

static char *
h_zone(const struct hzone *z, const struct appt *a)
{
	struct hstr	 s = { 0 };
	const char	*key = NULL;

	if (z->has_def && z->def.keyname != NULL && *z->def.keyname != '\0')
		key = z->def.keyname;
	if (key != NULL)
		hs_puts(&s, key);
	else if (a->tz_desc != NULL && *a->tz_desc != '\0')
		hs_puts(&s, a->tz_desc);
	if (s.p == NULL && (z->has_def || z->has_reg))
		hs_puts(&s, "unnamed zone");
	return hs_take(&s);
}

/* "Name <mail>" or either; NULL when neither. */
static void
h_person(struct hstr *s, const char *name, const char *email)
{
	if (name != NULL && *name != '\0') {
		hs_puts(s, name);
		if (email != NULL && *email != '\0' &&
		    strcmp(name, email) != 0)
			hs_printf(s, " <%s>", email);
	} else if (email != NULL && *email != '\0')
		hs_puts(s, email);
	else
		hs_puts(s, "(no name)");
}

static char *
h_organizer(const struct appt *a)
{
	struct hstr	s = { 0 };

	if ((a->org_name == NULL || *a->org_name == '\0') &&
	    (a->org_email == NULL || *a->org_email == '\0'))
		return NULL;
	h_person(&s, a->org_name, a->org_email);
	return hs_take(&s);
}

/* One line per attendee: who, role, response (PidTagRecipientTrack-
 * Status). */
static char *
h_people(const struct appt *a)
{
	static const char *const resp[] = {
		"no response", "organizer", "tentative", "accepted",
		"declined", "not responded"
	};
	const struct appt_person	*r;
	struct hstr			 s = { 0 };
	size_t				 i;

	for (i = 0; i < a->nrcpts; i++) {
		r = &a->rcpts[i];
		/* The organizer has its own row. */
		if ((r->flags != APPT_ABSENT && (r->flags &
		    (APPT_RCPT_EXC_DELETED | APPT_RCPT_ORGANIZER))) ||
		    r->track_status == 1)
			continue;
		if (s.p != NULL)
			hs_puts(&s, "\n");
		h_person(&s, r->name, r->email);
		if (r->type == 2)
			hs_puts(&s, " (optional)");
		else if (r->type == 3)
			hs_puts(&s, " (resource)");
		if (r->track_status >= 0 && r->track_status <= 5)
			hs_printf(&s, ": %s", resp[r->track_status]);
	}
	return hs_take(&s);
}

/* Local minutes since 1601 as a date, with the time of day. */
static void
h_local_min(struct hstr *s, uint32_t min, int with_time)
{
	h_when(s, recur_min_to_ft(min), with_time);
}

/* "Tuesday and Thursday" from a day mask (bit 0 Sunday). */
static void
h_days(struct hstr *s, uint32_t mask)
{
	int	i, n = 0, k = 0;

	if ((mask & 0x7f) == 0x3e) {
		hs_puts(s, "weekdays");
		return;
	}
	for (i = 0; i < 7; i++)
		n += (mask >> i) & 1;
	for (i = 0; i < 7; i++) {
		if (!((mask >> i) & 1))
			continue;
		if (k > 0)
			hs_puts(s, k == n - 1 ? " and " : ", ");
		hs_puts(s, h_wday_long[i]);
		k++;
	}
	if (n == 0)
		hs_puts(s, "no day");
}

/* The pattern in words: "every week on Tuesday, 10:00-11:00, from Tue
 * 5 Mar 2024 until Tue 25 Jun 2024". *ok: decoded into r (recur_free()
 * it then). NULL for a single appointment. */
static char *
h_recur(const struct appt *a, struct recur *r, int *ok)
{
	static const char *const nth[] = {
		"", "first", "second", "third", "fourth", "last"
	};
	struct hstr	 s = { 0 };
	char		*cause = NULL;
	uint32_t	 n;
	int		 y, mo, d, wd, h, mi;

	*ok = 0;
	if (a->recur.data == NULL)
		return a->recurring == 1 ? xstrdup("recurring, but no pattern "
		    "stored") : NULL;
	memset(r, 0, sizeof *r);
	if (recur_decode(a->recur.data, a->recur.len, r, &cause) != 0) {
		hs_printf(&s, "pattern not decoded: %s", cause);
		free(cause);
		return hs_take(&s);
	}
	*ok = 1;
	if (r->cal_type != 0 || !recur_is_gregorian(r))
		hs_printf(&s, "(calendar type %u, pattern type 0x%x) ",
		    r->cal_type, r->pattern);
	n = r->period;
	h_civil(recur_min_to_ft(r->start_date), &y, &mo, &d, &wd, &h, &mi);
	switch (r->freq) {
	case RECUR_FREQ_DAILY:
		n /= 1440;
		if (n <= 1)
			hs_puts(&s, "every day");
		else
			hs_printf(&s, "every %u days", n);
		break;
	case RECUR_FREQ_WEEKLY:
		if (n <= 1)
			hs_puts(&s, "every week on ");
		else
			hs_printf(&s, "every %u weeks on ", n);
		h_days(&s, r->day_mask);
		break;
	case RECUR_FREQ_MONTHLY:
	case RECUR_FREQ_YEARLY:
		if (n != 0 && n % 12 == 0) {
			if (n == 12)
				hs_puts(&s, "every year");
			else
				hs_printf(&s, "every %u years", n / 12);
		} else if (n <= 1)
			hs_puts(&s, "every month");
		else
			hs_printf(&s, "every %u months", n);
		if (r->pattern == RECUR_PAT_MONTHNTH ||
		    r->pattern == RECUR_PAT_HJMONTHNTH) {
			hs_printf(&s, " on the %s ", r->nth <= 5 ?
			    nth[r->nth] : "?");
			h_days(&s, r->day_mask);
		} else if (r->pattern == RECUR_PAT_MONTHEND ||
		    r->pattern == RECUR_PAT_HJMONTHEND)
			hs_puts(&s, " on the last day");
		else
			hs_printf(&s, " on day %u", r->day_of_month);
		if (n != 0 && n % 12 == 0 && mo >= 1 && mo <= 12)
			hs_printf(&s, " of %s", h_mon_long[mo - 1]);
		break;
	default:
		hs_printf(&s, "frequency 0x%x", r->freq);
		break;
	}
	if (a->all_day == 1)
		hs_puts(&s, ", all day");
	else
		hs_printf(&s, ", %02u:%02u\u2013%02u:%02u",
		    r->start_offset / 60 % 24, r->start_offset % 60,
		    r->end_offset / 60 % 24, r->end_offset % 60);
	hs_puts(&s, ", from ");
	h_local_min(&s, r->start_date, 0);
	if (r->end_type == RECUR_END_DATE) {
		hs_puts(&s, " until ");
		h_local_min(&s, r->end_date, 0);
	} else if (r->end_type == RECUR_END_COUNT)
		hs_printf(&s, ", %u %s", r->count, r->count == 1 ?
		    "time" : "times");
	else
		hs_puts(&s, ", no end");
	return hs_take(&s);
}

/* Deleted and changed occurrences, one a line, the first few. */
static char *
h_exceptions(const struct appt *a, const struct recur *r, int ok)
{
	const struct recur_exception	*e;
	struct hstr			 s = { 0 };
	uint32_t			*ex;
	size_t				 i, nex;
	const size_t			 most = 12;

	if (!ok) {
		if (a->nexcs == 0)
			return NULL;
		hs_printf(&s, "%zu changed %s (pattern unreadable)", a->nexcs,
		    a->nexcs == 1 ? "occurrence" : "occurrences");
		return hs_take(&s);
	}
	ex = recur_exdates(r, &nex);
	for (i = 0; i < nex && i < most; i++) {
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, "deleted ");
		h_local_min(&s, ex[i], 0);
	}
	if (nex > most)
		hs_printf(&s, "\nand %zu more deleted", nex - most);
	free(ex);
	for (i = 0; i < r->nexcs && i < most; i++) {
		e = &r->excs[i];
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, "moved ");
		h_local_min(&s, e->orig_start, 0);
		hs_puts(&s, " \u2192 ");
		h_local_min(&s, e->start, 1);
		hs_printf(&s, "\u2013%02u:%02u", e->end / 60 % 24,
		    e->end % 60);
		if ((e->flags & RECUR_ARO_SUBJECT) && e->subject != NULL)
			hs_printf(&s, ", subject \u201c%s\u201d", e->subject);
		if ((e->flags & RECUR_ARO_LOCATION) && e->location != NULL)
			hs_printf(&s, ", location \u201c%s\u201d",
			    e->location);
	}
	if (r->nexcs > most)
		hs_printf(&s, "\nand %zu more changed", r->nexcs - most);
	if (s.p == NULL)
		return xstrdup("none");
	return hs_take(&s);
}

static char *
h_body(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		body = 0, html = 0, rtf = 0;
	int		hb, hh, hr;

	if (a->spooled) {
		hb = a->body_at.present;
		body = a->body_at.len;
		hh = a->html_at.present;
		html = a->html_at.len;
		hr = a->rtf_at.present;
		rtf = a->rtf_at.len;
	} else {
		if ((hb = a->body != NULL))
			body = strlen(a->body);
		if ((hh = a->html != NULL))
			html = strlen(a->html);
		if ((hr = a->rtf.data != NULL))
			rtf = a->rtf.len;
	}
	if (hb)
		hs_printf(&s, "text %zu %s", body, body == 1 ? "byte" :
		    "bytes");
	if (hh)
		hs_printf(&s, "%sHTML %zu %s", s.p != NULL ? ", " : "", html,
		    html == 1 ? "byte" : "bytes");
	if (hr)
		hs_printf(&s, "%sRTF %zu %s", s.p != NULL ? ", " : "", rtf,
		    rtf == 1 ? "byte" : "bytes");
	if (s.p == NULL)
		return xstrdup("none");
	return hs_take(&s);
}

static char *
h_attach(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		i;

	if (a->nattach == 0)
		return NULL;
	for (i = 0; i < a->nattach; i++) {
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, a->attachs[i].name != NULL ? a->attachs[i].name :
		    "(no name)");
		if (a->attachs[i].embedded)
			hs_puts(&s, " (message)");
		else
			hs_printf(&s, " (%zu bytes)", a->attachs[i].data.len);
	}
	return hs_take(&s);
}

static char *
h_reminder(const struct appt *a)
{
	struct hstr	s = { 0 };
	int32_t		m = a->reminder_min;

	if (a->reminder_set == APPT_ABSENT)
		return NULL;
	if (a->reminder_set == 0)
		return xstrdup("off");
	if (m == APPT_ABSENT)
		return xstrdup("on");
	if (m != 0 && m % 1440 == 0)
		hs_printf(&s, "%" PRId32 " %s before", m / 1440,
		    m == 1440 ? "day" : "days");
	else if (m != 0 && m % 60 == 0)
		hs_printf(&s, "%" PRId32 " %s before", m / 60,
		    m == 60 ? "hour" : "hours");
	else
		hs_printf(&s, "%" PRId32 " %s before", m, m == 1 ? "minute" :
		    "minutes");
	return hs_take(&s);
}

static char *
h_categories(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		i;

	for (i = 0; i < a->ncategories; i++)
		hs_printf(&s, "%s%s", i != 0 ? ", " : "", a->categories[i]);
	return hs_take(&s);
}

/* Every row's text for one copy; NULL: absent. */
static void
h_fields(const struct appt *a, char **v)
{
	struct hzone	 z;
	struct recur	 r;
	struct hstr	 s = { 0 };
	char		*uid;
	int		 ok;

	hz_load(&z, a);
	v[HF_SUBJECT] = a->subject != NULL ? xstrdup(a->subject) : NULL;
	v[HF_START] = h_time(&z, a->start, a->all_day);
	v[HF_END] = h_time(&z, a->end, a->all_day);
	v[HF_TZ] = h_zone(&z, a);
	v[HF_LOCATION] = a->location != NULL ? xstrdup(a->location) : NULL;
	v[HF_ORGANIZER] = h_organizer(a);
	v[HF_ATTENDEES] = h_people(a);
	v[HF_RECUR] = h_recur(a, &r, &ok);
	v[HF_EXCEPTIONS] = a->recur.data != NULL || a->nexcs != 0 ?
	    h_exceptions(a, &r, ok) : NULL;
	if (ok)
		recur_free(&r);
	v[HF_BODY] = h_body(a);
	v[HF_ATTACH] = h_attach(a);
	v[HF_REMINDER] = h_reminder(a);
	v[HF_CATEGORIES] = h_categories(a);
	v[HF_CREATOR] = a->creator != NULL ? xstrdup(a->creator) : NULL;
	v[HF_MODIFIER] = a->modifier != NULL ? xstrdup(a->modifier) : NULL;
	v[HF_CREATED] = h_utc(a->created);
	v[HF_MODIFIED] = h_utc(a->modified);
	v[HF_SEQUENCE] = NULL;
	if (a->sequence != APPT_ABSENT) {
		hs_printf(&s, "%" PRId32, a->sequence);
		v[HF_SEQUENCE] = hs_take(&s);
	}
	v[HF_FOLDER] = a->folder != NULL ? xstrdup(a->folder) : NULL;
	if (a->uid != NULL)
		hs_printf(&s, "%s (derived: no two copies share one)", a->uid);
	else if ((uid = writer_uid(a)) != NULL) {
		hs_puts(&s, uid);
		free(uid);
	}
	v[HF_UID] = hs_take(&s);
	hs_printf(&s, "0x%" PRIx64, a->id);
	v[HF_ID] = hs_take(&s);
	hz_free(&z);
}

static void
h_fields_free(char **v)
{
	size_t	i;

	for (i = 0; i < HF_COUNT; i++)
		free(v[i]);
}

static int
h_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}
static const struct appt *
h_item(const struct report_run *run, size_t idx)
{
	if (idx >= run->rr->appts.n)
		return NULL;
	return run->rr->appts.v[idx];
}

static const char *
h_rule_words(enum dedup_rule rule)
{
	switch (rule) {
	case DEDUP_RULE_REVISION:
		return "the newer revision of the meeting";
	case DEDUP_RULE_CHANGES:
		return "it holds all of the user's changes to the series";
	case DEDUP_RULE_AVOID:
		return "the other copies matched --avoid";
	case DEDUP_RULE_PREFER:
		return "it matched --prefer";
	case DEDUP_RULE_FOLDER:
		return "it is in a calendar folder";
	case DEDUP_RULE_POLICY:
		return "the -k policy";
	case DEDUP_RULE_ORDER:
		return "it comes first in the file";
	case DEDUP_RULE_UNDECIDED:
		return "undecided: the copies are kept, review by hand";
	}
	return "unknown";
}

static const char *
h_kind_words(enum dedup_kind kind)
{
	switch (kind) {
	case DEDUP_SAME_MEETING:
		return "same meeting";
	case DEDUP_SAME_CONTENT:
		return "same content";
	case DEDUP_CONFLICT:
		return "conflict";
	}
	return "unknown";
}

/* title: escaped into <title>. */
static void
h_head(FILE *fp, const char *title)
{
	char	style[64], script[64];

	report_html_hash(h_style, style);
	report_html_hash(h_script, script);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", fp);
	/* default-src 'none' does not cover these two. */
	fprintf(fp, "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src %s; script-src %s; "
	    "base-uri 'none'; form-action 'none'\">\n", style, script);
	fputs("<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"pstdedup "
	    PACKAGE_VERSION "\">\n<title>pstdedup review: ", fp);
	h_esc(fp, title);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", h_style);
	fputs("<header class=\"page\">\n<h1>Duplicate appointments: review "
	    "before the calendar is emptied</h1>\n<p id=\"filterbox\" "
	    "hidden><label for=\"filter\">Filter groups</label> <input "
	    "type=\"search\" id=\"filter\" placeholder=\"subject, person, "
	    "folder, date...\" autocomplete=\"off\"><span id=\"shown\">"
	    "</span></p>\n</header>\n<main>\n", fp);
}

static int
h_foot(FILE *fp)
{
	fputs("</main>\n<footer>Written by pstdedup " PACKAGE_VERSION
	    ". This page is one file: it loads nothing from the network, "
	    "and its only script is the filter box.</footer>\n", fp);
	fprintf(fp, "<script>%s</script>\n</body>\n</html>\n", h_script);
	return ferror(fp) ? -1 : 0;
}

/* One input's section. */
static void
h_input(FILE *fp, const struct hinput *hi, size_t in)
{
	struct hgroup	 g;
	char		 id[32];
	size_t		*order, i;

	fprintf(fp, "<section class=\"input\" id=\"input-%zu\">\n<h2>", in);
	h_esc(fp, hi->file);
	fputs("</h2>\n<div class=\"top\">\n", fp);
	h_header(fp, hi);
	fputs("<div class=\"sums\">\n", fp);
	snprintf(id, sizeof id, "totals-%zu", in);
	h_totals(fp, &hi->totals, id);
	h_folders(fp, hi);
	if (hi->totals.removed != 0)
		h_charts(fp, hi->starts, hi->creators, hi->nremoved);
	fputs("</div>\n</div>\n", fp);

	fprintf(fp, "<h3 id=\"groups-%zu\" class=\"groups\">Duplicate groups "
	    "(%zu)</h3>\n", in, hi->ngroups);
	if (hi->ngroups == 0)
		fputs("<p>No duplicates found: nothing was removed.</p>\n", fp);
	else {
		fputs("<p class=\"legend\">Each group: the copy that stays and "
		    "the copies removed side by side; cells marked \u2260 "
		    "differ from the kept copy. Groups to review by hand and "
		    "conflicts come first.</p>\n", fp);
		order = h_group_order(hi->groups, hi->ngroups);
		h_index(fp, hi->groups, hi->ngroups, in, order);
		for (i = 0; i < hi->ngroups; i++) {
			memset(&g, 0, sizeof g);
			hi->group(hi->ctx, order[i], &g);
			h_group(fp, &g, in);
			h_group_free(&g);
		}
		free(order);
	}
	h_rows(fp, hi->skips, hi->nskips, 0);
	h_rows(fp, hi->warns, hi->nwarns, 1);
	fputs("</section>\n", fp);
}

static void
h_header(FILE *fp, const struct hinput *hi)
{
	char		 date[64];
	struct tm	 tm;
	time_t		 now = time(NULL);

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		date[0] = '\0';
	fputs("<dl class=\"run\">\n<dt>Input</dt><dd>", fp);
	h_esc(fp, hi->file);
	fputs("</dd>\n", fp);
	if (hi->status >= 0)
		fprintf(fp, "<dt>Status</dt><dd class=\"status\" "
		    "data-status=\"%d\">%s (%d)</dd>\n", hi->status,
		    combined_status_name(hi->status), hi->status);
	fputs("<dt>Store</dt><dd>", fp);
	if (hi->store != NULL)
		h_esc(fp, hi->store);
	else
		fputs("<span class=\"none\">no name</span>", fp);
	fputs("</dd>\n", fp);
	if (hi->file_type != 0)
		fprintf(fp, "<dt>File type</dt><dd>%s</dd>\n",
		    hi->file_type == 32 ? "ANSI PST (32-bit)" :
		    hi->file_type == 65 ? "Unicode PST, 4k pages" :
		    "Unicode PST");
	fprintf(fp, "<dt>Report made</dt><dd>%s</dd>\n", date);
	fputs("<dt>Versions</dt><dd>pstdedup " PACKAGE_VERSION ", libpff ",
	    fp);
	h_esc(fp, reader_libpff_version());
	fputs(", libical ", fp);
	h_esc(fp, writer_libical_version());
	fputs("</dd>\n<dt>Options</dt><dd>", fp);
	if (hi->options != NULL && *hi->options != '\0')
		h_esc(fp, hi->options);
	else
		fputs("<span class=\"none\">defaults</span>", fp);
	fputs("</dd>\n</dl>\n", fp);
}

/* The text report's numbers in one strip, data-total as in JSON. */
static void
h_totals(FILE *fp, const struct report_totals *t, const char *id)
{
	const struct {
		const char	*key, *label;
		size_t		 n;
		int		 strong;
	} cols[] = {
		{ "folders", "calendar folders", t->folders, 0 },
		{ "read", "items read", t->read, 0 },
		{ "kept", "kept", t->kept, 1 },
		{ "removed", "removed", t->removed, 1 },
		{ "groups", "groups", t->groups, 0 },
		{ "conflicts", "conflicts", t->conflicts, 0 },
		{ "review", "to review", t->review, 1 },
		{ "skipped", "skipped", t->skipped, 0 },
		{ "damaged", "damaged", t->damaged, 0 },
		{ "left_out", "left out", t->left_out, 0 },
		{ "degraded", "degraded", t->degraded, 0 }
	};
	size_t	i;

	fprintf(fp, "<table class=\"totals\" id=\"%s\">\n<thead><tr>", id);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		fprintf(fp, "<th>%s</th>", cols[i].label);
	fputs("</tr></thead>\n<tbody><tr>", fp);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		fprintf(fp, "<td data-total=\"%s\"%s>%zu</td>", cols[i].key,
		    cols[i].strong ? " class=\"key\"" : "", cols[i].n);
	fputs("</tr></tbody>\n</table>\n<p class=\"legend\">Removed: "
	    "duplicates and older revisions, in groups. Conflicts: one "
	    "meeting id with another time or subject. To review: groups "
	    "left undecided, all their copies kept. Damaged: of the skipped. "
	    "Left out: outside the calendar folders read. Degraded: kept, "
	    "but written with less than they had.</p>\n", fp);
}

/* One row per folder that had items: what it held and what happens;
 * from a run of many, the files written too. */
static void
h_folders(FILE *fp, const struct hinput *hi)
{
	const struct hfolder	*f;
	size_t			 i;

	if (hi->nfolders == 0 && hi->files)
		return;
	fputs("<table class=\"folders\">\n<thead><tr>"
	    "<th>folder</th><th class=\"n\">read</th><th class=\"n\">kept"
	    "</th><th class=\"n\">removed</th><th class=\"n\">skipped</th>"
	    "<th class=\"n\">groups</th><th>re-import</th>", fp);
	if (hi->files)
		fputs("<th>files written</th>", fp);
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < hi->nfolders; i++) {
		f = &hi->folders[i];
		fputs("<tr><td>", fp);
		h_esc(fp, f->path);
		if (f->is_default)
			fputs(" <span class=\"none\">(default calendar)"
			    "</span>", fp);
		fputs("</td>", fp);
		h_num(fp, f->read);
		h_num(fp, f->kept);
		h_num(fp, f->removed);
		h_num(fp, f->skipped);
		h_num(fp, f->groups);
		fprintf(fp, "<td>%s</td>", f->removed == 0 ?
		    "not needed" : f->kept == 0 ? "empty it only" :
		    "empty it, import its file");
		if (hi->files) {
			fputs("<td>", fp);
			h_files(fp, f->calendar, f->removed_file);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

/* A folder's output files, one a line. */
static void
h_files(FILE *fp, const char *calendar, const char *removed)
{
	if (calendar == NULL && removed == NULL) {
		fputs("<span class=\"none\">none</span>", fp);
		return;
	}
	if (calendar != NULL)
		h_esc(fp, calendar);
	if (removed != NULL) {
		if (calendar != NULL)
			fputs("<br>", fp);
		fputs("removed: ", fp);
		h_esc(fp, removed);
	}
}

/* starts and creators: one of each per removed copy. */
static void
h_charts(FILE *fp, const int64_t *starts, const char *const *creators,
    size_t n)
{
	fputs("<div class=\"charts\">\n", fp);
	h_chart_months(fp, starts, n);
	h_chart_creators(fp, creators, n);
	fputs("</div>\n", fp);
}

static void
h_bars_free(struct hbar *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].label);
	free(v);
}

static int
h_bar_cmp(const void *a, const void *b)
{
	const struct hbar	*x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->label, y->label);
}

static int
h_long_cmp(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Vertical bars, one per month of the meetings' start (UTC), every
 * month between the first and the last; per year when that spans three
 * years or more; only the years that have any when even that is too
 * wide (a damaged date far off must not make thousands of bars). */
static void
h_chart_months(FILE *fp, const int64_t *starts, size_t nstarts)
{
	struct hbar		*v;
	long			*ks, lo, hi, k;
	size_t			 i, n, nk = 0, max = 0, nodate = 0, every;
	int			 y, mo, d, wd, h, mi, mode;
	const int		 W = 380, H = 120, L = 30, B = 34, T = 14;
	double			 bw, x, bh, w;

	ks = xreallocarray(NULL, nstarts + 1, sizeof *ks);
	for (i = 0; i < nstarts; i++) {
		if (starts[i] == APPT_NOTIME) {
			nodate++;
			continue;
		}
		h_civil(starts[i], &y, &mo, &d, &wd, &h, &mi);
		ks[nk++] = (long)y * 12 + mo - 1;
	}
	if (nk == 0) {
		free(ks);
		return;
	}
	qsort(ks, nk, sizeof *ks, h_long_cmp);
	lo = ks[0];
	hi = ks[nk - 1];
	/* 0: months, 1: years, 2: the years that have any. */
	mode = hi - lo < 36 ? 0 : hi / 12 - lo / 12 < 60 ? 1 : 2;
	if (mode == 0)
		n = (size_t)(hi - lo + 1);
	else if (mode == 1)
		n = (size_t)(hi / 12 - lo / 12 + 1);
	else
		n = nk;
	v = xcalloc(n, sizeof *v);
	if (mode == 2) {
		for (i = 0, n = 0; i < nk; i++) {
			k = ks[i] / 12;
			if (n == 0 || v[n - 1].key != k)
				v[n++].key = k;
			v[n - 1].n++;
		}
	} else {
		for (i = 0; i < n; i++)
			v[i].key = mode == 0 ? lo + (long)i : lo / 12 + (long)i;
		for (i = 0; i < nk; i++)
			v[mode == 0 ? ks[i] - lo : ks[i] / 12 - lo / 12].n++;
	}
	free(ks);
	for (i = 0; i < n; i++) {
		if (mode == 0)
			xasprintf(&v[i].label, "%s %ld", h_mon[v[i].key % 12],
			    v[i].key / 12);
		else
			xasprintf(&v[i].label, "%ld", v[i].key);
		if (v[i].n > max)
			max = v[i].n;
	}

	fprintf(fp, "<figure>\n<figcaption>Removed copies by month of the "
	    "meeting%s"
	    "</figcaption>\n", mode != 0 ? " (per year)" : "");
	fprintf(fp, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"removed copies per %s\">\n", W, H, W, H,
	    mode == 0 ? "month" : "year");
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", L,
	    H - B, W, H - B);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu</text>\n"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", L - 4,
	    T + 4, max, L - 4, H - B);
	bw = (double)(W - L) / (double)n;
	/* Labels: all when they fit, else every k-th. */
	every = bw >= 34 ? 1 : (size_t)(34 / bw) + 1;
	for (i = 0; i < n; i++) {
		x = L + bw * (double)i;
		bh = max == 0 ? 0 : (double)(H - B - T) * (double)v[i].n /
		    (double)max;
		/* A few months must not make slabs. */
		w = bw * 0.7 < 48 ? bw * 0.7 : 48;
		fprintf(fp, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>%s: %zu</title>"
		    "</rect>\n", x + (bw - w) / 2, (double)(H - B) - bh, w,
		    bh, v[i].label, v[i].n);
		if (v[i].n != 0 && bw >= 16)
			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%zu</text>\n", x + bw / 2,
			    (double)(H - B) - bh - 3, v[i].n);
		if (i % every != 0)
			continue;
		if (mode == 0) {
			fprintf(fp, "<text x=\"%.1f\" y=\"%d\" text-anchor="
			    "\"middle\">%s</text>\n", x + bw / 2, H - B + 15,
			    h_mon[v[i].key % 12]);
			if (i == 0 || v[i].key % 12 < (long)every)
				fprintf(fp, "<text x=\"%.1f\" y=\"%d\" "
				    "text-anchor=\"middle\">%ld</text>\n",
				    x + bw / 2, H - B + 31, v[i].key / 12);
		} else
			fprintf(fp, "<text x=\"%.1f\" y=\"%d\" text-anchor="
			    "\"middle\">%s</text>\n", x + bw / 2, H - B + 15,
			    v[i].label);
	}
	fputs("</svg>\n", fp);
	if (nodate != 0)
		fprintf(fp, "<p class=\"none\">%zu without a start time</p>\n",
		    nodate);
	fputs("</figure>\n", fp);
	h_bars_free(v, n);
}

/* Horizontal bars: who created the removed copies, the most first. */
static void
h_chart_creators(FILE *fp, const char *const *creators, size_t ncreators)
{
	const char		*name, *p;
	struct hbar		*v;
	size_t			 i, j, k, n = 0, max = 0, shown, rest = 0;
	const size_t		 most = 8;
	const int		 W = 380, L = 165, R = 36, row = 22;
	int			 H;
	double			 bw;
	char			*label;

	v = xcalloc(ncreators + 1, sizeof *v);
	for (i = 0; i < ncreators; i++) {
		name = creators[i] != NULL && *creators[i] != '\0' ?
		    creators[i] : "(no creator)";
		for (j = 0; j < n; j++) {
			if (strcmp(v[j].label, name) == 0)
				break;
		}
		if (j == n)
			v[n++].label = xstrdup(name);
		v[j].n++;
	}
	qsort(v, n, sizeof *v, h_bar_cmp);
	shown = n > most ? most - 1 : n;
	for (i = shown; i < n; i++)
		rest += v[i].n;
	for (i = 0; i < shown; i++)
		if (v[i].n > max)
			max = v[i].n;
	if (rest > max)
		max = rest;
	H = (int)(shown + (rest != 0)) * row + 8;
	fputs("<figure>\n<figcaption>Removed copies by creator"
	    "</figcaption>\n", fp);
	fprintf(fp, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"removed copies per creator\">\n", W, H, W, H);
	for (i = 0; i < shown + (rest != 0); i++) {
		name = i < shown ? v[i].label : "others";
		j = i < shown ? v[i].n : rest;
		bw = max == 0 ? 0 : (double)(W - L - R) * (double)j /
		    (double)max;
		/* Long names cut at a character boundary. */
		p = name;
		for (k = 0; *p != '\0' && k < 26; k++)
			(void)appt_utf8_next(&p);
		label = xstrndup(name, (size_t)(p - name));
		fprintf(fp, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    L - 6, i * row + 18);
		h_esc(fp, label);
		fprintf(fp, "%s</text>\n", *p != '\0' ? "\u2026" : "");
		free(label);
		fprintf(fp, "<rect class=\"bar\" x=\"%d\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"%d\"><title>", L, i * row + 5, bw,
		    row - 7);
		h_esc(fp, name);
		fprintf(fp, ": %zu</title></rect>\n<text x=\"%.1f\" y=\"%zu\">"
		    "%zu</text>\n", j, L + bw + 5, i * row + 18, j);
	}
	fputs("</svg>\n</figure>\n", fp);
	h_bars_free(v, n);
}

/* Display order: to review, then conflicts, then the rest; each part
 * in the report's order. */
static size_t *
h_group_order(const struct hgroup *gs, size_t n)
{
	const struct hgroup	*g;
	size_t			*o, i, k = 0;
	int			 pass;

	o = xreallocarray(NULL, n + 1, sizeof *o);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < n; i++) {
			g = &gs[i];
			if ((pass == 0 && g->review) ||
			    (pass == 1 && !g->review &&
			    g->kind == DEDUP_CONFLICT) ||
			    (pass == 2 && !g->review &&
			    g->kind != DEDUP_CONFLICT))
				o[k++] = i;
		}
	}
	return o;
}

/* Links to the groups that need a person. */
static void
h_index(FILE *fp, const struct hgroup *gs, size_t ng, size_t in,
    const size_t *order)
{
	const struct hgroup	*g;
	size_t			 i, n = 0;

	for (i = 0; i < ng; i++) {
		g = &gs[order[i]];
		if (!g->review && g->kind != DEDUP_CONFLICT)
			break;
		if (n++ == 0)
			fputs("<p><strong>Look at these first:</strong></p>\n"
			    "<ul class=\"index\">\n", fp);
		fprintf(fp, "<li><a href=\"#g-%zu-%zu\">group %zu</a> (%s%s): ",
		    in, g->num, g->num, h_kind_words(g->kind),
		    g->review ? ", review by hand" : "");
		if (g->subject != NULL)
			h_esc(fp, g->subject);
		fputs("</li>\n", fp);
	}
	if (n != 0)
		fputs("</ul>\n", fp);
}

static void
h_group(FILE *fp, const struct hgroup *g, size_t in)
{
	const struct hcopy	*c;
	size_t			 j, f;
	int			 differs;

	fprintf(fp, "<section class=\"group %s%s\" id=\"g-%zu-%zu\" "
	    "data-group=\"%zu\" data-kind=\"%s\" data-review=\"%s\">\n",
	    dedup_kind_name(g->kind), g->review ? " review" : "", in, g->num,
	    g->num, dedup_kind_name(g->kind), g->review ? "yes" : "no");
	fprintf(fp, "<h3>Group %zu: %s", g->num, h_kind_words(g->kind));
	if (g->review)
		fputs("<span class=\"badge review\">review by hand: copies "
		    "kept</span>", fp);
	else if (g->kind == DEDUP_CONFLICT)
		fputs("<span class=\"badge conflict\">conflict</span>", fp);
	fputs("</h3>\n<p class=\"rule\"><strong>", fp);
	fputs(g->review ? "Why the copies are kept" : "Why this copy is kept",
	    fp);
	fprintf(fp, ":</strong> %s (rule <code>%s</code>)",
	    h_rule_words(g->rule), dedup_rule_name(g->rule));
	if (g->why != NULL) {
		fputs(": ", fp);
		h_esc(fp, g->why);
	}
	fputs("</p>\n<p class=\"key\"><strong>Matched by:</strong> <code>", fp);
	h_esc(fp, g->key);
	/* Many copies: columns keep a readable width and the table
	 * scrolls sideways. */
	fprintf(fp, "</code></p>\n<div class=\"scroll\">\n<table class="
	    "\"copies%s\">\n<colgroup><col class=\"field\">", g->n > 6 ?
	    " wide" : "");
	for (j = 0; j < g->n; j++)
		fputs("<col>", fp);
	fputs("</colgroup>\n<thead><tr><th>field</th>", fp);
	for (j = 0; j < g->n; j++) {
		c = &g->c[j];
		fprintf(fp, "<th class=\"copy %s\" data-id=\"", c->kept ?
		    "kept" : "removed");
		h_esc(fp, c->id);
		fputs("\">", fp);
		if (c->kept)
			fputs(j == 0 ? "Kept " : "Also kept (review) ", fp);
		else
			fputs("Removed ", fp);
		h_esc(fp, c->id);
		if (!c->kept) {
			fprintf(fp, ": %s", c->older ? "older revision" :
			    "duplicate");
			if (*c->of != '\0') {
				fputs(" of ", fp);
				h_esc(fp, c->of);
			}
		}
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (f = 0; f < HF_COUNT; f++) {
		differs = 0;
		for (j = 1; j < g->n && hfields[f].compare; j++)
			if (!h_same(g->c[0].v[f], g->c[j].v[f]))
				differs = 1;
		fprintf(fp, "<tr data-field=\"%s\"%s><th>%s</th>",
		    hfields[f].key, differs ? " class=\"differs\"" : "",
		    hfields[f].label);
		for (j = 0; j < g->n; j++) {
			fprintf(fp, "<td%s>", j > 0 && differs &&
			    !h_same(g->c[0].v[f], g->c[j].v[f]) ?
			    " class=\"diff\"" : "");
			if (g->c[j].v[f] == NULL)
				fputs("<span class=\"none\">\u2014</span>", fp);
			else
				h_esc_lines(fp, g->c[j].v[f]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</div>\n</section>\n", fp);
}

static void
h_group_free(struct hgroup *g)
{
	size_t	j;

	for (j = 0; j < g->n; j++)
		h_fields_free(g->c[j].v);
	free(g->c);
	memset(g, 0, sizeof *g);
}

/* The skipped items (warns 0) or the degraded ones and warnings. */
static void
h_rows(FILE *fp, const struct hrow *v, size_t n, int warns)
{
	size_t	i;

	fprintf(fp, "<h3>%s (%zu)</h3>\n", warns ? "Degraded items and "
	    "warnings" : "Skipped items", n);
	if (n == 0) {
		fputs(warns ? "<p>None: every item was written with all it "
		    "had.</p>\n" : "<p>None: every item was read.</p>\n", fp);
		return;
	}
	if (warns)
		fputs("<p>Degraded: kept, but written with less than it had. "
		    "Warning: a removed copy written with less.</p>\n<table "
		    "class=\"list warnings\">\n<thead><tr><th>item</th>"
		    "<th>kind</th><th>folder</th><th>subject</th><th>what</th>"
		    "</tr></thead>\n<tbody>\n", fp);
	else
		fputs("<p>Read but not taken into the clean calendar: they "
		    "stay in the PST only.</p>\n<table class=\"list skipped\">"
		    "\n<thead><tr><th>item</th><th>kind</th><th>folder</th>"
		    "<th>subject</th><th>reason</th></tr></thead>\n<tbody>\n",
		    fp);
	for (i = 0; i < n; i++) {
		fputs("<tr><td>", fp);
		h_esc(fp, v[i].id);
		fprintf(fp, "</td><td>%s</td><td>", warns ? (v[i].flag ?
		    "degraded" : "warning") : v[i].flag ? "damaged" :
		    "skipped");
		h_esc(fp, v[i].folder);
		fputs("</td><td>", fp);
		h_esc(fp, v[i].subject);
		fputs("</td><td class=\"reason\">", fp);
		h_esc(fp, v[i].why != NULL ? v[i].why : warns ? NULL :
		    "unknown reason");
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

/*
 * One run in memory (a single input): its items give the rows.
 */

static void
h_run_group(const void *ctx, size_t gi, struct hgroup *out)
{
	const struct report_run		*run = ctx;
	const struct dedup_group	*g = &run->dr->groups[gi];
	const struct appt		*a, *orig;
	struct hcopy			*c;
	size_t				 j, idx;

	out->num = gi + 1;
	out->kind = g->kind;
	out->rule = g->rule;
	out->review = g->review;
	out->why = g->why;
	out->key = g->key;
	out->n = g->n;
	out->c = xcalloc(g->n + 1, sizeof *out->c);
	for (j = 0; j < g->n; j++) {
		c = &out->c[j];
		idx = g->members[j];
		a = h_item(run, idx);
		if (a != NULL)
			h_fields(a, c->v);
		c->kept = idx < run->dr->nitems &&
		    run->dr->dup_of[idx] == DEDUP_KEPT;
		c->older = g->older != NULL && g->older[j];
		snprintf(c->id, sizeof c->id, "0x%" PRIx64, a != NULL ?
		    a->id : 0);
		if (!c->kept && idx < run->dr->nitems &&
		    (orig = h_item(run, run->dr->dup_of[idx])) != NULL)
			snprintf(c->of, sizeof c->of, "0x%" PRIx64, orig->id);
	}
}

int
report_html_write(FILE *fp, const struct report_run *run)
{
	const struct reader_result	*rr = run->rr;
	const struct reader_folder	*f;
	const struct dedup_group	*g;
	const struct appt		*a;
	struct hinput			 hi;
	struct hfolder			*hf;
	size_t				 i, j, ng;
	int				 rv;

	memset(&hi, 0, sizeof hi);
	hi.file = run->file;
	hi.status = -1;
	hi.store = rr->store_name;
	hi.file_type = rr->file_type;
	hi.options = run->options;
	hi.totals = run->totals;

	hi.folders = xcalloc(rr->nfolders + 1, sizeof *hi.folders);
	for (i = 0; i < rr->nfolders; i++) {
		f = &rr->folders[i];
		hf = &hi.folders[hi.nfolders];
		for (j = 0; j < rr->nskips; j++) {
			if (rr->skips[j].folder != NULL && f->path != NULL &&
			    strcmp(rr->skips[j].folder, f->path) == 0)
				hf->skipped++;
		}
		if (f->count == 0 && hf->skipped == 0)
			continue;
		hf->path = f->path;
		hf->is_default = f->is_default;
		for (j = f->first; j < f->first + f->count &&
		    j < rr->appts.n; j++) {
			if (run->dr == NULL ||
			    run->dr->dup_of[j] == DEDUP_KEPT)
				hf->kept++;
			else
				hf->removed++;
		}
		for (j = 0; run->dr != NULL && j < run->dr->ngroups; j++) {
			g = &run->dr->groups[j];
			if (g->n > 0 && g->members[0] >= f->first &&
			    g->members[0] < f->first + f->count)
				hf->groups++;
		}
		hf->read = hf->kept + hf->removed + hf->skipped;
		hi.nfolders++;
	}

	ng = run->dr != NULL ? run->dr->ngroups : 0;
	hi.starts = xreallocarray(NULL, rr->appts.n + 1, sizeof *hi.starts);
	hi.creators = xreallocarray(NULL, rr->appts.n + 1,
	    sizeof *hi.creators);
	for (i = 0; run->dr != NULL && i < rr->appts.n; i++) {
		if (run->dr->dup_of[i] == DEDUP_KEPT)
			continue;
		a = rr->appts.v[i];
		hi.starts[hi.nremoved] = a->start;
		hi.creators[hi.nremoved++] = a->creator;
	}
	hi.groups = xcalloc(ng + 1, sizeof *hi.groups);
	hi.ngroups = ng;
	for (i = 0; i < ng; i++) {
		g = &run->dr->groups[i];
		hi.groups[i].num = i + 1;
		hi.groups[i].kind = g->kind;
		hi.groups[i].review = g->review;
		a = g->n > 0 ? h_item(run, g->members[0]) : NULL;
		hi.groups[i].subject = a != NULL ? a->subject : NULL;
	}
	hi.group = h_run_group;
	hi.ctx = run;

	hi.skips = xcalloc(rr->nskips + 1, sizeof *hi.skips);
	for (i = 0; i < rr->nskips; i++) {
		snprintf(hi.skips[i].id, sizeof hi.skips[i].id,
		    "0x%" PRIx64, rr->skips[i].id);
		hi.skips[i].flag = rr->skips[i].damaged;
		hi.skips[i].folder = rr->skips[i].folder;
		hi.skips[i].subject = rr->skips[i].subject;
		hi.skips[i].why = rr->skips[i].reason;
	}
	hi.nskips = rr->nskips;
	hi.warns = xcalloc(run->nwarnings + 1, sizeof *hi.warns);
	for (i = 0; i < run->nwarnings; i++) {
		a = run->warnings[i].item;
		snprintf(hi.warns[i].id, sizeof hi.warns[i].id,
		    "0x%" PRIx64, a->id);
		hi.warns[i].flag = run->warnings[i].degraded;
		hi.warns[i].folder = a->folder;
		hi.warns[i].subject = a->subject;
		hi.warns[i].why = run->warnings[i].msg;
	}
	hi.nwarns = run->nwarnings;

	h_head(fp, run->file);
	h_input(fp, &hi, 1);
	rv = h_foot(fp);
	free(hi.folders);
	free(hi.starts);
	free(hi.creators);
	free(hi.groups);
	free(hi.skips);
	free(hi.warns);
	return rv;
}

/*
 * A run of many inputs: the combined JSON report (combined.h) gives
 * the rows; each item's "shown" holds what h_fields() made of it in
 * the process that read it.
 */

/* The JSON report's "2024-03-05T10:00:00Z" as a FILETIME. */
static int64_t
h_iso_ft(const char *s)
{
	int	y, mo, d, h, mi, sec, n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d,
	    &h, &mi, &sec, &n) != 6 || n == 0 || s[n] != '\0')
		return APPT_NOTIME;
	return tz_ft_from_civil(y, mo, d, h, mi, sec);
}

static const char *
h_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static size_t
h_jnum(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) > 0 ?
	    (size_t)json_integer_value(v) : 0;
}

static void
h_jtotals(json_t *t, struct report_totals *out)
{
	memset(out, 0, sizeof *out);
	out->folders = h_jnum(t, "folders");
	out->read = h_jnum(t, "read");
	out->kept = h_jnum(t, "kept");
	out->removed = h_jnum(t, "removed");
	out->groups = h_jnum(t, "groups");
	out->conflicts = h_jnum(t, "conflicts");
	out->review = h_jnum(t, "review");
	out->skipped = h_jnum(t, "skipped");
	out->damaged = h_jnum(t, "damaged");
	out->left_out = h_jnum(t, "left_out");
	out->degraded = h_jnum(t, "degraded");
}

/* One copy from a group's "kept", "also_kept" or "removed". */
static void
h_jcopy(json_t *it, int kept, struct hcopy *c)
{
	json_t		*shown = json_object_get(it, "shown");
	const char	*s;
	size_t		 f;

	c->kept = kept;
	c->older = json_is_true(json_object_get(it, "older_revision"));
	snprintf(c->id, sizeof c->id, "%s", h_jstr(it, "id") != NULL ?
	    h_jstr(it, "id") : "");
	if ((s = h_jstr(it, "duplicate_of")) != NULL)
		snprintf(c->of, sizeof c->of, "%s", s);
	if (json_is_object(shown)) {
		for (f = 0; f < HF_COUNT; f++)
			if ((s = h_jstr(shown, hfields[f].key)) != NULL)
				c->v[f] = xstrdup(s);
		return;
	}
	/* A report from before "shown": what it has. */
	if ((s = h_jstr(it, "subject")) != NULL)
		c->v[HF_SUBJECT] = xstrdup(s);
	if ((s = h_jstr(it, "start")) != NULL)
		c->v[HF_START] = xstrdup(s);
	if ((s = h_jstr(it, "end")) != NULL)
		c->v[HF_END] = xstrdup(s);
	if ((s = h_jstr(it, "creator")) != NULL)
		c->v[HF_CREATOR] = xstrdup(s);
	if ((s = h_jstr(it, "modifier")) != NULL)
		c->v[HF_MODIFIER] = xstrdup(s);
	if ((s = h_jstr(it, "folder")) != NULL)
		c->v[HF_FOLDER] = xstrdup(s);
	c->v[HF_ID] = xstrdup(c->id);
}

/* ctx: the json_t *array of this input's groups. */
static void
h_json_group(const void *ctx, size_t gi, struct hgroup *out)
{
	json_t		*g = json_array_get((json_t *)ctx, gi), *it;
	json_t		*also = json_object_get(g, "also_kept");
	json_t		*rm = json_object_get(g, "removed");
	const char	*s;
	size_t		 i, n = 0;
	int		 r;

	out->num = h_jnum(g, "group");
	if ((s = h_jstr(g, "kind")) != NULL) {
		for (r = DEDUP_SAME_MEETING; r <= DEDUP_CONFLICT; r++)
			if (strcmp(s, dedup_kind_name(r)) == 0)
				out->kind = r;
	}
	if ((s = h_jstr(g, "rule")) != NULL) {
		for (r = DEDUP_RULE_REVISION; r <= DEDUP_RULE_UNDECIDED; r++)
			if (strcmp(s, dedup_rule_name(r)) == 0)
				out->rule = r;
	}
	out->review = json_is_true(json_object_get(g, "review"));
	out->why = h_jstr(g, "why");
	out->key = h_jstr(g, "key");
	out->c = xcalloc(json_array_size(also) + json_array_size(rm) + 2,
	    sizeof *out->c);
	if (json_is_object(it = json_object_get(g, "kept")))
		h_jcopy(it, 1, &out->c[n++]);
	json_array_foreach(also, i, it)
		if (json_is_object(it))
			h_jcopy(it, 1, &out->c[n++]);
	json_array_foreach(rm, i, it)
		if (json_is_object(it))
			h_jcopy(it, 0, &out->c[n++]);
	out->n = n;
}

/* The rows of arr (groups, skipped or warnings) that belong to input. */
static json_t *
h_jpick(json_t *doc, const char *key, const char *input)
{
	json_t		*out = json_array(), *o;
	const char	*s;
	size_t		 i;

	json_array_foreach(json_object_get(doc, key), i, o) {
		if ((s = h_jstr(o, "input")) != NULL && input != NULL &&
		    strcmp(s, input) == 0)
			json_array_append(out, o);
	}
	return out;
}

/* Add the removed copies of the groups to the chart data. */
static void
h_jremoved(json_t *groups, int64_t **starts, const char ***creators,
    size_t *n)
{
	json_t	*g, *it;
	size_t	 i, j;

	json_array_foreach(groups, i, g) {
		json_array_foreach(json_object_get(g, "removed"), j, it) {
			*starts = xreallocarray(*starts, *n + 1,
			    sizeof **starts);
			*creators = xreallocarray(*creators, *n + 1,
			    sizeof **creators);
			(*starts)[*n] = h_iso_ft(h_jstr(it, "start"));
			(*creators)[(*n)++] = h_jstr(it, "creator");
		}
	}
}

static void
h_jrows(json_t *arr, int warns, struct hrow **v, size_t *n)
{
	json_t	*o;
	size_t	 i;

	*v = xcalloc(json_array_size(arr) + 1, sizeof **v);
	*n = 0;
	json_array_foreach(arr, i, o) {
		snprintf((*v)[*n].id, sizeof (*v)[*n].id, "%s",
		    h_jstr(o, "id") != NULL ? h_jstr(o, "id") : "");
		(*v)[*n].flag = json_is_true(json_object_get(o, warns ?
		    "degraded" : "damaged"));
		(*v)[*n].folder = h_jstr(o, "folder");
		(*v)[*n].subject = h_jstr(o, "subject");
		(*v)[*n].why = h_jstr(o, warns ? "message" : "reason");
		(*n)++;
	}
}

/* One input's section from its row and its groups, skips, warnings. */
static void
h_json_input(FILE *fp, json_t *doc, json_t *row, size_t in)
{
	struct hinput	 hi;
	struct hfolder	*hf, *best;
	json_t		*groups, *skips, *warns, *f, *g, *kept;
	const char	*path, *s;
	size_t		 i, j, len;

	memset(&hi, 0, sizeof hi);
	hi.file = h_jstr(row, "input");
	hi.status = (int)h_jnum(row, "status");
	hi.store = h_jstr(row, "store");
	hi.file_type = (int)h_jnum(row, "file_type");
	hi.options = h_jstr(row, "options");
	h_jtotals(json_object_get(row, "totals"), &hi.totals);
	groups = h_jpick(doc, "groups", hi.file);
	skips = h_jpick(doc, "skipped", hi.file);
	warns = h_jpick(doc, "warnings", hi.file);

	hi.files = 1;
	hi.folders = xcalloc(json_array_size(json_object_get(row,
	    "folders")) + 1, sizeof *hi.folders);
	json_array_foreach(json_object_get(row, "folders"), i, f) {
		hf = &hi.folders[hi.nfolders++];
		hf->path = h_jstr(f, "folder");
		hf->read = h_jnum(f, "read");
		hf->kept = h_jnum(f, "kept");
		hf->removed = h_jnum(f, "removed");
		hf->skipped = h_jnum(f, "skipped");
		hf->calendar = h_jstr(f, "calendar");
		hf->removed_file = h_jstr(f, "removed_file");
	}
	/* A group is in its kept copy's folder: the rows name folders
	 * below the top of the store, the items from the root; the
	 * longest row that ends the item's path. */
	json_array_foreach(groups, j, g) {
		kept = json_object_get(g, "kept");
		if ((s = h_jstr(kept, "folder")) == NULL)
			continue;
		best = NULL;
		for (i = 0; i < hi.nfolders; i++) {
			if ((path = hi.folders[i].path) == NULL ||
			    (len = strlen(path)) > strlen(s) ||
			    strcmp(s + strlen(s) - len, path) != 0 ||
			    (len < strlen(s) && s[strlen(s) - len - 1] != '/'))
				continue;
			if (best == NULL || len > strlen(best->path))
				best = &hi.folders[i];
		}
		if (best != NULL)
			best->groups++;
	}

	h_jremoved(groups, &hi.starts, &hi.creators, &hi.nremoved);
	hi.ngroups = json_array_size(groups);
	hi.groups = xcalloc(hi.ngroups + 1, sizeof *hi.groups);
	for (i = 0; i < hi.ngroups; i++) {
		/* The summary needs only these. */
		h_json_group(groups, i, &hi.groups[i]);
		hi.groups[i].subject = hi.groups[i].n > 0 ?
		    hi.groups[i].c[0].v[HF_SUBJECT] : NULL;
	}
	hi.group = h_json_group;
	hi.ctx = groups;
	h_jrows(skips, 0, &hi.skips, &hi.nskips);
	h_jrows(warns, 1, &hi.warns, &hi.nwarns);

	h_input(fp, &hi, in);

	for (i = 0; i < hi.ngroups; i++)
		h_group_free(&hi.groups[i]);
	free(hi.groups);
	free(hi.folders);
	free(hi.starts);
	free(hi.creators);
	free(hi.skips);
	free(hi.warns);
	json_decref(groups);
	json_decref(skips);
	json_decref(warns);
}

/* The whole run: its totals, the inputs by status, one row per input
 * and per folder, the charts over all inputs. */
static void
h_json_overview(FILE *fp, json_t *doc)
{
	struct report_totals	 sum;
	json_t			*t = json_object_get(doc, "totals"), *row, *f;
	json_t			*by = json_object_get(t, "by_status");
	int64_t			*starts = NULL;
	const char		**creators = NULL;
	size_t			 i, j, n = 0;
	char			 key[16];
	int			 s;

	h_jtotals(t, &sum);
	fprintf(fp, "<section class=\"overview\" id=\"overview\">\n<h2>The "
	    "whole run: %zu %s</h2>\n<div class=\"top\">\n<div class=\"sums\">"
	    "\n", h_jnum(t, "inputs"), h_jnum(t, "inputs") == 1 ? "input" :
	    "inputs");
	h_totals(fp, &sum, "totals-all");
	fputs("<p><strong>Inputs by status:</strong></p>\n<ul class=\"status\">"
	    "\n", fp);
	for (s = combined_next(-1); s != -1; s = combined_next(s)) {
		snprintf(key, sizeof key, "%d", s);
		if (h_jnum(by, key) != 0)
			fprintf(fp, "<li data-status=\"%d\">%zu %s (exit status "
			    "%d)</li>\n", s, h_jnum(by, key),
			    combined_status_name(s), s);
	}
	fputs("</ul>\n", fp);
	h_jremoved(json_object_get(doc, "groups"), &starts, &creators, &n);
	if (sum.removed != 0)
		h_charts(fp, starts, creators, n);
	free(starts);
	free(creators);
	fputs("</div>\n</div>\n", fp);

	fputs("<table class=\"inputs\">\n<thead><tr><th>input / folder</th>"
	    "<th>status</th><th>store</th><th class=\"n\">read</th>"
	    "<th class=\"n\">kept</th><th class=\"n\">removed</th>"
	    "<th class=\"n\">groups</th><th class=\"n\">conflicts</th>"
	    "<th class=\"n\">to review</th><th class=\"n\">skipped</th>"
	    "<th class=\"n\">degraded</th><th>files written</th></tr></thead>"
	    "\n<tbody>\n", fp);
	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		t = json_object_get(row, "totals");
		s = (int)h_jnum(row, "status");
		fprintf(fp, "<tr class=\"input\" data-status=\"%d\"><td><a "
		    "href=\"#input-%zu\">", s, i + 1);
		h_esc(fp, h_jstr(row, "input"));
		fprintf(fp, "</a></td><td>%s (%d)</td><td>",
		    combined_status_name(s), s);
		h_esc(fp, h_jstr(row, "store"));
		fputs("</td>", fp);
		h_num(fp, h_jnum(t, "read"));
		h_num(fp, h_jnum(t, "kept"));
		h_num(fp, h_jnum(t, "removed"));
		h_num(fp, h_jnum(t, "groups"));
		h_num(fp, h_jnum(t, "conflicts"));
		h_num(fp, h_jnum(t, "review"));
		h_num(fp, h_jnum(t, "skipped"));
		h_num(fp, h_jnum(t, "degraded"));
		fprintf(fp, "<td>%zu %s</td></tr>\n",
		    json_array_size(json_object_get(row, "folders")),
		    json_array_size(json_object_get(row, "folders")) == 1 ?
		    "folder" : "folders");
		json_array_foreach(json_object_get(row, "folders"), j, f) {
			fputs("<tr class=\"folder\"><td class=\"folder\">"
			    "<span class=\"none\">folder</span> ", fp);
			h_esc(fp, h_jstr(f, "folder"));
			fputs("</td><td></td><td></td>", fp);
			h_num(fp, h_jnum(f, "read"));
			h_num(fp, h_jnum(f, "kept"));
			h_num(fp, h_jnum(f, "removed"));
			fputs("<td></td><td></td><td></td>", fp);
			h_num(fp, h_jnum(f, "skipped"));
			fputs("<td></td><td>", fp);
			h_files(fp, h_jstr(f, "calendar"),
			    h_jstr(f, "removed_file"));
			fputs("</td></tr>\n", fp);
		}
	}
	fprintf(fp, "</tbody>\n<tfoot><tr><th colspan=\"3\">%zu %s</th>",
	    h_jnum(json_object_get(doc, "totals"), "inputs"),
	    h_jnum(json_object_get(doc, "totals"), "inputs") == 1 ? "input" :
	    "inputs");
	h_num(fp, sum.read);
	h_num(fp, sum.kept);
	h_num(fp, sum.removed);
	h_num(fp, sum.groups);
	h_num(fp, sum.conflicts);
	h_num(fp, sum.review);
	h_num(fp, sum.skipped);
	h_num(fp, sum.degraded);
	fputs("<td></td></tr></tfoot>\n</table>\n</section>\n", fp);
}

int
report_html_combined(FILE *fp, json_t *doc)
{
	json_t	*row;
	size_t	 i;
	char	 title[64];

	snprintf(title, sizeof title, "%zu inputs", json_array_size(
	    json_object_get(doc, "inputs")));
	h_head(fp, title);
	h_json_overview(fp, doc);
	json_array_foreach(json_object_get(doc, "inputs"), i, row)
		h_json_input(fp, doc, row, i + 1);
	return h_foot(fp);
}

size_t
report_html_field_count(void)
{
	return HF_COUNT;
}

const char *
report_html_field_key(size_t f)
{
	return f < HF_COUNT ? hfields[f].key : NULL;
}

void
report_html_fields(const struct appt *a, char **v)
{
	h_fields(a, v);
}
