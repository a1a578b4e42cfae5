import { Bus } from '@slipway/bus';
import { eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { EventDoorbell } from './event-doorbell';

describe('the event doorbell (real NATS)', () => {
  let gateway: Bus;
  let relay: Bus;
  beforeAll(async () => {
    const prefix = testBusPrefix();
    gateway = await Bus.connect({ url: natsUrl(), prefix });
    relay = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await gateway?.close();
    await relay?.close();
  });

  const publishEvent = async () => {
    relay.nc.publish(relay.subject('evt.test.happened.v1'), '{}');
    await relay.nc.flush();
  };

  it('rings every waiting stream from one subscription, and holds none when nobody waits', async () => {
    const doorbell = new EventDoorbell(gateway);
    const rings = [0, 0, 0];
    const stops = rings.map((_, i) => doorbell.listen(() => { rings[i]!++; }));
    await gateway.nc.flush();
    const received = gateway.nc.stats().inMsgs;
    await publishEvent();
    await eventually(() => expect(rings).toEqual([1, 1, 1]));
    // One message reached the gateway for three streams (a subscription each: three).
    expect(gateway.nc.stats().inMsgs - received).toBe(1);

    for (const stop of stops) stop();
    await gateway.nc.flush();
    const afterStop = gateway.nc.stats().inMsgs;
    await publishEvent(); // nobody listens: NATS sends the gateway nothing
    let later = 0;
    const stop = doorbell.listen(() => { later++; });
    await gateway.nc.flush();
    await publishEvent();
    await eventually(() => expect(later).toBe(1));
    expect(gateway.nc.stats().inMsgs - afterStop).toBe(1);
    expect(rings).toEqual([1, 1, 1]);
    stop();
  });
});
