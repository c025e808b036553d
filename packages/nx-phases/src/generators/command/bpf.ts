/**
 * A tiny assembler for classic BPF programs (the `struct sock_filter` arrays seccomp and `bwrap --seccomp FD`
 * take): loads of 32-bit words, `and` with a constant, conditional jumps to labels, returns. Jumps are resolved
 * to the kernel's relative 8-bit offsets and may only go forward, so every program it emits terminates.
 */

/** One assembler line: an instruction, or a label naming the next instruction. */
export type BpfLine =
  | { op: 'label'; name: string }
  /** A = the 32-bit word at byte `offset` of the input (for seccomp: `struct seccomp_data`). */
  | { op: 'ld'; offset: number }
  /** A = A & k. */
  | { op: 'and'; k: number }
  /** Jump to `then` when A == k (jeq), A >= k (jge) or A & k != 0 (jset), else to `else`; a missing label means the next line. */
  | { op: 'jeq' | 'jge' | 'jset'; k: number; then?: string; else?: string }
  /** Stop with the value k. */
  | { op: 'ret'; k: number };

/** Opcodes of `linux/bpf_common.h` for the forms above. */
export const BPF_OPCODES = { ld: 0x20, and: 0x54, jeq: 0x15, jge: 0x35, jset: 0x45, ret: 0x06 } as const;

/** Most instructions the kernel accepts in one program (BPF_MAXINSNS). */
export const BPF_MAX_INSTRUCTIONS = 4096;

/** One `struct sock_filter`. */
export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** A program the assembler refuses (unknown label, backward or too long jump, no final return, bad constant). */
export class BpfAssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BpfAssemblyError';
  }
}

/** Resolves the labels of `lines` into `struct sock_filter` values. */
export function assemble(lines: BpfLine[]): SockFilter[] {
  const labels = new Map<string, number>();
  const instructions: Exclude<BpfLine, { op: 'label' }>[] = [];
  for (const line of lines) {
    if (line.op !== 'label') instructions.push(line);
    else if (labels.has(line.name)) throw new BpfAssemblyError(`label "${line.name}" is defined twice`);
    else labels.set(line.name, instructions.length);
  }
  if (instructions.length === 0 || instructions[instructions.length - 1].op !== 'ret') {
    throw new BpfAssemblyError('a program must end with a "ret" instruction');
  }
  if (instructions.length > BPF_MAX_INSTRUCTIONS) throw new BpfAssemblyError(`${instructions.length} instructions exceed the kernel's ${BPF_MAX_INSTRUCTIONS}`);
  return instructions.map((line, index) => {
    const code = BPF_OPCODES[line.op];
    if (line.op === 'ld') return { code, jt: 0, jf: 0, k: word(line.offset, 'ld offset') };
    if (line.op === 'and' || line.op === 'ret') return { code, jt: 0, jf: 0, k: word(line.k, `${line.op} constant`) };
    const jump = (label: string | undefined) => offsetTo(labels, label, index);
    return { code, jt: jump(line.then), jf: jump(line.else), k: word(line.k, `${line.op} constant`) };
  });
}

/** The program as the kernel reads it: 8 bytes per instruction (u16 code, u8 jt, u8 jf, u32 k), little-endian. */
export function encode(program: SockFilter[]): Buffer {
  const bytes = Buffer.alloc(program.length * 8);
  program.forEach(({ code, jt, jf, k }, index) => {
    bytes.writeUInt16LE(code, index * 8);
    bytes.writeUInt8(jt, index * 8 + 2);
    bytes.writeUInt8(jf, index * 8 + 3);
    bytes.writeUInt32LE(k, index * 8 + 4);
  });
  return bytes;
}

function offsetTo(labels: Map<string, number>, label: string | undefined, from: number): number {
  if (label === undefined) return 0;
  const target = labels.get(label);
  if (target === undefined) throw new BpfAssemblyError(`jump to undefined label "${label}"`);
  const offset = target - from - 1;
  if (offset < 0) throw new BpfAssemblyError(`jump to label "${label}" goes backward (classic BPF jumps only forward)`);
  if (offset > 255) throw new BpfAssemblyError(`jump to label "${label}" skips ${offset} instructions (at most 255)`);
  return offset;
}

function word(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new BpfAssemblyError(`${what} ${value} is not an unsigned 32-bit integer`);
  return value;
}
