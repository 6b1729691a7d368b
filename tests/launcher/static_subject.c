/* Linked with -static: LD_PRELOAD cannot reach it, and the launcher says so. */
int main(void)
{
	return 7;
}
