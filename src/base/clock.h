/* clock.h - injected time and civil-date arithmetic.
 *
 * Every rule that depends on "now" reads it from a struct yl_clock handed down by the caller:
 * the server uses the system clock, tests and the simulator a fixed or stepped one. Storage is
 * UTC (unix seconds); clinic dates are Asia/Shanghai local dates (UTC+8, no DST since 1991).
 * Dates are days since 1970-01-01 (int32_t) and "YYYY-MM-DD" strings on the wire and in SQL.
 */
#ifndef YL_BASE_CLOCK_H
#define YL_BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct yl_clock {
	/* Returns unix seconds (UTC). NULL means the system clock. */
	int64_t (*now)(const struct yl_clock *c);
	int64_t fixed; /* used by the fixed clock */
};

/* Unix seconds from c (system time when c or c->now is NULL). Thread-safe. */
int64_t yl_clock_now(const struct yl_clock *c);
/* Seconds on the monotonic clock, for measuring durations (never for rules). */
double yl_monotonic(void);
/* Makes c a clock that always answers t. */
void yl_clock_fixed(struct yl_clock *c, int64_t t);

enum { YL_SHANGHAI_OFFSET = 8 * 3600, YL_DATE_LEN = 11 };

/* Today's date in Asia/Shanghai for clock c. */
int32_t yl_clock_today(const struct yl_clock *c);

int32_t yl_days_from_civil(int y, int m, int d);
void yl_civil_from_days(int32_t days, int *y, int *m, int *d);
/* Parses strict "YYYY-MM-DD" (a real calendar date, years 1900-2199). */
bool yl_date_parse(const char *s, int32_t *days);
/* Writes "YYYY-MM-DD" into out (YL_DATE_LEN bytes). */
void yl_date_format(int32_t days, char out[YL_DATE_LEN]);
/* Adds n years, mapping Feb 29 to Feb 28 in a non-leap target year. */
int32_t yl_date_add_years(int32_t days, int n);
/* Whole years from birth to on (age on a date). */
int yl_age_on(int32_t birth, int32_t on);
/* Writes unix seconds as "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes). */
void yl_time_format(int64_t t, char out[21]);

#endif
