// SPDX-License-Identifier: MIT
/*
 * A combined Tausworthe generator with four components (L'Ecuyer, "Tables
 * of maximally equidistributed combined LFSR generators", 1999), the family
 * Linux's prandom uses: period about 2^113, a few shifts and xors per
 * number, no multiplication, no state beyond 16 bytes.
 */
#include <linux/random.h>

/*
 * One component: a linear feedback shift register over the top k bits of
 * s (mask keeps them), stepped by shifts q and s, output shifted by r.
 */
static inline u32 taus_step(u32 s, unsigned int q, unsigned int k_shift,
			    u32 mask, unsigned int r)
{
	return ((s & mask) << r) ^ (((s << q) ^ s) >> k_shift);
}

u32 prandom_u32_state(struct rnd_state *st)
{
	st->s1 = taus_step(st->s1, 6, 13, 0xfffffffeU, 18);
	st->s2 = taus_step(st->s2, 2, 27, 0xfffffff8U, 2);
	st->s3 = taus_step(st->s3, 13, 21, 0xfffffff0U, 7);
	st->s4 = taus_step(st->s4, 3, 12, 0xffffff80U, 13);
	return st->s1 ^ st->s2 ^ st->s3 ^ st->s4;
}

/* splitmix64: spreads any seed, 0 included, over all 64 bits. */
static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Each component degenerates if its significant bits are all zero, hence
 * the lower bounds (2, 8, 16 and 128: one above each mask's cleared bits).
 */
static u32 seed_component(u64 *x, u32 floor)
{
	u32 v = (u32)splitmix64(x);

	return v < floor ? v + floor : v;
}

void prandom_seed_state(struct rnd_state *st, u64 seed)
{
	u64 x = seed;
	int i;

	st->s1 = seed_component(&x, 2);
	st->s2 = seed_component(&x, 8);
	st->s3 = seed_component(&x, 16);
	st->s4 = seed_component(&x, 128);
	/* Let the first outputs depend on every seed bit. */
	for (i = 0; i < 10; i++)
		prandom_u32_state(st);
}
