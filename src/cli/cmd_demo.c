/* cmd_demo.c - `yilian demo`: generate the demo county into a fresh database, create demo
 * users, print what to paste, and optionally serve it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/server.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "demo/county.h"
#include "domain/user.h"

struct demo_users {
	char admin[YL_TOKEN_LEN + 1], doctor[YL_TOKEN_LEN + 1], regulator[YL_TOKEN_LEN + 1];
};

static enum yl_err users(const struct yl_ctx *c, const struct yl_demo_result *r,
			 struct demo_users *u)
{
	struct yl_user admin = {0, "admin", "admin", 0, 0, 0};
	struct yl_user doctor = {0, "doctor", "doctor", r->first_centre_id, 0, 0};
	struct yl_user reg = {0, "regulator", "regulator", 0, 0, 0};
	enum yl_err err;

	if ((err = yl_user_create(c, &admin, NULL, u->admin)) ||
	    (err = yl_user_create(c, &doctor, NULL, u->doctor)) ||
	    (err = yl_user_create(c, &reg, NULL, u->regulator)))
		return err;
	return YL_OK;
}

static void print_activity(const struct yl_demo_activity *a, int days)
{
	printf("  past %d days: %lld outpatient, %lld emergency, %lld inpatient encounters"
	       " (%lld from bookings; %lld past sessions)\n",
	       days, (long long)a->outpatient, (long long)a->emergency, (long long)a->inpatient,
	       (long long)a->booked, (long long)a->past_sessions);
	printf("  referrals: %lld up, %lld down; %lld requested, %lld accepted, %lld arrived,"
	       " %lld completed, %lld rejected, %lld cancelled, %lld expired\n",
	       (long long)a->referrals_up, (long long)a->referrals_down, (long long)a->requested,
	       (long long)a->accepted, (long long)a->arrived, (long long)a->completed,
	       (long long)a->rejected, (long long)a->cancelled, (long long)a->expired);
}

static void print_guide(const struct yl_demo_result *r, const struct demo_users *u, int port)
{
	printf("\nTry these (tokens: admin, doctor at institution %lld, regulator):\n\n",
	       (long long)r->first_centre_id);
	printf("  export YL=http://127.0.0.1:%d/api/v1\n", port);
	printf("  export ADMIN=%s\n  export DOCTOR=%s\n  export REGULATOR=%s\n\n", u->admin,
	       u->doctor, u->regulator);
	printf("  curl -s $YL/health\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/institutions?level=secondary\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/consortia\"\n");
	printf("  curl -s -H \"Authorization: Bearer $REGULATOR\" \"$YL/stats/signing?area_code=520330&group=children\"\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/teams?institution_id=%lld\"\n",
	       (long long)r->first_centre_id);
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/contracts?expiring_within=30&limit=5\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/residents?tag=elderly_65&limit=3\"\n");
	printf("  curl -s -X POST -H \"Authorization: Bearer $ADMIN\" $YL/residents \\\n"
	       "       -d '{\"id_number\":\"11010519491231002X\",\"name\":\"测试\",\"home_area_code\":\"520330001\"}'\n");
	printf("\n  # booking: the earliest internal-medicine (03) slots in the province, then book one\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/slots/earliest?category_code=03&area_code=520000&levels=secondary,tertiary&limit=3\"\n");
	printf("  curl -s -H \"Authorization: Bearer $DOCTOR\" \"$YL/slots?department_id=%lld&limit=3\"\n",
	       (long long)r->first_hospital_department_id);
	printf("  curl -s -X POST -H \"Authorization: Bearer $DOCTOR\" $YL/bookings \\\n"
	       "       -d '{\"slot_id\":SLOT_ID,\"resident_id\":1,\"idempotency_key\":\"try-1\"}'\n");
	printf("\n  # the past days' activity: admissions, and down-referrals with their care plans\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/encounters?kind=inpatient&limit=2\"\n");
	printf("  curl -s -H \"Authorization: Bearer $ADMIN\" \"$YL/referrals?direction=down&limit=2\"\n");
}

int yl_cmd_demo(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file to create (required; replaced if it exists)"},
		{"--residents", true, NULL, "number of residents (default 300000)"},
		{"--townships", true, NULL, "township centres (default 20)"},
		{"--villages", true, NULL, "village clinics per township (default 10)"},
		{"--seed", true, NULL, "random seed (default 1): same seed, same county"},
		{"--days", true, NULL, "days of past encounters and referrals (default 30)"},
		{"--serve", false, NULL, "serve the API afterwards until Ctrl-C"},
		{"--port", true, NULL, "port for --serve (default 8080)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos, port = 0, sig;
	int64_t residents, townships, villages, seed, days, p;
	struct yl_demo_opts o = {0};
	struct yl_demo_result r;
	struct demo_users u;
	struct yl_store *s;
	struct yl_diag d;
	struct yl_arena arena = YL_ARENA_INIT;
	struct yl_actor actor;
	struct yl_ctx c = {0};
	const char *db;
	char side[300];
	double t0 = yl_monotonic();
	enum yl_err err;
	sigset_t set;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 0, &npos, "demo",
			  "Generates a demo county (a city hospital, a county hospital, township\n"
			  "centres, village clinics, consortia, teams, residents, 1+1+1 contracts, and\n"
			  "the past days' encounters, bookings and referrals) through the domain API,\n"
			  "creates demo users and prints commands to try."))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (!db) {
		fprintf(stderr, "yilian demo: --db FILE is required\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--residents", 300000, 0, 20000000, &residents, "demo") ||
	    !yl_cli_int(opts, "--townships", 20, 1, 99, &townships, "demo") ||
	    !yl_cli_int(opts, "--villages", 10, 0, 50, &villages, "demo") ||
	    !yl_cli_int(opts, "--seed", 1, 0, INT64_MAX, &seed, "demo") ||
	    !yl_cli_int(opts, "--days", 30, 0, YL_DEMO_MAX_DAYS, &days, "demo") ||
	    !yl_cli_int(opts, "--port", 8080, 0, 65535, &p, "demo"))
		return 64;
	o.residents = residents;
	o.townships = (int)townships;
	o.villages = (int)villages;
	o.seed = (uint64_t)seed;
	o.days = (int)days;
	o.progress = stderr;
	/* a demo database is always generated afresh */
	unlink(db);
	snprintf(side, sizeof(side), "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", db);
	unlink(side);
	yl_diag_clear(&d);
	if (yl_store_open(db, YL_STORE_CREATE, &s, &d))
		return yl_cli_fail("demo", &d);
	yl_cli_system_actor(&actor, "system:demo");
	c.store = s;
	c.arena = &arena;
	c.diag = &d;
	c.actor = &actor;
	c.batch = true; /* one summary audit row instead of one per generated record */
	err = yl_store_tune_bulk(s, &d);
	if (!err)
		err = yl_store_begin(s, &d);
	if (!err)
		err = yl_demo_county(&c, &o, &r);
	c.batch = false;
	if (!err)
		err = users(&c, &r, &u);
	if (!err)
		err = yl_audit(&c, "demo", "county", NULL, "generated by yilian demo");
	if (!err)
		err = yl_store_commit(s, &d);
	if (err) {
		yl_store_rollback(s);
		yl_store_close(s);
		yl_arena_release(&arena);
		return yl_cli_fail("demo", &d);
	}
	yl_store_close(s);
	yl_arena_release(&arena);
	printf("demo county written to %s in %.1f s:\n", db, yl_monotonic() - t0);
	printf("  %lld areas, %lld institutions, %lld consortia, %lld departments, %lld practitioners\n",
	       (long long)r.areas, (long long)r.institutions, (long long)r.consortia,
	       (long long)r.departments, (long long)r.practitioners);
	printf("  %lld family-doctor teams, %lld residents, %lld contracts (%lld active, %lld renewals)\n",
	       (long long)r.teams, (long long)r.residents, (long long)r.contracts,
	       (long long)r.active_contracts, (long long)r.renewed);
	printf("  %lld schedule templates, %lld sessions and %lld bookable slots over the next two weeks\n",
	       (long long)r.templates, (long long)r.sessions, (long long)r.slots);
	print_activity(&r.activity, o.days);
	if (!yl_cli_opt(opts, "--serve")) {
		print_guide(&r, &u, (int)p);
		printf("\nserve it with: yilian serve --db %s --port %lld\n", db, (long long)p);
		return 0;
	}
	{
		struct yl_server_config cfg = {0};
		struct yl_server *srv;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		cfg.db_path = db;
		cfg.port = (int)p;
		if (yl_server_start(&cfg, &srv, &port, &d))
			return yl_cli_fail("demo", &d);
		print_guide(&r, &u, port);
		printf("\nyilian: serving %s on http://127.0.0.1:%d/api/v1 (Ctrl-C stops)\n", db, port);
		fflush(stdout);
		sigwait(&set, &sig);
		yl_server_stop(srv);
	}
	return 0;
}
