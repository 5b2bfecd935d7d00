/* encounter.c - recording and reading encounters.
 *
 * Every rule is checked before the first write, so a refusal leaves nothing behind even when
 * the caller forgets to roll back; the schema's CHECKs (costs add up, discharge only for
 * inpatient, one encounter per booking) are the backstop, not the rule. Rules that need no
 * data come first, then the permission, then the lookups, in the order encounter.h gives.
 * Dates are compared as day numbers computed in C; SQL only compares the stored text.
 *
 * Deliberately not checked: that visit_date equals the booking's date (a visit may be
 * recorded against a booking of a neighbouring day when a clinic runs late), or that a
 * referral has reached a given state (that lifecycle belongs to the referral module).
 * The indicators' live aggregates are added in the same call (measure.c), so a committed
 * encounter is counted and a rolled-back one is not.
 */
#include "domain/encounter.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/codes.h"
#include "domain/measure.h"

static const char *const kinds[] = {"outpatient", "emergency", "inpatient", NULL};

bool yl_encounter_kind_ok(const char *kind)
{
	for (int i = 0; kind && kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return true;
	return false;
}

static int64_t costs_total(const struct yl_encounter_costs *k)
{
	return k->drugs + k->consumables + k->exams + k->treatment + k->bed + k->other;
}

static enum yl_err check_amount(const struct yl_ctx *c, const char *field, int64_t v)
{
	if (v < 0 || v > YL_ENCOUNTER_MAX_FEN)
		return yl_diag_set(c->diag, YL_ERR_INVALID, field,
				   "%s must be 0 to %lld fen, not %" PRId64, field,
				   (long long)YL_ENCOUNTER_MAX_FEN, v);
	return YL_OK;
}

static enum yl_err check_money(const struct yl_ctx *c, const struct yl_encounter *in)
{
	const struct yl_encounter_costs *k = &in->costs;
	const struct {
		const char *field;
		int64_t v;
	} all[] = {
		{"costs.drugs", k->drugs}, {"costs.consumables", k->consumables},
		{"costs.exams", k->exams}, {"costs.treatment", k->treatment},
		{"costs.bed", k->bed}, {"costs.other", k->other},
		{"fund_paid", in->fund_paid}, {"out_of_pocket", in->out_of_pocket},
	};
	enum yl_err err;
	int64_t total;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if ((err = check_amount(c, all[i].field, all[i].v)))
			return err;
	total = costs_total(k);
	if (in->fund_paid + in->out_of_pocket != total)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "out_of_pocket",
				   "fund_paid %" PRId64 " + out_of_pocket %" PRId64 " = %" PRId64
				   " fen, but the costs total %" PRId64 " fen", in->fund_paid,
				   in->out_of_pocket, in->fund_paid + in->out_of_pocket, total);
	return YL_OK;
}

static enum yl_err check_diagnoses(const struct yl_ctx *c, const struct yl_encounter *in)
{
	if (!in->diagnoses)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "diagnoses", "diagnoses is required");
	if (in->ndiagnoses < 1 || in->ndiagnoses > YL_ENCOUNTER_MAX_DIAGNOSES)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
				   "diagnoses must hold 1 to %d ICD-10 codes, not %d",
				   YL_ENCOUNTER_MAX_DIAGNOSES, in->ndiagnoses);
	for (int i = 0; i < in->ndiagnoses; i++) {
		if (!yl_icd10_check(in->diagnoses[i]))
			return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
					   "'%.20s' is not an ICD-10 code (like I10 or E11.900)",
					   in->diagnoses[i] ? in->diagnoses[i] : "");
		for (int j = 0; j < i; j++)
			if (strcmp(in->diagnoses[j], in->diagnoses[i]) == 0)
				return yl_diag_set(c->diag, YL_ERR_INVALID, "diagnoses",
						   "%s is given twice", in->diagnoses[i]);
	}
	return YL_OK;
}

static enum yl_err check_date(const struct yl_ctx *c, const char *field, const char *s,
			      int32_t *out)
{
	if (!yl_date_parse(s, out))
		return yl_diag_set(c->diag, YL_ERR_INVALID, field,
				   "%s must be a date YYYY-MM-DD, not '%.20s'", field, s);
	if (*out > yl_clock_today(c->clock))
		return yl_diag_set(c->diag, YL_ERR_INVALID, field,
				   "%s %s is in the future; record an encounter once it happened",
				   field, s);
	return YL_OK;
}

/* The rules that need no data: presence, formats, dates, money. */
static enum yl_err check_fields(const struct yl_ctx *c, const struct yl_encounter *in)
{
	int32_t visit, discharge;
	enum yl_err err;

	if (!in->kind)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "kind", "kind is required");
	if (!yl_encounter_kind_ok(in->kind))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "kind",
				   "kind must be outpatient, emergency or inpatient");
	if (in->resident_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "resident_id is required");
	if (in->institution_id <= 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id",
				   "institution_id is required");
	if (!in->visit_date)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "visit_date", "visit_date is required");
	if ((err = check_date(c, "visit_date", in->visit_date, &visit)))
		return err;
	if (in->discharge_date) {
		if (strcmp(in->kind, "inpatient") != 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "discharge_date",
					   "discharge_date applies only to an inpatient encounter");
		if ((err = check_date(c, "discharge_date", in->discharge_date, &discharge)))
			return err;
		if (discharge < visit)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "discharge_date",
					   "discharge_date %s is before the admission on %s",
					   in->discharge_date, in->visit_date);
	}
	if ((err = check_diagnoses(c, in)) || (err = check_money(c, in)))
		return err;
	/* Bookings are outpatient appointments (预约诊疗); the appointment rate counts them. */
	if (in->booking_id && strcmp(in->kind, "outpatient") != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "booking_id",
				   "only an outpatient encounter comes from a booking");
	return YL_OK;
}

/* Runs sql (parameters first, then extra unless 0) and reads up to two integer columns of its one row; *found
 * false when there is no row. */
static enum yl_err lookup(const struct yl_ctx *c, const char *sql, int64_t id, int64_t extra,
			  bool *found, int64_t *col0, int64_t *col1)
{
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = yl_store_prepare(c->store, sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, id);
	if (extra)
		yl_stmt_bind_int(st, 2, extra);
	err = yl_stmt_step(st, found, c->diag);
	if (!err && *found) {
		if (col0)
			*col0 = yl_stmt_int(st, 0);
		if (col1)
			*col1 = yl_stmt_int(st, 1);
	}
	yl_stmt_reset(st);
	return err;
}

static enum yl_err check_practitioner(const struct yl_ctx *c, const struct yl_encounter *in)
{
	int64_t main_inst = 0, site = 0;
	bool found;
	enum yl_err err;

	/* Main post or a practice site (多点执业): either way the practitioner saw the patient
	 * there. Whether the consortium that granted the site still holds does not change what
	 * happened on the day. */
	err = lookup(c, "SELECT p.institution_id, EXISTS (SELECT 1 FROM practice_sites s"
			" WHERE s.practitioner_id = p.id AND s.institution_id = ?)"
			" FROM practitioners p WHERE p.id = ?",
		     in->institution_id, in->practitioner_id, &found, &main_inst, &site);
	if (err)
		return err;
	if (!found)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "practitioner_id",
				   "no practitioner with id %" PRId64, in->practitioner_id);
	if (main_inst != in->institution_id && !site)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "practitioner_id",
				   "practitioner %" PRId64 " does not practise at institution %" PRId64,
				   in->practitioner_id, in->institution_id);
	return YL_OK;
}

static enum yl_err check_booking(const struct yl_ctx *c, const struct yl_encounter *in)
{
	struct yl_stmt *st;
	bool found;
	int64_t resident = 0, inst = 0, taken = 0;
	char status[16] = "";
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT b.resident_id, b.institution_id, b.status,"
					 " EXISTS (SELECT 1 FROM encounters e WHERE e.booking_id = b.id)"
					 " FROM bookings b WHERE b.id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, in->booking_id);
	err = yl_stmt_step(st, &found, c->diag);
	if (!err && found) {
		resident = yl_stmt_int(st, 0);
		inst = yl_stmt_int(st, 1);
		snprintf(status, sizeof(status), "%s", yl_stmt_text(st, 2));
		taken = yl_stmt_int(st, 3);
	}
	yl_stmt_reset(st);
	if (err)
		return err;
	if (!found)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "booking_id",
				   "no booking with id %" PRId64, in->booking_id);
	if (resident != in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "booking_id",
				   "booking %" PRId64 " is of resident %" PRId64 ", not %" PRId64,
				   in->booking_id, resident, in->resident_id);
	if (inst != in->institution_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "booking_id",
				   "booking %" PRId64 " is at institution %" PRId64 ", not %" PRId64,
				   in->booking_id, inst, in->institution_id);
	if (strcmp(status, "cancelled") == 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "booking_id",
				   "booking %" PRId64 " was cancelled", in->booking_id);
	if (taken)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "booking_id",
				   "booking %" PRId64 " already has an encounter", in->booking_id);
	return YL_OK;
}

/* Whether the resident and institution exist and who owns the department (-1: absent), in
 * one read: the measures' facts when live aggregates are kept (they carry the same), else
 * three counts. */
static enum yl_err read_refs(const struct yl_ctx *c, const struct yl_encounter *in,
			     struct yl_measure_facts *f)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err;

	if (!c->no_live_measures)
		return yl_measure_encounter_facts(c, in, f);
	memset(f, 0, sizeof(*f));
	err = yl_store_prepare(c->store, "SELECT (SELECT count(*) FROM residents WHERE id = ?),"
					 " (SELECT count(*) FROM institutions WHERE id = ?),"
					 " coalesce((SELECT institution_id FROM departments WHERE id = ?),"
					 " -1)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, in->resident_id);
	yl_stmt_bind_int(st, 2, in->institution_id);
	yl_stmt_bind_int(st, 3, in->department_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		f->resident = yl_stmt_int(st, 0) > 0;
		f->institution = yl_stmt_int(st, 1) > 0;
		f->department_owner = yl_stmt_int(st, 2);
	}
	yl_stmt_reset(st);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "no row");
	return err;
}

/* The lookups: every id given must exist and fit the institution and resident. */
static enum yl_err check_refs(const struct yl_ctx *c, const struct yl_encounter *in,
			      struct yl_measure_facts *f)
{
	int64_t owner;
	bool found;
	enum yl_err err;

	if ((err = read_refs(c, in, f)))
		return err;
	owner = f->department_owner;
	if (!f->resident)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "resident_id",
				   "no resident with id %" PRId64, in->resident_id);
	if (!f->institution)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "institution_id",
				   "no institution with id %" PRId64, in->institution_id);
	if (in->department_id) {
		if (owner < 0)
			return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "department_id",
					   "no department with id %" PRId64, in->department_id);
		if (owner != in->institution_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "department_id",
					   "department %" PRId64 " belongs to institution %" PRId64
					   ", not %" PRId64, in->department_id, owner,
					   in->institution_id);
	}
	if (in->practitioner_id && (err = check_practitioner(c, in)))
		return err;
	if (in->booking_id && (err = check_booking(c, in)))
		return err;
	if (in->referral_id) {
		if ((err = lookup(c, "SELECT resident_id FROM referrals WHERE id = ?",
				  in->referral_id, 0, &found, &owner, NULL)))
			return err;
		if (!found)
			return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "referral_id",
					   "no referral with id %" PRId64, in->referral_id);
		if (owner != in->resident_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "referral_id",
					   "referral %" PRId64 " is of resident %" PRId64 ", not %" PRId64,
					   in->referral_id, owner, in->resident_id);
	}
	return YL_OK;
}

static void bind_opt_id(struct yl_stmt *st, int idx, int64_t id)
{
	if (id)
		yl_stmt_bind_int(st, idx, id);
	else
		yl_stmt_bind_null(st, idx);
}

static enum yl_err insert_row(const struct yl_ctx *c, const struct yl_encounter *in, int64_t now,
			      int64_t *id)
{
	struct yl_stmt *st;
	bool row;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO encounters(kind, resident_id, institution_id,"
					 " department_id, practitioner_id, visit_date, discharge_date,"
					 " cost_drugs, cost_consumables, cost_exams, cost_treatment,"
					 " cost_bed, cost_other, fund_paid, out_of_pocket, booking_id,"
					 " referral_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
					 " ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->kind);
	yl_stmt_bind_int(st, 2, in->resident_id);
	yl_stmt_bind_int(st, 3, in->institution_id);
	bind_opt_id(st, 4, in->department_id);
	bind_opt_id(st, 5, in->practitioner_id);
	yl_stmt_bind_text(st, 6, in->visit_date);
	yl_stmt_bind_text(st, 7, in->discharge_date);
	yl_stmt_bind_int(st, 8, in->costs.drugs);
	yl_stmt_bind_int(st, 9, in->costs.consumables);
	yl_stmt_bind_int(st, 10, in->costs.exams);
	yl_stmt_bind_int(st, 11, in->costs.treatment);
	yl_stmt_bind_int(st, 12, in->costs.bed);
	yl_stmt_bind_int(st, 13, in->costs.other);
	yl_stmt_bind_int(st, 14, in->fund_paid);
	yl_stmt_bind_int(st, 15, in->out_of_pocket);
	bind_opt_id(st, 16, in->booking_id);
	bind_opt_id(st, 17, in->referral_id);
	yl_stmt_bind_int(st, 18, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "insert returned no id");
	if (!err)
		*id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	/* Reached only if a rule above missed a case; the field is the likeliest one. */
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "booking_id", "booking %" PRId64
				   " already has an encounter", in->booking_id);
	return err;
}

/* The encounter's own rows and the booking it closes. */
static enum yl_err write_links(const struct yl_ctx *c, const struct yl_encounter *in,
			       int64_t id, int64_t now)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO encounter_diagnoses(encounter_id, seq, icd10)"
					 " VALUES (?, ?, ?)", &st, c->diag);
	for (int i = 0; !err && i < in->ndiagnoses; i++) {
		yl_stmt_bind_int(st, 1, id);
		yl_stmt_bind_int(st, 2, i + 1);
		yl_stmt_bind_text(st, 3, in->diagnoses[i]);
		err = yl_stmt_run(st, c->diag);
	}
	if (!err && in->referral_id) {
		err = yl_store_prepare(c->store, "INSERT INTO referral_encounters(referral_id,"
						 " encounter_id) VALUES (?, ?)", &st, c->diag);
		if (!err) {
			yl_stmt_bind_int(st, 1, in->referral_id);
			yl_stmt_bind_int(st, 2, id);
			err = yl_stmt_run(st, c->diag);
		}
	}
	if (!err && in->booking_id) {
		/* A booking already seen stays as it is; the visit is what marks it seen. */
		err = yl_store_prepare(c->store, "UPDATE bookings SET status = 'seen', updated_at = ?"
						 " WHERE id = ? AND status IN ('booked', 'checked_in')",
				       &st, c->diag);
		if (!err) {
			yl_stmt_bind_int(st, 1, now);
			yl_stmt_bind_int(st, 2, in->booking_id);
			err = yl_stmt_run(st, c->diag);
		}
	}
	return err;
}

static const char **copy_codes(const struct yl_ctx *c, const char *const *codes, int n)
{
	const char **out = yl_arena_alloc(c->arena, sizeof(*out) * (size_t)(n ? n : 1));

	for (int i = 0; i < n; i++)
		out[i] = yl_arena_strdup(c->arena, codes[i]);
	return out;
}

enum yl_err yl_encounter_create(const struct yl_ctx *c, const struct yl_encounter *in,
				struct yl_encounter *out)
{
	struct yl_measure_facts facts;
	int64_t now = yl_clock_now(c->clock), id = 0;
	enum yl_err err;

	if ((err = check_fields(c, in)) ||
	    (err = yl_require_institution_staff(c, in->institution_id)) ||
	    (err = check_refs(c, in, &facts)) || (err = insert_row(c, in, now, &id)) ||
	    (err = write_links(c, in, id, now)) ||
	    (!c->no_live_measures && (err = yl_measure_encounter(c, in, &facts))))
		return err;
	if (out) {
		*out = *in;
		out->id = id;
		out->kind = yl_arena_strdup(c->arena, in->kind);
		out->visit_date = yl_arena_strdup(c->arena, in->visit_date);
		out->discharge_date = yl_arena_strdup(c->arena, in->discharge_date);
		out->diagnoses = copy_codes(c, in->diagnoses, in->ndiagnoses);
		out->total = costs_total(&in->costs);
		out->created_at = now;
	}
	return c->batch ? YL_OK : yl_audit_id(c, "create", "encounter", id);
}

#define ENC_COLS "id, kind, resident_id, institution_id, department_id, practitioner_id," \
		 " visit_date, discharge_date, cost_drugs, cost_consumables, cost_exams,"  \
		 " cost_treatment, cost_bed, cost_other, fund_paid, out_of_pocket, booking_id," \
		 " referral_id, created_at"

static const char *opt_text(const struct yl_ctx *c, struct yl_stmt *st, int col)
{
	return yl_stmt_null(st, col) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, col));
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_encounter *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->kind = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->resident_id = yl_stmt_int(st, 2);
	o->institution_id = yl_stmt_int(st, 3);
	o->department_id = yl_stmt_int(st, 4); /* NULL reads as 0 */
	o->practitioner_id = yl_stmt_int(st, 5);
	o->visit_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	o->discharge_date = opt_text(c, st, 7);
	o->costs.drugs = yl_stmt_int(st, 8);
	o->costs.consumables = yl_stmt_int(st, 9);
	o->costs.exams = yl_stmt_int(st, 10);
	o->costs.treatment = yl_stmt_int(st, 11);
	o->costs.bed = yl_stmt_int(st, 12);
	o->costs.other = yl_stmt_int(st, 13);
	o->total = costs_total(&o->costs);
	o->fund_paid = yl_stmt_int(st, 14);
	o->out_of_pocket = yl_stmt_int(st, 15);
	o->booking_id = yl_stmt_int(st, 16);
	o->referral_id = yl_stmt_int(st, 17);
	o->created_at = yl_stmt_int(st, 18);
}

static enum yl_err load_diagnoses(const struct yl_ctx *c, struct yl_encounter *o)
{
	const char *codes[YL_ENCOUNTER_MAX_DIAGNOSES];
	struct yl_stmt *st;
	bool row;
	int n = 0;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT icd10 FROM encounter_diagnoses"
					 " WHERE encounter_id = ? ORDER BY seq", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, o->id);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row && n < YL_ENCOUNTER_MAX_DIAGNOSES)
		codes[n++] = yl_arena_strdup(c->arena, yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	o->diagnoses = copy_codes(c, codes, n);
	o->ndiagnoses = n;
	return err;
}

enum yl_err yl_encounter_get(const struct yl_ctx *c, int64_t id, struct yl_encounter *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	if (c->actor->role != YL_ROLE_RESIDENT && (err = yl_require_staff_reader(c)))
		return err;
	err = yl_store_prepare(c->store, "SELECT " ENC_COLS " FROM encounters WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	if ((err = yl_row_one(c, st, read_row, out, "id", "no encounter with id %" PRId64, id)))
		return err;
	/* Another resident's encounter answers as an unknown one: its existence is private. */
	if (c->actor->role == YL_ROLE_RESIDENT && out->resident_id != c->actor->resident_id)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no encounter with id %" PRId64,
				   id);
	return load_diagnoses(c, out);
}

/* Appends " AND <clause>" to sql; the clauses are ours, so overflow is a programmer error. */
static void add_clause(char *sql, size_t cap, const char *clause)
{
	size_t n = strlen(sql), m = strlen(clause);

	(void)cap;
	assert(n + m + 6 < cap);
	memcpy(sql + n, " AND ", 5);
	memcpy(sql + n + 5, clause, m + 1);
}

static enum yl_err check_filter(const struct yl_ctx *c, const struct yl_encounter_filter *f)
{
	int32_t day;

	if (f->kind && !yl_encounter_kind_ok(f->kind))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "kind",
				   "kind must be outpatient, emergency or inpatient");
	if (f->from && !yl_date_parse(f->from, &day))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "from", "from must be a date YYYY-MM-DD");
	if (f->to && !yl_date_parse(f->to, &day))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to", "to must be a date YYYY-MM-DD");
	return YL_OK;
}

enum yl_err yl_encounter_list(const struct yl_ctx *c, const struct yl_encounter_filter *f,
			      struct yl_encounter **items, int *n, bool *more)
{
	char sql[640] = "SELECT " ENC_COLS " FROM encounters WHERE id > ?";
	int64_t resident = f->resident_id;
	struct yl_stmt *st;
	enum yl_err err;
	int k = 1;

	if (c->actor->role == YL_ROLE_RESIDENT) {
		if (resident && resident != c->actor->resident_id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
					   "a resident may list only their own encounters");
		resident = c->actor->resident_id;
	} else if ((err = yl_require_staff_reader(c))) {
		return err;
	}
	if ((err = check_filter(c, f)))
		return err;
	if (resident)
		add_clause(sql, sizeof(sql), "resident_id = ?");
	if (f->institution_id)
		add_clause(sql, sizeof(sql), "institution_id = ?");
	if (f->kind)
		add_clause(sql, sizeof(sql), "kind = ?");
	if (f->from)
		add_clause(sql, sizeof(sql), "visit_date >= ?");
	if (f->to)
		add_clause(sql, sizeof(sql), "visit_date <= ?");
	memcpy(sql + strlen(sql), " ORDER BY id LIMIT ?", sizeof(" ORDER BY id LIMIT ?"));
	if ((err = yl_store_prepare(c->store, sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, k++, f->after);
	if (resident)
		yl_stmt_bind_int(st, k++, resident);
	if (f->institution_id)
		yl_stmt_bind_int(st, k++, f->institution_id);
	if (f->kind)
		yl_stmt_bind_text(st, k++, f->kind);
	if (f->from)
		yl_stmt_bind_text(st, k++, f->from);
	if (f->to)
		yl_stmt_bind_text(st, k++, f->to);
	yl_stmt_bind_int(st, k, f->limit + 1);
	if ((err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more)))
		return err;
	for (int i = 0; !err && i < *n; i++)
		err = load_diagnoses(c, &(*items)[i]);
	return err;
}
