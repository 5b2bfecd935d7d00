/* signing.c - signing rates by area and key population, and the direct count of C1/C2's
 * four numbers on any day (yl_signing_count_on, the reference for signing_stock.c). One
 * aggregate query walks the
 * residents of the area once (index residents_area, as a code range so it works without LIKE
 * optimisations), probes the resident's contracts (contracts_resident) for the one in force,
 * and groups by home area code so the child areas come out of the same pass; tag and age
 * splits are CASE sums. Age groups are turned into birth-date bounds computed in C with
 * yl_age_on, so they agree exactly with yl_tag_derived; no SQL date functions are used.
 * The day count decides key membership in C with yl_tag_derived, one row per resident, so it
 * shares no date arithmetic with the live aggregates it checks.
 */
#include "domain/signing.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "domain/area.h"
#include "domain/contract.h"
#include "domain/institution.h"
#include "domain/population.h"

int32_t yl_signing_latest_birth(int32_t on, int age)
{
	int32_t b = yl_date_add_years(on, -age);

	while (yl_age_on(b + 1, on) >= age)
		b++;
	while (yl_age_on(b, on) < age)
		b--;
	return b;
}

static void set_rate(struct yl_signing_count *k)
{
	k->has_rate = k->residents > 0;
	k->rate = k->has_rate ? (double)k->signed_ / (double)k->residents : 0.0;
}

/* Builds the aggregate query; its parameters are, in order: each age bound as documented
 * below, then today twice (YL_CONTRACT_IN_FORCE), then the area range [lo, hi). The LEFT JOIN
 * yields one row per resident because at most one contract of a resident is in force on a day
 * (contract.h); a join (not a correlated EXISTS, which SQLite re-evaluates for every
 * reference) keeps it one probe. */
static void build_sql(struct yl_buf *sql, const unsigned *tags, int ntags)
{
	yl_buf_adds(sql, "SELECT r.home_area_code, count(*), count(k.id)");
	for (int i = 0; i < ntags; i++) {
		const char *cond;
		char stored[48];
		switch (tags[i]) {
		case YL_TAG_ELDERLY: /* one parameter: latest birth date aged 65 */
			cond = "r.birth_date <= ?";
			break;
		case YL_TAG_CHILD: /* two: latest birth date aged 7, today */
			cond = "r.birth_date > ? AND r.birth_date <= ?";
			break;
		default:
			snprintf(stored, sizeof(stored), "(r.tags & %u) <> 0", tags[i]);
			cond = stored;
			break;
		}
		/* The condition appears twice (residents, then signed): twice the parameters. */
		yl_buf_addf(sql, ", COALESCE(sum(CASE WHEN %s THEN 1 ELSE 0 END), 0)", cond);
		yl_buf_addf(sql, ", count(CASE WHEN %s THEN k.id END)", cond);
	}
	yl_buf_adds(sql, " FROM residents r LEFT JOIN contracts k ON k.resident_id = r.id"
			 " AND " YL_CONTRACT_IN_FORCE
			 " WHERE r.home_area_code >= ? AND r.home_area_code < ?"
			 " GROUP BY r.home_area_code");
}

static void init_groups(const struct yl_ctx *c, struct yl_signing *s, const unsigned *tags,
			int ntags)
{
	s->by_population = yl_arena_alloc(c->arena, sizeof(*s->by_population) * (size_t)ntags);
	s->ngroups = ntags;
	for (int i = 0; i < ntags; i++) {
		s->by_population[i].tag = tags[i];
		s->by_population[i].name = yl_tag_name(tags[i]);
	}
}

/* Adds the current row (one home area code) into s. */
static void add_row(struct yl_stmt *st, struct yl_signing *s)
{
	s->all.residents += yl_stmt_int(st, 1);
	s->all.signed_ += yl_stmt_int(st, 2);
	for (int i = 0; i < s->ngroups; i++) {
		s->by_population[i].count.residents += yl_stmt_int(st, 3 + 2 * i);
		s->by_population[i].count.signed_ += yl_stmt_int(st, 4 + 2 * i);
	}
}

static void finish(struct yl_signing *s)
{
	set_rate(&s->all);
	for (int i = 0; i < s->ngroups; i++)
		set_rate(&s->by_population[i].count);
}

/* One pass over the residents of out's area, grouped by home area code (the index order, so
 * no sort): each group adds to the area and to the child area whose prefix it starts with. */
static enum yl_err count_areas(const struct yl_ctx *c, struct yl_signing *out)
{
	struct yl_buf sql = YL_BUF_INIT;
	struct yl_stmt *st;
	enum yl_err err;
	const unsigned *tags;
	char lo[10], hi[10], elderly[YL_DATE_LEN], child[YL_DATE_LEN];
	char(*prefixes)[10];
	int ntags, p = 1;
	bool row;
	int32_t today = yl_clock_today(c->clock);

	tags = yl_tag_all(&ntags);
	yl_area_range(out->area_code, lo, hi);
	yl_date_format(yl_signing_latest_birth(today, 65), elderly);
	yl_date_format(yl_signing_latest_birth(today, 7), child);
	yl_date_format(today, out->on);
	init_groups(c, out, tags, ntags);
	prefixes = yl_arena_alloc(c->arena, sizeof(*prefixes) * (size_t)(out->nchildren + 1));
	for (int i = 0; i < out->nchildren; i++) {
		memcpy(out->children[i].on, out->on, sizeof(out->on));
		init_groups(c, &out->children[i], tags, ntags);
		yl_area_prefix(out->children[i].area_code, prefixes[i]);
	}

	build_sql(&sql, tags, ntags);
	err = yl_store_prepare(c->store, yl_buf_str(&sql), &st, c->diag);
	yl_buf_release(&sql);
	if (err)
		return err;
	for (int i = 0; i < ntags; i++) {
		for (int twice = 0; twice < 2; twice++) {
			if (tags[i] == YL_TAG_ELDERLY) {
				yl_stmt_bind_text(st, p++, elderly);
			} else if (tags[i] == YL_TAG_CHILD) {
				yl_stmt_bind_text(st, p++, child);
				yl_stmt_bind_text(st, p++, out->on);
			}
		}
	}
	p = yl_contract_bind_day(st, p, out->on);
	yl_stmt_bind_text(st, p++, lo);
	yl_stmt_bind_text(st, p++, hi);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		const char *code = yl_stmt_text(st, 0);
		add_row(st, out);
		for (int i = 0; i < out->nchildren; i++) {
			if (strncmp(code, prefixes[i], strlen(prefixes[i])) == 0) {
				add_row(st, &out->children[i]);
				break;
			}
		}
	}
	yl_stmt_reset(st);
	finish(out);
	for (int i = 0; i < out->nchildren; i++)
		finish(&out->children[i]);
	return err;
}

enum yl_err yl_signing_rates(const struct yl_ctx *c, const char *area_code, bool children,
			     struct yl_signing *out)
{
	struct yl_area area;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int cap = 16;

	memset(out, 0, sizeof(*out));
	if ((err = yl_require_staff_reader(c)))
		return err;
	if (!area_code || !*area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is required");
	err = yl_area_get(c, area_code, &area);
	if (err)
		return yl_diag_set(c->diag, err, "area_code", "no area with code '%.20s'", area_code);
	out->area_code = area.code;
	out->area_name = area.name;
	if (!children)
		return count_areas(c, out);

	err = yl_store_prepare(c->store, "SELECT code, name FROM areas WHERE parent_code = ?"
					 " ORDER BY code LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, area.code);
	yl_stmt_bind_int(st, 2, YL_SIGNING_MAX_CHILDREN);
	out->children = yl_arena_alloc(c->arena, sizeof(*out->children) * (size_t)cap);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		struct yl_signing *k;
		if (out->nchildren == cap) {
			struct yl_signing *bigger =
				yl_arena_alloc(c->arena, sizeof(*bigger) * (size_t)cap * 2);
			memcpy(bigger, out->children, sizeof(*bigger) * (size_t)cap);
			out->children = bigger;
			cap *= 2;
		}
		k = &out->children[out->nchildren++];
		k->area_code = yl_arena_strdup(c->arena, yl_stmt_text(st, 0));
		k->area_name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	}
	yl_stmt_reset(st);
	return err ? err : count_areas(c, out);
}

/* Contract row k covers day D in the historical reading (measure.h): three parameters, D. */
#define COVERS_DAY                                                                        \
	"k.start_date <= ? AND k.end_date >= ? AND (k.ended_on IS NULL OR k.ended_on > ?)"

enum yl_err yl_signing_area_check(const struct yl_ctx *c, const char *area_code)
{
	enum yl_err err;

	if ((err = yl_require_staff_reader(c)))
		return err;
	if (!area_code || !*area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is required");
	if ((err = yl_area_get(c, area_code, NULL)))
		return yl_diag_set(c->diag, err, "area_code", "no area with code '%.20s'", area_code);
	return YL_OK;
}

enum yl_err yl_signing_count_on(const struct yl_ctx *c, const char *area_code, int32_t on,
				struct yl_signing_counts *out)
{
	char lo[10], hi[10], day[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	memset(out, 0, sizeof(*out));
	if ((err = yl_signing_area_check(c, area_code)))
		return err;
	yl_area_range(area_code, lo, hi);
	yl_date_format(on, day);
	/* A correlated EXISTS, evaluated once per row because it is selected once: two rows of
	 * a resident covering the same day (a backdated contract) still count one person. */
	err = yl_store_prepare(c->store, "SELECT r.birth_date, r.tags, EXISTS (SELECT 1 FROM"
					 " contracts k WHERE k.resident_id = r.id AND " COVERS_DAY ")"
					 " FROM residents r WHERE r.home_area_code >= ?"
					 " AND r.home_area_code < ? AND r.birth_date <= ?", &st, c->diag);
	if (err)
		return err;
	for (int i = 1; i <= 3; i++)
		yl_stmt_bind_text(st, i, day);
	yl_stmt_bind_text(st, 4, lo);
	yl_stmt_bind_text(st, 5, hi);
	yl_stmt_bind_text(st, 6, day);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int32_t birth;
		bool key, signed_ = yl_stmt_int(st, 2) != 0;
		if (!yl_date_parse(yl_stmt_text(st, 0), &birth)) {
			err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad birth date '%.12s'",
					  yl_stmt_text(st, 0));
			break;
		}
		key = ((unsigned)yl_stmt_int(st, 1) & YL_TAG_STORED_MASK) != 0 ||
		      yl_tag_derived(birth, on) != 0;
		out->residents++;
		out->signed_ += signed_;
		out->key += key;
		out->signed_key += signed_ && key;
	}
	yl_stmt_reset(st);
	return err;
}
