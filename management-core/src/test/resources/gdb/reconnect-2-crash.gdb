set pagination off
set confirm off
set architecture arm
target remote 127.0.0.1:PORT
info registers pc
stepi
info registers r3 pc
shell kill -9 $PPID
echo not reached\n
