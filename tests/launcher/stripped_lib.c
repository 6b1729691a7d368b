/* Stripped of its symbol table after the build (strip -s), as distribution
 * libraries are: only the exported name is left in .dynsym, so addr2line
 * names every address after it by that name, however far it lies outside
 * it. The report frames of the test point into stripped_helper. */
static int stripped_helper(int x);

int stripped_exported(int x);
int stripped_exported(int x)
{
	return stripped_helper(x) + 1;
}

/* After stripped_exported in the file, and so in .text at -O0. */
__attribute__((noinline, used)) static int stripped_helper(int x)
{
	volatile int a[64];

	for (int i = 0; i < 64; i++)
		a[i] = x * i;
	return a[x & 63];
}
