/* The page arithmetic the model and the runtime share (SPEC §3 round). */
#include <criterion/criterion.h>
#include <stdint.h>

#include "mapsan/machine.h"

Test(page_range, round_len)
{
	uint64_t r = 0;
	cr_assert(ms_round_len(4096, 1, &r) && r == 4096);
	cr_assert(ms_round_len(4096, 4096, &r) && r == 4096);
	cr_assert(ms_round_len(16384, 4097, &r) && r == 16384);
	cr_assert(ms_round_len(4096, 0, &r) && r == 0, "round(0) is 0; rules judge len 0 themselves");
	cr_assert(!ms_round_len(4096, UINT64_MAX - 1, &r), "overflow fails");
	cr_assert(!ms_round_len(4096, (uint64_t)PTRDIFF_MAX, &r), "past PTRDIFF_MAX fails");
	cr_assert(!ms_round_len(0, 1, &r) && !ms_round_len(3000, 1, &r), "page sizes are powers of two");
}

Test(page_range, kernel_range)
{
	uint64_t end = 0;
	cr_assert(ms_page_range(4096, 0x10000, 1, &end) && end == 0x11000);
	cr_assert(ms_page_range(4096, 0x10000, 8192, &end) && end == 0x12000);
	cr_assert(!ms_page_range(4096, 0x10001, 4096, &end), "unaligned");
	cr_assert(!ms_page_range(4096, 0x10000, 0, &end), "len 0");
	cr_assert(!ms_page_range(4096, UINT64_MAX & ~0xfffull, 8192, &end), "wraps");
	cr_assert(!ms_page_range(4096, 0x10000, SIZE_MAX, &end), "round fails");
}
