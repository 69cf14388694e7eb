/*
 * The floor of every command: a static program that does nothing. The
 * demo and the benchmarks time it beside chaos and xl, in the same run,
 * so that each figure can be read against what a process start costs.
 */
int main(void)
{
    return 0;
}
