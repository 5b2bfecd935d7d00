/* diag.c - error codes, their names, HTTP statuses and exit codes, in one table.
 * The table is indexed by enum yl_err; adding an error means appending one row here.
 */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *code;
	int http;
	int exit_code;
} err_table[YL_ERR__COUNT] = {
	[YL_OK] = {"ok", 200, 0},
	[YL_ERR_INTERNAL] = {"internal", 500, 70},
	[YL_ERR_NOMEM] = {"out_of_memory", 503, 71},
	[YL_ERR_IO] = {"io_error", 500, 74},
	[YL_ERR_INVALID] = {"invalid", 422, 65},
	[YL_ERR_MISSING] = {"missing_field", 422, 65},
	[YL_ERR_BAD_JSON] = {"bad_json", 400, 65},
	[YL_ERR_NOT_FOUND] = {"not_found", 404, 66},
	[YL_ERR_CONFLICT] = {"conflict", 409, 75},
	[YL_ERR_UNAUTHORIZED] = {"unauthorized", 401, 77},
	[YL_ERR_FORBIDDEN] = {"forbidden", 403, 77},
	[YL_ERR_TOO_LARGE] = {"too_large", 413, 65},
	[YL_ERR_BUSY] = {"busy", 503, 75},
	[YL_ERR_SCHEMA] = {"schema_too_new", 500, 78},
	[YL_ERR_BAD_ID_NUMBER] = {"bad_id_number", 422, 65},
	[YL_ERR_LEVEL] = {"wrong_level", 422, 65},
	[YL_ERR_CAPACITY] = {"team_full", 409, 75},
	[YL_ERR_ACTIVE_CONTRACT] = {"active_contract_exists", 409, 75},
	[YL_ERR_NOT_MEMBER] = {"not_in_consortium", 422, 65},
	[YL_ERR_METHOD] = {"method_not_allowed", 405, 64},
	[YL_ERR_UNKNOWN_FIELD] = {"unknown_field", 422, 65},
	[YL_ERR_SLOT_FULL] = {"slot_full", 409, 75},
	[YL_ERR_POOL_NOT_ALLOWED] = {"pool_not_allowed", 403, 77},
	[YL_ERR_NOT_RELEASED] = {"not_released", 409, 75},
	[YL_ERR_SLOT_PAST] = {"slot_past", 409, 75},
	[YL_ERR_SESSION_STOPPED] = {"session_stopped", 409, 75},
	[YL_ERR_DUPLICATE_BOOKING] = {"duplicate_booking", 409, 75},
	[YL_ERR_TOO_MANY_BOOKINGS] = {"too_many_bookings", 409, 75},
	[YL_ERR_BOOKING_SUSPENDED] = {"booking_suspended", 403, 77},
	[YL_ERR_IDEMPOTENCY] = {"idempotency_conflict", 409, 75},
	[YL_ERR_CANCEL_TOO_LATE] = {"cancel_too_late", 409, 75},
	[YL_ERR_CHECK_IN_CLOSED] = {"check_in_closed", 409, 75},
};

void yl_diag_clear(struct yl_diag *d)
{
	d->err = YL_OK;
	d->field[0] = '\0';
	d->message[0] = '\0';
}

enum yl_err yl_diag_set(struct yl_diag *d, enum yl_err err, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	d->err = err;
	snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
	if (field && strlen(field) >= sizeof(d->field)) {
		/* never leave half a UTF-8 character at the cut */
		size_t n = sizeof(d->field) - 1;
		while (n > 0 && ((unsigned char)field[n] & 0xC0) == 0x80)
			n--;
		d->field[n] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	return err;
}

static int known(enum yl_err err)
{
	return (int)err >= 0 && err < YL_ERR__COUNT && err_table[err].code;
}

const char *yl_err_code(enum yl_err err)
{
	return known(err) ? err_table[err].code : "internal";
}

int yl_err_http_status(enum yl_err err)
{
	return known(err) ? err_table[err].http : 500;
}

int yl_err_exit_code(enum yl_err err)
{
	return known(err) ? err_table[err].exit_code : 70;
}
