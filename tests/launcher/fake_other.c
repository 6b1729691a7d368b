/* A second preloaded library, to check the order of LD_PRELOAD. */
int fake_other_marker(void);
int fake_other_marker(void)
{
	return 42;
}
