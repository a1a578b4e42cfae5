import { Bus, DependencyDown } from '@slipway/bus';
import { DomainError, ListMaterialized, type Reply } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { ClusterAccess } from './cluster-access';

/**
 * What the deployer's commands meet when the config-store cannot answer them now: a
 * dependency down, retried in place (never given up: a push a write handed over has nobody
 * to send it again), while its final refusals stay refusals.
 */
describe('ClusterAccess asking the config-store over NATS', () => {
  const prefix = testBusPrefix();
  let bus: Bus;
  let access: ClusterAccess;
  let answer: Reply;

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix });
    // The config-store's side of the query, answering whatever the test sets
    bus.nc.subscribe(bus.subject(ListMaterialized.subject), {
      callback: (_error, msg) => { msg.respond(new TextEncoder().encode(JSON.stringify(answer))); },
    });
    access = await ClusterAccess.open({ kubeconfig: process.env.KUBECONFIG, namespace: 'cluster-access-test' }, { url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await access?.close();
    await bus?.close();
  });

  it('takes "retry shortly" from the config-store (its database down) as a dependency down', async () => {
    answer = { ok: false, error: { code: 'unavailable', message: 'a service this query needs is not available right now; retry shortly' } };
    const asked = access.require().ask(ListMaterialized, {});
    await expect(asked).rejects.toBeInstanceOf(DependencyDown);
    await expect(asked).rejects.toThrow('retry shortly');
  });

  it('keeps a final refusal the command\'s own', async () => {
    answer = { ok: false, error: { code: 'not-found', message: 'no such object' } };
    const asked = access.require().ask(ListMaterialized, {});
    await expect(asked).rejects.toBeInstanceOf(DomainError);
    await expect(asked).rejects.toMatchObject({ code: 'not-found', final: true });
  });

  it('answers what the config-store answers', async () => {
    answer = { ok: true, value: [] };
    expect(await access.require().ask(ListMaterialized, {})).toEqual([]);
  });
});
