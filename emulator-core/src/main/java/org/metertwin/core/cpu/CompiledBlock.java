package org.metertwin.core.cpu;

/** A basic block compiled to JVM bytecode by {@link BlockCompiler}. */
interface CompiledBlock {
    /**
     * Executes the block (its base counts already charged), and the blocks of its region that follow while
     * they may run, and returns the address to continue at.
     */
    int run(CortexM4 cpu);
}
