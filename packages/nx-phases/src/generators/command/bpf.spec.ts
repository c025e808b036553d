import { runBpf } from '../../test-utils/bpf-interpreter';
import { assemble, BpfAssemblyError, encode, type BpfLine } from './bpf';

describe('classic BPF assembler', () => {
  it('encodes each form as the kernel lays out struct sock_filter (u16 code, u8 jt, u8 jf, u32 k, little-endian)', () => {
    const bytes = encode(
      assemble([
        { op: 'ld', offset: 4 },
        { op: 'and', k: 0xf },
        { op: 'jeq', k: 0xc000003e, then: 'yes', else: 'no' },
        { op: 'jge', k: 0x40000000, then: 'no' },
        { op: 'jset', k: 0x80, else: 'no' },
        { op: 'label', name: 'yes' },
        { op: 'ret', k: 0x7fff0000 },
        { op: 'label', name: 'no' },
        { op: 'ret', k: 0x00050001 },
      ]),
    );
    expect(bytes.toString('hex').match(/.{16}/g)).toEqual([
      '2000000004000000', // ld [4]
      '540000000f000000', // and #0xf
      '150002033e0000c0', // jeq #0xc000003e, jt 2 (yes), jf 3 (no)
      '3500020000000040', // jge #0x40000000, jt 2 (no), jf 0
      '4500000180000000', // jset #0x80, jt 0, jf 1 (no)
      '060000000000ff7f', // ret #0x7fff0000
      '0600000001000500', // ret #0x00050001
    ]);
  });

  it('resolves labels to forward offsets counted from the next instruction', () => {
    const program = assemble([
      { op: 'jeq', k: 1, then: 'c' },
      { op: 'jeq', k: 2, then: 'b', else: 'c' },
      { op: 'label', name: 'b' },
      { op: 'ret', k: 20 },
      { op: 'label', name: 'c' },
      { op: 'ret', k: 30 },
    ]);
    expect(program.map(({ jt, jf }) => [jt, jf])).toEqual([[2, 0], [0, 1], [0, 0], [0, 0]]);
  });

  it('runs as written: a program that returns per input', () => {
    const lines: BpfLine[] = [
      { op: 'ld', offset: 0 },
      { op: 'jeq', k: 7, then: 'seven' },
      { op: 'jge', k: 100, then: 'big' },
      { op: 'ret', k: 1 },
      { op: 'label', name: 'seven' },
      { op: 'ret', k: 2 },
      { op: 'label', name: 'big' },
      { op: 'ret', k: 3 },
    ];
    const bytes = encode(assemble(lines));
    expect([6, 7, 99, 100, 0xffffffff].map((nr) => runBpf(bytes, { nr, arch: 0 }))).toEqual([1, 2, 1, 3, 3]);
  });

  it.each<[string, BpfLine[], string]>([
    ['an undefined label', [{ op: 'jeq', k: 1, then: 'nowhere' }, { op: 'ret', k: 0 }], 'jump to undefined label "nowhere"'],
    [
      'a backward jump',
      [{ op: 'label', name: 'top' }, { op: 'ld', offset: 0 }, { op: 'jeq', k: 1, then: 'top' }, { op: 'ret', k: 0 }],
      'jump to label "top" goes backward',
    ],
    [
      'a jump too far',
      [{ op: 'jeq', k: 1, then: 'end' }, ...Array.from({ length: 256 }, (): BpfLine => ({ op: 'ld', offset: 0 })), { op: 'label', name: 'end' }, { op: 'ret', k: 0 }],
      'jump to label "end" skips 256 instructions (at most 255)',
    ],
    ['a duplicate label', [{ op: 'label', name: 'a' }, { op: 'label', name: 'a' }, { op: 'ret', k: 0 }], 'label "a" is defined twice'],
    ['no final return', [{ op: 'ld', offset: 0 }], 'a program must end with a "ret" instruction'],
    ['an empty program', [], 'a program must end with a "ret" instruction'],
    ['a negative constant', [{ op: 'ret', k: -1 }], 'ret constant -1 is not an unsigned 32-bit integer'],
    ['a constant above 32 bits', [{ op: 'and', k: 2 ** 32 }, { op: 'ret', k: 0 }], 'and constant 4294967296 is not an unsigned 32-bit integer'],
    ['a fractional offset', [{ op: 'ld', offset: 1.5 }, { op: 'ret', k: 0 }], 'ld offset 1.5 is not an unsigned 32-bit integer'],
    ['too many instructions', [...Array.from({ length: 4096 }, (): BpfLine => ({ op: 'ld', offset: 0 })), { op: 'ret', k: 0 }], "4097 instructions exceed the kernel's 4096"],
  ])('refuses %s', (_, lines, message) => {
    expect(() => assemble(lines)).toThrow(BpfAssemblyError);
    expect(() => assemble(lines)).toThrow(message);
  });
});
