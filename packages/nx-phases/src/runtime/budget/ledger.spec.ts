import { emptyLedger, joinPeriod, LedgerError, parseLedger } from './ledger';

const host = 'this-host';

describe('budget ledger', () => {
  it('starts a new period with nothing spent when no run of the old one is alive and nothing is reserved', () => {
    const ledger = { ...emptyLedger(), spentUsd: 0.7, runs: [{ id: 'old', pid: 11, host }] };
    joinPeriod(ledger, { id: 'new', pid: 12, host }, (holder) => holder.pid === 11);
    expect(ledger).toEqual({ version: 1, spentUsd: 0, reservations: [], runs: [{ id: 'new', pid: 12, host }] });
  });

  it('joins the period of a live run and keeps what it spent; dead holders lose their reservations', () => {
    const ledger = {
      ...emptyLedger(),
      spentUsd: 0.7,
      runs: [{ id: 'first', pid: 11, host }],
      reservations: [
        { id: 'a', runId: 'first', phase: 'shop#1', amountUsd: 0.2, pid: 21, host, at: 0 },
        { id: 'b', runId: 'first', phase: 'shop#2', amountUsd: 0.1, pid: 22, host, at: 0 },
      ],
    };
    joinPeriod(ledger, { id: 'second', pid: 12, host }, (holder) => holder.pid === 21);
    expect(ledger.spentUsd).toBe(0.7);
    expect(ledger.runs.map((run) => run.id)).toEqual(['first', 'second']);
    expect(ledger.reservations.map((reservation) => reservation.id)).toEqual(['b']);
  });

  it('keeps the period while a reservation is held even if its run is gone (a process outliving its nx)', () => {
    const ledger = {
      ...emptyLedger(),
      spentUsd: 0.4,
      runs: [{ id: 'first', pid: 11, host }],
      reservations: [{ id: 'a', runId: 'first', phase: 'shop#1', amountUsd: 0.2, pid: 21, host, at: 0 }],
    };
    joinPeriod(ledger, { id: 'second', pid: 12, host }, (holder) => holder.pid === 11);
    expect(ledger.spentUsd).toBe(0.4);
  });

  it.each([
    ['not json', '$', 'is not valid JSON'],
    ['{"version":2}', '$.version', 'must be 1'],
    ['{"version":1,"spentUsd":-1,"runs":[],"reservations":[]}', '$.spentUsd', 'finite number'],
    ['{"version":1,"spentUsd":0,"runs":[{"id":"r","pid":"x","host":"h"}],"reservations":[]}', '$.runs[0]', 'must be'],
    [
      '{"version":1,"spentUsd":0,"runs":[],"reservations":[{"id":"a","runId":"r","phase":"p","amountUsd":1e999,"pid":1,"host":"h"}]}',
      '$.reservations[0].amountUsd',
      'finite number',
    ],
  ])('refuses a damaged ledger %s, naming the JSON path and the fix', (text, path, problem) => {
    const parse = () => parseLedger(text, '/ws/.nx/workspace-data/nx-phases/budget/ledger.json');
    expect(parse).toThrow(LedgerError);
    expect(parse).toThrow(`ledger.json is damaged: ${path} `);
    expect(parse).toThrow(problem);
    expect(parse).toThrow('delete that file and run again');
  });
});
