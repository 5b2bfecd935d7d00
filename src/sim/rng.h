/* rng.h - a small deterministic random generator (xoshiro256**, seeded by splitmix64) so that
 * the simulated region and its days are identical for a given seed on every machine.
 * Not for secrets: tokens use libsodium.
 */
#ifndef YL_SIM_RNG_H
#define YL_SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct yl_rng {
	uint64_t s[4];
};

void yl_rng_seed(struct yl_rng *r, uint64_t seed);
uint64_t yl_rng_next(struct yl_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t yl_rng_below(struct yl_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double yl_rng_unit(struct yl_rng *r);
/* True with probability p. */
bool yl_rng_chance(struct yl_rng *r, double p);

#endif
