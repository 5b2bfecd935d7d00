/* The simulator's policy knobs (src/sim/policy.c): the table against the struct, defaults,
 * each parser error with its line and field, CRLF, comments, percentages, --set overrides,
 * the fd_quota + referral_quota rule, the 64 KiB load cap, the format/parse round trip, and
 * an unchanged policy after any error. Expected values are typed in by hand from the brief
 * and docs/simulation-policy.md, never taken from the code under test. */
#include "yltest.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/policy.h"

static enum yl_err parse_n(struct yl_sim_policy *p, const char *text, size_t len,
			   struct yl_diag *d)
{
	yl_diag_clear(d);
	return yl_sim_policy_parse(p, text, len, "t.conf", d);
}

static enum yl_err parse_s(struct yl_sim_policy *p, const char *text, struct yl_diag *d)
{
	return parse_n(p, text, strlen(text), d);
}

/* text (len bytes) must fail on line `line` with field `field` ("" for none) and a message
 * containing `needle`, leaving a default policy byte for byte unchanged. */
static void expect_err_n(const char *text, size_t len, long line, const char *field,
			 const char *needle)
{
	struct yl_sim_policy p, before;
	struct yl_diag d;
	char prefix[64];

	yl_sim_policy_init(&p);
	memcpy(&before, &p, sizeof(p));
	if (parse_n(&p, text, len, &d) != YL_ERR_INVALID)
		fail_msg("accepted or wrong error for \"%.*s\": %s", (int)len, text, d.message);
	assert_int_equal(d.err, YL_ERR_INVALID);
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "t.conf:%ld: ", line);
	else
		snprintf(prefix, sizeof(prefix), "t.conf: ");
	if (strncmp(d.message, prefix, strlen(prefix)) != 0 || !strstr(d.message, needle))
		fail_msg("want \"%s...%s\", got \"%s\"", prefix, needle, d.message);
	assert_string_equal(d.field, field);
	assert_memory_equal(&p, &before, sizeof(p));
}

static void expect_err(const char *text, long line, const char *field, const char *needle)
{
	expect_err_n(text, strlen(text), line, field, needle);
}

static const struct yl_sim_knob *knob(const char *name)
{
	size_t n;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].name, name) == 0)
			return &k[i];
	fail_msg("no knob %s", name);
	return NULL;
}

static bool same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Every knob of a and b equal, doubles bit for bit. */
static void assert_same_policy(const struct yl_sim_policy *a, const struct yl_sim_policy *b)
{
	size_t n;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);

	for (size_t i = 0; i < n; i++) {
		double x = yl_sim_knob_get(a, &k[i]), y = yl_sim_knob_get(b, &k[i]);
		if (!same_double(x, y))
			fail_msg("%s: %.17g != %.17g", k[i].name, x, y);
	}
}

static void test_table_matches_struct(void **state)
{
	static const struct {
		const char *name;
		size_t offset;
	} want[] = {
		{"fd_quota", offsetof(struct yl_sim_policy, fd_quota)},
		{"referral_quota", offsetof(struct yl_sim_policy, referral_quota)},
		{"slot_supply", offsetof(struct yl_sim_policy, slot_supply)},
		{"release_days", offsetof(struct yl_sim_policy, release_days)},
		{"fallback_hours", offsetof(struct yl_sim_policy, fallback_hours)},
		{"booking_share", offsetof(struct yl_sim_policy, booking_share)},
		{"fd_booking", offsetof(struct yl_sim_policy, fd_booking)},
		{"no_show", offsetof(struct yl_sim_policy, no_show)},
		{"cancel", offsetof(struct yl_sim_policy, cancel)},
		{"primary_first", offsetof(struct yl_sim_policy, primary_first)},
		{"up_referral", offsetof(struct yl_sim_policy, up_referral)},
		{"down_referral", offsetof(struct yl_sim_policy, down_referral)},
		{"contract_target", offsetof(struct yl_sim_policy, contract_target)},
		{"key_target", offsetof(struct yl_sim_policy, key_target)},
		{"renewal", offsetof(struct yl_sim_policy, renewal)},
		{"visits_per_year", offsetof(struct yl_sim_policy, visits_per_year)},
		{"admissions_per_year", offsetof(struct yl_sim_policy, admissions_per_year)},
	};
	size_t n;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);
	(void)state;

	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(k[i].name, want[i].name);
		assert_int_equal(k[i].offset, want[i].offset);
		assert_true(k[i].meaning[0] && k[i].source[0]);
		assert_null(strchr(k[i].meaning, '\n'));
		assert_true(k[i].min <= k[i].def && k[i].def <= k[i].max);
	}
	assert_true(knob("release_days")->is_int && knob("fallback_hours")->is_int);
	assert_true(knob("primary_first")->is_bool);
	assert_false(knob("fd_quota")->is_int || knob("fd_quota")->is_bool);
}

static void test_defaults(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	memset(&p, 0x5a, sizeof(p));
	yl_sim_policy_init(&p);
	assert_true(p.fd_quota == 0.25 && p.referral_quota == 0.10 && p.slot_supply == 1.2);
	assert_int_equal(p.release_days, 7);
	assert_int_equal(p.fallback_hours, 24);
	assert_true(p.booking_share == 0.4 && p.fd_booking == 0.5);
	assert_true(p.no_show == 0.05 && p.cancel == 0.06);
	assert_false(p.primary_first);
	assert_true(p.up_referral == 0.004 && p.down_referral == 0.009);
	assert_true(p.contract_target == 0.45 && p.key_target == 0.75 && p.renewal == 0.85);
	assert_true(p.visits_per_year == 6.8 && p.admissions_per_year == 0.215);
	/* ranges from the brief */
	assert_true(knob("fd_quota")->max == 0.9 && knob("slot_supply")->min == 0.2);
	assert_true(knob("slot_supply")->max == 5 && knob("release_days")->min == 1);
	assert_true(knob("release_days")->max == 30 && knob("fallback_hours")->max == 168);
	assert_true(knob("no_show")->max == 0.5 && knob("up_referral")->max == 0.2);
	assert_true(knob("visits_per_year")->max == 50 && knob("admissions_per_year")->max == 5);
	/* knob_get reads each type */
	assert_true(yl_sim_knob_get(&p, knob("release_days")) == 7.0);
	assert_true(yl_sim_knob_get(&p, knob("primary_first")) == 0.0);
	assert_true(yl_sim_knob_get(&p, knob("no_show")) == 0.05);
	assert_int_equal(yl_sim_policy_check(&p, &d), YL_OK);
	/* an empty text and a comment-only text change nothing */
	assert_int_equal(parse_s(&p, "", &d), YL_OK);
	assert_int_equal(parse_s(&p, "# nothing\n\n", &d), YL_OK);
	assert_true(p.fd_quota == 0.25);
}

static void test_values_of_each_type(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p,
				 "fd_quota = 0.3\n"
				 "slot_supply = 2.5e0\n"
				 "release_days = +14\n"
				 "fallback_hours = 0\n"
				 "primary_first = YES\n"
				 "up_referral = 1e-3\n"
				 "down_referral = .02\n"
				 "renewal = 1.\n"
				 "visits_per_year = 007\n",
				 &d),
			 YL_OK);
	assert_true(p.fd_quota == 0.3 && p.slot_supply == 2.5);
	assert_int_equal(p.release_days, 14);
	assert_int_equal(p.fallback_hours, 0);
	assert_true(p.primary_first);
	assert_true(p.up_referral == 0.001 && p.down_referral == 0.02 && p.renewal == 1.0);
	assert_true(p.visits_per_year == 7.0);
	/* every boolean spelling */
	const char *yes[] = {"true", "yes", "on", "1", "True", "ON"};
	const char *no[] = {"false", "no", "off", "0", "FALSE", "No"};
	for (size_t i = 0; i < 6; i++) {
		char line[64];
		snprintf(line, sizeof(line), "primary_first = %s", no[i]);
		assert_int_equal(parse_s(&p, line, &d), YL_OK);
		assert_false(p.primary_first);
		snprintf(line, sizeof(line), "primary_first = %s", yes[i]);
		assert_int_equal(parse_s(&p, line, &d), YL_OK);
		assert_true(p.primary_first);
	}
	/* range ends are included */
	assert_int_equal(parse_s(&p,
				 "slot_supply = 0.2\nrelease_days = 1\nfallback_hours = 168\n"
				 "up_referral = 0.2\nno_show = 0\nfd_quota = 0.9\n"
				 "referral_quota = 0",
				 &d),
			 YL_OK);
	assert_true(p.slot_supply == 0.2 && p.up_referral == 0.2 && p.fd_quota == 0.9);
	assert_int_equal(p.release_days, 1);
	assert_int_equal(p.fallback_hours, 168);
	assert_int_equal(
		parse_s(&p, "slot_supply = 5\nrelease_days = 30\nvisits_per_year = 50", &d), YL_OK);
	assert_true(p.slot_supply == 5.0 && p.visits_per_year == 50.0);
	/* -0 is stored as +0 */
	assert_int_equal(parse_s(&p, "cancel = -0", &d), YL_OK);
	assert_true(same_double(p.cancel, 0.0));
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_err("fd_quota = 0.3\n\nno_show 0.1\n", 3, "", "expected 'key = value'");
	expect_err("# c\n = 0.3\n", 2, "", "empty key");
	expect_err("fd_quota =   # nothing\n", 1, "fd_quota", "empty value for fd_quota");
	expect_err("no_show = 0.1\nfd_quota =", 2, "fd_quota", "empty value");
	expect_err("Fd_quota = 0.3\n", 1, "", "key 'Fd_quota' may hold only a-z and '_'");
	expect_err("fd quota = 0.3\n", 1, "", "may hold only");
	expect_err("fd_quota2 = 0.3\n", 1, "", "may hold only");
	expect_err("\n\nfd_qouta = 0.3\n", 3, "fd_qouta",
		   "unknown knob 'fd_qouta' (did you mean 'fd_quota'?)");
	expect_err("noshow = 0.1\n", 1, "noshow", "(did you mean 'no_show'?)");
	expect_err("renewals = 0.1\n", 1, "renewals", "(did you mean 'renewal'?)");
	expect_err("banana = 1\n", 1, "banana", "unknown knob 'banana'");
	/* distance 3 gets no suggestion */
	struct yl_sim_policy p;
	struct yl_diag d;
	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p, "banana = 1", &d), YL_ERR_INVALID);
	assert_null(strstr(d.message, "did you mean"));
	assert_int_equal(parse_s(&p, "fd_qxxxa = 1", &d), YL_ERR_INVALID);
	assert_null(strstr(d.message, "did you mean"));
	/* a knob set twice */
	expect_err("no_show = 0.1\ncancel = 0.1\n\nno_show = 0.1\n", 4, "no_show",
		   "no_show set twice (first on line 1)");
}

static void test_value_errors(void **state)
{
	static const char *const not_numbers[] = {
		"0.3x", "nan", "NaN", "inf", "-inf", "infinity", "0x1p-2", "0x10", "1e", "1e+",
		".", "+", "1,5", "0.3 0.4", "++1", "1e5%", "30 %", "%", "0.3%%", "１",
	};
	char line[128];
	(void)state;

	for (size_t i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
		snprintf(line, sizeof(line), "no_show = 0.1\nfd_quota = %s\n", not_numbers[i]);
		expect_err(line, 2, "fd_quota", "is not a number");
	}
	expect_err("release_days = 7.5", 1, "release_days",
		   "release_days = '7.5' is not an integer");
	expect_err("release_days = 7e0", 1, "release_days", "is not an integer");
	expect_err("release_days = 0x7", 1, "release_days", "is not an integer");
	expect_err("release_days = 7%", 1, "release_days", "is not an integer");
	expect_err("release_days = seven", 1, "release_days", "is not an integer");
	expect_err("primary_first = maybe", 1, "primary_first",
		   "primary_first = 'maybe' is not a boolean (true/false, yes/no, on/off, 1/0)");
	expect_err("primary_first = 2", 1, "primary_first", "is not a boolean");
	expect_err("primary_first = truee", 1, "primary_first", "is not a boolean");
	/* out of range, with the range in the message */
	expect_err("fd_quota = 0.95", 1, "fd_quota", "fd_quota = 0.95 is out of range [0, 0.9]");
	expect_err("release_days = 31", 1, "release_days",
		   "release_days = 31 is out of range [1, 30]");
	expect_err("release_days = 0", 1, "release_days", "is out of range [1, 30]");
	expect_err("fallback_hours = 169", 1, "fallback_hours", "is out of range [0, 168]");
	expect_err("release_days = 99999999999999999999", 1, "release_days", "out of range");
	expect_err("no_show = -0.01", 1, "no_show", "no_show = -0.01 is out of range [0, 0.5]");
	expect_err("slot_supply = 0.19", 1, "slot_supply", "is out of range [0.2, 5]");
	expect_err("visits_per_year = 1e999", 1, "visits_per_year", "is out of range [0, 50]");
	expect_err("admissions_per_year = 5.000001", 1, "admissions_per_year", "[0, 5]");
	/* a long bad value is quoted short */
	memset(line, '9', sizeof(line) - 1);
	memcpy(line, "fd_quota = x", 12);
	line[sizeof(line) - 1] = '\0';
	expect_err(line, 1, "fd_quota", "is not a number");
}

static void test_byte_errors(void **state)
{
	char big[1200];
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	expect_err_n("fd_quota = 0.3\nno_show = 0\0.1\n", 30, 2, "", "embedded NUL byte");
	expect_err_n("# a\0b\n", 6, 1, "", "embedded NUL byte");
	expect_err("fd_quota = 0.3\n# \xff\n", 2, "", "invalid UTF-8");
	expect_err("# \xc0\xaf overlong\n", 1, "", "invalid UTF-8");
	expect_err("# \xed\xa0\x80 surrogate\n", 1, "", "invalid UTF-8");
	expect_err("# \xe5\xae truncated", 1, "", "invalid UTF-8");
	expect_err("fd_quota = 0.3\x01\n", 1, "", "control character 0x01");
	expect_err("fd_quota = 0.3\rno_show = 0.1\n", 1, "", "control character 0x0d");
	expect_err("cancel = 0.1\n\x7f\n", 2, "", "control character 0x7f");
	/* Chinese comments are fine */
	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p, "# 家庭医生优先预留号源\nfd_quota = 0.3 # 号源\n", &d), YL_OK);
	assert_true(p.fd_quota == 0.3);
	/* a line of exactly 1024 bytes (without its "\r\n") passes; 1025 does not */
	memset(big, ' ', sizeof(big));
	memcpy(big, "no_show = 0.1 #", 15);
	memcpy(big + 1024, "\r\n", 2);
	assert_int_equal(parse_n(&p, big, 1026, &d), YL_OK);
	assert_true(p.no_show == 0.1);
	memcpy(big, "cancel = 0.2\n", 13);
	memset(big + 13, 'x', 1025);
	big[13] = '#';
	expect_err_n(big, 13 + 1025, 2, "", "line longer than 1024 bytes");
	memcpy(big + 13 + 1025, "\n", 1);
	expect_err_n(big, 13 + 1026, 2, "", "line longer than 1024 bytes");
}

static void test_crlf_comments_whitespace(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p,
				 "fd_quota = 0.3\r\nno_show = 0.1\r\n\r\n# c\r\n"
				 "release_days = 14\r\ncancel = 0.2",
				 &d),
			 YL_OK);
	assert_true(p.fd_quota == 0.3 && p.no_show == 0.1 && p.cancel == 0.2);
	assert_int_equal(p.release_days, 14);
	/* line numbers count CRLF lines */
	expect_err("# a\r\n\r\nfd_quota 1\r\n", 3, "", "expected");
	/* spaces and tabs anywhere around key, '=' and value; comments after values */
	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p,
				 "\xEF\xBB\xBF"
				 "\t fd_quota\t=\t0.35\t# trailing = with # signs\n"
				 "#full line\n"
				 "   \n"
				 "# fd_quota = 0.9\n"
				 "  key_target=0.8#tight\n"
				 "renewal =0.7 ",
				 &d),
			 YL_OK);
	assert_true(p.fd_quota == 0.35 && p.key_target == 0.8 && p.renewal == 0.7);
}

static void test_percent(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	/* "30%" is exactly the double 0.3 (one correctly rounded conversion, not 30 / 100) */
	assert_int_equal(parse_s(&p, "fd_quota = 30%\nup_referral = 0.42%\nbooking_share = 100%\n"
				     "cancel = 7.5%\nrenewal = 0%\nno_show = 1.1%",
				 &d),
			 YL_OK);
	assert_true(p.fd_quota == 0.3);
	assert_true(p.up_referral == 0.0042);
	assert_true(p.booking_share == 1.0);
	assert_true(p.cancel == 0.075);
	assert_true(p.renewal == 0.0);
	/* 1.1 / 100 is 0.011000000000000001: a division would miss the nearest double */
	assert_true(p.no_show == 0.011);
	/* only shares take percentages */
	expect_err("slot_supply = 120%", 1, "slot_supply",
		   "slot_supply = '120%': a percentage is accepted only for shares");
	expect_err("visits_per_year = 5%", 1, "visits_per_year", "only for shares");
	expect_err("fd_quota = 95%", 1, "fd_quota", "fd_quota = 95% is out of range [0, 0.9]");
}

static void test_share_sum(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p, "fd_quota = 0.5\nreferral_quota = 0.4\n", &d), YL_OK);
	assert_true(p.fd_quota == 0.5 && p.referral_quota == 0.4);
	/* 0.8 + 0.1 and 0.45 + 0.45 are 0.9 to a person; accepted */
	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p, "fd_quota = 0.8\nreferral_quota = 0.1\n", &d), YL_OK);
	assert_int_equal(parse_s(&p, "fd_quota = 0.45\nreferral_quota = 0.45\n", &d), YL_OK);
	/* over: blamed on the later of the two lines, field fd_quota */
	expect_err("fd_quota = 0.6\n# c\nreferral_quota = 0.4\n", 3, "fd_quota",
		   "fd_quota + referral_quota = 1 exceeds 0.9");
	expect_err("referral_quota = 0.4\nfd_quota = 0.6\ncancel = 0.1\n", 2, "fd_quota",
		   "exceeds 0.9");
	/* default referral_quota 0.10 + 0.85 */
	expect_err("no_show = 0.1\nfd_quota = 0.85\n", 2, "fd_quota",
		   "fd_quota + referral_quota = 0.95 exceeds 0.9");
	expect_err("fd_quota = 0.8000001\nreferral_quota = 0.1\n", 2, "fd_quota", "exceeds 0.9");
	/* the order inside one file does not matter: only the end state is checked */
	yl_sim_policy_init(&p);
	assert_int_equal(parse_s(&p, "fd_quota = 0.85\nreferral_quota = 0.05\n", &d), YL_OK);
	assert_true(p.fd_quota == 0.85 && p.referral_quota == 0.05);
	/* a text that sets neither cannot be blamed on a line */
	p.fd_quota = 0.9;
	p.referral_quota = 0.9;
	assert_int_equal(parse_s(&p, "cancel = 0.1\n", &d), YL_ERR_INVALID);
	assert_string_equal(d.message,
			    "t.conf: fd_quota + referral_quota = 1.8 exceeds 0.9 (0.9 + 0.9)");
	assert_true(p.cancel == 0.06);
	/* --set checks after each assignment */
	yl_sim_policy_init(&p);
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.85", &d), YL_ERR_INVALID);
	assert_string_equal(d.field, "fd_quota");
	assert_string_equal(d.message,
			    "--set: fd_quota + referral_quota = 0.95 exceeds 0.9 (0.85 + 0.1)");
	assert_true(p.fd_quota == 0.25);
	assert_int_equal(yl_sim_policy_set(&p, "referral_quota=0.05", &d), YL_OK);
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.85", &d), YL_OK);
	assert_true(p.fd_quota == 0.85 && p.referral_quota == 0.05);
	assert_int_equal(yl_sim_policy_check(&p, &d), YL_OK);
	p.referral_quota = 0.1;
	assert_int_equal(yl_sim_policy_check(&p, &d), YL_ERR_INVALID);
	assert_string_equal(d.field, "fd_quota");
}

static void test_set(void **state)
{
	struct yl_sim_policy p, before;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.4", &d), YL_OK);
	assert_true(p.fd_quota == 0.4);
	assert_int_equal(yl_sim_policy_set(&p, "  no_show = 10%  ", &d), YL_OK);
	assert_true(p.no_show == 0.1);
	assert_int_equal(yl_sim_policy_set(&p, "primary_first=yes", &d), YL_OK);
	assert_true(p.primary_first);
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.3 # a note", &d), YL_OK);
	assert_true(p.fd_quota == 0.3);
	/* the same knob may be set again by another --set */
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.35", &d), YL_OK);
	assert_true(p.fd_quota == 0.35);

	memcpy(&before, &p, sizeof(p));
	assert_int_equal(yl_sim_policy_set(&p, "fd_qouta=0.4", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: unknown knob 'fd_qouta' (did you mean 'fd_quota'?)");
	assert_string_equal(d.field, "fd_qouta");
	assert_int_equal(yl_sim_policy_set(&p, "", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: expected 'key = value'");
	assert_string_equal(d.field, "");
	assert_int_equal(yl_sim_policy_set(&p, "# only a comment", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: expected 'key = value'");
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: expected 'key = value'");
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=0.4\nno_show=0.1", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: control character 0x0a at byte 13");
	assert_int_equal(yl_sim_policy_set(&p, "release_days=31", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: release_days = 31 is out of range [1, 30]");
	assert_string_equal(d.field, "release_days");
	assert_int_equal(yl_sim_policy_set(&p, "fd_quota=", &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "--set: empty value for fd_quota");
	assert_memory_equal(&p, &before, sizeof(p));
}

/* Every knob set by the text, then an error on line 18: nothing of it may stick. */
static void test_unchanged_after_error(void **state)
{
	struct yl_sim_policy p, before;
	struct yl_diag d;
	const char *text = "fd_quota = 0.4\nreferral_quota = 0.2\nslot_supply = 2\n"
			   "release_days = 3\nfallback_hours = 48\nbooking_share = 0.9\n"
			   "fd_booking = 0.1\nno_show = 0.2\ncancel = 0.2\nprimary_first = on\n"
			   "up_referral = 0.1\ndown_referral = 0.1\ncontract_target = 0.9\n"
			   "key_target = 0.9\nrenewal = 0.5\nvisits_per_year = 10\n"
			   "admissions_per_year = 1\nbogus = 1\n";
	(void)state;

	yl_sim_policy_init(&p);
	p.fd_quota = 0.1 + 0.2;
	p.release_days = 29;
	memcpy(&before, &p, sizeof(p));
	assert_int_equal(parse_s(&p, text, &d), YL_ERR_INVALID);
	assert_string_equal(d.message, "t.conf:18: unknown knob 'bogus'");
	assert_memory_equal(&p, &before, sizeof(p));
	/* the same text without its last line applies every knob */
	assert_int_equal(parse_n(&p, text, strlen(text) - strlen("bogus = 1\n"), &d), YL_OK);
	assert_true(p.fd_quota == 0.4 && p.admissions_per_year == 1.0 && p.primary_first);
	assert_int_equal(p.fallback_hours, 48);
	/* a sum error after every line applied also leaves p alone */
	memcpy(&before, &p, sizeof(p));
	assert_int_equal(parse_s(&p, "cancel = 0.3\nno_show = 0.3\nfd_quota = 0.8\n", &d),
			 YL_ERR_INVALID);
	assert_memory_equal(&p, &before, sizeof(p));
}

static void round_trip(const struct yl_sim_policy *p)
{
	struct yl_buf out = YL_BUF_INIT, again = YL_BUF_INIT;
	struct yl_sim_policy q;
	struct yl_diag d;

	assert_int_equal(yl_sim_policy_check(p, &d), YL_OK);
	yl_sim_policy_format(p, &out);
	yl_sim_policy_init(&q);
	if (parse_n(&q, out.data, out.len, &d) != YL_OK)
		fail_msg("%s\n%s", d.message, out.data);
	assert_same_policy(p, &q);
	yl_sim_policy_format(&q, &again);
	assert_string_equal(out.data, again.data);
	yl_buf_release(&out);
	yl_buf_release(&again);
}

static void test_format_round_trip(void **state)
{
	struct yl_sim_policy p;
	struct yl_buf out = YL_BUF_INIT;
	size_t n, lines = 0;
	const struct yl_sim_knob *k = yl_sim_knobs(&n);
	(void)state;

	yl_sim_policy_init(&p);
	round_trip(&p);
	yl_sim_policy_format(&p, &out);
	/* names padded to the longest ("admissions_per_year", 19), value to 8 */
	assert_memory_equal(out.data,
			    "fd_quota            = 0.25     # share of a hospital slot's places "
			    "reserved for family doctors\n",
			    strlen("fd_quota            = 0.25     # share of a hospital slot's "
				   "places reserved for family doctors\n"));
	assert_non_null(strstr(out.data, "\nrelease_days        = 7        # "));
	assert_non_null(strstr(out.data, "\nprimary_first       = false    # "));
	assert_non_null(strstr(out.data, "\nup_referral         = 0.004    # "));
	/* one line per knob, in table order */
	const char *s = out.data;
	for (size_t i = 0; i < n; i++) {
		assert_memory_equal(s, k[i].name, strlen(k[i].name));
		s = strchr(s, '\n');
		assert_non_null(s);
		s++;
		lines++;
	}
	assert_int_equal(*s, '\0');
	assert_int_equal(lines, 17);
	yl_buf_release(&out);

	/* odd values: no short decimal spelling, subnormals, neighbours of the range ends */
	p.fd_quota = 0.1 + 0.2; /* 0.30000000000000004 */
	p.referral_quota = 0.1;
	p.slot_supply = 1.0 + 1.0 / 3.0;
	p.release_days = 30;
	p.fallback_hours = 0;
	p.booking_share = nextafter(0.5, 1.0);
	p.fd_booking = 1.0;
	p.no_show = DBL_TRUE_MIN;
	p.cancel = 0.0;
	p.primary_first = true;
	p.up_referral = 0.2;
	p.down_referral = 1e-300;
	p.contract_target = 2.0 / 3.0;
	p.key_target = 0.1 * 3;
	p.renewal = nextafter(1.0, 0.0);
	p.visits_per_year = nextafter(50.0, 0.0);
	p.admissions_per_year = 0.215;
	round_trip(&p);
	yl_sim_policy_format(&p, &out);
	assert_non_null(strstr(out.data, "fd_quota            = 0.30000000000000004 # "));
	assert_non_null(strstr(out.data, "\nno_show             = 5e-324   # "));
	assert_non_null(strstr(out.data, "\ndown_referral       = 1e-300   # "));
	assert_non_null(strstr(out.data, "\nprimary_first       = true     # "));
	assert_non_null(strstr(out.data, "\nrenewal             = 0.9999999999999999 # "));
	yl_buf_release(&out);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/yl_policy_XXXXXX", path[64], missing[64];
	char *big = malloc(64 * 1024 + 1);
	struct yl_sim_policy p, before;
	struct yl_diag d;
	(void)state;

	assert_non_null(big);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	snprintf(missing, sizeof(missing), "%s/none.conf", dir);
	yl_sim_policy_init(&p);

	write_file(path, "fd_quota = 0.4\r\nprimary_first = true\n", 37);
	assert_int_equal(yl_sim_policy_load(&p, path, &d), YL_OK);
	assert_true(p.fd_quota == 0.4 && p.primary_first);

	memcpy(&before, &p, sizeof(p));
	write_file(path, "cancel = 0.1\ncancel = 0.2\n", 26);
	assert_int_equal(yl_sim_policy_load(&p, path, &d), YL_ERR_INVALID);
	char want[160];
	snprintf(want, sizeof(want), "%s:2: cancel set twice (first on line 1)", path);
	assert_string_equal(d.message, want);
	assert_string_equal(d.field, "cancel");

	assert_int_equal(yl_sim_policy_load(&p, missing, &d), YL_ERR_NOT_FOUND);
	assert_non_null(strstr(d.message, missing));
	assert_int_equal(yl_sim_policy_load(&p, dir, &d), YL_ERR_NOT_FOUND);

	/* exactly 64 KiB: 64 comment lines of 1023 '#' and a newline, then 1 byte more */
	for (size_t i = 0; i < 64; i++) {
		memset(big + i * 1024, '#', 1023);
		big[i * 1024 + 1023] = '\n';
	}
	write_file(path, big, 64 * 1024);
	assert_int_equal(yl_sim_policy_load(&p, path, &d), YL_OK);
	big[64 * 1024] = '\n';
	write_file(path, big, 64 * 1024 + 1);
	assert_int_equal(yl_sim_policy_load(&p, path, &d), YL_ERR_TOO_LARGE);
	assert_memory_equal(&p, &before, sizeof(p));

	unlink(path);
	rmdir(dir);
	free(big);
}

static void test_check(void **state)
{
	struct yl_sim_policy p;
	struct yl_diag d;
	(void)state;

	yl_sim_policy_init(&p);
	p.visits_per_year = NAN;
	assert_int_equal(yl_sim_policy_check(&p, &d), YL_ERR_INVALID);
	assert_string_equal(d.field, "visits_per_year");
	yl_sim_policy_init(&p);
	p.release_days = 0;
	assert_int_equal(yl_sim_policy_check(&p, &d), YL_ERR_INVALID);
	assert_string_equal(d.field, "release_days");
	assert_string_equal(d.message, "release_days = 0 is out of range [1, 30]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_struct),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_of_each_type),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_byte_errors),
		cmocka_unit_test(test_crlf_comments_whitespace),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_share_sum),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_unchanged_after_error),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
