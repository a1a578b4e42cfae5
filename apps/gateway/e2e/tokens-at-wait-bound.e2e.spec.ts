import { errors } from '@nats-io/nats-core';
import { Bus, CommandBus } from '@slipway/bus';
import { IssueToken, type LoggedEvent } from '@slipway/contracts';
import { eventually } from '@slipway/testing';
import { startStack, type Stack } from './stack';

/**
 * A token's secret is shown once, in the answer that issues it. A request the deployer did
 * not answer within the gateway's wait bound must not leave a token behind that nobody holds.
 */
describe('issuing a token past the wait bound', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A 1 ms wait: every other write is answered 202 before its service has handled it.
    stack = await startStack({ commandWaitMs: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const events = async (type: string): Promise<LoggedEvent[]> => (await (await stack.request(`/api/v1/events?type=${type}&limit=1000`)).json()).events;
  const issue = (principal: string) => stack.request('/api/v1/tokens', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ principal, grants: [{ namespace: '*', capabilities: ['read'] }] }),
  });

  it('waits for the deployer however short the bound: a token cannot be answered 202, its secret being in the answer', async () => {
    const response = await issue('issued-anyway');
    expect(response.status).toBe(201);
    const { token } = await response.json();
    const self = await (await fetch(`${stack.url}/api/v1/tokens/self`, { headers: { authorization: `Bearer ${token}` } })).json() as { principal: string };
    expect(self.principal).toBe('issued-anyway');
  });

  it('is refused 503 and withdrawn: whatever the deployer issued is revoked, and no secret was given', async () => {
    // The deployer's answer to the request does not reach the gateway within its wait (a
    // deployer slow to answer): the gateway's wait for that one reply runs out unanswered.
    const replies = (stack.gateway.app.get(CommandBus) as unknown as { replies: { expect: (id: string, waitMs: number) => unknown } }).replies;
    const expectReply = replies.expect.bind(replies);
    replies.expect = (_id: string, waitMs: number) => {
      replies.expect = expectReply;
      let timer: NodeJS.Timeout | undefined;
      return { reply: new Promise((resolve) => { timer = setTimeout(() => resolve(undefined), waitMs); }), cancel: () => clearTimeout(timer) };
    };
    const response = await stack.request('/api/v1/tokens', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ principal: 'late', grants: [{ namespace: '*', capabilities: ['admin'] }] }),
    });
    replies.expect = expectReply;
    expect(response.status).toBe(503);
    // a refusal that says "retry shortly" says when, as RFC 9110 has a 503 do
    expect(response.headers.get('retry-after')).toBe('1');
    const body = await response.json();
    expect(body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('no token was issued') });
    expect(JSON.stringify(body)).not.toContain('slw_');

    // once the deployer has handled both commands: the token was issued and revoked, or revoked first and never issued
    const revoked = await eventually(async () => {
      const found = await events('token.revoked.v1');
      expect(found).toHaveLength(1);
      return found[0]!;
    }, 30_000);
    const hash = (revoked.data as { tokenHash: string }).tokenHash;
    const listed = (await (await stack.request('/api/v1/tokens')).json()).tokens as Array<{ id: string; principal: string }>;
    expect(listed.filter((t) => t.principal === 'late' || t.id === hash)).toEqual([]);
  });

  it('is withdrawn too when the bus did not say whether it took the request (a stalled server)', async () => {
    // The gateway's first publish of the request is stored but not answered, and published
    // again it goes unanswered too: whether it was taken is unknown, and it was.
    const bus = stack.gateway.app.get(Bus);
    const publish = bus.js.publish.bind(bus.js);
    let calls = 0;
    bus.js.publish = async (...args) => {
      if (args[0] !== bus.subject(IssueToken.subject)) return publish(...args);
      calls++;
      if (calls === 1) await publish(...args);
      throw new errors.TimeoutError();
    };
    try {
      const response = await stack.request('/api/v1/tokens', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ principal: 'unconfirmed', grants: [{ namespace: '*', capabilities: ['read'] }] }),
      });
      expect(response.status).toBe(503);
      expect(calls).toBe(2);
      expect(JSON.stringify(await response.json())).not.toContain('slw_');
    } finally {
      bus.js.publish = publish;
    }
    // then the token the deployer issued from the stored copy is revoked
    await eventually(async () => expect((await events('token.revoked.v1')).length).toBe(2), 30_000);
    const listed = (await (await stack.request('/api/v1/tokens')).json()).tokens as Array<{ principal: string }>;
    expect(listed.filter((t) => t.principal === 'unconfirmed')).toEqual([]);
  });
});
