/* Fuzzes the simulator's policy parser (src/sim/policy.c): never crashes; a refusal is
 * YL_ERR_INVALID with a "NAME:..." message and leaves the policy byte for byte unchanged;
 * whatever it accepts has every knob finite and within its table range (integers whole,
 * booleans 0 or 1) and fd_quota + referral_quota <= 0.9, and survives a round trip: formatted
 * and parsed again onto the defaults it gives the same policy bit for bit, and formats to the
 * same text. The input also goes through yl_sim_policy_set as one --set argument. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "sim/policy.h"

/* Not assert: the checks must stay whatever NDEBUG says. */
#define CHECK(x)                  \
	do {                      \
		if (!(x))         \
			abort();  \
	} while (0)

static void check_ranges(const struct yl_sim_policy *p)
{
	size_t n;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);

	for (size_t i = 0; i < n; i++) {
		double v = yl_sim_knob_get(p, &k[i]);
		CHECK(isfinite(v) && v >= k[i].min && v <= k[i].max);
		if (k[i].is_int || k[i].is_bool)
			CHECK(v == floor(v));
	}
	CHECK(p->fd_quota + p->referral_quota <= 0.9 + 1e-9);
}

static void check_same(const struct yl_sim_policy *a, const struct yl_sim_policy *b)
{
	size_t n;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);

	for (size_t i = 0; i < n; i++) {
		double x = yl_sim_knob_get(a, &k[i]), y = yl_sim_knob_get(b, &k[i]);
		CHECK(memcmp(&x, &y, sizeof(x)) == 0);
	}
}

static void check_round_trip(const struct yl_sim_policy *p)
{
	struct yl_buf a = YL_BUF_INIT, b = YL_BUF_INIT;
	struct yl_sim_policy q;
	struct yl_diag d;

	check_ranges(p);
	CHECK(yl_sim_policy_check(p, &d) == YL_OK);
	yl_sim_policy_format(p, &a);
	yl_sim_policy_init(&q);
	CHECK(yl_sim_policy_parse(&q, a.data, a.len, "round-trip", &d) == YL_OK);
	check_same(p, &q);
	yl_sim_policy_format(&q, &b);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	yl_buf_release(&a);
	yl_buf_release(&b);
}

static void check_refusal(enum yl_err err, const struct yl_diag *d, const char *prefix,
			  const struct yl_sim_policy *p, const struct yl_sim_policy *before)
{
	CHECK(err == YL_ERR_INVALID && d->err == YL_ERR_INVALID);
	CHECK(strncmp(d->message, prefix, strlen(prefix)) == 0);
	CHECK(memcmp(p, before, sizeof(*p)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yl_sim_policy p, before;
	struct yl_diag d;
	enum yl_err err;
	char *s;

	yl_sim_policy_init(&p);
	memcpy(&before, &p, sizeof(p));
	err = yl_sim_policy_parse(&p, (const char *)data, size, "f.conf", &d);
	if (err == YL_OK)
		check_round_trip(&p);
	else
		check_refusal(err, &d, "f.conf:", &p, &before);

	/* the same bytes, up to a NUL, as one --set on top of what the file gave */
	s = malloc(size + 1);
	CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';
	memcpy(&before, &p, sizeof(p));
	err = yl_sim_policy_set(&p, s, &d);
	if (err == YL_OK)
		check_round_trip(&p);
	else
		check_refusal(err, &d, "--set: ", &p, &before);
	free(s);
	return 0;
}
