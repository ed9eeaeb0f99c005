set pagination off
set confirm off
set architecture arm
target remote 127.0.0.1:PORT
info registers pc
break mix
continue
info registers r0 r1 pc
x/4wx &table
x/2wx $sp
p counter
disconnect
