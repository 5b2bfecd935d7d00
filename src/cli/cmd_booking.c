/* cmd_booking.c - `yilian booking stats`: the booking indicators of an institution, consortium
 * or area over a period, as a table of numerator, denominator and value; `yilian booking
 * list`: a resident's bookings with their derived status (no-show included); `yilian booking
 * create | cancel | check-in | seen`: the booking lifecycle, for a desk without the API.
 *
 * Everything goes through the same domain functions as the API (yl_booking_stats,
 * yl_booking_list, yl_booking_create/cancel/check_in/seen) as the system actor: reads in one
 * read transaction (one consistent snapshot), each write in one write transaction that is
 * rolled back whole when the domain refuses. Values are printed rounded (4 decimals for
 * ratios, 2 for days); the domain keeps full precision. The rules (capacity, pools, release,
 * cutoffs, windows) live in the domain only; this file checks no more than option syntax.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/booking.h"
#include "domain/booking_stats.h"
#include "domain/resident.h"

#define CMD "booking"

static void print_ratio(const char *name, const struct yl_ratio *k)
{
	char den[24], val[32];

	if (k->denominator_known)
		snprintf(den, sizeof(den), "%" PRId64, k->denominator);
	else
		snprintf(den, sizeof(den), "null");
	if (!k->has_value)
		snprintf(val, sizeof(val), "null");
	else if (strcmp(k->unit, "days") == 0)
		snprintf(val, sizeof(val), "%.2f", k->value);
	else
		snprintf(val, sizeof(val), "%.4f", k->value);
	printf("%-32s %10" PRId64 " %12s %8s  %s%s%s\n", name, k->numerator, den, val, k->unit,
	       k->note ? "  " : "", k->note ? k->note : "");
}

static void print_stats(const struct yl_booking_stats_query *q, const struct yl_booking_stats *s)
{
	char as_of[21];

	yl_time_format(s->as_of, as_of);
	if (q->institution_id)
		printf("institution %" PRId64, q->institution_id);
	else if (q->consortium_id)
		printf("consortium %" PRId64, q->consortium_id);
	else
		printf("area %s", q->area_code);
	printf(", slot dates %s to %s, no-shows as of %s\n", s->from, s->to, as_of);
	printf("institutions %" PRId64 ", slots %" PRId64 "\n\n", s->institutions, s->slots);
	printf("%-32s %10s %12s %8s  %s\n", "indicator", "numerator", "denominator", "value",
	       "unit");
	print_ratio("reserved_pool_use.family_doctor", &s->pool_family_doctor);
	print_ratio("reserved_pool_use.referral", &s->pool_referral);
	print_ratio("reserved_pool_use.reserved", &s->pool_reserved);
	print_ratio("no_show_rate", &s->no_show);
	print_ratio("avg_days_booking_to_visit", &s->days_to_visit);
	print_ratio("appointment_rate", &s->appointment);
}

/* Local (Asia/Shanghai) "HH:MM" of unix seconds t. */
static void local_hhmm(int64_t t, char out[6])
{
	int64_t s = (t + YL_SHANGHAI_OFFSET) % 86400;

	if (s < 0)
		s += 86400;
	snprintf(out, 6, "%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60));
}

/* Prints every booking of the resident, page by page, in id order. */
static enum yl_err list(const struct yl_ctx *c, int64_t resident)
{
	struct yl_booking_filter f = {0};
	struct yl_booking *items;
	enum yl_err err;
	int n, total = 0;
	bool more = true;

	if ((err = yl_resident_get(c, resident, NULL)))
		return err == YL_ERR_NOT_FOUND
			       ? yl_diag_set(c->diag, err, "resident",
					     "no resident with id %" PRId64, resident)
			       : err;
	f.resident_id = resident;
	f.limit = 1000;
	printf("%-8s %-10s %-5s %-5s %6s %6s %-13s %-10s %s\n", "id", "date", "start", "end",
	       "inst", "dept", "pool", "status", "cancel_reason");
	while (more) {
		if ((err = yl_booking_list(c, &f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			const struct yl_booking *b = &items[i];
			char start[6], end[6];
			local_hhmm(b->starts_at, start);
			local_hhmm(b->ends_at, end);
			printf("%-8" PRId64 " %-10s %-5s %-5s %6" PRId64 " %6" PRId64
			       " %-13s %-10s %s\n", b->id, b->date, start, end, b->institution_id,
			       b->department_id, b->pool, b->status,
			       b->cancel_reason ? b->cancel_reason : "");
			f.after = b->id;
		}
		total += n;
	}
	printf("%d booking%s\n", total, total == 1 ? "" : "s");
	return YL_OK;
}

/* One write: which verb, and its arguments. */
struct action {
	const char *verb; /* create | cancel | check-in | seen */
	struct yl_booking_new in;
	int64_t id;
	const char *reason;
};

/* The one line a write prints: id, status, pool and the slot in local time. */
static void print_booking(const struct yl_booking *b, bool replayed)
{
	char start[6], end[6];

	local_hhmm(b->starts_at, start);
	local_hhmm(b->ends_at, end);
	printf("booking %" PRId64 ": %s, resident %" PRId64 ", slot %" PRId64 " %s %s-%s"
	       " Asia/Shanghai, institution %" PRId64 ", department %" PRId64 ", pool %s%s%s%s\n",
	       b->id, b->status, b->resident_id, b->slot_id, b->date, start, end, b->institution_id,
	       b->department_id, b->pool, b->cancel_reason ? ", reason: " : "",
	       b->cancel_reason ? b->cancel_reason : "",
	       replayed ? " (already made with this key; nothing written)" : "");
}

/* Opens db, runs one write of a in one write transaction (rolled back on any error), prints
 * the booking once committed, closes; returns the exit code. */
static int act(const char *db, const struct action *a)
{
	struct yl_cli_session ss;
	struct yl_ctx *c = &ss.ctx;
	struct yl_booking b;
	bool replayed = false;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:booking", true);

	if (!err) {
		if (strcmp(a->verb, "create") == 0)
			err = yl_booking_create(c, &a->in, &b, &replayed);
		else if (strcmp(a->verb, "cancel") == 0)
			err = yl_booking_cancel(c, a->id, a->reason, &b);
		else if (strcmp(a->verb, "check-in") == 0)
			err = yl_booking_check_in(c, a->id, &b);
		else
			err = yl_booking_seen(c, a->id, &b);
	}
	if (!err)
		err = yl_store_commit(ss.store, &ss.diag);
	if (!err)
		print_booking(&b, replayed);
	return yl_cli_session_close(&ss, err, CMD);
}

/* The options of a write verb into *a; false (usage error printed) when one is missing or
 * malformed. */
static bool action_opts(const struct yl_opt *opts, const char *verb, struct action *a)
{
	const char *pool = yl_cli_opt(opts, "--pool");
	int p = YL_POOL_PUBLIC;

	memset(a, 0, sizeof(*a));
	a->verb = verb;
	if (strcmp(verb, "create") != 0) {
		if (!yl_cli_int(opts, "--id", 0, 1, INT64_MAX, &a->id, CMD))
			return false;
		if (!a->id) {
			fprintf(stderr, "yilian " CMD ": %s needs --id N, the booking (see --help)\n",
				verb);
			return false;
		}
		a->reason = yl_cli_opt(opts, "--reason");
		if (strcmp(verb, "cancel") == 0 && !a->reason) {
			fprintf(stderr, "yilian " CMD ": cancel needs --reason TEXT, which the"
					" resident sees (see --help)\n");
			return false;
		}
		return true;
	}
	if (!yl_cli_int(opts, "--slot", 0, 1, INT64_MAX, &a->in.slot_id, CMD) ||
	    !yl_cli_int(opts, "--resident", 0, 1, INT64_MAX, &a->in.resident_id, CMD))
		return false;
	if (!a->in.slot_id || !a->in.resident_id) {
		fprintf(stderr, "yilian " CMD ": create needs --slot N and --resident N (see"
				" --help)\n");
		return false;
	}
	/* referral is named so that the domain can say why it is refused (up-referral only) */
	if (pool && (p = yl_pool_parse(pool)) < 0) {
		fprintf(stderr, "yilian " CMD ": --pool must be public or family_doctor, not"
				" '%.40s'\n", pool);
		return false;
	}
	a->in.pool = (enum yl_pool)p;
	a->in.idempotency_key = yl_cli_opt(opts, "--key");
	return true;
}

/* Opens db, runs the read in one read transaction, closes; returns the exit code. */
static int run(const char *db, const struct yl_booking_stats_query *q, int64_t resident)
{
	struct yl_cli_session ss;
	struct yl_booking_stats out;
	enum yl_err err = yl_cli_session_open(&ss, db, "system:booking", false);

	if (!err && q) {
		err = yl_booking_stats(&ss.ctx, q, &out);
		if (!err)
			print_stats(q, &out);
	} else if (!err) {
		err = list(&ss.ctx, resident);
	}
	return yl_cli_session_close(&ss, err, CMD);
}

int yl_cmd_booking(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--institution", true, NULL, "institution id (stats: one scope)"},
		{"--consortium", true, NULL, "consortium id, members on each slot's date (stats)"},
		{"--area", true, NULL, "area code, the area and everything under it (stats)"},
		{"--from", true, NULL, "first slot date YYYY-MM-DD (stats)"},
		{"--to", true, NULL, "last slot date YYYY-MM-DD, at most 366 days on (stats)"},
		{"--resident", true, NULL, "resident id (list, create)"},
		{"--slot", true, NULL, "slot id (create)"},
		{"--pool", true, NULL, "public (default) or family_doctor (create)"},
		{"--key", true, NULL, "idempotency key: a repeat returns the first booking (create)"},
		{"--id", true, NULL, "booking id (cancel, check-in, seen)"},
		{"--reason", true, NULL, "why, shown to the resident (cancel, required)"},
		{NULL, false, NULL, NULL},
	};
	static const char *const writes[] = {"create", "cancel", "check-in", "seen"};
	struct action a;
	struct yl_booking_stats_query q = {0};
	const char *pos[1];
	const char *db;
	int npos;
	int64_t resident;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, CMD,
			  "yilian booking stats --db FILE (--institution N | --consortium N |"
			  " --area CODE) --from DATE --to DATE\n"
			  "    prints reserved-pool use, no-show rate, days from booking to visit and"
			  " the appointment rate\n"
			  "yilian booking list --db FILE --resident N\n"
			  "    prints the resident's bookings with their status\n"
			  "yilian booking create --db FILE --slot N --resident N"
			  " [--pool public|family_doctor] [--key KEY]\n"
			  "    books a place in the slot's pool\n"
			  "yilian booking cancel --db FILE --id N --reason TEXT\n"
			  "    cancels a booking until the institution's cutoff; the place goes back\n"
			  "yilian booking check-in --db FILE --id N\n"
			  "    checks the resident in, from an hour before the slot until its end\n"
			  "yilian booking seen --db FILE --id N\n"
			  "    marks a checked-in booking seen\n"
			  "each write is one transaction as the system actor; times are Asia/Shanghai"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos == 1 && db)
		for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
			if (strcmp(pos[0], writes[i]) == 0)
				return action_opts(opts, writes[i], &a) ? act(db, &a) : 64;
	if (npos != 1 || !db || (strcmp(pos[0], "stats") != 0 && strcmp(pos[0], "list") != 0)) {
		fprintf(stderr, "yilian " CMD ": say 'stats' or 'list' (read), or 'create', 'cancel',"
				" 'check-in' or 'seen' (write), and give --db FILE (see --help)\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--institution", 0, 1, INT64_MAX, &q.institution_id, CMD) ||
	    !yl_cli_int(opts, "--consortium", 0, 1, INT64_MAX, &q.consortium_id, CMD) ||
	    !yl_cli_int(opts, "--resident", 0, 1, INT64_MAX, &resident, CMD))
		return 64;
	if (strcmp(pos[0], "list") == 0) {
		if (!resident) {
			fprintf(stderr, "yilian " CMD ": --resident N is required (see --help)\n");
			return 64;
		}
		return run(db, NULL, resident);
	}
	q.area_code = yl_cli_opt(opts, "--area");
	q.from = yl_cli_opt(opts, "--from");
	q.to = yl_cli_opt(opts, "--to");
	return run(db, &q, 0);
}
