/* Concurrency through the real server: many HTTP clients racing for the last places of a
 * family-doctor team, and for one resident's single active contract. The invariants (capacity
 * never exceeded, one active contract per resident) must hold whatever the interleaving. */
#include "yltest.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "domain/practitioner.h"
#include "domain/resident.h"
#include "domain/team.h"

enum { CLIENTS = 48, CAPACITY = 5 };

static struct ylt_server S;
static int64_t team_a, team_b[CLIENTS], residents[CLIENTS];

static void must(enum yl_err err, const char *what)
{
	if (err)
		fail_msg("%s: %s (%s)", what, S.db.diag.message, S.db.diag.field);
}

static int64_t team_at(int64_t inst, int64_t capacity, int n)
{
	struct yl_practitioner p = {0}, po;
	struct yl_team t = {0}, to;
	char name[32];

	snprintf(name, sizeof(name), "全科%d", n);
	p.name = name;
	p.title = "attending_physician";
	p.general_practitioner = true;
	p.institution_id = inst;
	must(yl_practitioner_create(&S.db.ctx, &p, &po), "gp");
	t.name = name;
	t.institution_id = inst;
	t.leader_id = po.id;
	t.capacity = capacity;
	must(yl_team_create(&S.db.ctx, &t, &to), "team");
	return to.id;
}

static int setup(void **state)
{
	(void)state;
	ylt_server_start(&S);
	ylt_begin(&S.db);
	team_a = team_at(3, CAPACITY, 0);
	for (int i = 0; i < CLIENTS; i++) {
		char id[19];
		struct yl_resident r = {0}, out;
		ylt_id_number(id, "440106", "19800101", i);
		r.id_number = id;
		r.name = "居民";
		r.home_area_code = "440106001";
		must(yl_resident_create(&S.db.ctx, &r, &out), "resident");
		residents[i] = out.id;
		team_b[i] = team_at(i % 2 ? 3 : 4, 100, i + 1);
	}
	ylt_commit(&S.db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	return 0;
}

struct job {
	char body[256];
	long status;
	char code[64];
	pthread_barrier_t *start;
	pthread_t thread;
};

static void *client(void *arg)
{
	struct job *j = arg;
	struct ylt_resp r;

	pthread_barrier_wait(j->start);
	r = ylt_http(&S, "POST", "/api/v1/contracts", S.admin_token, j->body);
	j->status = r.status;
	snprintf(j->code, sizeof(j->code), "%s", ylt_err_code(&r));
	ylt_resp_free(&r);
	return NULL;
}

static void race(struct job *jobs, int n)
{
	pthread_barrier_t start;

	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		jobs[i].start = &start;
		pthread_create(&jobs[i].thread, NULL, client, &jobs[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(jobs[i].thread, NULL);
	pthread_barrier_destroy(&start);
}

static int64_t scalar(const char *sql)
{
	struct yl_stmt *st;
	bool row;
	int64_t v;

	must(yl_store_prepare(S.db.store, sql, &st, &S.db.diag), "prepare");
	must(yl_stmt_step(st, &row, &S.db.diag), "step");
	v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

static void test_capacity_race(void **state)
{
	static struct job jobs[CLIENTS];
	int ok = 0, full = 0;
	char sql[128];
	(void)state;

	for (int i = 0; i < CLIENTS; i++)
		snprintf(jobs[i].body, sizeof(jobs[i].body),
			 "{\"resident_id\":%lld,\"team_id\":%lld,\"secondary_id\":2,\"tertiary_id\":1}",
			 (long long)residents[i], (long long)team_a);
	race(jobs, CLIENTS);
	for (int i = 0; i < CLIENTS; i++) {
		if (jobs[i].status == 201)
			ok++;
		else if (jobs[i].status == 409 && strcmp(jobs[i].code, "team_full") == 0)
			full++;
		else
			fail_msg("client %d: %ld %s", i, jobs[i].status, jobs[i].code);
	}
	assert_int_equal(ok, CAPACITY);
	assert_int_equal(full, CLIENTS - CAPACITY);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contracts WHERE team_id = %lld", (long long)team_a);
	assert_int_equal(scalar(sql), CAPACITY);
}

static void test_one_resident_race(void **state)
{
	static struct job jobs[CLIENTS];
	int ok = 0, taken = 0;
	/* the last resident has no contract yet: everyone signs it with a different team */
	int64_t who = 0;
	char sql[160];
	(void)state;

	for (int i = 0; i < CLIENTS && !who; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM contracts WHERE resident_id = %lld",
			 (long long)residents[i]);
		if (scalar(sql) == 0)
			who = residents[i];
	}
	assert_true(who > 0);
	for (int i = 0; i < CLIENTS; i++)
		snprintf(jobs[i].body, sizeof(jobs[i].body),
			 "{\"resident_id\":%lld,\"team_id\":%lld,\"secondary_id\":2,\"tertiary_id\":1}",
			 (long long)who, (long long)team_b[i]);
	race(jobs, CLIENTS);
	for (int i = 0; i < CLIENTS; i++) {
		if (jobs[i].status == 201)
			ok++;
		else if (jobs[i].status == 409 && strcmp(jobs[i].code, "active_contract_exists") == 0)
			taken++;
		else
			fail_msg("client %d: %ld %s", i, jobs[i].status, jobs[i].code);
	}
	assert_int_equal(ok, 1);
	assert_int_equal(taken, CLIENTS - 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contracts WHERE resident_id = %lld", (long long)who);
	assert_int_equal(scalar(sql), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capacity_race),
		cmocka_unit_test(test_one_resident_race),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
