/* test_buf.c: the growable buffer (buf.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

Test(buf, grows_and_stays_terminated)
{
	struct buf	 b = { 0 };
	char		 want[3000];
	size_t		 i;

	for (i = 0; i < sizeof want - 1; i++) {
		want[i] = (char)('a' + i % 26);
		buf_add(&b, &want[i], 1);
		cr_assert_eq(b.len, i + 1);
		cr_assert_eq(b.p[b.len], '\0');
		cr_assert_geq(b.cap, b.len + 1);
	}
	want[i] = '\0';
	cr_assert_str_eq(b.p, want);
	buf_add(&b, "", 0);
	cr_assert_eq(b.len, sizeof want - 1);
	buf_free(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
}

Test(buf, strings_code_points_and_take)
{
	struct buf	 b = { 0 };
	char		*s;

	s = buf_take(&b);
	cr_assert_str_eq(s, "");
	free(s);
	buf_addstr(&b, "Caf");
	buf_addcp(&b, 0xE9);
	buf_addcp(&b, 0x1F600);
	buf_add(&b, "!", 1);
	cr_assert_eq(b.len, 3 + 2 + 4 + 1);
	s = buf_take(&b);
	cr_assert_str_eq(s, "Caf\xC3\xA9\xF0\x9F\x98\x80!");
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	free(s);
	/* Binary bytes with NULs keep their length. */
	buf_add(&b, "a\0b", 3);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.p, "a\0b", 4), 0);
	buf_free(&b);
}

Test(buf, reset_keeps_storage)
{
	struct buf	 b = { 0 };
	char		*p;
	size_t		 cap;

	buf_reset(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	buf_addstr(&b, "a longer first key");
	p = b.p;
	cap = b.cap;
	buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.p, "");
	cr_assert_eq(b.p, p);
	cr_assert_eq(b.cap, cap);
	buf_addstr(&b, "key");
	cr_assert_str_eq(b.p, "key");
	cr_assert_eq(b.p, p);
	buf_free(&b);
}
