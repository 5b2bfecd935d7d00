/* state.c - the simulator's bookkeeping in the store: the simulation state (next day, seed,
 * random state) and the queue of actions due on later days (people in hospital, booked
 * visits, referrals on their way). These tables are the simulator's, not the platform's:
 * they are created on first use and a production database never has them. Keeping the
 * queue in the store is what keeps a province-sized run's memory flat.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_int.h"
#include "store/store.h"

static const char *const TABLES[] = {
	"CREATE TABLE IF NOT EXISTS sim_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
	" day INTEGER NOT NULL, start_day INTEGER NOT NULL, seed TEXT NOT NULL,"
	" rng TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS sim_events (id INTEGER PRIMARY KEY,"
	" day INTEGER NOT NULL, minute INTEGER NOT NULL CHECK (minute >= 0 AND minute < 1440),"
	" kind INTEGER NOT NULL, resident_id BIGINT NOT NULL, inst BIGINT NOT NULL,"
	" dept BIGINT NOT NULL, booking BIGINT NOT NULL, referral BIGINT NOT NULL,"
	" aux BIGINT NOT NULL, day2 INTEGER NOT NULL, level INTEGER NOT NULL, dx TEXT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS sim_events_due ON sim_events(day, minute, id)",
};

enum yl_err sim_events_init(const struct yl_ctx *c)
{
	enum yl_err err = YL_OK;

	for (size_t i = 0; !err && i < sizeof(TABLES) / sizeof(TABLES[0]); i++)
		err = yl_store_exec(c->store, TABLES[i], c->diag);
	return err;
}

enum yl_err yl_sim_state_save(const struct yl_ctx *c, const struct yl_sim_state *s)
{
	char seed[24], rng[96];
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = sim_events_init(c)))
		return err;
	/* 64-bit unsigned values as text: portable, and no sign games with BIGINT */
	snprintf(seed, sizeof(seed), "%" PRIu64, s->seed);
	snprintf(rng, sizeof(rng), "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64,
		 s->rng[0], s->rng[1], s->rng[2], s->rng[3]);
	if ((err = yl_store_prepare(c->store, "DELETE FROM sim_state", &st, c->diag)) ||
	    (err = yl_stmt_run(st, c->diag)))
		return err;
	if ((err = yl_store_prepare(c->store, "INSERT INTO sim_state (id, day, start_day, seed, rng)"
					      " VALUES (1, ?, ?, ?, ?)", &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, s->day);
	yl_stmt_bind_int(st, 2, s->start);
	yl_stmt_bind_text(st, 3, seed);
	yl_stmt_bind_text(st, 4, rng);
	return yl_stmt_run(st, c->diag);
}

static bool parse_hex64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < 16; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

enum yl_err yl_sim_state_load(const struct yl_ctx *c, struct yl_sim_state *s)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	const char *rng;

	/* a database without the table holds no simulation */
	if (yl_store_prepare(c->store, "SELECT day, start_day, seed, rng FROM sim_state"
				       " WHERE id = 1", &st, c->diag))
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "db",
				   "the database holds no simulation (run `yilian sim generate`)");
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "db",
				  "the database holds no simulation (run `yilian sim generate`)");
	if (!err) {
		s->day = (int32_t)yl_stmt_int(st, 0);
		s->start = (int32_t)yl_stmt_int(st, 1);
		if (sscanf(yl_stmt_text(st, 2), "%" SCNu64, &s->seed) != 1)
			err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad sim_state seed");
		rng = yl_stmt_text(st, 3);
		for (int i = 0; !err && i < 4; i++)
			if (strlen(rng) != 64 || !parse_hex64(rng + 16 * i, &s->rng[i]))
				err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad sim_state rng");
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err sim_event_push(struct sim *s, const struct sim_event *e)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(s->c.store, "INSERT INTO sim_events (day, minute, kind, resident_id,"
					   " inst, dept, booking, referral, aux, day2, level, dx)"
					   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       &st, s->c.diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, e->day);
	yl_stmt_bind_int(st, 2, e->minute < 0 ? 0 : e->minute > 1439 ? 1439 : e->minute);
	yl_stmt_bind_int(st, 3, e->kind);
	yl_stmt_bind_int(st, 4, e->resident);
	yl_stmt_bind_int(st, 5, e->inst);
	yl_stmt_bind_int(st, 6, e->dept);
	yl_stmt_bind_int(st, 7, e->booking);
	yl_stmt_bind_int(st, 8, e->referral);
	yl_stmt_bind_int(st, 9, e->aux);
	yl_stmt_bind_int(st, 10, e->day2);
	yl_stmt_bind_int(st, 11, e->level);
	yl_stmt_bind_text(st, 12, e->dx);
	return yl_stmt_run(st, s->c.diag);
}

enum yl_err sim_events_next(struct sim *s, int32_t day, int after_minute, int64_t after_id,
			    struct sim_event *out, int max, int *n)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	*n = 0;
	err = yl_store_prepare(s->c.store, "SELECT id, day, minute, kind, resident_id, inst, dept,"
					   " booking, referral, aux, day2, level, dx FROM sim_events"
					   " WHERE day = ? AND (minute > ? OR (minute = ? AND id > ?))"
					   " ORDER BY minute, id LIMIT ?",
			       &st, s->c.diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, day);
	yl_stmt_bind_int(st, 2, after_minute);
	yl_stmt_bind_int(st, 3, after_minute);
	yl_stmt_bind_int(st, 4, after_id);
	yl_stmt_bind_int(st, 5, max);
	while (!(err = yl_stmt_step(st, &row, s->c.diag)) && row) {
		struct sim_event *e = &out[(*n)++];
		e->id = yl_stmt_int(st, 0);
		e->day = (int32_t)yl_stmt_int(st, 1);
		e->minute = (int)yl_stmt_int(st, 2);
		e->kind = (int)yl_stmt_int(st, 3);
		e->resident = yl_stmt_int(st, 4);
		e->inst = yl_stmt_int(st, 5);
		e->dept = yl_stmt_int(st, 6);
		e->booking = yl_stmt_int(st, 7);
		e->referral = yl_stmt_int(st, 8);
		e->aux = yl_stmt_int(st, 9);
		e->day2 = (int32_t)yl_stmt_int(st, 10);
		e->level = (int)yl_stmt_int(st, 11);
		snprintf(e->dx, sizeof(e->dx), "%s", yl_stmt_text(st, 12));
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err sim_events_drop_day(struct sim *s, int32_t day)
{
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = yl_store_prepare(s->c.store, "DELETE FROM sim_events WHERE day <= ?", &st,
				    s->c.diag)))
		return err;
	yl_stmt_bind_int(st, 1, day);
	return yl_stmt_run(st, s->c.diag);
}

enum yl_err sim_events_count(struct sim *s, int64_t *n)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	if ((err = yl_store_prepare(s->c.store, "SELECT count(*) FROM sim_events", &st, s->c.diag)))
		return err;
	err = yl_stmt_step(st, &row, s->c.diag);
	*n = !err && row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	return err;
}
