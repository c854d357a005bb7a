/*
 * checkasm's ABI trampoline (System V AMD64).
 *
 *   uint64_t checkasm_checked_call(void (*func)(void), uint64_t a0, a1, ..., a12);
 *
 * Calls func(a0, ..., a12) the way a compiler would, but first loads the callee-saved registers
 * rbx, rbp, r12-r15 with the values in checkasm_regs_in (random, chosen by checkasm.c per call)
 * and afterwards stores what the kernel left in them to checkasm_regs_out, the change of rsp to
 * checkasm_sp_delta, rflags to checkasm_flags_out, and (when checkasm_ymm_check is set)
 * XINUSE bit 2 (upper YMM halves in use) to checkasm_ymm_dirty. checkasm.c compares them.
 * xmm6-15 are caller-saved on System V, so nothing is checked for vector registers.
 *
 * Our caller passes func in rdi and the kernel's arguments after it (checkasm_call_checked pads
 * them with zeros, so at least 14 stack slots exist). Each argument moves down one register:
 * rsi..r9 -> rdi..r8, the first stack slot -> r9, and stack slots 1..8 are copied to our own
 * outgoing area so the kernel finds its stack arguments at [rsp + 8] after the call pushes the
 * return address, exactly as for a direct call.
 *
 * If the kernel returns with a different rsp, we still recover: rsp is reloaded from the value
 * saved in memory before the call (not from rbp, which is one of the registers under test).
 * The checks use globals, so this is not reentrant; checkasm is single-threaded.
 */
    .intel_syntax noprefix

    .bss
    .p2align 4
    .globl checkasm_regs_in, checkasm_regs_out, checkasm_sp_delta, checkasm_flags_out
    .globl checkasm_ymm_check, checkasm_ymm_dirty
checkasm_regs_in:       .zero 48    /* rbx, rbp, r12, r13, r14, r15 before the call */
checkasm_regs_out:      .zero 48    /* the same registers after it */
checkasm_sp_delta:      .zero 8     /* rsp after - rsp before */
checkasm_flags_out:     .zero 8     /* rflags after (direction flag = bit 10) */
checkasm_ymm_check:     .zero 8     /* set by checkasm.c when xgetbv(1) exists */
checkasm_ymm_dirty:     .zero 8     /* xgetbv(1) & 4 after the call */
.Lsaved_sp:             .zero 8
.Lret:                  .zero 8

    .text
    .p2align 4
    .globl checkasm_checked_call
    .type checkasm_checked_call, @function
checkasm_checked_call:
    push    rbp
    mov     rbp, rsp
    push    rbx
    push    r12
    push    r13
    push    r14
    push    r15
    /* Entry rsp = 8 mod 16; six pushes leave it 8 mod 16; 72 more bytes realign it to 16 for the
     * call and hold the 8 outgoing stack arguments (64 bytes) plus padding. */
    sub     rsp, 72

    /* Stack argument k of ours is at [rbp + 16 + 8k]; k = 0 becomes the kernel's r9. */
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8
    mov     rax, [rbp + 16 + 8 * \k]
    mov     [rsp + 8 * (\k - 1)], rax
    .endr

    mov     r10, rdi                    /* func */
    mov     rdi, rsi
    mov     rsi, rdx
    mov     rdx, rcx
    mov     rcx, r8
    mov     r8, r9
    mov     r9, [rbp + 16]

    /* Start with clean upper YMM state, so a dirty state afterwards is the kernel's doing. */
    cmp     qword ptr [rip + checkasm_ymm_check], 0
    je      1f
    vzeroupper
1:
    mov     rbx, [rip + checkasm_regs_in + 0]
    mov     r12, [rip + checkasm_regs_in + 16]
    mov     r13, [rip + checkasm_regs_in + 24]
    mov     r14, [rip + checkasm_regs_in + 32]
    mov     r15, [rip + checkasm_regs_in + 40]
    mov     [rip + .Lsaved_sp], rsp
    mov     rbp, [rip + checkasm_regs_in + 8]   /* last: our frame is addressed by rsp from here */
    cld                                         /* the ABI guarantees DF = 0 on entry */
    call    r10

    /* Record before touching anything: no stack use until rsp is restored. */
    mov     [rip + checkasm_regs_out + 0], rbx
    mov     [rip + checkasm_regs_out + 8], rbp
    mov     [rip + checkasm_regs_out + 16], r12
    mov     [rip + checkasm_regs_out + 24], r13
    mov     [rip + checkasm_regs_out + 32], r14
    mov     [rip + checkasm_regs_out + 40], r15
    mov     [rip + .Lret], rax
    mov     rax, rsp
    sub     rax, [rip + .Lsaved_sp]
    mov     [rip + checkasm_sp_delta], rax
    mov     rsp, [rip + .Lsaved_sp]
    pushfq
    pop     rax
    mov     [rip + checkasm_flags_out], rax
    cld

    xor     eax, eax
    cmp     qword ptr [rip + checkasm_ymm_check], 0
    je      2f
    mov     ecx, 1
    xgetbv                              /* edx:eax = XINUSE; bit 2 = upper YMM halves in use */
    and     eax, 4
    vzeroupper
2:
    mov     [rip + checkasm_ymm_dirty], rax

    mov     rax, [rip + .Lret]
    add     rsp, 72
    pop     r15
    pop     r14
    pop     r13
    pop     r12
    pop     rbx
    pop     rbp
    ret
    .size checkasm_checked_call, . - checkasm_checked_call

/* ---- planted bugs for checkasm --selftest (never called otherwise) ------------------------- */

/* uint64_t checkasm_selftest_args(uint64_t a0, ..., uint64_t a12): sum of (i + 1) * a_i, to check
 * that all 13 arguments (6 in registers, 7 on the stack) arrive in place. */
    .p2align 4
    .globl checkasm_selftest_args
    .type checkasm_selftest_args, @function
checkasm_selftest_args:
    mov     rax, rdi
    lea     rax, [rax + rsi * 2]
    imul    rdx, rdx, 3
    add     rax, rdx
    lea     rax, [rax + rcx * 4]
    imul    r8, r8, 5
    add     rax, r8
    imul    r9, r9, 6
    add     rax, r9
    .irp k, 0, 1, 2, 3, 4, 5, 6         /* stack arguments 6..12 at [rsp + 8 + 8k] */
    mov     rcx, [rsp + 8 + 8 * \k]
    imul    rcx, rcx, 7 + \k
    add     rax, rcx
    .endr
    ret
    .size checkasm_selftest_args, . - checkasm_selftest_args

/* uint64_t checkasm_selftest_arg64(int x): returns the whole register x arrived in, so the
 * selftest can see that the upper half of a 32-bit argument is not clean. */
    .p2align 4
    .globl checkasm_selftest_arg64
    .type checkasm_selftest_arg64, @function
checkasm_selftest_arg64:
    mov     rax, rdi
    ret
    .size checkasm_selftest_arg64, . - checkasm_selftest_arg64

/* void checkasm_selftest_bad(uint64_t which): breaks one rule and returns.
 * 0-5: overwrite rbx, rbp, r12, r13, r14, r15; 6: return with rsp 8 lower; 7: return with the
 * direction flag set; 8: return with dirty upper YMM halves (call only with AVX). */
    .p2align 4
    .globl checkasm_selftest_bad
    .type checkasm_selftest_bad, @function
checkasm_selftest_bad:
    mov     rax, 0x5a5a5a5a5a5a5a5a
    cmp     rdi, 0
    jne     1f
    mov     rbx, rax
    ret
1:  cmp     rdi, 1
    jne     1f
    mov     rbp, rax
    ret
1:  cmp     rdi, 2
    jne     1f
    mov     r12, rax
    ret
1:  cmp     rdi, 3
    jne     1f
    mov     r13, rax
    ret
1:  cmp     rdi, 4
    jne     1f
    mov     r14, rax
    ret
1:  cmp     rdi, 5
    jne     1f
    mov     r15, rax
    ret
1:  cmp     rdi, 6
    jne     1f
    pop     rcx                 /* the return address, pushed twice: ret pops one */
    push    rcx
    push    rcx
    ret
1:  cmp     rdi, 7
    jne     1f
    std
    ret
1:  cmp     rdi, 8
    jne     1f
    vpcmpeqb ymm0, ymm0, ymm0
1:  ret
    .size checkasm_selftest_bad, . - checkasm_selftest_bad

    .section .note.GNU-stack,"",@progbits
