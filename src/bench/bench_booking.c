/* bench_booking.c - `yilian bench booking`: what durability costs and what group commit wins
 * back. One temp database, three runs: the booking transaction (yl_booking_create, one per
 * commit) without fsync (WAL, synchronous=NORMAL) and with fsync (synchronous=FULL), then a
 * real server on loopback (durable, group commit) driven by keep-alive clients; afterwards
 * every slot's counters are checked against its bookings and capacity, and the bookings in the
 * file against the successes answered. Fixtures are plain SQL: residents by the hundred
 * thousand would take longer to make through the registry than to book.
 */
#include "bench/bench.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/server.h"
#include "base/arena.h"
#include "base/clock.h"
#include "domain/booking.h"
#include "domain/institution.h"
#include "domain/user.h"
#include "store/store.h"

/* 2026-03-15 10:00 Asia/Shanghai: slots are on 2026-03-17, released and in the future. */
#define NOW ((int64_t)1773540000)
enum { SLOT_CAPACITY = 1000, PER_SLOT = 500 };

struct fixture {
	char dir[40];
	char path[80];
	char token[YL_TOKEN_LEN + 1];
	struct yl_clock clock;
	int64_t residents;   /* ids 1..residents */
	int64_t first_slot;  /* slot ids first_slot..first_slot + nslots - 1 */
	int64_t nslots;
	atomic_llong next;   /* next resident to book */
};

struct client {
	struct fixture *f;
	int port;
	double deadline;
	int64_t created, other;
	struct yl_bench_lat lat;
	pthread_t thread;
};

static int64_t slot_of(const struct fixture *f, int64_t resident)
{
	return f->first_slot + resident % f->nslots;
}

static enum yl_err fixture_make(struct fixture *f, int64_t residents, struct yl_diag *d)
{
	struct yl_store *s;
	struct yl_arena a = YL_ARENA_INIT;
	struct yl_actor actor = {0, "system:bench", YL_ROLE_ADMIN, 0, 0};
	struct yl_ctx c = {NULL, &f->clock, &a, d, &actor, false, false, NULL};
	struct yl_institution inst = {0, "H-BENCH", "基准医院", "tertiary", "general", "440100", 800, 0, 0};
	struct yl_user u = {0, "bench-admin", "admin", 0, 0, 0};
	char sql[1024];
	enum yl_err err;

	yl_clock_fixed(&f->clock, NOW);
	f->residents = residents;
	f->nslots = residents / PER_SLOT + 1;
	f->first_slot = 1;
	atomic_init(&f->next, 1);
	snprintf(f->dir, sizeof(f->dir), "/tmp/yilian-bench-booking.XXXXXX");
	if (!mkdtemp(f->dir))
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot create a temp dir");
	snprintf(f->path, sizeof(f->path), "%s/bench.db", f->dir);
	if ((err = yl_store_open(f->path, YL_STORE_CREATE, &s, d)))
		return err;
	c.store = s;
	if (!(err = yl_store_begin(s, d)))
		err = yl_store_exec(s, "INSERT INTO areas(code, name, parent_code, level, created_at)"
				       " VALUES ('440000', '广东省', NULL, 'province', 0),"
				       " ('440100', '广州市', '440000', 'city', 0)", d);
	if (!err)
		err = yl_institution_create(&c, &inst, NULL);
	if (!err)
		err = yl_user_create(&c, &u, NULL, f->token);
	if (!err)
		err = yl_store_exec(s, "INSERT INTO departments(institution_id, name, category_code,"
				       " created_at) VALUES (1, '内科', '03.01', 0);"
				       "INSERT INTO sessions(institution_id, department_id, date,"
				       " start_time, end_time, slot_minutes, status, created_at)"
				       " VALUES (1, 1, '2026-03-17', '08:00', '12:00', 30, 'open', 0)", d);
	if (!err) {
		/* from 09:00 on 2026-03-17 in Asia/Shanghai, one a second (slot times are unique
		 * per session; the rules only need them in the future) */
		snprintf(sql, sizeof(sql),
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %"
			 PRId64 ") INSERT INTO slots(id, session_id, institution_id, department_id,"
			 " category_code, starts_at, ends_at, capacity, quota_family_doctor,"
			 " quota_referral) SELECT i, 1, 1, 1, '03.01', 1773709200 + i, 1773711000 + i,"
			 " %d, 0, 0 FROM n", f->nslots, SLOT_CAPACITY);
		err = yl_store_exec(s, sql, d);
	}
	if (!err) {
		snprintf(sql, sizeof(sql),
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %"
			 PRId64 ") INSERT INTO residents(id, id_number, name, sex, birth_date,"
			 " home_area_code, insurance, tags, created_at) SELECT i,"
			 " printf('4401061990%%08d', i), 'r', 'male', '1990-01-01',"
			 " '440100', 'resident', 0, 0 FROM n", residents);
		err = yl_store_exec(s, sql, d);
	}
	if (!err)
		err = yl_store_commit(s, d);
	else
		yl_store_rollback(s);
	yl_store_close(s);
	yl_arena_release(&a);
	return err;
}

/* Books one resident after another, one transaction each, for `seconds`; returns the rate. */
static enum yl_err raw_run(struct fixture *f, bool durable, double seconds, double *rate,
			   int64_t *booked, struct yl_diag *d)
{
	struct yl_store *s;
	struct yl_arena a = YL_ARENA_INIT;
	struct yl_actor actor = {0, "system:bench", YL_ROLE_ADMIN, 0, 0};
	struct yl_ctx c = {NULL, &f->clock, &a, d, &actor, false, false, NULL};
	double start, end;
	int64_t n = 0;
	enum yl_err err;

	if ((err = yl_store_open(f->path, durable ? YL_STORE_DURABLE : 0, &s, d)))
		return err;
	c.store = s;
	start = yl_monotonic();
	end = start + seconds;
	while (!err && yl_monotonic() < end) {
		struct yl_booking_new in = {0};
		struct yl_booking out;

		in.resident_id = atomic_fetch_add(&f->next, 1);
		if (in.resident_id > f->residents)
			break;
		in.slot_id = slot_of(f, in.resident_id);
		in.pool = YL_POOL_PUBLIC;
		if (!(err = yl_store_begin(s, d)) && !(err = yl_booking_create(&c, &in, &out, NULL)))
			err = yl_store_commit(s, d);
		yl_store_rollback(s);
		yl_arena_release(&a);
		n += !err;
	}
	*rate = (double)n / (yl_monotonic() - start);
	*booked = n;
	yl_store_close(s);
	yl_arena_release(&a);
	return err;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	struct fixture *f = c->f;
	char buf[16384], req[512], body[96];
	int fd = yl_bench_connect(c->port);

	while (fd >= 0 && yl_monotonic() < c->deadline) {
		int64_t r = atomic_fetch_add(&f->next, 1);
		double t0 = yl_monotonic();
		int blen, n, status;

		if (r > f->residents)
			break;
		blen = snprintf(body, sizeof(body), "{\"slot_id\":%" PRId64 ",\"resident_id\":%" PRId64 "}",
				slot_of(f, r), r);
		n = snprintf(req, sizeof(req),
			     "POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer"
			     " %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			     f->token, blen, body);
		if (write(fd, req, (size_t)n) != (ssize_t)n)
			break;
		status = yl_bench_read_response(fd, buf, sizeof(buf));
		if (status == 201)
			c->created++;
		else
			c->other++;
		if (status < 0)
			break;
		yl_bench_lat_add(&c->lat, (yl_monotonic() - t0) * 1000.0);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

struct http_result {
	double rate, p50, p99;
	int64_t created, other, jobs, commits;
};

static enum yl_err http_run(struct fixture *f, const struct yl_bench_booking_opts *o,
			    struct http_result *r, struct yl_diag *d)
{
	struct yl_server_config cfg = {0};
	struct yl_server *srv;
	struct client *cl = calloc((size_t)o->clients, sizeof(*cl));
	struct yl_bench_lat all = {0};
	double start, max;
	int port;
	enum yl_err err;

	memset(r, 0, sizeof(*r));
	if (!cl)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	cfg.db_path = f->path;
	cfg.threads = o->threads;
	cfg.clock = &f->clock;
	if ((err = yl_server_start(&cfg, &srv, &port, d))) {
		free(cl);
		return err;
	}
	start = yl_monotonic();
	for (int i = 0; i < o->clients; i++) {
		cl[i].f = f;
		cl[i].port = port;
		cl[i].deadline = start + o->seconds;
		pthread_create(&cl[i].thread, NULL, client_main, &cl[i]);
	}
	for (int i = 0; i < o->clients; i++) {
		pthread_join(cl[i].thread, NULL);
		r->created += cl[i].created;
		r->other += cl[i].other;
		yl_bench_lat_merge(&all, &cl[i].lat);
	}
	r->rate = (double)r->created / (yl_monotonic() - start);
	yl_server_commit_stats(srv, &r->jobs, &r->commits);
	yl_server_stop(srv);
	free(cl);
	yl_bench_lat_summary(&all, &r->p50, &r->p99, &max);
	return YL_OK;
}

static enum yl_err scalar(struct yl_store *s, const char *sql, int64_t *v, struct yl_diag *d)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err = yl_store_prepare(s, sql, &st, d);

	if (!err)
		err = yl_stmt_step(st, &row, d);
	*v = !err && row ? yl_stmt_int(st, 0) : -1;
	if (!err)
		yl_stmt_reset(st);
	return err;
}

/* Slots whose counters exceed capacity or disagree with their bookings, and all bookings. */
static enum yl_err audit(struct fixture *f, int64_t *overbooked, int64_t *bookings,
			 struct yl_diag *d)
{
	struct yl_store *s;
	enum yl_err err = yl_store_open(f->path, YL_STORE_READONLY, &s, d);

	if (err)
		return err;
	err = scalar(s, "SELECT count(*) FROM slots s WHERE booked_public + booked_family_doctor"
			" + booked_referral > capacity OR booked_public <> (SELECT count(*) FROM bookings b WHERE"
			" b.slot_id = s.id AND b.pool = 'public' AND b.status <> 'cancelled')",
		     overbooked, d);
	if (!err)
		err = scalar(s, "SELECT count(*) FROM bookings", bookings, d);
	yl_store_close(s);
	return err;
}

enum yl_err yl_bench_booking(const struct yl_bench_booking_opts *o, bool *failed,
			     struct yl_diag *d)
{
	struct fixture f;
	struct http_result h;
	double normal, full;
	int64_t n_normal, n_full, overbooked = -1, bookings = -1;
	/* enough residents for ~25,000 bookings/s in each of the three runs */
	int64_t residents = (int64_t)(o->seconds * 75000.0) + 10000;
	char note[64], cmd[128];
	enum yl_err err;

	*failed = true;
	fprintf(stderr, "bench booking: %" PRId64 " residents, %d clients, %d server threads, %.0f s"
		" per run ...\n", residents, o->clients, o->threads, o->seconds);
	memset(&h, 0, sizeof(h));
	err = fixture_make(&f, residents, d);
	if (!err)
		err = raw_run(&f, false, o->seconds, &normal, &n_normal, d);
	if (!err)
		err = raw_run(&f, true, o->seconds, &full, &n_full, d);
	if (!err)
		err = http_run(&f, o, &h, d);
	if (!err)
		err = audit(&f, &overbooked, &bookings, d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f.dir);
	if (f.dir[0] && system(cmd) != 0)
		fprintf(stderr, "yilian bench: could not remove %s\n", f.dir);
	if (err)
		return err;
	yl_bench_header("yilian bench booking: POST /api/v1/bookings vs the raw transaction");
	yl_bench_row("(a) raw booking tx, sync=NORMAL", normal, "tx/s", "one per commit, no fsync");
	yl_bench_row("(b) raw booking tx, sync=FULL", full, "tx/s", "one per commit, fsync each");
	snprintf(note, sizeof(note), "%d clients, %d threads", o->clients, o->threads);
	yl_bench_row("(c) durable HTTP bookings (201)", h.rate, "req/s", note);
	yl_bench_row("    answered 201", (double)h.created, "count", "");
	yl_bench_row("    answered other / broken", (double)h.other, "count", "should be 0");
	yl_bench_row("    latency p50", h.p50, "ms", "");
	yl_bench_row("    latency p99", h.p99, "ms", "");
	yl_bench_row("    bookings per commit", h.commits ? (double)h.jobs / (double)h.commits : 0,
		     "avg", "group commit");
	yl_bench_row("(d) overbooked or miscounted slots", (double)overbooked, "count", "must be 0");
	yl_bench_row("    bookings lost or extra", (double)(bookings - n_normal - n_full - h.created),
		     "count", "must be 0");
	yl_bench_row("(c) / (a)", normal > 0 ? 100.0 * h.rate / normal : 0, "%", "target >= 50");
	*failed = overbooked != 0 || bookings != n_normal + n_full + h.created;
	return YL_OK;
}
