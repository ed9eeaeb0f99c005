/* Vector table, reset, the snippet trampoline and the fault recovery path of the fuzz harness. */
        .syntax unified
        .cpu cortex-m4
        .fpu fpv4-sp-d16
        .thumb

/* struct fuzz_ctx offsets (must match harness.c) */
        .equ CTX_CODE,  52
        .equ CTX_APSR,  56
        .equ CTX_FPSCR, 60
        .equ CTX_SP,    64
        .equ CTX_S,     68
        .equ CTX_SYS,   196
        .equ CTX_LR,    200

        .section .vectors, "a"
        .word __stack_top
        .word reset_handler
        .word fault_entry          /* NMI */
        .word fault_entry          /* HardFault */
        .word fault_entry          /* MemManage */
        .word fault_entry          /* BusFault */
        .word fault_entry          /* UsageFault */
        .word 0, 0, 0, 0
        .word fault_entry          /* SVC */
        .word fault_entry          /* DebugMon */
        .word 0
        .word fault_entry          /* PendSV */
        .word fault_entry          /* SysTick */

        .text
        .thumb_func
        .global reset_handler
reset_handler:
        ldr r0, =__bss_start
        ldr r1, =__bss_end
        movs r2, #0
1:      cmp r0, r1
        bhs 2f
        str r2, [r0], #4
        b 1b
2:      /* CPACR: full access to CP10/CP11 */
        ldr r0, =0xE000ED88
        ldr r1, [r0]
        orr r1, r1, #(0xF << 20)
        str r1, [r0]
        dsb
        isb
        bl harness_main
        /* SYS_EXIT, ADP_Stopped_ApplicationExit */
        movs r0, #0x18
        ldr r1, =0x20026
        bkpt 0xab
3:      b 3b

/* void run_case(struct fuzz_ctx *c): load the whole architectural state from c, run the snippet,
   store the state back into c. LR carries the context pointer through the snippet; snippets never
   name r14. SP points into the scratch buffer while the snippet runs. */
        .thumb_func
        .global run_case
run_case:
        push {r4-r11, lr}
        ldr r1, =harness_sp
        mov r2, sp
        str r2, [r1]
        ldr r1, =harness_ctx       /* for harness_back_lr, when the snippet has written LR */
        str r0, [r1]
        mov lr, r0
        ldr r1, [lr, #CTX_FPSCR]
        vmsr fpscr, r1
        add r1, lr, #CTX_S
        vldmia r1, {s0-s31}
        ldr r1, [lr, #CTX_SP]
        mov sp, r1
        clrex                      /* no exclusive reservation leaks from one case into the next */
        movs r1, #0                /* PRIMASK, FAULTMASK, BASEPRI start clear (CPS/MSR cases change them) */
        msr primask, r1
        msr faultmask, r1
        msr basepri, r1
        ldr r1, [lr, #CTX_APSR]
        msr APSR_nzcvqg, r1
        ldmia lr, {r0-r12}
        ldr pc, [lr, #CTX_CODE]

/* A snippet that writes LR (BL, BLX) ends with "b.w harness_back_lr": LR is stored in the context, which
   the harness prints, and the context pointer is taken back. The one word pushed below the snippet's SP
   (r0, saved while r0 carries the pointer) is in the scratch buffer, the same on every run. */
        .thumb_func
        .global harness_back_lr
harness_back_lr:
        push {r0}
        ldr r0, =harness_ctx
        ldr r0, [r0]
        str lr, [r0, #CTX_LR]
        mov lr, r0
        pop {r0}
        b harness_back

/* Every other snippet ends with "b.w harness_back". */
        .thumb_func
        .global harness_back
harness_back:
        stmia lr, {r0-r12}
        mrs r0, apsr
        str r0, [lr, #CTX_APSR]
        vmrs r0, fpscr
        str r0, [lr, #CTX_FPSCR]
        mov r0, sp
        str r0, [lr, #CTX_SP]
        add r0, lr, #CTX_S
        vstmia r0, {s0-s31}
        mrs r0, primask            /* sys = PRIMASK | FAULTMASK << 1 | BASEPRI << 8 */
        mrs r1, faultmask
        orr r0, r0, r1, lsl #1
        mrs r1, basepri
        orr r0, r0, r1, lsl #8
        str r0, [lr, #CTX_SYS]
        movs r0, #0
        msr primask, r0
        msr faultmask, r0
        msr basepri, r0
run_case_exit:
        ldr r0, =harness_sp
        ldr r0, [r0]
        mov sp, r0
        pop {r4-r11, pc}

/* Any fault or unexpected exception: report it (C), then return from the exception into
   run_case_exit in Thread mode so that the next case runs. */
        .thumb_func
        .global fault_entry
fault_entry:
        mov r0, sp                 /* exception frame (MSP: we never use PSP) */
        mrs r1, ipsr
        push {r0, lr}
        bl fault_report
        pop {r0, lr}
        ldr r1, =run_case_exit
        str r1, [r0, #24]          /* stacked return address */
        mov r1, #0x01000000        /* stacked xPSR: Thumb bit only, no IT state */
        str r1, [r0, #28]
        bx lr

        .thumb_func
        .global semihost_call
semihost_call:
        bkpt 0xab
        bx lr

        .ltorg
