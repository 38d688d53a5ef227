/* report_html_chart.c: the inline SVG charts of the removed copies:
 * per month (or year) of their start and per creator. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "report_html_int.h"
#include "text.h"
#include "xmalloc.h"

/* A bar of a chart. */
struct hbar {
	char		*label;		/* owned */
	long		 key;		/* month or year */
	size_t		 n;
};

static void	 h_bars_free(struct hbar *, size_t);
static int	 h_bar_cmp(const void *, const void *);
static int	 h_long_cmp(const void *, const void *);
static void	 h_chart_months(FILE *, const int64_t *, size_t);
static void	 h_chart_creators(FILE *, const char *const *, size_t);

/* starts and creators: one of each per removed copy. */
void
rh_charts(FILE *fp, const int64_t *starts, const char *const *creators,
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
		rh_civil(starts[i], &y, &mo, &d, &wd, &h, &mi);
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
			xasprintf(&v[i].label, "%s %ld", rh_mon[v[i].key % 12],
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
			    rh_mon[v[i].key % 12]);
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
			(void)text_utf8_next(&p);
		label = xstrndup(name, (size_t)(p - name));
		fprintf(fp, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    L - 6, i * row + 18);
		rh_esc(fp, label);
		fprintf(fp, "%s</text>\n", *p != '\0' ? "\u2026" : "");
		free(label);
		fprintf(fp, "<rect class=\"bar\" x=\"%d\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"%d\"><title>", L, i * row + 5, bw,
		    row - 7);
		rh_esc(fp, name);
		fprintf(fp, ": %zu</title></rect>\n<text x=\"%.1f\" y=\"%zu\">"
		    "%zu</text>\n", j, L + bw + 5, i * row + 18, j);
	}
	fputs("</svg>\n</figure>\n", fp);
	h_bars_free(v, n);
}
