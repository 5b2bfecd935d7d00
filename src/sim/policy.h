/* policy.h - the simulator's policy knobs: what a health commission can change ("what if we
 * reserve more slots for family doctors?") and the behavioural rates the model starts from.
 *
 * Knobs are held as data: one table row per knob (name, type, range, default, meaning,
 * source), so the parser, `yilian sim policy` (which prints them) and docs/simulation.md
 * agree. A policy is read from a config file of `key = value` lines (`#` starts a comment;
 * blank lines ignored; values are numbers or true/false) and from `--set key=value`
 * overrides, each on top of the defaults. Unknown keys, values out of range and repeated
 * keys in one file are errors naming FILE:LINE and the key.
 */
#ifndef YL_SIM_POLICY_H
#define YL_SIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/diag.h"

struct yl_sim_policy {
	/* booking and slots */
	double fd_quota;       /* share of a hospital slot's places reserved for family doctors */
	double referral_quota; /* share reserved for up-referrals */
	double slot_supply;   /* hospital places offered per expected booked visit (sizes slots) */
	int release_days;      /* public places open this many days ahead */
	int fallback_hours;    /* unused reserved places fall back to public this many hours ahead */
	double booking_share;  /* hospital outpatient visits booked ahead (the rest walk in) */
	double fd_booking;     /* a signed resident's hospital visit booked by the family doctor */
	double no_show;        /* booked visits not attended */
	double cancel;         /* booked visits cancelled before the day */
	/* tiered care */
	bool primary_first;    /* signed residents see their family doctor before a hospital */
	double up_referral;    /* up-referrals per primary visit */
	double down_referral;  /* down-referrals per hospital discharge */
	/* contracting */
	double contract_target; /* signing-rate target of the campaigns, all residents */
	double key_target;      /* the same for key populations */
	double renewal;         /* expiring contracts renewed */
	/* demand */
	double visits_per_year;     /* outpatient and emergency visits per person-year */
	double admissions_per_year; /* admissions per person-year */
};

/* Fills p with the defaults (every knob's table default). */
void yl_sim_policy_init(struct yl_sim_policy *p);

/* Applies the config text (len bytes, need not be NUL-terminated) on top of *p. name is the
 * file name used in messages. On error returns YL_ERR_INVALID with d's message
 * "NAME:LINE: ..." and field the key (or NULL for a syntax error) and leaves *p unchanged.
 * The syntax (docs/simulation-policy.md): UTF-8 (a leading BOM is skipped); a line ends at
 * '\n', one '\r' before it is dropped; '#' starts a comment anywhere; `key = value` with
 * spaces or tabs around key, '=' and value; key is [a-z_]+ and a knob's name; a value is a
 * plain decimal (`0.25`, `1e-3`, no hex, inf or nan), a percentage for shares (`25%`), an
 * integer for integer knobs, true/false/yes/no/on/off/1/0 for booleans. Errors: a line over
 * 1024 bytes, a NUL byte, invalid UTF-8 or another control character than tab, a missing
 * '=', an empty key or value, an unknown knob (the nearest name within edit distance 2 is
 * suggested), a value that is not of the knob's type or out of its range, a knob set twice
 * in one text, fd_quota + referral_quota over 0.9 once the whole text is applied (field
 * "fd_quota"). Allocates nothing; thread-safe (no shared state). */
enum yl_err yl_sim_policy_parse(struct yl_sim_policy *p, const char *text, size_t len,
				const char *name, struct yl_diag *d);

/* Reads the file at path and applies it as yl_sim_policy_parse does. YL_ERR_NOT_FOUND when
 * the file cannot be read (message names it); files over 64 KiB are YL_ERR_TOO_LARGE. */
enum yl_err yl_sim_policy_load(struct yl_sim_policy *p, const char *path, struct yl_diag *d);

/* Applies one "key=value" override (a --set argument). Errors as yl_sim_policy_parse, with
 * the message naming "--set"; an empty assignment or one holding a newline is an error. The
 * fd_quota + referral_quota check runs after this one assignment, so raising one share while
 * lowering the other needs the lowering --set first. On error *p is unchanged. */
enum yl_err yl_sim_policy_set(struct yl_sim_policy *p, const char *assignment,
			      struct yl_diag *d);

/* Checks a policy built or changed by other means than the parser: every knob finite and
 * within its range, integers and booleans in range, fd_quota + referral_quota <= 0.9.
 * YL_ERR_INVALID with the knob as field and message "NAME = VALUE is out of range [MIN, MAX]"
 * otherwise. */
enum yl_err yl_sim_policy_check(const struct yl_sim_policy *p, struct yl_diag *d);

/* Appends p to out as a config file that yl_sim_policy_parse reads back to an equal policy
 * (bit for bit: doubles are written in their shortest round-trip form): every knob, one per
 * line, in table order, as `name = value  # meaning`. p must pass yl_sim_policy_check (a
 * NaN, say, is written as "nan", which the parser refuses). */
void yl_sim_policy_format(const struct yl_sim_policy *p, struct yl_buf *out);

/* One knob of the table, for `yilian sim policy` and the docs. */
struct yl_sim_knob {
	const char *name;
	const char *meaning;
	const char *source; /* where the default comes from (DOMAIN.md, a document, assumption) */
	bool is_bool, is_int;
	double min, max, def;
	size_t offset; /* offsetof(struct yl_sim_policy, field) */
};

/* The knob table in order; *n receives its length. Static, never freed. */
const struct yl_sim_knob *yl_sim_knobs(size_t *n);

/* The value of knob k in p, as a double (bools 0 or 1). */
double yl_sim_knob_get(const struct yl_sim_policy *p, const struct yl_sim_knob *k);

#endif
