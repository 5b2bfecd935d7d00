/* clock.c - system and fixed clocks; civil-date conversions after Howard Hinnant's
 * days_from_civil algorithm (proleptic Gregorian, exact for all int32 days).
 */
#include "base/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t fixed_now(const struct yl_clock *c)
{
	return c->fixed;
}

int64_t yl_clock_now(const struct yl_clock *c)
{
	struct timespec ts;

	if (c && c->now)
		return c->now(c);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

double yl_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void yl_clock_fixed(struct yl_clock *c, int64_t t)
{
	c->now = fixed_now;
	c->fixed = t;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int32_t yl_clock_today(const struct yl_clock *c)
{
	return (int32_t)floor_div(yl_clock_now(c) + YL_SHANGHAI_OFFSET, 86400);
}

int32_t yl_days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void yl_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool yl_date_parse(const char *s, int32_t *days)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*days = yl_days_from_civil(y, m, d);
	return true;
}

void yl_date_format(int32_t days, char out[YL_DATE_LEN])
{
	int y, m, d;

	char tmp[48];

	yl_civil_from_days(days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y % 10000, m, d);
	memcpy(out, tmp, YL_DATE_LEN - 1);
	out[YL_DATE_LEN - 1] = '\0';
}

int32_t yl_date_add_years(int32_t days, int n)
{
	int y, m, d;

	yl_civil_from_days(days, &y, &m, &d);
	y += n;
	if (m == 2 && d == 29 && !is_leap(y))
		d = 28;
	return yl_days_from_civil(y, m, d);
}

int yl_age_on(int32_t birth, int32_t on)
{
	int by, bm, bd, y, m, d, age;

	yl_civil_from_days(birth, &by, &bm, &bd);
	yl_civil_from_days(on, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

void yl_time_format(int64_t t, char out[21])
{
	int64_t days = floor_div(t, 86400);
	int64_t secs = t - days * 86400;
	int y, m, d;
	char tmp[64];

	yl_civil_from_days((int32_t)days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, tmp, 20);
	out[20] = '\0';
}
