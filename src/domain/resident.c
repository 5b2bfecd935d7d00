/* resident.c - the resident registry. Sex and birth date come from the identity number
 * (GB 11643) so they cannot contradict it; the age-derived tags are computed on read, never
 * stored, because they change with the date and not with any event we would record.
 *
 * Create does no SELECT of its own: an unknown home area is caught by the foreign key and a
 * duplicate identity number by the unique index, each mapped to its field. That keeps a bulk
 * import at one INSERT per row. It deliberately does not check the 6-digit area prefix of the
 * identity number against home_area_code: that is the area of first registration, and people
 * move.
 */
#include "domain/resident.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "base/codes.h"
#include "domain/institution.h"
#include "domain/population.h"
#include "domain/signing_stock.h"

static const char *const insurances[] = {"employee", "resident", "none", NULL};

bool yl_resident_insurance_ok(const char *insurance)
{
	for (int i = 0; insurance && insurances[i]; i++)
		if (strcmp(insurances[i], insurance) == 0)
			return true;
	return false;
}

/* Residents register anywhere (户籍 and 常住 differ), so any staff role of any institution may
 * write them; readers-only roles (insurer, regulator) and residents may not. */
static enum yl_err require_staff_writer(const struct yl_ctx *c)
{
	enum yl_role r = c->actor->role;

	if (r == YL_ROLE_ADMIN || r == YL_ROLE_INSTITUTION_ADMIN || r == YL_ROLE_DOCTOR)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
			   "role %s may not register or edit residents", yl_role_name(r));
}

static enum yl_err check_phone(const struct yl_ctx *c, const char *phone)
{
	size_t n = strlen(phone), i = phone[0] == '+' ? 1 : 0;

	if (n < 3 || n > 20 || i == n)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "phone", "phone must have 3 to 20 characters");
	for (; i < n; i++)
		if (phone[i] < '0' || phone[i] > '9')
			return yl_diag_set(c->diag, YL_ERR_INVALID, "phone",
					   "phone must be digits, optionally after a leading +");
	return YL_OK;
}

static enum yl_err check_tags(const struct yl_ctx *c, unsigned tags, const char *sex)
{
	unsigned bad = tags & ~(unsigned)YL_TAG_STORED_MASK;

	if (bad) {
		const char *name = yl_tag_name(bad & YL_TAG_ELDERLY ? YL_TAG_ELDERLY
						   : bad & YL_TAG_CHILD ? YL_TAG_CHILD : 0);
		if (name)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "tags",
					   "%s is derived from age, not accepted", name);
		return yl_diag_set(c->diag, YL_ERR_INVALID, "tags", "unknown tag bits %#x", bad);
	}
	if ((tags & YL_TAG_PREGNANT) && strcmp(sex, "female") != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "tags",
				   "pregnant applies only to a female resident");
	return YL_OK;
}

static enum yl_err check_common(const struct yl_ctx *c, const char *name, const char *phone,
				const char *insurance, unsigned tags, const char *sex)
{
	enum yl_err err;

	if (name && strlen(name) > 200)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "name", "name is longer than 200 bytes");
	if (phone && (err = check_phone(c, phone)))
		return err;
	if (insurance && !yl_resident_insurance_ok(insurance))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "insurance",
				   "insurance must be employee, resident or none");
	return check_tags(c, tags, sex);
}

#define RES_COLS "id, id_number, name, sex, birth_date, phone, home_area_code, insurance, tags," \
		 " created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_resident *o = item;
	int32_t today = yl_clock_today(c->clock);
	int32_t birth = today;

	o->id = yl_stmt_int(st, 0);
	o->id_number = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	o->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	o->sex = yl_arena_strdup(c->arena, yl_stmt_text(st, 3));
	o->birth_date = yl_arena_strdup(c->arena, yl_stmt_text(st, 4));
	o->phone = yl_stmt_null(st, 5) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	o->home_area_code = yl_arena_strdup(c->arena, yl_stmt_text(st, 6));
	o->insurance = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
	yl_date_parse(o->birth_date, &birth);
	o->tags = ((unsigned)yl_stmt_int(st, 8) & YL_TAG_STORED_MASK) | yl_tag_derived(birth, today);
	o->age = yl_age_on(birth, today);
	o->created_at = yl_stmt_int(st, 9);
}

/* Loads without a permission check (callers check). */
static enum yl_err load(const struct yl_ctx *c, int64_t id, struct yl_resident *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " RES_COLS " FROM residents WHERE id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_row_one(c, st, read_row, out, "id", "no resident with id %" PRId64, id);
}

enum yl_err yl_resident_get(const struct yl_ctx *c, int64_t id, struct yl_resident *out)
{
	enum yl_err err;

	if (c->actor->role == YL_ROLE_RESIDENT) {
		if (c->actor->resident_id != id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
					   "a resident may read only their own record");
	} else if ((err = yl_require_staff_reader(c))) {
		return err;
	}
	return load(c, id, out);
}

enum yl_err yl_resident_create(const struct yl_ctx *c, const struct yl_resident *in,
			       struct yl_resident *out)
{
	struct yl_id_number idn;
	int32_t today = yl_clock_today(c->clock), birth;
	int64_t now = yl_clock_now(c->clock);
	char birth_s[YL_DATE_LEN];
	const char *sex, *insurance = in->insurance ? in->insurance : "resident";
	struct yl_stmt *st;
	bool row;
	enum yl_err err;

	if ((err = require_staff_writer(c)))
		return err;
	if (!in->id_number)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "id_number", "id_number is required");
	if ((err = yl_id_number_parse(in->id_number, today, "id_number", &idn, c->diag)))
		return err;
	if (!in->name || !*in->name)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "name", "name is required");
	sex = idn.sex == YL_SEX_MALE ? "male" : "female";
	yl_date_format(idn.birth, birth_s);
	if (in->sex && strcmp(in->sex, "male") != 0 && strcmp(in->sex, "female") != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "sex", "sex must be male or female");
	if (in->sex && strcmp(in->sex, sex) != 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "sex",
				   "sex is %s but the id number says %s", in->sex, sex);
	if (in->birth_date && !yl_date_parse(in->birth_date, &birth))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "birth_date",
				   "birth_date must be a date YYYY-MM-DD");
	if (in->birth_date && birth != idn.birth)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "birth_date",
				   "birth_date is %s but the id number says %s", in->birth_date,
				   birth_s);
	if ((err = check_common(c, in->name, in->phone, insurance, in->tags, sex)))
		return err;
	if (!in->home_area_code || !*in->home_area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "home_area_code",
				   "home_area_code is required");
	err = yl_store_prepare(c->store, "INSERT INTO residents(id_number, name, sex, birth_date,"
					 " phone, home_area_code, insurance, tags, created_at)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, idn.number);
	yl_stmt_bind_text(st, 2, in->name);
	yl_stmt_bind_text(st, 3, sex);
	yl_stmt_bind_text(st, 4, birth_s);
	yl_stmt_bind_text(st, 5, in->phone);
	yl_stmt_bind_text(st, 6, in->home_area_code);
	yl_stmt_bind_text(st, 7, insurance);
	yl_stmt_bind_int(st, 8, in->tags);
	yl_stmt_bind_int(st, 9, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "id_number",
				   "a resident with id number %s is already registered", idn.number);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "home_area_code", "area '%.20s' does not exist",
				   in->home_area_code);
	if (err)
		return err;
	if (!row) {
		yl_stmt_reset(st);
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "insert returned no id");
	}
	/* The signing stocks (C1/C2) count the new resident from birth; no read needed. */
	if ((err = yl_signing_stock_add_resident(c, in->home_area_code, idn.birth, in->tags))) {
		yl_stmt_reset(st);
		return err;
	}
	if (out) {
		out->id = yl_stmt_int(st, 0);
		out->id_number = yl_arena_strdup(c->arena, idn.number);
		out->name = yl_arena_strdup(c->arena, in->name);
		out->sex = sex;
		out->birth_date = yl_arena_strdup(c->arena, birth_s);
		out->phone = yl_arena_strdup(c->arena, in->phone);
		out->home_area_code = yl_arena_strdup(c->arena, in->home_area_code);
		out->insurance = yl_arena_strdup(c->arena, insurance);
		out->tags = in->tags | yl_tag_derived(idn.birth, today);
		out->age = yl_age_on(idn.birth, today);
		out->created_at = now;
	}
	if (c->batch) {
		yl_stmt_reset(st);
		return YL_OK;
	}
	{
		int64_t id = yl_stmt_int(st, 0);
		yl_stmt_reset(st);
		return yl_audit_id(c, "create", "resident", id);
	}
}

enum yl_err yl_resident_update(const struct yl_ctx *c, int64_t id,
			       const struct yl_resident_change *ch, struct yl_resident *out)
{
	struct yl_signing_stock_mark *mark;
	struct yl_resident r;
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = require_staff_writer(c)) || (err = load(c, id, &r)))
		return err;
	if (ch->name) {
		if (!*ch->name)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "name", "name must not be empty");
		r.name = ch->name;
	}
	if (ch->clear_phone)
		r.phone = NULL;
	else if (ch->phone)
		r.phone = ch->phone;
	if (ch->insurance)
		r.insurance = ch->insurance;
	if (ch->home_area_code)
		r.home_area_code = ch->home_area_code;
	r.tags = ch->set_tags ? ch->tags : r.tags & YL_TAG_STORED_MASK;
	if ((err = check_common(c, r.name, ch->clear_phone ? NULL : ch->phone, r.insurance,
				r.tags, r.sex)))
		return err;
	/* Home area and tags decide the resident's part in the signing stocks (C1/C2). */
	if ((err = yl_signing_stock_mark(c, id, &mark)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE residents SET name = ?, phone = ?, home_area_code = ?,"
					 " insurance = ?, tags = ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, r.name);
	yl_stmt_bind_text(st, 2, r.phone);
	yl_stmt_bind_text(st, 3, r.home_area_code);
	yl_stmt_bind_text(st, 4, r.insurance);
	yl_stmt_bind_int(st, 5, r.tags);
	yl_stmt_bind_int(st, 6, id);
	err = yl_stmt_run(st, c->diag);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "home_area_code", "area '%.20s' does not exist",
				   r.home_area_code);
	if (err || (err = yl_signing_stock_update(c, mark)) ||
	    (err = yl_audit_id(c, "update", "resident", id)))
		return err;
	return out ? load(c, id, out) : YL_OK;
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

enum yl_err yl_resident_list(const struct yl_ctx *c, const struct yl_resident_filter *f,
			     struct yl_resident **items, int *n, bool *more)
{
	char sql[512] = "SELECT " RES_COLS " FROM residents WHERE id > ?";
	char lo[10], hi[10], cut[YL_DATE_LEN], today_s[YL_DATE_LEN];
	char *id_upper = NULL;
	int32_t today = yl_clock_today(c->clock);
	struct yl_stmt *st;
	enum yl_err err;
	int k = 1;

	if (c->actor->role == YL_ROLE_RESIDENT)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "a resident may not list residents");
	if ((err = yl_require_staff_reader(c)))
		return err;
	/* A range on the code, not LIKE: it uses the residents_area index on every backend. */
	if (f->home_area_code) {
		yl_area_range(f->home_area_code, lo, hi);
		add_clause(sql, sizeof(sql), "home_area_code >= ? AND home_area_code < ?");
	}
	if (f->id_number) {
		/* stored with an upper-case check character, as GB 11643 writes it */
		size_t len = strlen(f->id_number);
		id_upper = yl_arena_strdup(c->arena, f->id_number);
		if (len == 18 && id_upper[17] == 'x')
			id_upper[17] = 'X';
		add_clause(sql, sizeof(sql), "id_number = ?");
	}
	/* Derived tags as date ranges; yl_date_add_years agrees with yl_age_on (a 29 February
	 * birthday falls on 1 March in other years), so list and get never disagree. */
	if (f->tag & YL_TAG_STORED_MASK)
		add_clause(sql, sizeof(sql), "(tags & ?) <> 0");
	else if (f->tag == YL_TAG_ELDERLY)
		add_clause(sql, sizeof(sql), "birth_date <= ?");
	else if (f->tag == YL_TAG_CHILD)
		add_clause(sql, sizeof(sql), "birth_date > ? AND birth_date <= ?");
	memcpy(sql + strlen(sql), " ORDER BY id LIMIT ?", sizeof(" ORDER BY id LIMIT ?"));
	if ((err = yl_store_prepare(c->store, sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, k++, f->after);
	if (f->home_area_code) {
		yl_stmt_bind_text(st, k++, lo);
		yl_stmt_bind_text(st, k++, hi);
	}
	if (f->id_number)
		yl_stmt_bind_text(st, k++, id_upper);
	if (f->tag & YL_TAG_STORED_MASK) {
		yl_stmt_bind_int(st, k++, f->tag);
	} else if (f->tag == YL_TAG_ELDERLY) {
		yl_date_format(yl_date_add_years(today, -65), cut);
		yl_stmt_bind_text(st, k++, cut);
	} else if (f->tag == YL_TAG_CHILD) {
		yl_date_format(yl_date_add_years(today, -7), cut);
		yl_date_format(today, today_s);
		yl_stmt_bind_text(st, k++, cut);
		yl_stmt_bind_text(st, k++, today_s);
	}
	yl_stmt_bind_int(st, k, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	return err;
}
