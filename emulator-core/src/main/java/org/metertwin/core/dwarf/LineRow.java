package org.metertwin.core.dwarf;

/**
 * One row of a DWARF line table: the instruction at {@code address} begins code of {@code line} in
 * {@code file}. A row with {@code endSequence} only marks the first address past a sequence; its file and line
 * carry no meaning.
 *
 * @param file the source path as recorded: joined with its include directory, absolute when the compiler
 *             recorded an absolute directory (DWARF 5 always names the compilation directory)
 */
public record LineRow(int address, String file, int line, int column, boolean isStmt, boolean endSequence) {
}
