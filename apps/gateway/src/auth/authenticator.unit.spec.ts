import type { CommandBus } from '@slipway/bus';
import { hashToken, type Principal, type Reply } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { commandOptionsOf } from '../http/command-options';
import { NEEDS, type Needed } from '../http/route-marks';
import { Authenticator } from './authenticator';

/** A request carrying `token` (each call a request of its own), to a route that needs `read` in the namespace its path names, `default`. */
const sending = (token = 't0ken', needs: Needed = { capability: 'read', namespaceParam: 'namespace' }) => ({
  headers: { authorization: `Bearer ${token}` }, params: { namespace: 'default' }, routeOptions: { url: '/ns/:namespace', config: { [NEEDS]: needs } },
}) as unknown as FastifyRequest;
const principal: Principal = { principal: 'ci', grants: [{ namespace: '*', capabilities: ['read'] }] };
const refused: Reply<Principal> = { ok: false, error: { code: 'unauthorized', message: 'the token is not valid' } };

/** A token store whose answers are held until `answer` is called, counting the questions. */
function heldTokenStore() {
  const waiting: Array<(reply: Reply<Principal>) => void> = [];
  const bus = { query: () => new Promise((resolve) => waiting.push(resolve)) } as unknown as CommandBus;
  return { bus, asked: () => waiting.length, answer: (n: number, reply: Reply<Principal> = { ok: true, value: principal }) => waiting[n]!(reply) };
}

/** Lets the answers given settle. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Authenticator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps a token\'s answer for the next request', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const first = auth.identify(sending());
    store.answer(0);
    await first;
    await expect(auth.identify(sending())).resolves.toEqual(principal);
    expect(store.asked()).toBe(1);
  });

  it('does not keep an answer asked for before the token was forgotten here (it may predate the revocation)', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    // given a request whose token is being looked up
    const inFlight = auth.identify(sending());
    // when this gateway revokes the token meanwhile, and the lookup answers after
    auth.forget(hashToken('t0ken'));
    store.answer(0);
    await settled();
    // then the request itself asks again (review: it went on as the revoked token), and is refused
    expect(store.asked()).toBe(2);
    store.answer(1, refused);
    await expect(inFlight).rejects.toMatchObject({ code: 'unauthorized' });
    // and what is kept is the refusal asked for after the revocation, not the answer before it
    await expect(auth.identify(sending())).rejects.toMatchObject({ code: 'unauthorized' });
    expect(store.asked()).toBe(2);
  });

  it('keeps a refusal for 5 s: requests with the same unknown token, one after another or together, cost one query', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const together = [auth.identify(sending('nope')), auth.identify(sending('nope'))];
    store.answer(0, refused);
    for (const identified of together) await expect(identified).rejects.toMatchObject({ code: 'unauthorized', message: 'the token is not valid' });
    await expect(auth.identify(sending('nope'))).rejects.toMatchObject({ code: 'unauthorized' });
    expect(store.asked()).toBe(1);
    // 5 s on, the token store is asked again (a token issued since is taken)
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 5_001);
    void auth.identify(sending('nope')).catch(() => undefined);
    expect(store.asked()).toBe(2);
  });

  it('takes at once a refused token forgotten since (issued here), and keeps no other error than a refusal', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const first = auth.identify(sending('late'));
    store.answer(0, refused);
    await expect(first).rejects.toMatchObject({ code: 'unauthorized' });
    auth.forget(hashToken('late'));
    const issued = auth.identify(sending('late'));
    store.answer(1);
    await expect(issued).resolves.toEqual(principal);
    // an unanswered check is not a refusal: the next request asks again
    const unanswered = auth.identify(sending('other'));
    store.answer(2, { ok: false, error: { code: 'unavailable', message: 'no responders' } });
    await expect(unanswered).rejects.toMatchObject({ code: 'unavailable' });
    void auth.identify(sending('other')).catch(() => undefined);
    expect(store.asked()).toBe(4);
  });

  it('looks a request\'s token up once, however many checks its handler makes within 5 s; again past them, and for a stream\'s check', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const request = sending();
    const first = auth.authorize(request);
    store.answer(0);
    await first;
    // within the answers' 5 s, the same request's checks read its own answer
    await expect(auth.require(request, 'default', 'read')).resolves.toMatchObject({ principal: 'ci' });
    await expect(auth.holds(request, undefined, 'admin')).resolves.toBe(false);
    expect(store.asked()).toBe(1);
    // past them (its body slow to come), its handler's check asks again, as a request sent then
    // would: a token revoked on another gateway meanwhile is refused (review)
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 6_000);
    const late = auth.require(request, 'default', 'read');
    await settled();
    expect(store.asked()).toBe(2);
    store.answer(1);
    await expect(late).resolves.toMatchObject({ principal: 'ci' });
    // a long request's check, past that answer's 5 s, asks again
    jest.spyOn(Date, 'now').mockReturnValue(now + 12_000);
    const again = auth.authorizedAgain(request);
    await settled();
    expect(store.asked()).toBe(3);
    store.answer(2, refused);
    await expect(again).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses before the body a token lacking what the route needs in the namespace its path names, and gives the handler its actor', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const reader = sending();
    const checked = auth.authorize(reader);
    store.answer(0);
    await checked;
    await expect(auth.authorized(reader)).resolves.toEqual({ principal: 'ci', kind: 'token', tokenId: hashToken('t0ken') });
    // a route needing submit, or admin on every namespace: 403, naming what is lacking
    await expect(auth.authorize(sending('t0ken', { capability: 'submit', namespaceParam: 'namespace' }))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('"submit" capability in namespace "default"') });
    await expect(auth.authorize(sending('t0ken', { capability: 'admin' }))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('on every namespace') });
    // any valid token for its own resources; none without one
    await expect(auth.authorized(sending('t0ken', { capability: 'any token' }))).resolves.toMatchObject({ principal: 'ci' });
    // a route that states nothing is the gateway's fault, never let through
    const unstated = { ...sending(), routeOptions: { url: '/x', config: {} } } as unknown as FastifyRequest;
    await expect(auth.authorize(unstated)).rejects.toThrow('states no capability');
    expect(store.asked()).toBe(1);
  });

  it('starts no wait bound as it checks a request before its body, and counts that check in the bound its handler starts', async () => {
    const store = heldTokenStore();
    const auth = new Authenticator(store.bus);
    const request = sending();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_000);
    // the check before the body takes 20 ms
    const checked = auth.authorize(request);
    clock.mockReturnValue(1_020);
    store.answer(0);
    await checked;
    expect(commandOptionsOf(request, { principal: 'ci', kind: 'token' }).waitingSince).toBeUndefined();
    // the body takes half a second to arrive, then the handler checks
    clock.mockReturnValue(1_520);
    await auth.require(request, undefined, 'read');
    // then its command waits the bound less the check's 20 ms, not less the body's upload
    expect(commandOptionsOf(request, { principal: 'ci', kind: 'token' }).waitingSince).toBe(1_500);
  });

  it('checks a token within the request\'s wait bound, and starts the bound its command waits in', async () => {
    // given a gateway whose wait bound is 2 s (and one of 300 ms), and a token store that answers
    const timeouts: Array<number | undefined> = [];
    const storeWaiting = (waitMs: number) => ({
      waitMs, query: (_c: unknown, _p: unknown, timeoutMs?: number) => (timeouts.push(timeoutMs), Promise.resolve({ ok: true, value: principal })),
    }) as unknown as CommandBus;
    const checked = sending();
    const before = Date.now();
    await new Authenticator(storeWaiting(2_000)).require(checked, 'default', 'read');
    await new Authenticator(storeWaiting(300)).require(sending(), 'default', 'read');
    // then the check waited at most the bound (at least a second), and the request's command waits from the check
    expect(timeouts).toEqual([2_000, 1_000]);
    expect(commandOptionsOf(checked, { principal: 'ci', kind: 'token' }).waitingSince).toBeGreaterThanOrEqual(before);
    expect(commandOptionsOf(sending(), { principal: 'ci', kind: 'token' }).waitingSince).toBeUndefined();
  });
});
