import { OpenAITestServer, startOpenAITestServer } from '../../test-utils/openai-test-server';
import { fetchReportingSend } from './send-hook';

describe('fetchReportingSend', () => {
  let server: OpenAITestServer;
  afterEach(() => server?.close());

  it('reports once, when the request is on the wire, before the reply comes back', async () => {
    server = await startOpenAITestServer({ latencyMs: 400 });
    const sent: number[] = [];
    const reportingFetch = fetchReportingSend(() => sent.push(Date.now()));
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await (await reportingFetch(`${server.url}/chat/completions`, { method: 'POST', body })).json();
    expect(sent).toHaveLength(1);
    // The reply cannot leave the server before arrival + 400 ms, so an earlier report came from the socket write.
    expect(sent[0]).toBeLessThan(server.requests[0].arrivedAt + 400);
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
