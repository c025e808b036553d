import { InvalidModelReplyError, parsePhaseReply } from './response';

const planned = ['src/a.ts', 'src/b.ts'];
const reply = (value: unknown) => JSON.stringify(value);

describe('parsePhaseReply', () => {
  it('accepts the files shape, with or without notes', () => {
    expect(parsePhaseReply(reply({ files: [{ path: 'src/a.ts', content: 'x' }], notes: 'done' }), 'stop', planned)).toEqual({
      files: [{ path: 'src/a.ts', content: 'x' }],
      notes: 'done',
    });
    expect(parsePhaseReply(reply({ files: [{ path: './src/b.ts', content: '' }], notes: null }), 'stop', planned)).toEqual({
      files: [{ path: 'src/b.ts', content: '' }],
    });
  });

  it('tolerates one surrounding code fence (json_object servers often add one)', () => {
    const fenced = '```json\n' + reply({ files: [{ path: 'src/a.ts', content: 'x' }] }) + '\n```';
    expect(parsePhaseReply(fenced, 'stop', planned).files).toHaveLength(1);
  });

  it.each([
    ['truncated', '{"files":[{"path":"src/a.ts","content":"expor', 'length', 'cut short (finish_reason "length")'],
    ['not JSON', 'Sure! Here are your files:', 'stop', 'not valid JSON'],
    ['no files key', reply({ notes: 'hi' }), 'stop', 'lacks a "files" array'],
    ['bad entry', reply({ files: [{ path: 'src/a.ts' }] }), 'stop', 'files[0] needs a string "path" and a string "content"'],
    ['unplanned path', reply({ files: [{ path: 'src/evil.ts', content: '' }] }), 'stop', '"src/evil.ts" is not one of'],
    ['duplicate', reply({ files: [{ path: 'src/a.ts', content: '' }, { path: 'src/a.ts', content: '' }] }), 'stop', 'twice'],
    ['empty', reply({ files: [] }), 'stop', 'contains no files'],
    ['no content', null, 'stop', 'has no content'],
  ])('rejects a reply that is %s, quoting its start', (_, content, finish, message) => {
    const parse = () => parsePhaseReply(content, finish, planned);
    expect(parse).toThrow(InvalidModelReplyError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(`Reply starts: ${JSON.stringify((content ?? '').slice(0, 200))}`);
  });

  it('quotes at most 200 characters', () => {
    const long = 'x'.repeat(500);
    expect(() => parsePhaseReply(long, 'stop', planned)).toThrow(`Reply starts: "${'x'.repeat(200)}"…`);
  });
});
