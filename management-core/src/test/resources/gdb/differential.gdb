set pagination off
set confirm off
set architecture arm
target remote 127.0.0.1:PORT
break main
continue
stepi
stepi
stepi
stepi
info registers pc sp r3 r7
x/8wx &table
x/8wx $sp
break mix
continue
info registers r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12 sp lr pc xpsr
finish
watch counter
rwatch table[3]
delete 1 2
continue
info registers r2 r3 pc
continue
info registers r2 r3 pc
p counter
x/4wx 0x08000000
kill
