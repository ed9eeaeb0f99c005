/*
 * What emulator-core's gdbdemo.c (the gdb differential test's program, compiled here by path) needs on the
 * management board: its exit(). In emulator-core it comes from newlib with rdimon's start-up; here there is
 * no newlib start-up (test/startup.c sets up .data/.bss and calls main), so exit is the semihosting exit of
 * test/semihost.c. gdbdemo.c is used by path rather than copied so that the program, and the line numbers
 * the gdb scripts name, stay the same as the mps2-an386 test's.
 */
#include <stdlib.h>

#include "console.h"

void exit(int status)
{
    finish(status);
}
