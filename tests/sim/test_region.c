/* Sim: the region generator (sim/region.h) on small regions, clock 2026-03-15.
 *
 * Shape (2 counties 习水县 520330 and 红花岗区 520302 of 遵义市, 4 townships, 2 villages,
 * 5,000 residents, fd_quota 0.5 and referral_quota 0.25), every count by hand:
 *   areas 1 province + 1 city + 2 counties + 8 townships = 12;
 *   institutions 2 tertiary, 2 x 3 secondary, 8 primary, 8 x 2 village = 32;
 *   departments 2 x 6 + 2 x (6 + 1 + 2) + 8 x 2 = 46;
 *   practitioners 2 x 6 x 6 + 2 x (6 x 3 + 2 + 2 x 2) + 8 x 4 x 2 + 16 = 200; teams 8 x 4 = 32;
 *   consortia 2 county communities (lead + TCM + MCH + 4 centres = 7 members) and one city
 *   group (lead + 2 county hospitals = 3); practice sites 6 chiefs x 2 county hospitals = 12;
 *   clinic departments 2 x 5 + 2 x (5 + 1 + 2) + 8 = 34, x 5 weekdays x 2 halves = 340
 *   templates: 260 hospital ones of capacity 6 with quotas round(3.0) = 3 and round(1.5) = 2,
 *   80 centre ones of capacity 4 without quotas; none for 急诊医学科 (category 20).
 * Fifteen counties reach 贵阳 (the 15th): two cities, so the top area is the province.
 * Population (20,000 residents in one county): 65+ is sampled with probability 0.14, so its
 * share has standard deviation sqrt(0.14 x 0.86 / 20000) = 0.0025 and a tolerance of 0.01
 * is four of them; hypertension among adults is (0.36 x 0.12 + 0.31 x 0.33 + 0.14 x 0.55)
 * / 0.81 = 0.2747 with sd sqrt(0.275 x 0.725 / 16200) = 0.0035, tolerance 0.015; diabetes
 * among adults (0.36 x 0.05 + 0.31 x 0.14 + 0.14 x 0.22) / 0.81 = 0.1138, sd 0.0025,
 * tolerance 0.012. Determinism: a digest of residents, contracts, institutions and
 * practitioners equal for one seed in two databases, different for another seed.
 */
#include "yltest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/codes.h"
#include "sim/region.h"
#include "ylt_booking.h"

static void small_opts(struct yl_sim_region_opts *o, struct yl_sim_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->fd_quota = 0.5;
	p->referral_quota = 0.25;
	yl_sim_region_opts_init(o);
	o->counties = 2;
	o->townships = 4;
	o->villages = 2;
	o->residents = 5000;
	o->seed = 7;
	o->policy = p;
}

/* Opens a database and generates o into it in one transaction, as the CLI will. */
static void generate(struct ylt_db *t, const struct yl_sim_region_opts *o,
		     struct yl_sim_region_result *r)
{
	ylt_db_open(t);
	t->ctx.batch = true;
	ylt_begin(t);
	if (yl_sim_region_generate(&t->ctx, o, r))
		fail_msg("generate: %s: %s", t->diag.field, t->diag.message);
	ylt_commit(t);
}

/* FNV-1a over the one text column of every row of sql, continuing from h. */
static uint64_t digest(struct ylt_db *t, const char *sql, uint64_t h)
{
	struct yl_stmt *st;
	bool row;

	if (yl_store_prepare(t->store, sql, &st, &t->diag))
		fail_msg("%s: %s", sql, t->diag.message);
	for (;;) {
		const char *s;

		assert_int_equal(yl_stmt_step(st, &row, &t->diag), YL_OK);
		if (!row)
			break;
		s = yl_stmt_text(st, 0);
		assert_non_null(s);
		for (; *s; s++)
			h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
		h = (h ^ 0xff) * 0x100000001b3ULL; /* row separator */
	}
	yl_stmt_reset(st);
	return h;
}

static uint64_t registry_digest(struct ylt_db *t)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = digest(t, "SELECT id_number || '|' || name || '|' || birth_date || '|' ||"
		      " home_area_code || '|' || tags || '|' || coalesce(phone, '') || '|' ||"
		      " insurance FROM residents ORDER BY id", h);
	h = digest(t, "SELECT id || '|' || resident_id || '|' || team_id || '|' || secondary_id"
		      " || '|' || tertiary_id || '|' || start_date || '|' || end_date || '|' ||"
		      " status || '|' || coalesce(previous_id, 0) FROM contracts ORDER BY id", h);
	h = digest(t, "SELECT id || '|' || code || '|' || name || '|' || level FROM institutions"
		      " ORDER BY id", h);
	h = digest(t, "SELECT id || '|' || name || '|' || institution_id FROM practitioners"
		      " ORDER BY id", h);
	return h;
}

static int64_t inst_id(struct ylt_db *t, const char *code)
{
	return yltb_scalar(t, "SELECT id FROM institutions WHERE code = '%s'", code);
}

static void test_shape(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p;
	struct yl_sim_region_result r;
	struct ylt_db t;
	int64_t lead, h1, h2, h3;

	(void)state;
	small_opts(&o, &p);
	generate(&t, &o, &r);
	/* counts, both as reported and as stored */
	assert_int_equal(r.areas, 12);
	assert_int_equal(ylt_count(&t, "areas"), 12);
	assert_int_equal(ylt_count(&t, "areas WHERE level = 'township' AND parent_code IN"
				       " ('520330', '520302')"), 8);
	assert_int_equal(r.institutions, 32);
	assert_int_equal(ylt_count(&t, "institutions WHERE level = 'tertiary'"), 2);
	assert_int_equal(ylt_count(&t, "institutions WHERE level = 'secondary'"), 6);
	assert_int_equal(ylt_count(&t, "institutions WHERE level = 'primary'"), 8);
	assert_int_equal(ylt_count(&t, "institutions WHERE level = 'village'"), 16);
	assert_int_equal(ylt_count(&t, "institutions WHERE kind = 'tcm'"), 2);
	assert_int_equal(ylt_count(&t, "institutions WHERE kind = 'maternal_child'"), 2);
	assert_int_equal(r.departments, 46);
	assert_int_equal(ylt_count(&t, "departments"), 46);
	assert_int_equal(r.practitioners, 200);
	assert_int_equal(ylt_count(&t, "practitioners"), 200);
	assert_int_equal(r.teams, 32);
	assert_int_equal(ylt_count(&t, "teams"), 32);
	assert_int_equal(ylt_count(&t, "team_members"), 64);
	assert_string_equal(r.top_area, "520300");
	/* the ids the run starts from */
	lead = inst_id(&t, "520300-H01");
	h1 = inst_id(&t, "520330-H01");
	h2 = inst_id(&t, "520302-H01");
	assert_true(lead > 0 && h1 > 0 && h2 > 0);
	assert_int_equal(r.first_tertiary_id, lead);
	assert_int_equal(r.first_secondary_id, h1);
	assert_int_equal(r.first_centre_id, inst_id(&t, "520330-C01"));
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM institutions WHERE code ="
				     " '520300-H01' AND name = '遵义市第一人民医院'"), 1);
	/* consortia: leads and current members */
	assert_int_equal(r.consortia, 3);
	assert_int_equal(ylt_count(&t, "consortia WHERE kind = 'county_community'"), 2);
	assert_int_equal(yltb_scalar(&t, "SELECT lead_institution_id FROM consortia WHERE code ="
				     " '520330-YGT'"), h1);
	assert_int_equal(yltb_scalar(&t, "SELECT lead_institution_id FROM consortia WHERE code ="
				     " '520302-YGT'"), h2);
	assert_int_equal(yltb_scalar(&t, "SELECT lead_institution_id FROM consortia WHERE code ="
				     " '520300-YLJT' AND kind = 'city_group'"), lead);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM consortium_members m JOIN consortia"
				     " k ON k.id = m.consortium_id WHERE k.code = '520330-YGT' AND"
				     " m.left_on IS NULL"), 7);
	/* the county community holds exactly its own county's TCM, MCH and centres */
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM consortium_members m JOIN consortia"
				     " k ON k.id = m.consortium_id JOIN institutions i ON i.id ="
				     " m.institution_id WHERE k.code = '520302-YGT' AND"
				     " substr(i.area_code, 1, 6) = '520302' AND (i.level ="
				     " 'primary' OR i.code IN ('520302-H01', '520302-H02',"
				     " '520302-H03'))"), 7);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM consortium_members m JOIN consortia"
				     " k ON k.id = m.consortium_id WHERE k.code = '520300-YLJT' AND"
				     " m.institution_id IN (%lld, %lld, %lld)", (long long)lead,
				     (long long)h1, (long long)h2), 3);
	assert_int_equal(ylt_count(&t, "consortium_members"), 7 + 7 + 3);
	/* the second tertiary hospital belongs to no consortium */
	h3 = inst_id(&t, "520300-H02");
	assert_true(h3 > 0);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM consortium_members WHERE"
				     " institution_id = %lld", (long long)h3), 0);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM practice_sites s JOIN practitioners"
				     " p ON p.id = s.practitioner_id WHERE p.institution_id = %lld"
				     " AND p.title = 'chief_physician' AND s.institution_id IN"
				     " (%lld, %lld)", (long long)lead, (long long)h1,
				     (long long)h2), 12);
	assert_int_equal(ylt_count(&t, "practice_sites"), 12);
	/* templates and their quotas */
	assert_int_equal(r.templates, 340);
	assert_int_equal(ylt_count(&t, "schedule_templates"), 340);
	assert_int_equal(ylt_count(&t, "schedule_templates WHERE capacity = 6 AND"
				       " quota_family_doctor = 3 AND quota_referral = 2"), 260);
	assert_int_equal(ylt_count(&t, "schedule_templates WHERE capacity = 4 AND"
				       " quota_family_doctor = 0 AND quota_referral = 0"), 80);
	assert_int_equal(ylt_count(&t, "schedule_templates WHERE valid_from = '2026-03-15' AND"
				       " slot_minutes = 30 AND weekday BETWEEN 1 AND 5"), 340);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM schedule_templates s JOIN"
				     " departments d ON d.id = s.department_id WHERE"
				     " d.category_code = '20'"), 0);
	assert_int_equal(ylt_count(&t, "sessions"), 0);
	/* residents: half per county, each at home in a generated township, IDs of the county */
	assert_int_equal(r.residents, 5000);
	assert_int_equal(ylt_count(&t, "residents"), 5000);
	assert_int_equal(ylt_count(&t, "residents WHERE home_area_code LIKE '520330%'"), 2500);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM residents r JOIN areas a ON a.code"
				     " = r.home_area_code WHERE a.level = 'township' AND"
				     " a.parent_code IN ('520330', '520302') AND"
				     " substr(r.id_number, 1, 6) = a.parent_code"), 5000);
	/* contracts: own county hospital, the city group's lead, a team of the own township */
	assert_true(r.contracts > 0);
	assert_int_equal(ylt_count(&t, "contracts"), r.contracts);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM contracts k JOIN residents r ON"
				     " r.id = k.resident_id JOIN institutions h ON h.id ="
				     " k.secondary_id JOIN teams m ON m.id = k.team_id JOIN"
				     " institutions c ON c.id = m.institution_id WHERE h.code ="
				     " substr(r.home_area_code, 1, 6) || '-H01' AND k.tertiary_id ="
				     " %lld AND c.area_code = r.home_area_code", (long long)lead),
			 r.contracts);
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM contracts WHERE status ="
				     " 'active' AND start_date <= '2026-03-15' AND end_date >="
				     " '2026-03-15'"), r.active_contracts);
	/* batch: no audit row per record (the caller writes the summary) */
	assert_int_equal(ylt_count(&t, "audit_log"), 0);
	ylt_db_close(&t);
}

static void test_two_cities(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_region_result r;
	struct ylt_db t;

	(void)state;
	yl_sim_region_opts_init(&o);
	o.counties = 15;
	o.townships = 1;
	o.villages = 0;
	o.residents = 31; /* 2 per county, the remainder 1 to the first */
	generate(&t, &o, &r);
	assert_string_equal(r.top_area, "520000");
	assert_int_equal(ylt_count(&t, "areas WHERE level = 'city'"), 2);
	assert_int_equal(ylt_count(&t, "areas WHERE level = 'county' AND parent_code ="
				       " '520100'"), 1);
	assert_int_equal(ylt_count(&t, "institutions WHERE level = 'tertiary'"), 4);
	assert_int_equal(ylt_count(&t, "consortia WHERE kind = 'city_group'"), 2);
	/* 贵阳's group holds its lead and its one county hospital, 南明区 520102 */
	assert_int_equal(yltb_scalar(&t, "SELECT count(*) FROM consortium_members m JOIN consortia"
				     " k ON k.id = m.consortium_id JOIN institutions i ON i.id ="
				     " m.institution_id WHERE k.code = '520100-YLJT' AND i.code IN"
				     " ('520100-H01', '520102-H01')"), 2);
	assert_int_equal(ylt_count(&t, "consortium_members"), 15 * 4 + 15 + 2);
	assert_int_equal(ylt_count(&t, "residents WHERE home_area_code LIKE '520330%'"), 3);
	assert_int_equal(ylt_count(&t, "residents WHERE home_area_code LIKE '520102%'"), 2);
	/* default policy: quotas 2 and 1 */
	assert_int_equal(ylt_count(&t, "schedule_templates WHERE capacity = 6 AND"
				       " (quota_family_doctor <> 2 OR quota_referral <> 1)"), 0);
	ylt_db_close(&t);
}

static void test_population(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_region_result r;
	struct ylt_db t;
	double n, adults, old, htn, dm;
	struct yl_stmt *st;
	bool row;

	(void)state;
	yl_sim_region_opts_init(&o);
	o.townships = 4;
	o.villages = 0;
	o.residents = 20000;
	o.seed = 3;
	generate(&t, &o, &r);
	n = (double)ylt_count(&t, "residents");
	assert_true(n == 20000);
	/* 65 on 2026-03-15: born on or before 1961-03-15; adult: on or before 2008-03-15 */
	old = (double)ylt_count(&t, "residents WHERE birth_date <= '1961-03-15'");
	adults = (double)ylt_count(&t, "residents WHERE birth_date <= '2008-03-15'");
	htn = (double)ylt_count(&t, "residents WHERE birth_date <= '2008-03-15' AND tags & 1");
	dm = (double)ylt_count(&t, "residents WHERE birth_date <= '2008-03-15' AND tags & 2");
	assert_true(fabs(old / n - 0.14) < 0.01);
	assert_true(fabs(adults / n - 0.81) < 0.012);
	assert_true(fabs(htn / adults - 0.2747) < 0.015);
	assert_true(fabs(dm / adults - 0.1138) < 0.012);
	assert_true(fabs(ylt_count(&t, "residents WHERE sex = 'female'") / n - 0.49) < 0.014);
	assert_int_equal(ylt_count(&t, "residents WHERE tags & 4 AND sex = 'male'"), 0);
	/* every ID number passes GB 11643 and says the birth date and sex stored */
	assert_int_equal(yl_store_prepare(t.store, "SELECT id_number, birth_date, sex FROM"
					  " residents", &st, &t.diag), YL_OK);
	for (;;) {
		struct yl_id_number id;
		int32_t birth;

		assert_int_equal(yl_stmt_step(st, &row, &t.diag), YL_OK);
		if (!row)
			break;
		assert_int_equal(yl_id_number_parse(yl_stmt_text(st, 0), yl_clock_today(&t.clock),
						    "id", &id, &t.diag), YL_OK);
		assert_true(yl_date_parse(yl_stmt_text(st, 1), &birth));
		assert_int_equal(id.birth, birth);
		assert_int_equal(id.sex, strcmp(yl_stmt_text(st, 2), "female") ? YL_SEX_MALE
										 : YL_SEX_FEMALE);
		assert_string_equal(id.area, "520330");
	}
	yl_stmt_reset(st);
	/* signing: key populations with p 0.62, others 0.24 (county.c's rates); summing over
	 * the age bands and tags above gives 0.4138 of residents (sd 0.0035), of whom those
	 * signed 365-419 days ago (55 of 420 days) lapsed unless renewed (0.7): in force today
	 * 0.4138 x (1 - 55 / 420 x 0.3) = 0.3976 */
	assert_true(fabs((double)ylt_count(&t, "(SELECT DISTINCT resident_id FROM contracts)") / n -
			 0.4138) < 0.015);
	assert_true(fabs((double)r.active_contracts / n - 0.3976) < 0.015);
	/* every contract signed within the past 420 days, none in the future */
	assert_int_equal(ylt_count(&t, "contracts WHERE previous_id IS NULL AND (start_date <"
				       " '2025-01-20' OR start_date > '2026-03-15')"), 0);
	assert_true(ylt_count(&t, "contracts WHERE previous_id IS NOT NULL AND start_date ="
			      " '2026-03-15'") > 0);
	ylt_db_close(&t);
}

static void test_deterministic(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p;
	struct yl_sim_region_result r1, r2, r3;
	struct ylt_db a, b, c;
	uint64_t da, db, dc;

	(void)state;
	small_opts(&o, &p);
	generate(&a, &o, &r1);
	generate(&b, &o, &r2);
	o.seed = 8;
	generate(&c, &o, &r3);
	da = registry_digest(&a);
	db = registry_digest(&b);
	dc = registry_digest(&c);
	assert_true(da == db);
	assert_true(da != dc);
	assert_memory_equal(&r1, &r2, sizeof(r1));
	assert_int_equal(r3.residents, 5000);
	ylt_db_close(&a);
	ylt_db_close(&b);
	ylt_db_close(&c);
}

/* One invalid option: YL_ERR_INVALID on field, nothing written. */
static void rejected(struct ylt_db *t, const struct yl_sim_region_opts *o, const char *field)
{
	struct yl_sim_region_result r;

	ylt_begin(t);
	assert_int_equal(yl_sim_region_generate(&t->ctx, o, &r), YL_ERR_INVALID);
	assert_string_equal(t->diag.field, field);
	/* inside the transaction still: the check came before the first write */
	assert_int_equal(ylt_count(t, "areas"), 0);
	assert_int_equal(ylt_count(t, "institutions"), 0);
	ylt_rollback(t);
}

static void test_invalid(void **state)
{
	struct yl_sim_region_opts o, *ao;
	struct yl_sim_policy p, *ap;
	struct ylt_db t;

	(void)state;
	ylt_db_open(&t);
	t.ctx.batch = true;
	small_opts(&o, &p);
	o.counties = 0;
	rejected(&t, &o, "counties");
	o.counties = 89;
	rejected(&t, &o, "counties");
	small_opts(&o, &p);
	o.residents = -1;
	rejected(&t, &o, "residents");
	small_opts(&o, &p);
	o.townships = 0;
	rejected(&t, &o, "townships");
	o.townships = 100;
	rejected(&t, &o, "townships");
	small_opts(&o, &p);
	o.villages = -1;
	rejected(&t, &o, "villages");
	o.villages = 51;
	rejected(&t, &o, "villages");
	small_opts(&o, &p);
	p.fd_quota = -0.1;
	rejected(&t, &o, "fd_quota");
	p.fd_quota = NAN;
	rejected(&t, &o, "fd_quota");
	p.fd_quota = 0.9; /* 5 places + round(6 x 0.25) = 2: 7 of 6 */
	rejected(&t, &o, "referral_quota");
	/* the boundaries are accepted (88 counties would be slow: 1 county of 99 townships) */
	small_opts(&o, &p);
	p.fd_quota = 0.75; /* round(4.5) = 5, + 2 = 7 */
	rejected(&t, &o, "referral_quota");
	p.fd_quota = 0.7; /* round(4.2) = 4, + 2 = 6: accepted */
	o.counties = 1;
	o.townships = 99;
	o.villages = 0;
	o.residents = 0;
	/* opts and policy in the arena the generator releases (ASan sees a late read) */
	ao = yl_arena_alloc(&t.arena, sizeof(*ao));
	ap = yl_arena_alloc(&t.arena, sizeof(*ap));
	*ao = o;
	*ap = p;
	ao->policy = ap;
	ylt_begin(&t);
	assert_int_equal(yl_sim_region_generate(&t.ctx, ao, &(struct yl_sim_region_result){0}),
			 YL_OK);
	ylt_commit(&t);
	assert_int_equal(ylt_count(&t, "areas WHERE level = 'township'"), 99);
	assert_int_equal(ylt_count(&t, "schedule_templates WHERE quota_family_doctor = 4"),
			 (2 * 5 + 5 + 1 + 2) * 10);
	/* a second generation into the same registry conflicts (and the caller rolls back) */
	ylt_begin(&t);
	assert_int_equal(yl_sim_region_generate(&t.ctx, &o, &(struct yl_sim_region_result){0}),
			 YL_ERR_CONFLICT);
	ylt_rollback(&t);
	assert_int_equal(ylt_count(&t, "areas"), 1 + 1 + 1 + 99);
	ylt_db_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_two_cities),
		cmocka_unit_test(test_population),
		cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
