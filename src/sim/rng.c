/* rng.c - xoshiro256** by Blackman and Vigna (public domain algorithm), seeded via
 * splitmix64 as its authors recommend. */
#include "sim/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void yl_rng_seed(struct yl_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t yl_rng_next(struct yl_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t yl_rng_below(struct yl_rng *r, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = yl_rng_next(r);
	while (x >= limit);
	return x % n;
}

double yl_rng_unit(struct yl_rng *r)
{
	return (double)(yl_rng_next(r) >> 11) * 0x1.0p-53;
}

bool yl_rng_chance(struct yl_rng *r, double p)
{
	return yl_rng_unit(r) < p;
}
