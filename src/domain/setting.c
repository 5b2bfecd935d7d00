/* setting.c - the known settings, their ranges and what they govern. */
#include "domain/setting.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct yl_setting known[] = {
	{"team_capacity_default", 2000, 1, 100000,
	 "residents a family-doctor team may hold when created without a capacity"},
	{"contract_term_years", 1, 1, 5, "term of a 1+1+1 contract when none is given"},
	{"booking_max_active", 5, 1, 100, "future bookings a resident may hold at once"},
	{"no_show_limit", 3, 1, 100, "no-shows within the window that suspend booking"},
	{"no_show_window_days", 90, 1, 3650, "window in which no-shows are counted"},
	{"no_show_suspension_days", 90, 0, 3650, "length of a booking suspension"},
	{"referral_expiry_hours", 48, 1, 720, "a referral not answered within this expires"},
};

#define NKNOWN ((int)(sizeof(known) / sizeof(known[0])))

enum yl_err yl_setting_list(const struct yl_ctx *c, struct yl_setting **items, int *n)
{
	enum yl_err err = yl_require_staff_reader(c);

	if (err)
		return err;
	*items = yl_arena_alloc(c->arena, sizeof(**items) * NKNOWN);
	*n = NKNOWN;
	for (int i = 0; !err && i < NKNOWN; i++) {
		(*items)[i] = known[i];
		err = yl_setting_int(c, known[i].key, &(*items)[i].value);
	}
	return err;
}

enum yl_err yl_setting_set(const struct yl_ctx *c, const char *key, int64_t value)
{
	const struct yl_setting *k = NULL;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t old;
	char detail[96];

	if ((err = yl_require_admin(c)))
		return err;
	for (int i = 0; key && i < NKNOWN; i++)
		if (strcmp(known[i].key, key) == 0)
			k = &known[i];
	if (!k)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "key", "no setting '%.60s'", key ? key : "");
	if (value < k->min || value > k->max)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "value", "%s must be %" PRId64 "-%" PRId64,
				   k->key, k->min, k->max);
	old = k->value;
	if ((err = yl_setting_int(c, k->key, &old)))
		return err;
	err = yl_store_prepare(c->store, "DELETE FROM settings WHERE key = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, k->key);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	err = yl_store_prepare(c->store, "INSERT INTO settings(key, value) VALUES (?, ?)", &st, c->diag);
	if (err)
		return err;
	snprintf(detail, sizeof(detail), "%" PRId64, value);
	yl_stmt_bind_text(st, 1, k->key);
	yl_stmt_bind_text(st, 2, detail);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	snprintf(detail, sizeof(detail), "%" PRId64 " -> %" PRId64, old, value);
	return yl_audit(c, "set", "setting", k->key, detail);
}
