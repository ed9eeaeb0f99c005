set pagination off
set confirm off
set architecture arm
target remote 127.0.0.1:PORT
info registers pc
break 21
continue
p counter
p table[0]
detach
