/* diag.h - the one error vocabulary of yilian.
 *
 * Every function that can fail returns an `enum yl_err`; the details (stable code string,
 * message, field at fault) go into a caller-owned `struct yl_diag`. One table maps each error
 * to its JSON code, HTTP status and CLI exit code. The enum is append-only: never renumber.
 */
#ifndef YL_BASE_DIAG_H
#define YL_BASE_DIAG_H

#include <stddef.h>

enum yl_err {
	YL_OK = 0,
	YL_ERR_INTERNAL = 1,      /* a bug or an unexpected library failure */
	YL_ERR_NOMEM = 2,         /* allocation failed */
	YL_ERR_IO = 3,            /* file or database I/O failed */
	YL_ERR_INVALID = 4,       /* a field has a wrong value or type */
	YL_ERR_MISSING = 5,       /* a required field is absent */
	YL_ERR_BAD_JSON = 6,      /* the body is not well-formed JSON */
	YL_ERR_NOT_FOUND = 7,     /* the addressed object does not exist */
	YL_ERR_CONFLICT = 8,      /* a unique key is taken or the state forbids the action */
	YL_ERR_UNAUTHORIZED = 9,  /* no or bad credentials */
	YL_ERR_FORBIDDEN = 10,    /* the caller's role or institution may not do this */
	YL_ERR_TOO_LARGE = 11,    /* the request body exceeds its cap */
	YL_ERR_BUSY = 12,         /* the database stayed locked past the busy timeout */
	YL_ERR_SCHEMA = 13,       /* the database schema is newer than this binary */
	YL_ERR_BAD_ID_NUMBER = 14, /* resident ID fails GB 11643 format or checksum */
	YL_ERR_LEVEL = 15,        /* an institution has the wrong level for the role asked */
	YL_ERR_CAPACITY = 16,     /* a team has reached its contract capacity */
	YL_ERR_ACTIVE_CONTRACT = 17, /* the resident already holds an active contract */
	YL_ERR_NOT_MEMBER = 18,   /* institutions share no consortium */
	YL_ERR_METHOD = 19,       /* HTTP method not allowed on this path */
	YL_ERR_UNKNOWN_FIELD = 20, /* the body carries a field the resource does not have */
	YL_ERR_SLOT_FULL = 21,    /* no free place in the asked pool of a slot */
	YL_ERR_POOL_NOT_ALLOWED = 22, /* the caller may not book from that pool */
	YL_ERR_NOT_RELEASED = 23, /* the public pool of the slot is not open yet */
	YL_ERR_SLOT_PAST = 24,    /* the slot has started or ended */
	YL_ERR_SESSION_STOPPED = 25, /* the slot's session was stopped (停诊) */
	YL_ERR_DUPLICATE_BOOKING = 26, /* an active booking in that department that day exists */
	YL_ERR_TOO_MANY_BOOKINGS = 27, /* the resident holds the most active bookings allowed */
	YL_ERR_BOOKING_SUSPENDED = 28, /* booking suspended after repeated no-shows */
	YL_ERR_IDEMPOTENCY = 29,  /* an idempotency key reused for a different request */
	YL_ERR_CANCEL_TOO_LATE = 30, /* past the cancellation cutoff of the slot */
	YL_ERR_CHECK_IN_CLOSED = 31, /* outside the check-in window of the slot */
	YL_ERR__COUNT
};

struct yl_diag {
	enum yl_err err;
	char field[128];   /* field at fault, "" when none; cut at a UTF-8 boundary */
	char message[256]; /* lowercase, no trailing period */
};

/* Clears a diag to YL_OK with empty field and message. */
void yl_diag_clear(struct yl_diag *d);

/* Records an error in d (which may be NULL) and returns err, so callers can write
 * `return yl_diag_set(d, YL_ERR_INVALID, "name", "name is empty");`. `field` may be NULL. */
enum yl_err yl_diag_set(struct yl_diag *d, enum yl_err err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The stable snake_case code of err ("not_found"); never NULL. */
const char *yl_err_code(enum yl_err err);
/* The HTTP status that answers err (404 for YL_ERR_NOT_FOUND). */
int yl_err_http_status(enum yl_err err);
/* The process exit status for err on the CLI (0 for YL_OK). */
int yl_err_exit_code(enum yl_err err);

#endif
