/* fuzz_recur.c: libFuzzer target for recur_decode() and its consumers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recur.h"
#include "tz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	encoder_fills(const struct recur *);

/* Whether recur_encode() would fill in a derived field that
 * recur_equal() compares, so that the round trip may differ. */
static int
encoder_fills(const struct recur *rc)
{
	return (rc->end_type == RECUR_END_COUNT && rc->end_date == 0) ||
	    (rc->end_type == RECUR_END_DATE && rc->count == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recur rc, back;
	struct tz_rule rule;
	uint32_t *ex;
	uint8_t *blob;
	size_t n, len;
	char *s, *cause = NULL;
	int all_day;

	if (recur_decode(data, size, &rc, &cause) != 0) {
		free(cause);
		return 0;
	}
	/* US Pacific time, to push UNTIL through a real conversion. */
	memset(&rule, 0, sizeof rule);
	rule.bias = 480;
	rule.dst_bias = -60;
	rule.std_date.month = 11;
	rule.std_date.day = 1;
	rule.std_date.hour = 2;
	rule.dst_date.month = 3;
	rule.dst_date.day = 2;
	rule.dst_date.hour = 2;
	for (all_day = 0; all_day < 2; all_day++) {
		cause = NULL;
		if (recur_rrule(&rc, all_day ? NULL : &rule, all_day, &s,
		    &cause) == 0)
			free(s);
		else
			free(cause);
	}
	ex = recur_exdates(&rc, &n);
	free(ex);
	cause = NULL;
	if (recur_encode(&rc, &blob, &len, &cause) != 0) {
		free(cause);
		recur_free(&rc);
		return 0;
	}
	/* What was decoded must survive encoding unchanged. */
	if (recur_decode(blob, len, &back, &cause) != 0)
		abort();
	if (!encoder_fills(&rc) && !recur_equal(&rc, &back))
		abort();
	recur_free(&back);
	free(blob);
	recur_free(&rc);
	return 0;
}
