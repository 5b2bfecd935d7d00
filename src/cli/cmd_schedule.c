/* cmd_schedule.c - `yilian schedule generate`: turn an institution's weekly templates into
 * dated sessions and slots for a range of days; `yilian schedule policy`: show or set its
 * release policy (days ahead, release time, fallback and cancellation cutoff).
 *
 * Both go through the same domain functions as the API (yl_schedule_generate,
 * yl_release_policy_get/set) as the system actor, each write in one transaction. Templates
 * themselves are created over the API; this command does not edit them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/schedule.h"
#include "domain/slot.h"

#define CMD "schedule"

struct run {
	struct yl_store *store;
	struct yl_diag diag;
	struct yl_arena arena;
	struct yl_actor actor;
	struct yl_ctx ctx;
};

static enum yl_err run_open(struct run *r, const char *db, const char *actor)
{
	memset(r, 0, sizeof(*r));
	yl_diag_clear(&r->diag);
	yl_arena_init(&r->arena);
	yl_cli_system_actor(&r->actor, actor);
	r->ctx.arena = &r->arena;
	r->ctx.diag = &r->diag;
	r->ctx.actor = &r->actor;
	if (yl_store_open(db, 0, &r->store, &r->diag))
		return r->diag.err;
	r->ctx.store = r->store;
	return YL_OK;
}

/* Commits when err is YL_OK (rolls back otherwise), closes, and returns the exit code. */
static int run_close(struct run *r, enum yl_err err)
{
	int code = 0;

	if (!err && r->store && yl_store_in_tx(r->store))
		err = yl_store_commit(r->store, &r->diag);
	if (err) {
		if (r->store)
			yl_store_rollback(r->store);
		code = yl_cli_fail(CMD, &r->diag);
	}
	yl_store_close(r->store);
	yl_arena_release(&r->arena);
	return code;
}

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
	struct run r;
	enum yl_err err;
	int64_t sessions = 0, slots = 0;
	char f[YL_DATE_LEN], t[YL_DATE_LEN];

	if (!(err = run_open(&r, db, "system:schedule")) &&
	    !(err = yl_store_begin(r.store, &r.diag)))
		err = yl_schedule_generate(&r.ctx, inst, from, to, &sessions, &slots);
	if (!err)
		err = yl_store_commit(r.store, &r.diag);
	if (err)
		return run_close(&r, err);
	yl_date_format(from, f);
	yl_date_format(to, t);
	printf("institution %" PRId64 ", %s to %s: %" PRId64 " sessions and %" PRId64
	       " slots generated\n", inst, f, t, sessions, slots);
	return run_close(&r, YL_OK);
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
	struct run r;
	enum yl_err err;
	int64_t days = -1, fallback = -1, cutoff = -1;
	const char *time = yl_cli_opt(opts, "--release-time");
	bool set;

	if (!yl_cli_int(opts, "--days-ahead", -1, 0, 100000, &days, CMD) ||
	    !yl_cli_int(opts, "--fallback-hours", -1, 0, 100000, &fallback, CMD) ||
	    !yl_cli_int(opts, "--cancel-cutoff-hours", -1, 0, 100000, &cutoff, CMD))
		return 64;
	set = days >= 0 || fallback >= 0 || cutoff >= 0 || time;
	if ((err = run_open(&r, db, "system:schedule")))
		return run_close(&r, err);
	err = set ? yl_store_begin(r.store, &r.diag) : yl_store_begin_read(r.store, &r.diag);
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
		return run_close(&r, err);
	print_policy(&p);
	return run_close(&r, YL_OK);
}

int yl_cmd_schedule(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--institution", true, NULL, "institution id (required)"},
		{"--from", true, NULL, "first day YYYY-MM-DD, not before today (generate)"},
		{"--to", true, NULL, "last day YYYY-MM-DD, at most 92 days on (generate)"},
		{"--days-ahead", true, NULL, "public slots open this many days ahead, 0-90 (policy)"},
		{"--release-time", true, NULL, "local opening time HH:MM (policy)"},
		{"--fallback-hours", true, NULL, "unused reserved places fall back to public this"
						 " long before the slot, 0-720 (policy)"},
		{"--cancel-cutoff-hours", true, NULL, "cancellation allowed until this long before"
						      " the slot, 0-720 (policy)"},
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
			  "    shows the release policy, or changes the settings given"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos != 1 || !db ||
	    (strcmp(pos[0], "generate") != 0 && strcmp(pos[0], "policy") != 0)) {
		fprintf(stderr, "yilian " CMD ": say 'generate' or 'policy' and give --db FILE"
				" (see --help)\n");
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
