/* cmd_referral.c - `yilian referral create | accept | reject | cancel | arrive | complete`: the
 * two-way referral lifecycle for a desk without the API; `yilian referral list`: referrals
 * (of a resident, in a status) as a table with their derived status (expired included).
 *
 * Everything goes through the same domain functions as the API (yl_referral_create, _accept,
 * _reject, _cancel, _arrive, _complete, _list) as the system actor: each write in one write
 * transaction rolled back whole when the domain refuses, the list in one read transaction.
 * The rules (levels, who, from which state, ICD-10, the referral-pool booking, expiry) live
 * in the domain only; this file checks no more than option syntax. Care plans and encounter
 * references are not taken here (the API takes them): a desk referral carries neither.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/referral.h"
#include "domain/resident.h"

#define CMD "referral"

/* One write: which verb, and its arguments. */
struct action {
	const char *verb; /* create | accept | reject | cancel | arrive | complete */
	struct yl_referral_new in;
	struct yl_referral_accept acc;
	int64_t id;
	const char *reason;
};

/* The one line a write prints: id, derived status and what the referral says. */
static void print_referral(const struct yl_referral *r)
{
	printf("referral %" PRId64 ": %s, %s %s, resident %" PRId64 ", from institution %" PRId64
	       " to %" PRId64, r->id, r->status, r->direction, r->care_type, r->resident_id,
	       r->from_institution_id, r->to_institution_id);
	if (r->to_department_id)
		printf(" department %" PRId64, r->to_department_id);
	printf(", diagnosis %s", r->diagnosis_code);
	if (r->booking_id)
		printf(", booking %" PRId64, r->booking_id);
	if (r->planned_admission_date)
		printf(", admission %s", r->planned_admission_date);
	if (r->outside_consortium)
		printf(", outside consortium");
	if (r->status_reason)
		printf(", reason: %s", r->status_reason);
	putchar('\n');
}

/* Opens db, runs one write of a in one write transaction (rolled back on any error), prints
 * the referral once committed, closes; returns the exit code. */
static int act(const char *db, const struct action *a)
{
	struct yl_cli_session ss;
	struct yl_ctx *c = &ss.ctx;
	struct yl_referral r;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:referral", true);

	if (!err) {
		if (strcmp(a->verb, "create") == 0)
			err = yl_referral_create(c, &a->in, &r);
		else if (strcmp(a->verb, "accept") == 0)
			err = yl_referral_accept(c, a->id, &a->acc, &r);
		else if (strcmp(a->verb, "reject") == 0)
			err = yl_referral_reject(c, a->id, a->reason, &r);
		else if (strcmp(a->verb, "cancel") == 0)
			err = yl_referral_cancel(c, a->id, a->reason, &r);
		else if (strcmp(a->verb, "arrive") == 0)
			err = yl_referral_arrive(c, a->id, &r);
		else
			err = yl_referral_complete(c, a->id, &r);
	}
	if (!err)
		err = yl_store_commit(ss.store, &ss.diag);
	if (!err)
		print_referral(&r);
	return yl_cli_session_close(&ss, err, CMD);
}

/* The options of create into *a; false (usage error printed) when one is missing or
 * malformed. Values are checked by the domain (direction, care type, ICD-10, ids). */
static bool create_opts(const struct yl_opt *opts, struct action *a)
{
	struct yl_referral_new *in = &a->in;

	if (!yl_cli_int(opts, "--resident", 0, 1, INT64_MAX, &in->resident_id, CMD) ||
	    !yl_cli_int(opts, "--from", 0, 1, INT64_MAX, &in->from_institution_id, CMD) ||
	    !yl_cli_int(opts, "--from-practitioner", 0, 1, INT64_MAX, &in->from_practitioner_id,
			CMD) ||
	    !yl_cli_int(opts, "--to", 0, 1, INT64_MAX, &in->to_institution_id, CMD) ||
	    !yl_cli_int(opts, "--department", 0, 1, INT64_MAX, &in->to_department_id, CMD))
		return false;
	in->direction = yl_cli_opt(opts, "--direction");
	in->care_type = yl_cli_opt(opts, "--care");
	in->diagnosis_code = yl_cli_opt(opts, "--diagnosis");
	in->reason = yl_cli_opt(opts, "--reason");
	if (!in->direction || !in->care_type || !in->resident_id || !in->from_institution_id ||
	    !in->diagnosis_code) {
		fprintf(stderr, "yilian " CMD ": create needs --direction, --care, --resident N,"
				" --from N and --diagnosis ICD10 (see --help)\n");
		return false;
	}
	if (!in->reason) {
		fprintf(stderr, "yilian " CMD ": create needs --reason TEXT, why the resident is"
				" referred (see --help)\n");
		return false;
	}
	return true;
}

/* The options of a write verb into *a; false (usage error printed) when one is missing or
 * malformed. */
static bool action_opts(const struct yl_opt *opts, const char *verb, struct action *a)
{
	const char *adm = yl_cli_opt(opts, "--admission");

	memset(a, 0, sizeof(*a));
	a->verb = verb;
	if (strcmp(verb, "create") == 0)
		return create_opts(opts, a);
	if (!yl_cli_int(opts, "--id", 0, 1, INT64_MAX, &a->id, CMD))
		return false;
	if (!a->id) {
		fprintf(stderr, "yilian " CMD ": %s needs --id N, the referral (see --help)\n", verb);
		return false;
	}
	a->reason = yl_cli_opt(opts, "--reason");
	if ((strcmp(verb, "reject") == 0 || strcmp(verb, "cancel") == 0) && !a->reason) {
		fprintf(stderr, "yilian " CMD ": %s needs --reason TEXT, which the other side sees"
				" (see --help)\n", verb);
		return false;
	}
	if (strcmp(verb, "accept") != 0)
		return true;
	if (!yl_cli_int(opts, "--slot", 0, 1, INT64_MAX, &a->acc.slot_id, CMD))
		return false;
	if (adm) {
		if (!yl_date_parse(adm, &a->acc.planned_admission_date)) {
			fprintf(stderr, "yilian " CMD ": --admission must be a date YYYY-MM-DD, not"
					" '%.40s'\n", adm);
			return false;
		}
		a->acc.has_planned_admission = true;
	}
	return true;
}

/* Prints every referral matching f, page by page, in id order. */
static enum yl_err list(const struct yl_ctx *c, struct yl_referral_filter *f)
{
	struct yl_referral *items;
	enum yl_err err;
	int n, total = 0;
	bool more = true;

	if (f->resident_id && (err = yl_resident_get(c, f->resident_id, NULL)))
		return err == YL_ERR_NOT_FOUND
			       ? yl_diag_set(c->diag, err, "resident",
					     "no resident with id %" PRId64, f->resident_id)
			       : err;
	f->limit = 1000;
	printf("%-8s %-8s %-10s %8s %6s %6s %6s %-8s %-10s %-20s %s\n", "id", "dir", "care",
	       "resident", "from", "to", "dept", "dx", "status", "requested_at", "reason");
	while (more) {
		if ((err = yl_referral_list(c, f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			const struct yl_referral *r = &items[i];
			char at[21];

			yl_time_format(r->requested_at, at);
			printf("%-8" PRId64 " %-8s %-10s %8" PRId64 " %6" PRId64 " %6" PRId64 " %6" PRId64
			       " %-8s %-10s %-20s %s%s\n", r->id, r->direction, r->care_type,
			       r->resident_id, r->from_institution_id, r->to_institution_id,
			       r->to_department_id, r->diagnosis_code, r->status, at,
			       r->status_reason ? r->status_reason : "",
			       r->outside_consortium ? " [outside consortium]" : "");
			f->after = r->id;
		}
		total += n;
	}
	printf("%d referral%s\n", total, total == 1 ? "" : "s");
	return YL_OK;
}

/* Opens db, runs the list in one read transaction, closes; returns the exit code. */
static int run_list(const char *db, struct yl_referral_filter *f)
{
	struct yl_cli_session ss;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:referral", false);

	if (!err)
		err = list(&ss.ctx, f);
	return yl_cli_session_close(&ss, err, CMD);
}

int yl_cmd_referral(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--direction", true, NULL, "up, down or lateral (create)"},
		{"--care", true, NULL, "outpatient or inpatient (create)"},
		{"--resident", true, NULL, "resident id (create; list filter)"},
		{"--from", true, NULL, "sending institution id (create)"},
		{"--from-practitioner", true, NULL, "sending practitioner id (create, optional)"},
		{"--to", true, NULL, "target institution id (create; optional for down: the"
				     " family-doctor institution)"},
		{"--department", true, NULL, "target department id (create, optional)"},
		{"--diagnosis", true, NULL, "ICD-10 code (create)"},
		{"--reason", true, NULL, "why (create, reject, cancel: required)"},
		{"--id", true, NULL, "referral id (accept, reject, cancel, arrive, complete)"},
		{"--slot", true, NULL, "slot to book from the referral pool (accept, outpatient)"},
		{"--admission", true, NULL, "planned admission date YYYY-MM-DD (accept, inpatient)"},
		{"--status", true, NULL, "derived status to list (list filter)"},
		{NULL, false, NULL, NULL},
	};
	static const char *const writes[] = {"create", "accept",  "reject",
					     "cancel", "arrive", "complete"};
	struct action a;
	struct yl_referral_filter f = {0};
	const char *pos[1];
	const char *db;
	int npos;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, CMD,
			  "yilian referral create --db FILE --direction up|down|lateral"
			  " --care outpatient|inpatient --resident N --from N\n"
			  "    [--from-practitioner N] [--to N] [--department N] --diagnosis ICD10"
			  " --reason TEXT\n"
			  "    requests a referral (the target defaults, for down, to the resident's"
			  " family-doctor institution)\n"
			  "yilian referral accept --db FILE --id N [--slot N] [--admission DATE]\n"
			  "    accepts it: an outpatient one books the slot's referral pool, an"
			  " inpatient one records the admission date\n"
			  "yilian referral reject --db FILE --id N --reason TEXT\n"
			  "yilian referral cancel --db FILE --id N --reason TEXT\n"
			  "    refuses it (target) or withdraws it (sender) while it is requested\n"
			  "yilian referral arrive --db FILE --id N\n"
			  "yilian referral complete --db FILE --id N\n"
			  "    the resident arrived at the target; the referral is closed\n"
			  "yilian referral list --db FILE [--resident N] [--status S]\n"
			  "    prints referrals with their derived status (expired included)\n"
			  "each write is one transaction as the system actor; times are UTC"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos == 1 && db)
		for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
			if (strcmp(pos[0], writes[i]) == 0)
				return action_opts(opts, writes[i], &a) ? act(db, &a) : 64;
	if (npos != 1 || !db || strcmp(pos[0], "list") != 0) {
		fprintf(stderr, "yilian " CMD ": say 'list' (read), or 'create', 'accept', 'reject',"
				" 'cancel', 'arrive' or 'complete' (write), and give --db FILE (see"
				" --help)\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--resident", 0, 1, INT64_MAX, &f.resident_id, CMD))
		return 64;
	f.status = yl_cli_opt(opts, "--status");
	f.outside_consortium = -1;
	return run_list(db, &f);
}
