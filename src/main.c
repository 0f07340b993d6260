/* main.c -- the khaldun command (placeholder) */
#include "khaldun.h"
#include <stdio.h>
int main(int argc, char **argv) { fprintf(stderr, "khaldun %s\n", KHALDUN_VERSION); return 0; }
