/* report_html_page.c: the HTML page's frame: its constant style and
 * script (allowed by their hashes in the CSP), head, foot and escaping. */
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "report_html_int.h"
#include "text.h"
#include "xmalloc.h"

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

/* Text as HTML text: the five markup characters as references, bad
 * UTF-8 as U+FFFD. Safe in text and in quoted attribute values. */
void
rh_esc(FILE *fp, const char *s)
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
		cp = text_utf8_next(&p);
		fwrite(u, 1, text_utf8_put(cp, u), fp);
	}
}

/* Escaped text, each line break a <br>. */
void
rh_esc_lines(FILE *fp, const char *s)
{
	const char	*nl;
	char		*line;

	while ((nl = strchr(s, '\n')) != NULL) {
		line = xstrndup(s, (size_t)(nl - s));
		rh_esc(fp, line);
		free(line);
		fputs("<br>", fp);
		s = nl + 1;
	}
	rh_esc(fp, s);
}

void
rh_num(FILE *fp, size_t n)
{
	fprintf(fp, "<td class=\"n\">%zu</td>", n);
}

/* title: escaped into <title>. */
void
rh_head(FILE *fp, const char *title)
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
	rh_esc(fp, title);
	fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", h_style);
	fputs("<header class=\"page\">\n<h1>Duplicate appointments: review "
	    "before the calendar is emptied</h1>\n<p id=\"filterbox\" "
	    "hidden><label for=\"filter\">Filter groups</label> <input "
	    "type=\"search\" id=\"filter\" placeholder=\"subject, person, "
	    "folder, date...\" autocomplete=\"off\"><span id=\"shown\">"
	    "</span></p>\n</header>\n<main>\n", fp);
}

int
rh_foot(FILE *fp)
{
	fputs("</main>\n<footer>Written by pstdedup " PACKAGE_VERSION
	    ". This page is one file: it loads nothing from the network, "
	    "and its only script is the filter box.</footer>\n", fp);
	fprintf(fp, "<script>%s</script>\n</body>\n</html>\n", h_script);
	return ferror(fp) ? -1 : 0;
}
