import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchReportingSend } from './send-hook';

describe('fetchReportingSend', () => {
  it('reports once, when the request is on the wire, before the reply comes back', async () => {
    const events: string[] = [];
    let reportSent!: () => void;
    const reported = new Promise<void>((resolve) => (reportSent = resolve));
    // The server holds its reply until the send is reported. A report that only came when the fetch settled would
    // miss it; then the reply goes out after a fallback delay and the order below shows it.
    const fallback = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    const plain = createServer((req, res) => {
      events.push('arrived');
      void Promise.race([reported, fallback]).then(() => {
        events.push('replied');
        res.setHeader('content-type', 'application/json').end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/v1/chat/completions?x=1`;
      const reportingFetch = fetchReportingSend(() => {
        events.push('sent');
        reportSent();
      });
      const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      expect(await (await reportingFetch(url, { method: 'POST', body })).json()).toEqual({ ok: true });
      expect(events.filter((event) => event !== 'arrived')).toEqual(['sent', 'replied']);
      expect(events).toContain('arrived');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('does not report a request whose connection was refused: nothing was sent, so nothing can be billed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    let reports = 0;
    const reportingFetch = fetchReportingSend(() => reports++);
    await expect(reportingFetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow();
    const refused = fetchReportingSend(() => reports++, async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    await expect(refused('http://127.0.0.1:9/v1/chat/completions')).rejects.toThrow('fetch failed');
    expect(reports).toBe(0);
  });

  it('falls back to reporting when the fetch settles, also on failure', async () => {
    let reports = 0;
    const failing = fetchReportingSend(() => reports++, async () => {
      throw new Error('offline');
    });
    await expect(failing('http://127.0.0.1:9/v1/chat/completions')).rejects.toThrow('offline');
    const custom = fetchReportingSend(() => reports++, async () => new Response('{}'));
    await custom('http://127.0.0.1:9/v1/chat/completions');
    expect(reports).toBe(2);
  });
});
