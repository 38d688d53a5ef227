/* fuzz_tz.c: libFuzzer target for the time-zone blob decoders. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	convert(const struct tz_rule *);

/* A few conversions across a year, both ways, in both hemispheres'
 * transition seasons. */
static void
convert(const struct tz_rule *r)
{
	static const int64_t days[] = { 151000, 151080, 151200, 151300 };
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		t = days[i] * 864000000000LL;
		t = tz_utc_to_local(r, t);
		(void)tz_local_to_utc(r, t);
	}
	(void)tz_std_offset(r);
	(void)tz_dst_offset(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tz tz, back;
	struct tz_rule reg;
	uint8_t *blob, out[48];
	size_t len, i;
	char *cause = NULL;

	if (tz_decode_reg(data, size, &reg, &cause) == 0) {
		convert(&reg);
		tz_encode_reg(&reg, out);
		if (memcmp(out, data, 12) != 0)
			abort();
	} else
		free(cause);
	cause = NULL;
	if (tz_decode_def(data, size, &tz, &cause) != 0) {
		free(cause);
		return 0;
	}
	for (i = 0; i < tz.nrules; i++)
		convert(&tz.rules[i]);
	(void)tz_def_local_to_utc(&tz, 151100 * 864000000000LL);
	(void)tz_def_utc_to_local(&tz, 151100 * 864000000000LL);
	(void)tz_rule_for_year(&tz, 2020);
	if (tz_encode_def(&tz, &blob, &len, &cause) != 0) {
		free(cause);
		tz_free(&tz);
		return 0;
	}
	/* Rules survive a round trip exactly. */
	if (tz_decode_def(blob, len, &back, &cause) != 0 ||
	    back.nrules != tz.nrules ||
	    memcmp(back.rules, tz.rules, tz.nrules * sizeof *tz.rules) != 0)
		abort();
	tz_free(&back);
	free(blob);
	tz_free(&tz);
	return 0;
}
