# objdump -d of a batch ELF -> "NNNNN<TAB>insn ; insn ..." per case (snippet text without harness_back)
function flush() { if (id != "") print id "\t" txt; id = ""; txt = "" }
/^[0-9a-f]+ <c[0-9]+>:/ { flush(); id = substr($2, 3, 5); next }
/^[0-9a-f]+ </ { flush(); next }
id != "" && /^ +[0-9a-f]+:\t/ {
    n = split($0, f, "\t")
    # the snippet's last instruction, b.w harness_back (or harness_back_lr); not a PC-relative comment
    if (f[3] == "b.w" && index($0, "<harness_back")) next
    ins = f[3]
    if (n >= 4) ins = ins " " f[4]
    sub(/[ \t]*@.*/, "", ins)
    sub(/[ \t]+$/, "", ins)
    txt = (txt == "" ? ins : txt " ; " ins)
}
END { flush() }
