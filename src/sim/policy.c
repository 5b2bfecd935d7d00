/* policy.c - the simulator's policy knobs: the knob table (defaults, ranges, meanings and
 * where each default comes from), the `key = value` config parser, --set overrides and the
 * writer that prints a policy back as a config file. It does not decide what a knob does to
 * the simulation (src/sim/ model code reads the struct) and holds no state: every function
 * works on the caller's struct and a fixed-size stack buffer.
 */
#include "sim/policy.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 1024          /* a line's content, without "\n" or "\r\n" */
#define FILE_MAX_BYTES (64 * 1024)   /* yl_sim_policy_load's cap */
#define SHARE_SUM_MAX 0.9            /* fd_quota + referral_quota */
/* The sum is checked with a little slack so that 0.8 + 0.1, whose double sum may land one
 * ulp above 0.9, is accepted like the decimal arithmetic a user does in their head. */
#define SHARE_SUM_SLACK 1e-9
#define QUOTE_MAX 40                 /* bytes of a bad value quoted in a message */

#define KNOB(f, isb, isi, lo, hi, dv, m, src)                                              \
	{                                                                                  \
		.name = #f, .meaning = m, .source = src, .is_bool = isb, .is_int = isi,    \
		.min = lo, .max = hi, .def = dv, .offset = offsetof(struct yl_sim_policy, f) \
	}
#define DBL(f, lo, hi, dv, m, src) KNOB(f, false, false, lo, hi, dv, m, src)
#define INT(f, lo, hi, dv, m, src) KNOB(f, false, true, lo, hi, dv, m, src)
#define BOOL(f, dv, m, src) KNOB(f, true, false, 0, 1, dv, m, src)

/* In the order of struct yl_sim_policy's fields (tests/sim/test_policy.c checks it). The
 * figures quoted come from /work/shared/DOMAIN.md ("Figures for a realistic region") and the
 * seed texts; docs/simulation-policy.md gives the arithmetic. */
static const struct yl_sim_knob knobs[] = {
	DBL(fd_quota, 0, 0.9, 0.25, "share of a hospital slot's places reserved for family doctors",
	    "assumption: Shanghai reserves 138,000 outpatient places a month for family doctors "
	    "(seeds/000) but no document gives a share"),
	DBL(referral_quota, 0, 0.9, 0.10,
	    "share of a hospital slot's places reserved for up-referrals",
	    "assumption: below fd_quota, as up-referrals are few (0.4 % of primary "
	    "visits); no document gives a referral pool size"),
	DBL(slot_supply, 0.2, 5, 1.2, "hospital places offered per expected booked visit",
	    "assumption: 20 % headroom over expected demand"),
	INT(release_days, 1, 30, 7, "public places open this many days ahead",
	    "the platform's default release policy (src/domain/slot.c: days_ahead 7)"),
	INT(fallback_hours, 0, 168, 24,
	    "unused reserved places fall back to public this many hours ahead",
	    "the platform's default release policy (src/domain/slot.c: fallback_hours 24)"),
	DBL(booking_share, 0, 1, 0.4, "hospital outpatient visits booked ahead (the rest walk in)",
	    "assumption: below the national >= 50 % booking goal for tertiary hospitals (not in "
	    "the seeds) since a region also has secondary hospitals"),
	DBL(fd_booking, 0, 1, 0.5, "a signed resident's hospital visit booked by the family doctor",
	    "assumption: no seed measures it (Shanghai's 71 % of signed residents' visits "
	    "within their 1+1+1 combination, seeds/000, is another measure)"),
	DBL(no_show, 0, 0.5, 0.05, "booked visits not attended",
	    "assumption: low, as the platform suspends booking after repeated no-shows"),
	DBL(cancel, 0, 0.5, 0.06, "booked visits cancelled before the day",
	    "assumption: about as frequent as no-shows; no figure in the seeds"),
	BOOL(primary_first, 0, "signed residents see their family doctor before a hospital",
	     "current practice: first contact at primary level is encouraged, not enforced "
	     "(1+1+1 free choice, seeds/000)"),
	DBL(up_referral, 0, 0.2, 0.004, "up-referrals per primary visit",
	    "DOMAIN.md 2023: 1,560万 up-referrals / 37.5亿 primary-level visits = 0.42 %"),
	DBL(down_referral, 0, 0.5, 0.009, "down-referrals per hospital discharge",
	    "DOMAIN.md H1 2017: 0.9 % of tertiary inpatients referred down (secondary 0.7 %)"),
	DBL(contract_target, 0, 1, 0.45, "signing-rate target of the campaigns, all residents",
	    "assumption: the seeds give counts (Shanghai 7 M signed by 2019-07), not rates"),
	DBL(key_target, 0, 1, 0.75, "signing-rate target for key populations",
	    "assumption: key populations sign first (DOMAIN.md), so above contract_target"),
	DBL(renewal, 0, 1, 0.85, "expiring contracts renewed",
	    "assumption: most signed residents renew; no renewal rate in the seeds"),
	DBL(visits_per_year, 0, 50, 6.8, "outpatient and emergency visits per person-year",
	    "DOMAIN.md 2023: 95.5亿 visits, 6.8 per person"),
	DBL(admissions_per_year, 0, 5, 0.215, "admissions per person-year",
	    "DOMAIN.md 2023: 30,187.3万 admissions, about 21.5 per 100 people"),
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

const struct yl_sim_knob *yl_sim_knobs(size_t *n)
{
	*n = NKNOBS;
	return knobs;
}

double yl_sim_knob_get(const struct yl_sim_policy *p, const struct yl_sim_knob *k)
{
	const char *base = (const char *)p + k->offset;

	if (k->is_bool)
		return *(const bool *)base ? 1.0 : 0.0;
	if (k->is_int)
		return *(const int *)base;
	return *(const double *)base;
}

/* Stores v (already checked against k's range) into p's field. */
static void knob_put(struct yl_sim_policy *p, const struct yl_sim_knob *k, double v)
{
	char *base = (char *)p + k->offset;

	if (k->is_bool)
		*(bool *)base = v != 0;
	else if (k->is_int)
		*(int *)base = (int)v;
	else
		*(double *)base = v + 0.0; /* -0 becomes +0, so a policy has one spelling of zero */
}

void yl_sim_policy_init(struct yl_sim_policy *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < NKNOBS; i++)
		knob_put(p, &knobs[i], knobs[i].def);
}

/* ---- messages ---- */

/* Where a message comes from: "NAME:LINE: " for a file, "--set: " for an override. */
struct where {
	const char *name;
	long line; /* 0: no line (--set, or a whole-file check with no line to blame) */
	struct yl_diag *d;
};

static enum yl_err fail(const struct where *w, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum yl_err fail(const struct where *w, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->line > 0)
		return yl_diag_set(w->d, YL_ERR_INVALID, field, "%s:%ld: %s", w->name, w->line,
				   msg);
	return yl_diag_set(w->d, YL_ERR_INVALID, field, "%s: %s", w->name, msg);
}

/* How many of s's n bytes to quote: at most QUOTE_MAX, never cutting a UTF-8 sequence. */
static int quote_len(const char *s, size_t n)
{
	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* ---- line checks ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid: no overlong forms,
 * no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/* Rejects what no part of a line may hold: over LINE_MAX_BYTES, NUL, invalid UTF-8, control
 * characters other than tab (a stray '\r' included). */
static enum yl_err check_bytes(const char *s, size_t n, const struct where *w)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n > LINE_MAX_BYTES)
		return fail(w, NULL, "line longer than %d bytes", LINE_MAX_BYTES);
	if (memchr(s, '\0', n))
		return fail(w, NULL, "embedded NUL byte");
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(u + i, n - i);
		if (!k)
			return fail(w, NULL, "invalid UTF-8 at byte %zu", i + 1);
		if (k == 1 && ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F))
			return fail(w, NULL, "control character 0x%02x at byte %zu", u[i], i + 1);
		i += k;
	}
	return YL_OK;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows [*s, *s + *n) to its content without surrounding spaces and tabs. */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* ---- knob names ---- */

static const struct yl_sim_knob *find_knob(const char *s, size_t n)
{
	for (size_t i = 0; i < NKNOBS; i++)
		if (strlen(knobs[i].name) == n && memcmp(knobs[i].name, s, n) == 0)
			return &knobs[i];
	return NULL;
}

/* Levenshtein distance between a (na bytes) and b, or a large number when either is longer
 * than any knob name could usefully be compared with. */
static size_t edit_distance(const char *a, size_t na, const char *b)
{
	enum { CAP = 40 };
	size_t nb = strlen(b), prev[CAP + 1], cur[CAP + 1];

	if (na > CAP || nb > CAP)
		return (size_t)-1;
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (nb + 1) * sizeof(prev[0]));
	}
	return prev[nb];
}

/* The knob nearest to s within edit distance 2 (the first in table order on a tie), or NULL. */
static const struct yl_sim_knob *nearest_knob(const char *s, size_t n)
{
	const struct yl_sim_knob *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < NKNOBS; i++) {
		size_t dist = edit_distance(s, n, knobs[i].name);
		if (dist < best_d) {
			best_d = dist;
			best = &knobs[i];
		}
	}
	return best;
}

/* ---- values ---- */

static size_t count_digits(const char *s)
{
	size_t i = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* Whether s is a plain decimal: [+-] digits [. digits] [e [+-] digits], or the same without
 * the exponent followed by '%' (then *pct is set). Keeps strtod away from hex floats, inf,
 * nan and locale-dependent forms before it is called. */
static bool decimal_syntax(const char *s, bool *pct)
{
	size_t i = 0, before, after = 0;
	bool expo = false;

	*pct = false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	before = count_digits(s + i);
	i += before;
	if (s[i] == '.') {
		i++;
		after = count_digits(s + i);
		i += after;
	}
	if (before + after == 0)
		return false;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t k;
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		k = count_digits(s + i);
		if (k == 0)
			return false;
		i += k;
		expo = true;
	}
	if (s[i] == '%' && !expo) {
		*pct = true;
		i++;
	}
	return s[i] == '\0';
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

static enum yl_err out_of_range(const struct yl_sim_knob *k, const char *v, size_t n,
				const struct where *w)
{
	return fail(w, k->name, "%s = %.*s is out of range [%g, %g]", k->name, quote_len(v, n), v,
		    k->min, k->max);
}

/* Converts the value text v (n bytes, trimmed, non-empty) for knob k into *out, checked
 * against the knob's type and range. */
static enum yl_err parse_value(const struct yl_sim_knob *k, const char *v, size_t n, double *out,
			       const struct where *w)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	char buf[LINE_MAX_BYTES + 8]; /* the value, NUL-terminated, room for "e-2" */
	char *end;
	bool pct;

	assert(n <= LINE_MAX_BYTES);
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (k->is_bool) {
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (ascii_ieq(buf, yes[i]) || ascii_ieq(buf, no[i])) {
				*out = ascii_ieq(buf, yes[i]) ? 1 : 0;
				return YL_OK;
			}
		}
		return fail(w, k->name,
			    "%s = '%.*s' is not a boolean (true/false, yes/no, on/off, 1/0)",
			    k->name, quote_len(v, n), v);
	}
	if (k->is_int) {
		long long x;
		size_t i = (buf[0] == '+' || buf[0] == '-') ? 1 : 0;
		if (count_digits(buf + i) == 0 || buf[i + count_digits(buf + i)] != '\0')
			return fail(w, k->name, "%s = '%.*s' is not an integer", k->name,
				    quote_len(v, n), v);
		errno = 0;
		x = strtoll(buf, &end, 10);
		if (errno == ERANGE || x < (long long)k->min || x > (long long)k->max)
			return out_of_range(k, v, n, w);
		*out = (double)x;
		return YL_OK;
	}
	if (!decimal_syntax(buf, &pct))
		return fail(w, k->name, "%s = '%.*s' is not a number", k->name, quote_len(v, n), v);
	if (pct) {
		/* "25%" is read as "25e-2": one correctly rounded conversion, so "30%" is exactly
		 * the double 0.3 (dividing by 100 would round twice). Only for shares. */
		if (k->min < 0 || k->max > 1)
			return fail(w, k->name,
				    "%s = '%.*s': a percentage is accepted only for shares",
				    k->name, quote_len(v, n), v);
		memcpy(buf + n - 1, "e-2", 4);
	}
	errno = 0;
	*out = strtod(buf, &end);
	/* Underflow (ERANGE with a tiny result) is accepted: the result is the nearest double. */
	if (*end != '\0')
		return fail(w, k->name, "%s = '%.*s' is not a number", k->name, quote_len(v, n), v);
	if (!isfinite(*out) || *out < k->min || *out > k->max)
		return out_of_range(k, v, n, w);
	return YL_OK;
}

/* ---- lines ---- */

/* Applies one line (s, n bytes, without its line end) to p. seen[i] holds the line that set
 * knob i in this text (0 if none). *blank is set for a line holding only spaces and a
 * comment. */
static enum yl_err apply_line(struct yl_sim_policy *p, long seen[NKNOBS], const char *s, size_t n,
			      bool *blank, const struct where *w)
{
	const char *hash, *eq, *key, *val;
	size_t nkey, nval;
	const struct yl_sim_knob *k;
	enum yl_err err;
	double v = 0;

	*blank = false;
	err = check_bytes(s, n, w);
	if (err)
		return err;
	hash = memchr(s, '#', n);
	if (hash)
		n = (size_t)(hash - s);
	trim(&s, &n);
	if (n == 0) {
		*blank = true;
		return YL_OK;
	}
	eq = memchr(s, '=', n);
	if (!eq)
		return fail(w, NULL, "expected 'key = value'");
	key = s;
	nkey = (size_t)(eq - s);
	val = eq + 1;
	nval = n - nkey - 1;
	trim(&key, &nkey);
	trim(&val, &nval);
	if (nkey == 0)
		return fail(w, NULL, "empty key");
	for (size_t i = 0; i < nkey; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || key[i] == '_'))
			return fail(w, NULL, "key '%.*s' may hold only a-z and '_'",
				    quote_len(key, nkey), key);
	k = find_knob(key, nkey);
	if (!k) {
		char field[128];
		const struct yl_sim_knob *near = nearest_knob(key, nkey);
		snprintf(field, sizeof(field), "%.*s", quote_len(key, nkey), key);
		if (near)
			return fail(w, field, "unknown knob '%s' (did you mean '%s'?)", field,
				    near->name);
		return fail(w, field, "unknown knob '%s'", field);
	}
	if (nval == 0)
		return fail(w, k->name, "empty value for %s", k->name);
	if (seen && seen[k - knobs])
		return fail(w, k->name, "%s set twice (first on line %ld)", k->name,
			    seen[k - knobs]);
	err = parse_value(k, val, nval, &v, w);
	if (err)
		return err;
	knob_put(p, k, v);
	if (seen)
		seen[k - knobs] = w->line;
	return YL_OK;
}

/* fd_quota + referral_quota <= 0.9: reserved pools must leave public places. */
static enum yl_err check_sum(const struct yl_sim_policy *p, const struct where *w)
{
	double sum = p->fd_quota + p->referral_quota;

	if (sum > SHARE_SUM_MAX + SHARE_SUM_SLACK)
		return fail(w, "fd_quota",
			    "fd_quota + referral_quota = %.15g exceeds %g (%.15g + %.15g)", sum,
			    SHARE_SUM_MAX, p->fd_quota, p->referral_quota);
	return YL_OK;
}

enum yl_err yl_sim_policy_parse(struct yl_sim_policy *p, const char *text, size_t len,
				const char *name, struct yl_diag *d)
{
	struct yl_sim_policy tmp = *p;
	long seen[NKNOBS] = {0};
	struct where w = {name, 0, d};
	size_t pos = 0;
	enum yl_err err = YL_OK;
	bool blank;

	assert(p && name && (text || len == 0));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* a byte-order mark, as Windows editors write */
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		if (nl && n > 0 && s[n - 1] == '\r')
			n--;
		w.line++;
		err = apply_line(&tmp, seen, s, n, &blank, &w);
		if (err)
			return err;
	}
	/* Blame the later of the two lines that set a share; no line if the text set neither. */
	{
		long a = seen[find_knob("fd_quota", 8) - knobs];
		long b = seen[find_knob("referral_quota", 14) - knobs];
		w.line = a > b ? a : b;
	}
	err = check_sum(&tmp, &w);
	if (err)
		return err;
	*p = tmp;
	return YL_OK;
}

enum yl_err yl_sim_policy_load(struct yl_sim_policy *p, const char *path, struct yl_diag *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;
	enum yl_err err;

	if (!f)
		return yl_diag_set(d, YL_ERR_NOT_FOUND, NULL, "cannot read %s: %s", path,
				   strerror(errno));
	/* One fixed-size buffer: the cap plus one byte to tell "exactly 64 KiB" from "more". */
	buf = malloc(FILE_MAX_BYTES + 1);
	if (!buf) {
		err = yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory reading %s", path);
		goto out;
	}
	n = fread(buf, 1, FILE_MAX_BYTES + 1, f);
	if (ferror(f))
		err = yl_diag_set(d, YL_ERR_NOT_FOUND, NULL, "cannot read %s: %s", path,
				  strerror(errno));
	else if (n > FILE_MAX_BYTES)
		err = yl_diag_set(d, YL_ERR_TOO_LARGE, NULL, "%s: larger than %d KiB", path,
				  FILE_MAX_BYTES / 1024);
	else
		err = yl_sim_policy_parse(p, buf, n, path, d);
out:
	free(buf);
	fclose(f);
	return err;
}

enum yl_err yl_sim_policy_set(struct yl_sim_policy *p, const char *assignment, struct yl_diag *d)
{
	struct yl_sim_policy tmp = *p;
	struct where w = {"--set", 0, d};
	enum yl_err err;
	bool blank;

	assert(p && assignment);
	err = apply_line(&tmp, NULL, assignment, strlen(assignment), &blank, &w);
	if (err)
		return err;
	if (blank)
		return fail(&w, NULL, "expected 'key = value'");
	err = check_sum(&tmp, &w);
	if (err)
		return err;
	*p = tmp;
	return YL_OK;
}

enum yl_err yl_sim_policy_check(const struct yl_sim_policy *p, struct yl_diag *d)
{
	struct where w = {"policy", 0, d};

	for (size_t i = 0; i < NKNOBS; i++) {
		const struct yl_sim_knob *k = &knobs[i];
		double v = yl_sim_knob_get(p, k);
		if (!isfinite(v) || v < k->min || v > k->max)
			return yl_diag_set(d, YL_ERR_INVALID, k->name,
					   "%s = %.17g is out of range [%g, %g]", k->name, v,
					   k->min, k->max);
	}
	return check_sum(p, &w);
}

/* Writes v into out in the shortest "%.Ng" form that strtod reads back to the same double. */
static void shortest_double(double v, char *out, size_t size)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

void yl_sim_policy_format(const struct yl_sim_policy *p, struct yl_buf *out)
{
	int width = 0;

	for (size_t i = 0; i < NKNOBS; i++)
		if ((int)strlen(knobs[i].name) > width)
			width = (int)strlen(knobs[i].name);
	for (size_t i = 0; i < NKNOBS; i++) {
		const struct yl_sim_knob *k = &knobs[i];
		double v = yl_sim_knob_get(p, k);
		char val[40];

		if (k->is_bool)
			snprintf(val, sizeof(val), "%s", v != 0 ? "true" : "false");
		else if (k->is_int)
			snprintf(val, sizeof(val), "%d", (int)v);
		else
			shortest_double(v, val, sizeof(val));
		yl_buf_addf(out, "%-*s = %-8s # %s\n", width, k->name, val, k->meaning);
	}
}
