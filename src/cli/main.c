#include <stdio.h>
int main(void) { puts("walkshed"); return 0; }
