/**
 * An independent interpreter of classic BPF bytes (the subset seccomp filters use: ld abs word, alu and k,
 * jeq/jge/jset k, ret k), so specs can check what an encoded filter decides for a given syscall.
 */

/** A syscall as seccomp sees it. */
export interface SyscallInput {
  nr: number;
  arch: number;
  /** Up to six arguments; bigint allows values with the high 32 bits set. */
  args?: Array<number | bigint>;
}

/** `struct seccomp_data` bytes for `input` (little-endian). */
export function seccompData(input: SyscallInput): Buffer {
  const data = Buffer.alloc(64);
  data.writeUInt32LE(input.nr >>> 0, 0);
  data.writeUInt32LE(input.arch >>> 0, 4);
  (input.args ?? []).forEach((arg, index) => data.writeBigUInt64LE(BigInt.asUintN(64, BigInt(arg)), 16 + index * 8));
  return data;
}

/** Runs the encoded program over `input` and returns its `ret` value; throws on anything a kernel would reject. */
export function runBpf(program: Buffer, input: SyscallInput): number {
  if (program.length === 0 || program.length % 8 !== 0) throw new Error(`program length ${program.length} is not a positive multiple of 8`);
  const data = seccompData(input);
  const count = program.length / 8;
  let a = 0;
  for (let pc = 0; pc < count; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // BPF_LD | BPF_W | BPF_ABS
        if (k % 4 !== 0 || k + 4 > data.length) throw new Error(`misaligned or out-of-range load at ${k}`);
        a = data.readUInt32LE(k);
        break;
      case 0x54: // BPF_ALU | BPF_AND | BPF_K
        a = (a & k) >>> 0;
        break;
      case 0x15: // BPF_JMP | BPF_JEQ | BPF_K
        pc += a === k ? jt : jf;
        break;
      case 0x35: // BPF_JMP | BPF_JGE | BPF_K
        pc += a >= k ? jt : jf;
        break;
      case 0x45: // BPF_JMP | BPF_JSET | BPF_K
        pc += (a & k) !== 0 ? jt : jf;
        break;
      case 0x06: // BPF_RET | BPF_K
        return k;
      default:
        throw new Error(`unsupported opcode 0x${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('fell off the end of the program');
}
