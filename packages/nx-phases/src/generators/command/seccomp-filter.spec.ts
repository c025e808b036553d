import { runBpf } from '../../test-utils/bpf-interpreter';
import { SECCOMP_ARCHES, seccompUnsupported, unixSocketFilter } from './seccomp-filter';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;
const SOCK_NONBLOCK = 0o4000;

/**
 * The filter's decisions, read by an independent interpreter of the encoded bytes. Syscall numbers are written out
 * here from the kernel's tables (x86_64: syscall_64.tbl; aarch64: asm-generic/unistd.h), not taken from the module.
 */
describe.each([
  ['x64', { arch: 0xc000003e, socket: 41, socketpair: 53, read: 0, connect: 42, ioUring: [425, 426, 427], foreign: 0x40000003 }],
  ['arm64', { arch: 0xc00000b7, socket: 198, socketpair: 199, read: 63, connect: 203, ioUring: [425, 426, 427], foreign: undefined }],
])('the unix-socket seccomp filter for %s', (nodeArch, numbers) => {
  const program = unixSocketFilter(nodeArch);
  const decide = (nr: number, args: Array<number | bigint> = [], arch = numbers.arch) => runBpf(program, { nr, arch, args });

  it('refuses socket(AF_UNIX, …) of every type and flag with EPERM', () => {
    for (const type of [SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK]) {
      expect(decide(numbers.socket, [AF_UNIX, type, 0])).toBe(EPERM);
    }
  });

  it('compares the low 32 bits of the domain, as the kernel reads an int: high bits do not sneak AF_UNIX past it', () => {
    expect(decide(numbers.socket, [0x1_0000_0001n, SOCK_STREAM, 0])).toBe(EPERM);
    expect(decide(numbers.socket, [0xffffffff_00000002n, SOCK_STREAM, 0])).toBe(ALLOW);
  });

  it('allows the network families (the network namespace decides about them)', () => {
    for (const domain of [AF_INET, AF_INET6, AF_NETLINK]) expect(decide(numbers.socket, [domain, SOCK_STREAM, 0])).toBe(ALLOW);
  });

  it('allows stream and seqpacket socketpairs (Node uses them for child stdio) and refuses datagram ones', () => {
    expect(decide(numbers.socketpair, [AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0])).toBe(ALLOW);
    expect(decide(numbers.socketpair, [AF_UNIX, SOCK_SEQPACKET, 0])).toBe(ALLOW);
    expect(decide(numbers.socketpair, [AF_UNIX, SOCK_DGRAM, 0])).toBe(EPERM);
    expect(decide(numbers.socketpair, [AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0])).toBe(EPERM);
    expect(decide(numbers.socketpair, [AF_INET, SOCK_DGRAM, 0])).toBe(ALLOW);
  });

  it('refuses io_uring, which can open sockets without the socket() syscall', () => {
    for (const nr of numbers.ioUring) expect(decide(nr)).toBe(EPERM);
  });

  it('allows other syscalls, connect() included (with no unix socket to call it on, it reaches the network only)', () => {
    for (const nr of [numbers.read, numbers.connect, numbers.ioUring[0] - 1, numbers.ioUring[2] + 1]) expect(decide(nr, [AF_UNIX, SOCK_STREAM])).toBe(ALLOW);
  });

  it('kills a process making a syscall of another architecture (32-bit compat syscalls use other numbers)', () => {
    for (const arch of [0x40000003 /* i386 */, 0x40000028 /* arm */, 0xc00000b7, 0xc000003e].filter((other) => other !== numbers.arch)) {
      expect(decide(numbers.socket, [AF_UNIX, SOCK_STREAM], arch)).toBe(KILL);
      expect(decide(numbers.read, [], arch)).toBe(KILL);
    }
  });

  if (numbers.foreign !== undefined) {
    it('refuses x32 syscalls (numbers with bit 30 set on the x86_64 audit arch)', () => {
      expect(decide(numbers.foreign)).toBe(EPERM);
      expect(decide(0x40000000 + numbers.socket, [AF_UNIX, SOCK_STREAM])).toBe(EPERM);
    });
  }
});

describe('seccomp support', () => {
  it('has a filter for x86_64 and aarch64, and says why for anything else', () => {
    expect(Object.keys(SECCOMP_ARCHES).sort()).toEqual(['arm64', 'x64']);
    expect(seccompUnsupported('x64', 'LE')).toBeUndefined();
    expect(seccompUnsupported('arm64', 'LE')).toBeUndefined();
    expect(seccompUnsupported('riscv64', 'LE')).toBe('its seccomp filter is built for x86_64 and aarch64 only, and this machine is riscv64');
    expect(seccompUnsupported('arm64', 'BE')).toBe('its seccomp filter is built for little-endian machines only');
    expect(() => unixSocketFilter('ppc64')).toThrow('No seccomp filter for architecture ppc64.');
  });
});
