import type { CommandBus } from '@slipway/bus';
import { hashToken, type Principal, type Reply } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { commandOptionsOf } from '../http/command-options';
import { Authenticator } from './authenticator';

const request = { headers: { authorization: 'Bearer t0ken' } } as unknown as FastifyRequest;
const principal: Principal = { principal: 'ci', grants: [{ namespace: '*', capabilities: ['read'] }] };

/** A token store whose answers are held until `answer` is called, counting the questions. */
function heldTokenStore() {
  const waiting: Array<(reply: Reply<Principal>) => void> = [];
  const bus = { query: () => new Promise((resolve) => waiting.push(resolve)) } as unknown as CommandBus;
  return { bus, asked: () => waiting.length, answer: (n: number) => waiting[n]!({ ok: true, value: principal }) };
}

describe('Authenticator', () => {
  it('keeps a token\'s answer for the next request', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const first = auth.identify(request);
    store.answer(0);
    await first;
    await expect(auth.identify(request)).resolves.toEqual(principal);
    expect(store.asked()).toBe(1);
  });

  it('does not keep an answer asked for before the token was forgotten here (it may predate the revocation)', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    // given a request whose token is being looked up
    const inFlight = auth.identify(request);
    // when this gateway revokes the token meanwhile, and the lookup answers after
    auth.forget(hashToken('t0ken'));
    store.answer(0);
    await inFlight;
    // then the next request asks the token store again
    void auth.identify(request);
    expect(store.asked()).toBe(2);
  });

  it('checks a token within the request\'s wait bound, and starts the bound its command waits in', async () => {
    // given a gateway whose wait bound is 2 s (and one of 300 ms), and a token store that answers
    const timeouts: Array<number | undefined> = [];
    const storeWaiting = (waitMs: number) => ({
      waitMs, query: (_c: unknown, _p: unknown, timeoutMs?: number) => (timeouts.push(timeoutMs), Promise.resolve({ ok: true, value: principal })),
    }) as unknown as CommandBus;
    const fresh = () => ({ headers: { authorization: 'Bearer t0ken' } }) as unknown as FastifyRequest;
    const checked = fresh();
    const before = Date.now();
    await new Authenticator(storeWaiting(2_000)).require(checked, 'default', 'read');
    await new Authenticator(storeWaiting(300)).require(fresh(), 'default', 'read');
    // then the check waited at most the bound (at least a second), and the request's command waits from the check
    expect(timeouts).toEqual([2_000, 1_000]);
    expect(commandOptionsOf(checked, { principal: 'ci', kind: 'token' }).waitingSince).toBeGreaterThanOrEqual(before);
    expect(commandOptionsOf(fresh(), { principal: 'ci', kind: 'token' }).waitingSince).toBeUndefined();
  });
});
