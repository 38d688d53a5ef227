/* test_writer_body.c: the writer's DESCRIPTION from plain,
 * RTF and HTML bodies, and an empty calendar. */
#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "writer_util.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

static void
set_rtf(struct appt *a, const char *rtf)
{
	uint8_t	*p;
	size_t	 len;
	char	*cause = NULL;

	cr_assert_eq(rtf_compress(rtf, strlen(rtf), &p, &len, &cause), 0, "%s",
	    cause);
	appt_blob_set(&a->rtf, p, len);
	free(p);
}

Test(writer, bodies_from_rtf)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("html", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[0], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}Hello"
	    "{\\*\\htmltag72 </p>}}");
	v[1] = mk("rtf", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[1], "{\\rtf1\\ansi Hello\\par World}");
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Hello");
	cr_assert_str_eq(xprop(event(cal, 0), "X-ALT-DESC"), "<p>Hello</p>");
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 1)),
	    "Hello\nWorld");
	cr_assert_null(xprop(event(cal, 1), "X-ALT-DESC"));
	release_all(cal, out, v, 2);
}

Test(writer, bad_rtf_warns)
{
	static const uint8_t junk[16] = { 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f,
	    'L', 'Z', 'F', 'u' };
	struct appt	*a = mk("x", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	appt_blob_set(&a->rtf, junk, sizeof junk);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "RTF body not decoded"), "%s", w.last);
	cr_assert_eq(nevents(cal), 1);
	release(cal, out, a);
}

Test(writer, empty_calendar)
{
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	out = render_cal(NULL, 0, &w, &cal);
	cr_assert_eq(nevents(cal), 0);
	cr_assert(has(out, "BEGIN:VCALENDAR\r\n"));
	cr_assert(has(out, "METHOD:PUBLISH\r\n"));
	cr_assert(has(out, "END:VCALENDAR\r\n"));
	icalcomponent_free(cal);
	free(out);
}

Test(writer, description_from_html_when_no_plain_body)
{
	struct appt	*v[3];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("html only", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	v[0]->html = xstrdup("<html><head><title>t</title></head><body>"
	    "<p>Dial&nbsp;in:</p><p>+1 555 0100<br>PIN 42</p></body></html>");
	/* An image only: no text, no DESCRIPTION, and nothing lost. */
	v[1] = mk("picture", tu_ft(2024, 3, 16, 9, 0),
	    tu_ft(2024, 3, 16, 10, 0));
	v[1]->html = xstrdup("<p><img src=\"cid:x\"></p>");
	/* Both bodies: the plain one wins. */
	v[2] = mk("both", tu_ft(2024, 3, 17, 9, 0), tu_ft(2024, 3, 17, 10, 0));
	v[2]->html = xstrdup("<p>formatted</p>");
	v[2]->body = xstrdup("plain");
	out = render_cal(v, 3, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Dial in:\n+1 555 0100\nPIN 42");
	cr_assert_not_null(xprop(event(cal, 0), "X-ALT-DESC"));
	cr_assert_null(icalcomponent_get_first_property(event(cal, 1),
	    ICAL_DESCRIPTION_PROPERTY));
	cr_assert_not_null(xprop(event(cal, 1), "X-ALT-DESC"));
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 2)),
	    "plain");
	release_all(cal, out, v, 3);
}

Test(writer, rtf_html_text_through_the_html_parser)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("rtf html", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[0], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}Caf"
	    "{\\*\\htmltag84 &eacute;}\\htmlrtf \\'e9\\htmlrtf0 "
	    "{\\*\\htmltag72 </p>}{\\*\\htmltag64 <p>}Two{\\*\\htmltag72 "
	    "</p>}}");
	/* Plain body kept, HTML still taken from the RTF. */
	v[1] = mk("plain and rtf", tu_ft(2024, 3, 16, 9, 0),
	    tu_ft(2024, 3, 16, 10, 0));
	v[1]->body = xstrdup("own text");
	set_rtf(v[1], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}x"
	    "{\\*\\htmltag72 </p>}}");
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Caf\xc3\xa9\nTwo");
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 1)),
	    "own text");
	cr_assert_str_eq(xprop(event(cal, 1), "X-ALT-DESC"), "<p>x</p>");
	release_all(cal, out, v, 2);
}
