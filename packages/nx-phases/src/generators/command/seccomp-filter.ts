import { assemble, encode, type BpfLine } from './bpf';

/** Syscall numbers and the audit arch of one architecture the sandbox's seccomp filter supports. */
export interface SeccompArch {
  /** `AUDIT_ARCH_*`: the value of `seccomp_data.arch` for this ABI. */
  auditArch: number;
  socket: number;
  socketpair: number;
  /** io_uring_setup, io_uring_enter, io_uring_register: io_uring can open sockets without the socket() syscall. */
  ioUring: [number, number, number];
  /** Syscall numbers at or above this belong to another ABI on the same audit arch (x86_64's x32), refused. */
  foreignAbiFrom?: number;
}

/** The architectures with a filter, by Node's `process.arch`. */
export const SECCOMP_ARCHES: Record<string, SeccompArch> = {
  // linux/audit.h: EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE; arch/x86/entry/syscalls/syscall_64.tbl.
  x64: { auditArch: 0xc000003e, socket: 41, socketpair: 53, ioUring: [425, 426, 427], foreignAbiFrom: 0x40000000 },
  // EM_AARCH64 (183) | 64BIT | LE; include/uapi/asm-generic/unistd.h.
  arm64: { auditArch: 0xc00000b7, socket: 198, socketpair: 199, ioUring: [425, 426, 427] },
};

/** `struct seccomp_data` offsets (linux/seccomp.h): nr, arch, then the six 64-bit args from byte 16 (low word first on little-endian). */
export const SECCOMP_DATA = { nr: 0, arch: 4, arg0Low: 16, arg1Low: 24 } as const;

/** Seccomp return values (linux/seccomp.h) and the constants the filter compares with. */
export const SECCOMP_RET = { killProcess: 0x80000000, errno: 0x00050000, allow: 0x7fff0000 } as const;
export const EPERM = 1;
export const AF_UNIX = 1;
export const SOCK_DGRAM = 2;
/** The part of socket()'s `type` argument that is the type; the rest are flags (SOCK_NONBLOCK, SOCK_CLOEXEC). */
export const SOCK_TYPE_MASK = 0xf;

/**
 * The filter's program for `arch`: a syscall of another audit arch kills the process (a 32-bit syscall on a
 * 64-bit host would dodge the numbers below); `socket(AF_UNIX, …)`, `socketpair(AF_UNIX, SOCK_DGRAM, …)` (whose
 * sockets can still `sendto()` any named socket) and io_uring fail with EPERM; everything else is allowed.
 * Stream and seqpacket socketpairs stay: they are connected to each other only, and Node and libuv use them for
 * child processes' stdio. Only the low 32 bits of `domain` and `type` are compared, as the kernel reads them as int.
 */
export function unixSocketFilterLines(arch: SeccompArch): BpfLine[] {
  const deny = 'deny';
  return [
    { op: 'ld', offset: SECCOMP_DATA.arch },
    { op: 'jeq', k: arch.auditArch, else: 'kill' },
    { op: 'ld', offset: SECCOMP_DATA.nr },
    ...(arch.foreignAbiFrom === undefined ? [] : [{ op: 'jge', k: arch.foreignAbiFrom, then: deny } as BpfLine]),
    { op: 'jeq', k: arch.socket, then: 'socket' },
    { op: 'jeq', k: arch.socketpair, then: 'socketpair' },
    ...arch.ioUring.map((nr): BpfLine => ({ op: 'jeq', k: nr, then: deny })),
    { op: 'ret', k: SECCOMP_RET.allow },
    { op: 'label', name: 'socket' },
    { op: 'ld', offset: SECCOMP_DATA.arg0Low },
    { op: 'jeq', k: AF_UNIX, then: deny },
    { op: 'ret', k: SECCOMP_RET.allow },
    { op: 'label', name: 'socketpair' },
    { op: 'ld', offset: SECCOMP_DATA.arg0Low },
    { op: 'jeq', k: AF_UNIX, else: 'allow' },
    { op: 'ld', offset: SECCOMP_DATA.arg1Low },
    { op: 'and', k: SOCK_TYPE_MASK },
    { op: 'jeq', k: SOCK_DGRAM, then: deny },
    { op: 'label', name: 'allow' },
    { op: 'ret', k: SECCOMP_RET.allow },
    { op: 'label', name: deny },
    { op: 'ret', k: SECCOMP_RET.errno | EPERM },
    { op: 'label', name: 'kill' },
    { op: 'ret', k: SECCOMP_RET.killProcess },
  ];
}

/** Why this machine gets no filter (an architecture without syscall numbers here, or big-endian), or undefined. */
export function seccompUnsupported(nodeArch: string, endianness: 'BE' | 'LE'): string | undefined {
  if (!(nodeArch in SECCOMP_ARCHES)) return `its seccomp filter is built for x86_64 and aarch64 only, and this machine is ${nodeArch}`;
  if (endianness !== 'LE') return 'its seccomp filter is built for little-endian machines only';
  return undefined;
}

/** The compiled filter (the bytes `bwrap --seccomp FD` reads) for Node's `process.arch`; throws for an unsupported one. */
export function unixSocketFilter(nodeArch: string): Buffer {
  const arch = SECCOMP_ARCHES[nodeArch];
  if (!arch) throw new Error(`No seccomp filter for architecture ${nodeArch}.`);
  return encode(assemble(unixSocketFilterLines(arch)));
}
