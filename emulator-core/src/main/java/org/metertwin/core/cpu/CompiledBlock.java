package org.metertwin.core.cpu;

/** A basic block compiled to JVM bytecode by {@link BlockCompiler}. */
interface CompiledBlock {
    /** Executes the block (its base counts already charged) and returns the address to continue at. */
    int run(CortexM4 cpu);
}
