/* cmd_schedule.c - `yilian schedule generate`: turn an institution's weekly templates into
 * dated sessions and slots for a range of days; `yilian schedule policy`: show or set its
 * release policy (days ahead, release time, fallback and cancellation cutoff); `yilian
 * schedule template`: create a weekly template; `yilian schedule stop`: stop a session (停诊),
 * cancelling its bookings.
 *
 * All go through the same domain functions as the API (yl_schedule_generate,
 * yl_release_policy_get/set, yl_schedule_template_create, yl_session_stop) as the system
 * actor, each write in one transaction. Ranges (weekday, times, places, dates) are checked by
 * the domain, not here, so both faces refuse the same things with the same messages. Changing
 * or deactivating a template stays with the API.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/schedule.h"
#include "domain/session.h"
#include "domain/slot.h"

#define CMD "schedule"

static bool day_opt(const struct yl_opt *opts, const char *name, int32_t *out)
{
	const char *v = yl_cli_opt(opts, name);

	if (!v) {
		fprintf(stderr, "yilian " CMD ": %s DATE is required (see --help)\n", name);
		return false;
	}
	if (!yl_date_parse(v, out)) {
		fprintf(stderr, "yilian " CMD ": %s must be a date YYYY-MM-DD, not '%.20s'\n", name, v);
		return false;
	}
	return true;
}

static int generate(const char *db, int64_t inst, int32_t from, int32_t to)
{
	struct yl_cli_session r;
	enum yl_err err;
	int64_t sessions = 0, slots = 0;
	char f[YL_DATE_LEN], t[YL_DATE_LEN];

	if (!(err = yl_cli_session_open(&r, db, "system:schedule", true)))
		err = yl_schedule_generate(&r.ctx, inst, from, to, &sessions, &slots);
	if (!err)
		err = yl_store_commit(r.store, &r.diag);
	if (err)
		return yl_cli_session_close(&r, err, CMD);
	yl_date_format(from, f);
	yl_date_format(to, t);
	printf("institution %" PRId64 ", %s to %s: %" PRId64 " sessions and %" PRId64
	       " slots generated\n", inst, f, t, sessions, slots);
	return yl_cli_session_close(&r, YL_OK, CMD);
}

static void print_policy(const struct yl_release_policy *p)
{
	printf("institution          %" PRId64 "%s\n", p->institution_id,
	       p->is_default ? " (default policy)" : "");
	printf("days_ahead           %" PRId64 "\n", p->days_ahead);
	printf("release_time         %s\n", p->release_time);
	printf("fallback_hours       %" PRId64 "\n", p->fallback_hours);
	printf("cancel_cutoff_hours  %" PRId64 "\n", p->cancel_cutoff_hours);
}

/* Shows the policy, or (when any setting is given) changes those settings and keeps the
 * others, in one transaction. */
static int policy(const char *db, int64_t inst, const struct yl_opt *opts)
{
	struct yl_release_policy p;
	struct yl_cli_session r;
	enum yl_err err;
	int64_t days = -1, fallback = -1, cutoff = -1;
	const char *time = yl_cli_opt(opts, "--release-time");
	bool set;

	if (!yl_cli_int(opts, "--days-ahead", -1, 0, 100000, &days, CMD) ||
	    !yl_cli_int(opts, "--fallback-hours", -1, 0, 100000, &fallback, CMD) ||
	    !yl_cli_int(opts, "--cancel-cutoff-hours", -1, 0, 100000, &cutoff, CMD))
		return 64;
	set = days >= 0 || fallback >= 0 || cutoff >= 0 || time;
	err = yl_cli_session_open(&r, db, "system:schedule", set);
	if (!err)
		err = yl_release_policy_get(&r.ctx, inst, &p);
	if (!err && set) {
		if (days >= 0)
			p.days_ahead = days;
		if (fallback >= 0)
			p.fallback_hours = fallback;
		if (cutoff >= 0)
			p.cancel_cutoff_hours = cutoff;
		if (time)
			p.release_time = time;
		err = yl_release_policy_set(&r.ctx, &p);
		if (!err)
			err = yl_release_policy_get(&r.ctx, inst, &p);
	}
	if (!err)
		err = yl_store_commit(r.store, &r.diag);
	if (err)
		return yl_cli_session_close(&r, err, CMD);
	print_policy(&p);
	return yl_cli_session_close(&r, YL_OK, CMD);
}

/* An integer option that must be given: any integer passes here, the domain checks its
 * range (and names the field) so that the CLI and the API refuse alike. */
static bool need_int(const struct yl_opt *opts, const char *name, const char *verb,
		     int64_t *out)
{
	if (!yl_cli_opt(opts, name)) {
		fprintf(stderr, "yilian " CMD ": %s needs %s N (see --help)\n", verb, name);
		return false;
	}
	return yl_cli_int(opts, name, 0, INT32_MIN, INT32_MAX, out, CMD);
}

static bool need_text(const struct yl_opt *opts, const char *name, const char *what,
		      const char *verb, const char **out)
{
	if (!(*out = yl_cli_opt(opts, name))) {
		fprintf(stderr, "yilian " CMD ": %s needs %s %s (see --help)\n", verb, name, what);
		return false;
	}
	return true;
}

/* Creates one weekly template from the options, in one transaction. */
static int create_template(const char *db, const struct yl_opt *opts)
{
	struct yl_schedule_template in = {0}, out;
	struct yl_cli_session r;
	enum yl_err err;

	if (!need_int(opts, "--department", "template", &in.department_id) ||
	    !yl_cli_int(opts, "--practitioner", 0, 1, INT64_MAX, &in.practitioner_id, CMD) ||
	    !need_int(opts, "--weekday", "template", &in.weekday) ||
	    !need_text(opts, "--start", "HH:MM", "template", &in.start_time) ||
	    !need_text(opts, "--end", "HH:MM", "template", &in.end_time) ||
	    !need_int(opts, "--slot-minutes", "template", &in.slot_minutes) ||
	    !need_int(opts, "--capacity", "template", &in.capacity) ||
	    !yl_cli_int(opts, "--quota-family-doctor", 0, INT32_MIN, INT32_MAX,
			&in.quota_family_doctor, CMD) ||
	    !yl_cli_int(opts, "--quota-referral", 0, INT32_MIN, INT32_MAX, &in.quota_referral,
			CMD) ||
	    !need_text(opts, "--from", "DATE", "template", &in.valid_from))
		return 64;
	in.valid_to = yl_cli_opt(opts, "--to");
	in.active = true;
	if (!(err = yl_cli_session_open(&r, db, "system:schedule", true)))
		err = yl_schedule_template_create(&r.ctx, &in, &out);
	if (!err)
		err = yl_store_commit(r.store, &r.diag);
	if (err)
		return yl_cli_session_close(&r, err, CMD);
	printf("template %" PRId64 ": institution %" PRId64 ", department %" PRId64, out.id,
	       out.institution_id, out.department_id);
	if (out.practitioner_id)
		printf(", practitioner %" PRId64, out.practitioner_id);
	printf(", weekday %" PRId64 " %s-%s Asia/Shanghai in %" PRId64 "-minute slots of %" PRId64
	       " (family_doctor %" PRId64 ", referral %" PRId64 "), valid %s to %s\n",
	       out.weekday, out.start_time, out.end_time, out.slot_minutes, out.capacity,
	       out.quota_family_doctor, out.quota_referral, out.valid_from,
	       out.valid_to ? out.valid_to : "open");
	return yl_cli_session_close(&r, YL_OK, CMD);
}

/* Stops one session (停诊) in one transaction: its booked bookings are cancelled with it. */
static int stop_session(const char *db, const struct yl_opt *opts)
{
	struct yl_session out;
	struct yl_cli_session r;
	enum yl_err err;
	int64_t id, cancelled = 0;
	const char *reason;

	if (!yl_cli_int(opts, "--session", 0, 1, INT64_MAX, &id, CMD))
		return 64;
	if (!id) {
		fprintf(stderr, "yilian " CMD ": stop needs --session N (see --help)\n");
		return 64;
	}
	if (!need_text(opts, "--reason", "TEXT, which the residents see,", "stop", &reason))
		return 64;
	if (!(err = yl_cli_session_open(&r, db, "system:schedule", true)))
		err = yl_session_stop(&r.ctx, id, reason, &cancelled, &out);
	if (!err)
		err = yl_store_commit(r.store, &r.diag);
	if (err)
		return yl_cli_session_close(&r, err, CMD);
	printf("session %" PRId64 ": %s, institution %" PRId64 ", department %" PRId64
	       ", %s %s-%s Asia/Shanghai, %" PRId64 " booking%s cancelled, reason: %s\n", out.id,
	       out.status, out.institution_id, out.department_id, out.date, out.start_time,
	       out.end_time, cancelled, cancelled == 1 ? "" : "s",
	       out.stop_reason ? out.stop_reason : reason);
	return yl_cli_session_close(&r, YL_OK, CMD);
}

int yl_cmd_schedule(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--institution", true, NULL, "institution id (generate, policy: required)"},
		{"--from", true, NULL, "first day YYYY-MM-DD, not before today (generate);"
				       " valid from (template)"},
		{"--to", true, NULL, "last day YYYY-MM-DD, at most 92 days on (generate);"
				     " valid to, open-ended when absent (template)"},
		{"--days-ahead", true, NULL, "public slots open this many days ahead, 0-90 (policy)"},
		{"--release-time", true, NULL, "local opening time HH:MM (policy)"},
		{"--fallback-hours", true, NULL, "unused reserved places fall back to public this"
						 " long before the slot, 0-720 (policy)"},
		{"--cancel-cutoff-hours", true, NULL, "cancellation allowed until this long before"
						      " the slot, 0-720 (policy)"},
		{"--department", true, NULL, "department id (template)"},
		{"--practitioner", true, NULL, "practitioner id; absent: department-level (template)"},
		{"--weekday", true, NULL, "ISO weekday, Monday 1 .. Sunday 7 (template)"},
		{"--start", true, NULL, "local start HH:MM (template)"},
		{"--end", true, NULL, "local end HH:MM, same day (template)"},
		{"--slot-minutes", true, NULL, "length of a slot, 5-240 (template)"},
		{"--capacity", true, NULL, "places per slot, 1-1000 (template)"},
		{"--quota-family-doctor", true, NULL, "places reserved for family doctors, default 0"
						      " (template)"},
		{"--quota-referral", true, NULL, "places reserved for up-referrals, default 0"
						 " (template)"},
		{"--session", true, NULL, "session id (stop)"},
		{"--reason", true, NULL, "why, shown to the residents booked (stop)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	const char *db;
	int npos;
	int64_t inst;
	int32_t from, to;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, CMD,
			  "yilian schedule generate --db FILE --institution N --from DATE --to DATE\n"
			  "    creates the sessions and slots of the institution's active templates\n"
			  "yilian schedule policy --db FILE --institution N [settings]\n"
			  "    shows the release policy, or changes the settings given\n"
			  "yilian schedule template --db FILE --department N [--practitioner N]"
			  " --weekday 1-7 --start HH:MM --end HH:MM --slot-minutes N --capacity N"
			  " [--quota-family-doctor N --quota-referral N] --from DATE [--to DATE]\n"
			  "    creates a weekly template (generate turns it into sessions)\n"
			  "yilian schedule stop --db FILE --session N --reason TEXT\n"
			  "    stops a session (停诊) and cancels its bookings still booked\n"
			  "each write is one transaction as the system actor; times are Asia/Shanghai"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos == 1 && db && strcmp(pos[0], "template") == 0)
		return create_template(db, opts);
	if (npos == 1 && db && strcmp(pos[0], "stop") == 0)
		return stop_session(db, opts);
	if (npos != 1 || !db ||
	    (strcmp(pos[0], "generate") != 0 && strcmp(pos[0], "policy") != 0)) {
		fprintf(stderr, "yilian " CMD ": say 'generate' or 'policy' (an institution's),"
				" 'template' or 'stop', and give --db FILE (see --help)\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--institution", 0, 1, INT64_MAX, &inst, CMD))
		return 64;
	if (!inst) {
		fprintf(stderr, "yilian " CMD ": --institution N is required (see --help)\n");
		return 64;
	}
	if (strcmp(pos[0], "policy") == 0)
		return policy(db, inst, opts);
	if (!day_opt(opts, "--from", &from) || !day_opt(opts, "--to", &to))
		return 64;
	return generate(db, inst, from, to);
}
